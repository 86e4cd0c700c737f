//! The capability sandbox: the guest reaches only what was preopened, and
//! a read-only preopen refuses every write. Each denial is checked from
//! both sides: the guest sees an error and exits non-zero, and the host
//! directory is byte-for-byte unchanged.

mod common;

use common::{Scratch, cat, snapshot, text};
use lab07_wasi_reader::Preopen;

/// Runs the guest and asserts it failed without touching `dirs`.
fn assert_denied(args: &[&str], preopens: &[Preopen], dirs: &[&Scratch]) {
    let before: Vec<_> = dirs.iter().map(|d| snapshot(d.path())).collect();
    let out = cat(args, preopens).unwrap();
    assert_ne!(
        out.exit_code,
        0,
        "{args:?} should fail; stdout {:?}",
        text(&out.stdout)
    );
    assert!(
        !out.stderr.is_empty(),
        "{args:?}: the guest reports the error"
    );
    let after: Vec<_> = dirs.iter().map(|d| snapshot(d.path())).collect();
    assert_eq!(before, after, "{args:?} changed the host directory");
}

/// A preopen `/data` plus a secret file next to it, outside the preopen.
fn setup() -> (Scratch, Scratch, [Preopen; 1]) {
    let data = Scratch::new("data");
    data.write("public.txt", b"public");
    let outside = Scratch::new("outside");
    outside.write("secret.txt", b"TOP SECRET");
    let preopen = [Preopen::read_only(data.path(), "/data")];
    (data, outside, preopen)
}

#[test]
fn absolute_paths_outside_every_preopen_do_not_exist() {
    let (data, outside, pre) = setup();
    let secret = outside.path().join("secret.txt");
    let secret = secret.to_str().expect("utf-8 temp path");
    assert_denied(&[secret], &pre, &[&data, &outside]);
    assert_denied(&["/etc/passwd"], &pre, &[&data]);
}

#[test]
fn dot_dot_cannot_climb_out_of_a_preopen() {
    let (data, outside, pre) = setup();
    let name = outside
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name");
    let escape = format!("/data/../{name}/secret.txt");
    assert_denied(&[&escape], &pre, &[&data, &outside]);
    assert_denied(&["/data/../../../../../../etc/passwd"], &pre, &[&data]);
    // `..` that stays inside is fine.
    data.write("sub/x.txt", b"x");
    let out = cat(&["/data/sub/../public.txt"], &pre).unwrap();
    assert_eq!((out.exit_code, out.stdout), (0, b"public".to_vec()));
}

#[test]
fn a_symlink_inside_the_preopen_cannot_point_outside() {
    let (data, outside, pre) = setup();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        data.path().join("link.txt"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), data.path().join("linkdir")).expect("symlink");
    assert_denied(&["/data/link.txt"], &pre, &[&data, &outside]);
    assert_denied(&["/data/linkdir/secret.txt"], &pre, &[&data, &outside]);
    // A symlink that stays inside works.
    std::os::unix::fs::symlink("public.txt", data.path().join("inside.txt")).expect("symlink");
    let out = cat(&["/data/inside.txt"], &pre).unwrap();
    assert_eq!((out.exit_code, out.stdout), (0, b"public".to_vec()));
}

#[test]
fn a_read_only_preopen_refuses_create_write_append_delete_rename_and_mkdir() {
    let (data, _outside, pre) = setup();
    assert_denied(&["--write", "/data/new.txt", "x"], &pre, &[&data]);
    assert_denied(
        &["--write", "/data/public.txt", "overwritten"],
        &pre,
        &[&data],
    );
    assert_denied(&["--append", "/data/public.txt", "more"], &pre, &[&data]);
    assert_denied(&["--remove", "/data/public.txt"], &pre, &[&data]);
    assert_denied(
        &["--rename", "/data/public.txt", "/data/moved.txt"],
        &pre,
        &[&data],
    );
    assert_denied(&["--mkdir", "/data/newdir"], &pre, &[&data]);
}

#[test]
fn a_read_write_preopen_allows_writes_inside_it_only() {
    let (data, outside, _) = setup();
    let pre = [Preopen::read_write(data.path(), "/data")];
    let out = cat(&["--write", "/data/new.txt", "written by the guest"], &pre).unwrap();
    assert_eq!(out.exit_code, 0, "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(data.path().join("new.txt")).unwrap(),
        b"written by the guest"
    );
    let out = cat(&["--rename", "/data/new.txt", "/data/renamed.txt"], &pre).unwrap();
    assert_eq!(out.exit_code, 0, "{}", text(&out.stderr));
    assert!(data.path().join("renamed.txt").exists());
    // Still no way out.
    let name = outside
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name");
    assert_denied(
        &["--write", &format!("/data/../{name}/planted.txt"), "x"],
        &pre,
        &[&outside],
    );
}

#[test]
fn two_preopens_with_different_access() {
    let input = Scratch::new("in");
    input.write("in.txt", b"input");
    let output = Scratch::new("out");
    let pre = [
        Preopen::read_only(input.path(), "/in"),
        Preopen::read_write(output.path(), "/out"),
    ];
    assert_eq!(
        cat(&["--write", "/out/result.txt", "ok"], &pre)
            .unwrap()
            .exit_code,
        0
    );
    assert_denied(&["--write", "/in/result.txt", "no"], &pre, &[&input]);
}

#[test]
fn without_preopens_the_guest_sees_no_files_at_all() {
    let (data, _outside, _) = setup();
    assert_denied(&["/data/public.txt"], &[], &[&data]);
    assert_denied(&["public.txt"], &[], &[&data]);
}
