//! `cargo test` runs the C harness (`ffi-c/harness.c`), so `verify` grades
//! the C side too. The full matrix (valgrind, sanitizers, negative control)
//! is `make -C ffi-c test`.
//!
//! Build order: the static library this test links must exist before the
//! harness is linked, and a build script would run too early. So the test
//! links at test time, against a library it builds itself with a nested
//! `cargo build` into a private target dir (a nested cargo on the shared
//! one could wait on the outer `cargo test`'s build lock).

use std::hash::{DefaultHasher, Hash, Hasher};
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

fn build_staticlib(manifest_dir: &Path, target_dir: &Path) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(manifest_dir)
        .args(["build", "--quiet", "--lib", "--target-dir"])
        .arg(target_dir)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build of the static library failed");
    target_dir.join("debug/liblab04_safe_ffi.a")
}

#[test]
fn c_harness_passes_every_check() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest_dir.join("../..");
    // One folder per source location: `verify check-starters` builds a copy
    // of this lab elsewhere, and the two static libraries (whose file names
    // cargo does not hash) must not share a target dir.
    let mut hasher = DefaultHasher::new();
    manifest_dir.hash(&mut hasher);
    let work = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ffi-c-harness-{:016x}", hasher.finish()));
    let lib = build_staticlib(manifest_dir, &work.join("target"));

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
