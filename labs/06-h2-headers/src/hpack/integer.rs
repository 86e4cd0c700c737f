//! Prefixed integers (RFC 7541 §5.1).
//!
//! An integer lives in the low `prefix` bits of its first byte. If it does
//! not fit, the prefix is all ones and the rest follows in 7-bit groups,
//! least significant first, with the high bit saying "more follows".

use super::DecodeError;

/// The largest integer this decoder accepts. Every integer in HPACK is a
/// length, an index or a table size, and none of those can sensibly exceed
/// 2³² − 1; the RFC asks decoders to treat "integer encodings that exceed
/// implementation limits — in value or octet length" as errors.
pub const MAX_INTEGER: u64 = u32::MAX as u64;

// lab:begin(integers) Decode and encode HPACK prefixed integers (RFC 7541 §5.1). `decode_int` returns (value, bytes used); a continuation that would push the value past MAX_INTEGER is `IntegerOverflow`, running out of input is `Truncated`.
/// Decodes a prefixed integer from the start of `src`, whose first byte
/// holds the value in its low `prefix` bits (1..=8). Returns the value and
/// the number of bytes it took.
pub fn decode_int(src: &[u8], prefix: u8) -> Result<(usize, usize), DecodeError> {
    debug_assert!((1..=8).contains(&prefix));
    let mask = ((1u16 << prefix) - 1) as u8;
    let first = *src.first().ok_or(DecodeError::Truncated)? & mask;
    if first < mask {
        return Ok((usize::from(first), 1));
    }
    let mut value = u64::from(mask);
    let mut shift = 0u32;
    for (i, &byte) in src.iter().enumerate().skip(1) {
        // Five continuation bytes carry 35 bits, more than MAX_INTEGER
        // needs; a sixth can only be an overflow (or zero padding, which
        // the RFC lets us reject as exceeding the length limit).
        if shift > 28 {
            return Err(DecodeError::IntegerOverflow);
        }
        value += u64::from(byte & 0x7f) << shift;
        if value > MAX_INTEGER {
            return Err(DecodeError::IntegerOverflow);
        }
        if byte & 0x80 == 0 {
            // `value <= u32::MAX`, which fits usize on every target that
            // has the 32- or 64-bit pointers this crate supports.
            return Ok((value as usize, i + 1));
        }
        shift += 7;
    }
    Err(DecodeError::Truncated)
}

/// Appends `value` as a prefixed integer. `flags` supplies the bits of the
/// first byte above the prefix (the representation's pattern).
pub fn encode_int(value: usize, prefix: u8, flags: u8, dst: &mut Vec<u8>) {
    debug_assert!((1..=8).contains(&prefix));
    let mask = ((1u16 << prefix) - 1) as usize;
    if value < mask {
        dst.push(flags | value as u8);
        return;
    }
    dst.push(flags | mask as u8);
    let mut rest = value - mask;
    while rest >= 0x80 {
        dst.push((rest & 0x7f) as u8 | 0x80);
        rest >>= 7;
    }
    dst.push(rest as u8);
}
// lab:starter
// pub fn decode_int(src: &[u8], prefix: u8) -> Result<(usize, usize), DecodeError> {
//     todo!("integers: read the prefix, then 7-bit groups")
// }
//
// pub fn encode_int(value: usize, prefix: u8, flags: u8, dst: &mut Vec<u8>) {
//     todo!("integers: the prefix if it fits, else all ones then 7-bit groups")
// }
// lab:end
