//! What the types forbid, pinned with rustc 1.95's exact messages
//! (`tests/ui/*.stderr`; regenerate with `TRYBUILD=overwrite cargo test -p
//! lab09-firmware --test compile_fail` and read the diff).

#[test]
fn the_type_system_forbids_driving_an_input_a_second_owner_and_another_thread() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
