//! The build script of every lab (`build = "../../support/checkout.rs"`).
//!
//! It makes cargo rebuild a lab when the checkout it is built from changes.
//! Cargo hashes a path package relative to its workspace root and judges it
//! fresh by mtime, so two checkouts sharing one target dir (a global
//! `CARGO_TARGET_DIR`, a "clean" and a "work" clone) would otherwise run each
//! other's code: `cargo test` in one could test the other's build.
//!
//! `.cargo/config.toml` sets `RUST_JOB_LABS_CHECKOUT` to the checkout's
//! absolute path (`[env]`, `relative`, `force`); this script asks cargo to
//! rerun it when that value changes, and a rerun rebuilds the lab.
fn main() {
    println!("cargo::rerun-if-env-changed=RUST_JOB_LABS_CHECKOUT");
}
