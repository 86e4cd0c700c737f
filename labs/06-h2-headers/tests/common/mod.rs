//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test file uses its own subset

/// Bytes from hex, ignoring whitespace (the RFC prints blocks in groups).
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(
        digits.len().is_multiple_of(2),
        "odd number of hex digits in {s:?}"
    );
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).expect("hex digits are ASCII");
            u8::from_str_radix(text, 16).expect("valid hex digit")
        })
        .collect()
}
