//! The guest reads what the host grants: whole files, counts, first lines.

mod common;

use common::{Scratch, cat, cat_with, text};
use lab07_wasi_reader::{Limits, Preopen};

#[test]
fn prints_a_file_inside_a_preopen() {
    let dir = Scratch::new("print");
    dir.write("notes/hello.txt", b"hello from the host\n");
    let out = cat(
        &["/data/notes/hello.txt"],
        &[Preopen::read_only(dir.path(), "/data")],
    )
    .unwrap();
    assert_eq!(out.exit_code, 0, "{}", text(&out.stderr));
    assert_eq!(out.stdout, b"hello from the host\n");
    assert!(out.stderr.is_empty());
}

#[test]
fn relative_paths_resolve_against_a_dot_preopen() {
    let dir = Scratch::new("dot");
    dir.write("a.txt", b"A");
    let out = cat(&["a.txt"], &[Preopen::read_only(dir.path(), ".")]).unwrap();
    assert_eq!((out.exit_code, out.stdout), (0, b"A".to_vec()));
}

#[test]
fn counts_bytes_and_lines_and_prints_the_first_lines() {
    let dir = Scratch::new("count");
    dir.write("f.txt", b"one\ntwo\nthree\nfour");
    let pre = [Preopen::read_only(dir.path(), "/d")];
    assert_eq!(cat(&["--bytes", "/d/f.txt"], &pre).unwrap().stdout, b"18\n");
    // A last line without a newline still counts.
    assert_eq!(cat(&["--lines", "/d/f.txt"], &pre).unwrap().stdout, b"4\n");
    assert_eq!(
        cat(&["--head", "2", "/d/f.txt"], &pre).unwrap().stdout,
        b"one\ntwo\n"
    );
    assert_eq!(
        cat(&["--head", "9", "/d/f.txt"], &pre).unwrap().stdout,
        b"one\ntwo\nthree\nfour\n"
    );
    // A line is the bytes up to a `\n`, whatever they are: not UTF-8, `\r`.
    dir.write("g.bin", b"caf\xe9\r\nline two\r\nthree");
    assert_eq!(
        cat(&["--head", "2", "/d/g.bin"], &pre).unwrap().stdout,
        b"caf\xe9\r\nline two\r\n"
    );
}

#[test]
fn prints_a_file_inside_a_preopen_and_counts_the_fuel_it_used() {
    let dir = Scratch::new("fuel-used");
    dir.write("f.txt", b"counted\n");
    let pre = [Preopen::read_only(dir.path(), "/d")];
    let run = |fuel: Option<u64>| {
        cat_with(
            &["/d/f.txt"],
            &pre,
            &Limits {
                fuel,
                ..Limits::default()
            },
        )
        .unwrap()
    };
    // No fuel limit: nothing is counted.
    let unlimited = run(None);
    assert_eq!((unlimited.exit_code, unlimited.fuel_consumed), (0, None));
    // With a limit, what was used: the same however much was given.
    let a = run(Some(1 << 40));
    let b = run(Some(1 << 41));
    assert_eq!((a.exit_code, a.stdout.as_slice()), (0, &b"counted\n"[..]));
    let used = a.fuel_consumed.expect("a fuel limit was set");
    assert!(used > 0, "{used}");
    assert_eq!(b.fuel_consumed, Some(used));
}

#[test]
fn a_ten_mib_file_comes_through_byte_exact() {
    let dir = Scratch::new("big");
    // Every byte value, in a pattern that makes any shift or drop visible.
    let data: Vec<u8> = (0..10u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    dir.write("big.bin", &data);
    let limits = Limits {
        max_output: 11 << 20,
        ..Limits::default()
    };
    let out = dir.cat("big.bin", &limits).unwrap();
    assert_eq!(out.exit_code, 0, "{}", text(&out.stderr));
    assert_eq!(out.stdout.len(), data.len());
    assert!(out.stdout == data, "the 10 MiB differ");
}

#[test]
fn a_missing_file_is_an_error_on_stderr_with_exit_code_1() {
    let dir = Scratch::new("missing");
    let out = cat(&["/d/nope.txt"], &[Preopen::read_only(dir.path(), "/d")]).unwrap();
    assert_eq!(out.exit_code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("nope.txt"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bad_usage_exits_2() {
    let out = cat(&["--head", "many", "x"], &[]).unwrap();
    assert_eq!(out.exit_code, 2);
    assert!(text(&out.stderr).contains("usage"), "{}", text(&out.stderr));
}
