//! The safe core, `process`.

use lab04_safe_ffi::{Error, process};

fn norm(input: &str) -> String {
    let mut out = vec![0u8; input.len()];
    let n = process(input.as_bytes(), &mut out).expect("output is big enough");
    String::from_utf8(out[..n].to_vec()).expect("the normal form of UTF-8 is UTF-8")
}

#[test]
fn lower_cases_collapses_whitespace_and_trims() {
    assert_eq!(norm("  Senior  RUST\tEngineer \n"), "senior rust engineer");
    // Only `A`..=`Z` change: the bytes on either side of that range do not.
    assert_eq!(norm("@ABYZ[\\]^_`az{"), "@abyz[\\]^_`az{");
}

#[test]
fn every_c_isspace_byte_is_whitespace() {
    assert_eq!(norm("a\tb\nc\x0Bd\x0Ce\rf g"), "a b c d e f g");
    // Those six bytes and no other: every other byte between two letters is
    // copied (lower-cased if it is `A`..=`Z`), control bytes and bytes >= 0x80
    // included.
    for b in 0..=255u8 {
        let input = [b'x', b, b'y'];
        let mut out = [0xAAu8; 3];
        let n = process(&input, &mut out).expect("output is as long as the input");
        let want: Vec<u8> = match b {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => b"x y".to_vec(),
            b'A'..=b'Z' => vec![b'x', b + 32, b'y'],
            _ => input.to_vec(),
        };
        assert_eq!(&out[..n], want.as_slice(), "byte {b:#04x}");
    }
}

#[test]
fn non_ascii_bytes_pass_through_unchanged() {
    assert_eq!(
        norm("熟悉 RUST 与\u{3000}Tokio"),
        "熟悉 rust 与\u{3000}tokio"
    );
    // U+3000 (ideographic space) is not ASCII whitespace: it stays.
}

#[test]
fn non_ascii_bytes_are_never_decoded_or_lower_cased() {
    // Bytes, not text: invalid UTF-8 is fine, and only A..=Z change.
    let cases: [(&[u8], &[u8]); 6] = [
        (b"\xff RUST", b"\xff rust"),
        ("ÄRGER".as_bytes(), "Ärger".as_bytes()),
        ("İ".as_bytes(), "İ".as_bytes()),
        (b"\x80\xC3  \xA4X", b"\x80\xC3 \xA4x"),
        // 0x85 and 0xA0 are whitespace only as Latin-1 characters (NEL,
        // NBSP); in UTF-8 they are continuation bytes: `à` is C3 A0, `Å` C3 85.
        ("VOILÀ à Åse".as_bytes(), "voilÀ à Åse".as_bytes()),
        (b"a\x85b\xA0c", b"a\x85b\xA0c"),
    ];
    for (input, want) in cases {
        let mut out = vec![0u8; input.len()];
        let n = process(input, &mut out).expect("output is as long as the input");
        assert_eq!(&out[..n], want, "input {input:?}");
    }
}

#[test]
fn empty_and_all_space_inputs_give_nothing() {
    assert_eq!(norm(""), "");
    assert_eq!(norm(" \t\r\n "), "");
}

#[test]
fn already_normal_text_is_copied_as_is() {
    let text = "rust tokio async wasm ffi kubernetes grpc etcd c++ c# node.js";
    assert_eq!(norm(text), text);
}

#[test]
fn long_words_cross_the_32_byte_fast_path_correctly() {
    assert_eq!(
        norm("ABCDEFGHIJKLMNOPQRSTUVWXYZ  abcdefghijklmnopqrstuvwxyzXYZ\t0123456789"),
        "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyzxyz 0123456789"
    );
    // A 32-byte chunk that is already normal ends in a space: the whitespace
    // right after it adds no second space.
    assert_eq!(
        norm("abcdefghijklmnopqrstuvwxyz.0123 \tRUST"),
        "abcdefghijklmnopqrstuvwxyz.0123 rust"
    );
    // The first 32 bytes (not normal: upper case) end in whitespace, and the
    // next 32 would be normal but start with a space: still one space.
    assert_eq!(
        norm("RUSTabcdefghijklmnopqrstuvwxyz.\t abcdefghijklmnopqrstuvwxyz.0123"),
        "rustabcdefghijklmnopqrstuvwxyz. abcdefghijklmnopqrstuvwxyz.0123"
    );
}

#[test]
fn matches_a_simple_reference_on_many_generated_inputs() {
    // A tiny deterministic generator (no dependency): every byte class mixed.
    // Two alphabets: one mostly "dirty" (the byte-wise path), one mostly
    // already normal (the 8-byte fast path, with an odd upper-case letter).
    let alphabets: [&[u8]; 2] = [
        b"aZ \t\n\x0B\x0C\rq7.Q",
        b"abcdefgh ijk.lmn opqr stuv wxyz Q",
    ];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    // Fewer under Miri, which is ~1000x slower and looks for UB, not logic.
    let cases = if cfg!(miri) { 40 } else { 400 };
    for (len, alphabet) in (0..cases).map(|n| (n / 2, alphabets[n % 2])) {
        let input: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                alphabet[(state % alphabet.len() as u64) as usize]
            })
            .collect();
        let text = String::from_utf8(input).expect("ASCII");
        let expected = text
            .split([' ', '\t', '\n', '\x0B', '\x0C', '\r'])
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(norm(&text), expected, "input {text:?}");
    }
}

#[test]
fn a_too_small_output_is_an_error_and_is_left_untouched() {
    let mut out = [0xAAu8; 4];
    let err = process(b"RUST GO", &mut out).expect_err("7 bytes do not fit in 4");
    assert_eq!(
        err,
        Error::OutputTooSmall {
            needed: 7,
            capacity: 4
        }
    );
    assert_eq!(out, [0xAA; 4], "nothing written on error");
    assert_eq!(err.to_string(), "output holds 4 bytes; 7 are needed");
}

#[test]
fn a_bigger_output_is_written_only_at_its_start() {
    let mut out = [0xAAu8; 12];
    assert_eq!(process(b" GO ", &mut out), Ok(2));
    assert_eq!(&out[..2], b"go");
    assert!(
        out[4..].iter().all(|&b| b == 0xAA),
        "bytes past the input length are untouched"
    );
}
