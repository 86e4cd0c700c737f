//! Programs that must not compile, and exactly what rustc 1.95 says about
//! them. The expected output is in `tests/ui/*.stderr`; regenerate it with
//! `TRYBUILD=overwrite cargo test -p lab01-ownership --test compile_fail`
//! (and read the diff: it is the lesson).

#[test]
fn borrow_errors_match_the_pinned_rustc_output() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
