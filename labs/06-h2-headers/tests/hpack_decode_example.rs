//! The `hpack-decode` example, run as a program. `cargo test` builds the
//! examples before it runs the tests (unless a `--test` filter is given),
//! and `lab_support::example` finds it.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn example() -> PathBuf {
    lab_support::example("hpack-decode")
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(example())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn hpack-decode");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for hpack-decode")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn decodes_a_block_given_as_an_argument() {
    let out = run(&["828684418cf1e3c2e5f23a6ba0ab90f4ff"], "");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        stdout(&out),
        ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n"
    );
}

#[test]
fn decodes_stdin_lines_as_blocks_of_one_connection() {
    // C.3 requests 1 and 2: the second refers to the first's table entry.
    let input =
        "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d\n\n8286 84be 5808 6e6f 2d63 6163 6865\n";
    let out = run(&[], input);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(text.ends_with("\n\n:method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\ncache-control: no-cache\n"), "{text}");
}

#[test]
fn marks_sensitive_fields() {
    let out = run(&["1008 7061 7373 776f 7264 0673 6563 7265 74"], "");
    assert_eq!(stdout(&out), "password: secret (sensitive)\n");
}

#[test]
fn a_decoding_error_names_the_block_and_exits_1() {
    let out = run(&["82", "be"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("block 2") && err.contains("index 62"), "{err}");
}

#[test]
fn bad_hex_exits_2_with_a_reason() {
    for bad in ["8", "zz"] {
        let out = run(&[bad], "");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("block 1"),
            "{out:?}"
        );
    }
    let out = run(&["--table-size"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn table_size_option_is_the_decoders_maximum() {
    // A size update to 4097 is over the default maximum but fine with 8192.
    assert_eq!(run(&["3fe21f82"], "").status.code(), Some(1));
    let out = run(&["--table-size", "8192", "3fe21f82"], "");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), ":method: GET\n");
}
