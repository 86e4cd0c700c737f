//! Why `LocalSet` exists: `tokio::spawn` rejects a task holding an `Rc`
//! across an `.await`. The expected error is pinned in `tests/ui/`;
//! regenerate with `TRYBUILD=overwrite cargo test -p lab03-async-tasks --test compile_fail`.

#[test]
fn spawning_non_send_state_is_a_compile_error() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
