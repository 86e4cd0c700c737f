//! `cargo test` runs the C harness (`ffi-c/harness.c`), so `verify` grades
//! the C side too. The full matrix (valgrind, sanitizers, negative control)
//! is `make -C ffi-c test`.
//!
//! Build order: the static library this test links must exist before the
//! harness is linked, and a build script would run too early. So the test
//! links at test time, against a library it builds itself with a nested
//! `cargo build` into a private target dir (`lab_support::nested_build`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn host_triple() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

/// Builds the static library; returns its path and the private target dir
/// it is in (the harness is built there too).
fn build_staticlib(manifest_dir: &Path) -> (PathBuf, PathBuf) {
    let (target_dir, output) = lab_support::nested_build(
        &manifest_dir.join("Cargo.toml"),
        Path::new(env!("CARGO_TARGET_TMPDIR")),
        "ffi-c-harness",
        &["--quiet", "--lib"],
    )
    .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo build of the static library failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (target_dir.join("debug/liblab04_safe_ffi.a"), target_dir)
}

#[test]
fn c_harness_passes_every_check() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest_dir.join("../..");
    let (lib, work) = build_staticlib(manifest_dir);

    let triple = host_triple();
    let compiler = cc::Build::new()
        .host(&triple)
        .target(&triple)
        .opt_level(0)
        .cargo_metadata(false)
        .try_get_compiler()
        .expect("a C compiler is installed (`verify doctor` says how)");
    let exe = work.join("harness");
    let compiled = compiler
        .to_command()
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-g"])
        .arg("-I")
        .arg(manifest_dir.join("include"))
        .arg(root.join("ffi-c/harness.c"))
        .arg(&lib)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .output()
        .expect("the C compiler runs");
    assert!(
        compiled.status.success(),
        "harness.c does not compile or link:\n{}",
        String::from_utf8_lossy(&compiled.stderr)
    );

    let run = Command::new(&exe).output().expect("the harness runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let summary = stdout.lines().last().unwrap_or("");
    let counts: Vec<u32> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        run.status.success() && counts.len() == 2 && counts[1] == 0 && counts[0] >= 20,
        "the C harness failed ({}): {summary}\n{stderr}",
        run.status
    );
}
