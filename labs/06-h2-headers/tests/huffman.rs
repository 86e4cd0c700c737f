//! The Huffman code: round trips, RFC vectors, and the exact string
//! lengths HPACK relies on.

mod common;

use common::hex;
use lab06_h2_headers::hpack::DecodeError;
use lab06_h2_headers::hpack::huffman::{decode, encode, encoded_len};
use proptest::prelude::*;

#[test]
fn rfc_c4_strings_encode_to_the_rfc_bytes() {
    for (text, wire) in [
        ("www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"),
        ("no-cache", "a8eb 1064 9cbf"),
        ("custom-key", "25a8 49e9 5ba9 7d7f"),
        ("custom-value", "25a8 49e9 5bb8 e8b4 bf"),
        ("302", "6402"),
        (
            "Mon, 21 Oct 2013 20:13:21 GMT",
            "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff",
        ),
    ] {
        let mut out = Vec::new();
        encode(text.as_bytes(), &mut out);
        assert_eq!(out, hex(wire), "{text}");
        assert_eq!(encoded_len(text.as_bytes()), out.len(), "{text}");
        let mut back = Vec::new();
        decode(&out, &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
    }
}

#[test]
fn every_byte_value_round_trips_alone_and_together() {
    let all: Vec<u8> = (0..=255).collect();
    for byte in &all {
        let mut out = Vec::new();
        encode(std::slice::from_ref(byte), &mut out);
        let mut back = Vec::new();
        decode(&out, &mut back).unwrap_or_else(|e| panic!("byte {byte}: {e}"));
        assert_eq!(back, [*byte]);
    }
    let mut out = Vec::new();
    encode(&all, &mut out);
    let mut back = Vec::new();
    decode(&out, &mut back).unwrap();
    assert_eq!(back, all);
}

#[test]
fn the_empty_string_is_empty_both_ways() {
    let mut out = Vec::new();
    encode(b"", &mut out);
    assert!(out.is_empty());
    decode(b"", &mut out).unwrap();
    assert!(out.is_empty());
}

#[test]
fn decoding_appends_to_what_is_already_there() {
    let mut out = b"prefix:".to_vec();
    decode(&hex("a8eb 1064 9cbf"), &mut out).unwrap();
    assert_eq!(out, b"prefix:no-cache");
}

#[test]
fn a_lone_padding_byte_is_an_error() {
    // Eight 1 bits with no symbol: padding longer than seven bits.
    assert_eq!(
        decode(&[0xff], &mut Vec::new()),
        Err(DecodeError::HuffmanPadding)
    );
}

proptest! {
    #[test]
    fn any_bytes_round_trip(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut out = Vec::new();
        encode(&data, &mut out);
        prop_assert_eq!(out.len(), encoded_len(&data));
        let mut back = Vec::new();
        decode(&out, &mut back).unwrap();
        prop_assert_eq!(back, data);
    }

    #[test]
    fn arbitrary_input_never_panics(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut out = Vec::new();
        // Either result is fine; what matters is that it returns.
        let _ = decode(&data, &mut out);
        prop_assert!(out.len() <= data.len() * 8 / 5 + 1);
    }
}
