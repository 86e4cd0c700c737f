//! The `wasi-reader` command line.

mod common;

use std::process::{Command, Output};

use common::{Scratch, guest, text};

fn wasi_reader(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasi-reader"))
        .args(args)
        .output()
        .expect("run wasi-reader")
}

/// The guest written to a file, as the CLI takes a path.
fn guest_file(dir: &Scratch) -> String {
    dir.write("wasi-cat.wasm", guest())
        .to_string_lossy()
        .into_owned()
}

#[test]
fn runs_the_guest_on_a_granted_directory() {
    let dir = Scratch::new("cli");
    dir.write("data/a.txt", b"line 1\nline 2\n");
    let module = guest_file(&dir);
    let grant = format!("{}::/data", dir.path().join("data").display());
    let out = wasi_reader(&["--dir", &grant, &module, "--head", "1", "/data/a.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout, b"line 1\n");
}

#[test]
fn passes_the_guests_exit_code_and_stderr_through() {
    let dir = Scratch::new("cli-exit");
    let module = guest_file(&dir);
    let out = wasi_reader(&[&module, "/nowhere.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("nowhere.txt"));
}

#[test]
fn read_only_is_the_default_and_rw_must_be_asked_for() {
    let dir = Scratch::new("cli-rw");
    let module = guest_file(&dir);
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let ro = format!("{}::/data", data.display());
    assert_eq!(
        wasi_reader(&["--dir", &ro, &module, "--write", "/data/x", "1"])
            .status
            .code(),
        Some(1)
    );
    assert!(!data.join("x").exists());
    let rw = format!("{}::/data::rw", data.display());
    assert_eq!(
        wasi_reader(&["--dir", &rw, &module, "--write", "/data/x", "1"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(std::fs::read(data.join("x")).unwrap(), b"1");
}

#[test]
fn a_stopped_run_exits_125_with_the_reason() {
    let dir = Scratch::new("cli-fuel");
    let wat = dir.write(
        "loop.wat",
        br#"(module (func (export "_start") (loop (br 0))))"#,
    );
    let out = wasi_reader(&["--fuel", "1000", wat.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(125));
    assert!(text(&out.stderr).contains("fuel"), "{}", text(&out.stderr));
    let out = wasi_reader(&["--timeout-ms", "50", wat.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(125));
    assert!(text(&out.stderr).contains("50 ms"), "{}", text(&out.stderr));
}

#[test]
fn bad_dir_specs_are_rejected_with_the_expected_form() {
    // Each bad spec exits 2 and its message says what was wrong with it.
    // (The usage line names `HOST::GUEST[::ro|::rw]` whatever the error,
    // so a wrong shape is checked by the whole sentence.)
    let shape = "expected HOST::GUEST, HOST::GUEST::ro or HOST::GUEST::rw";
    for (spec, says) in [
        ("/tmp", shape),
        ("/tmp::/d::ro::x", shape),
        ("/tmp::/d::rx", "`rx`"),
        ("/tmp::/d::RW", "`RW`"),
        ("::/d", "must not be empty"),
        ("/tmp::", "must not be empty"),
        ("/tmp::::ro", "must not be empty"),
    ] {
        let out = wasi_reader(&["--dir", spec, "x.wasm"]);
        assert_eq!(out.status.code(), Some(2), "{spec}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains("--dir"), "{spec}: {stderr}");
        assert!(
            stderr.contains(says),
            "{spec}: expected {says:?} in {stderr}"
        );
    }
}

#[test]
fn an_explicit_ro_grant_reads_but_does_not_write() {
    let dir = Scratch::new("cli-ro");
    let module = guest_file(&dir);
    dir.write("data/a.txt", b"kept");
    let data = dir.path().join("data");
    let ro = format!("{}::/data::ro", data.display());
    let out = wasi_reader(&["--dir", &ro, &module, "/data/a.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(out.stdout, b"kept");
    let out = wasi_reader(&["--dir", &ro, &module, "--write", "/data/a.txt", "gone"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(data.join("a.txt")).unwrap(), b"kept");
}

#[test]
fn a_missing_module_file_is_a_clear_error() {
    let out = wasi_reader(&["/definitely/not/here.wasm"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(text(&out.stderr).contains("cannot read /definitely/not/here.wasm"));
}

#[test]
fn the_cache_dir_is_used_on_the_second_run() {
    let dir = Scratch::new("cli-cache");
    let module = guest_file(&dir);
    let cache = dir.path().join("cache").display().to_string();
    let first = wasi_reader(&["-v", "--cache-dir", &cache, &module, "--bytes", "/x"]);
    assert!(
        text(&first.stderr).contains("cache Miss"),
        "{}",
        text(&first.stderr)
    );
    let second = wasi_reader(&["-v", "--cache-dir", &cache, &module, "--bytes", "/x"]);
    assert!(
        text(&second.stderr).contains("cache Hit"),
        "{}",
        text(&second.stderr)
    );
}
