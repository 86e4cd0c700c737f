//! Helpers the labs' tests share. Labs take this crate as a
//! dev-dependency only: nothing here is part of a lab's solution.
//!
//! - [`example`]: the path of an example program `cargo test` built.
//!
//! The same folder holds `checkout.rs`, every lab's build script (it is not
//! part of this crate): see its own docs.

use std::path::{Path, PathBuf};

/// The path of the package's example `name`, as `cargo test` built it.
///
/// `cargo test` builds a package's examples before its integration tests
/// (unless a `--test` filter is given) and copies each to
/// `<target dir>/<profile>/examples/<name>`. A test binary runs from
/// `<build dir>/<profile>/deps/`: the same place unless `build.build-dir`
/// moves the intermediate outputs elsewhere, as `verify check-starters`
/// does, and then an absolute `CARGO_TARGET_DIR` names the target dir.
///
/// Panics, saying how to build it, when the example is missing.
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("a test binary runs from <build dir>/<profile>/deps/");
    let dir = match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(target) if target.is_absolute() => match profile_dir.file_name() {
            Some(profile) => target.join(profile),
            None => profile_dir.to_path_buf(),
        },
        _ => profile_dir.to_path_buf(),
    };
    let path = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "<package>".into());
    assert!(
        path.exists(),
        "{} is missing: run `cargo test -p {package}` without a --test filter (it builds the \
         examples), or `cargo build -p {package} --example {name}` first",
        path.display()
    );
    path
}
