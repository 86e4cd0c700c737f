//! The safe core: normalising a keyword buffer from one slice into another.
//!
//! Job-description keywords arrive as `"  Senior  RUST\tEngineer \n"`; the
//! normal form is `"senior rust engineer"`: ASCII letters lower-cased, every
//! run of ASCII whitespace turned into one space, nothing at either end.
//! Bytes outside ASCII are copied unchanged, so valid UTF-8 stays valid
//! UTF-8 (`"熟悉 RUST"` becomes `"熟悉 rust"`).
//!
//! Whitespace is exactly the six bytes of C's `isspace` (space, `\t`, `\n`,
//! `\v`, `\f`, `\r`). Every other byte is copied, control bytes and the
//! bytes from 0x80 up (`à` is C3 A0) included; only `A`..=`Z` change.

use std::fmt;

/// The longest input accepted, in bytes: `process_data` returns the count as
/// an `int32_t`.
pub const MAX_INPUT_LEN: usize = i32::MAX as usize;

/// Why [`process`] wrote nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// `output` is shorter than `input`. The normal form is never longer
    /// than the input, so `output.len() >= input.len()` always suffices.
    OutputTooSmall { needed: usize, capacity: usize },
    /// `input` is longer than [`MAX_INPUT_LEN`].
    InputTooLong { len: usize, max: usize },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::OutputTooSmall { needed, capacity } => {
                write!(f, "output holds {capacity} bytes; {needed} are needed")
            }
            Error::InputTooLong { len, max } => {
                write!(f, "input is {len} bytes; at most {max} are accepted")
            }
        }
    }
}

impl std::error::Error for Error {}

/// ASCII whitespace as C's `isspace` in the "C" locale: space, `\t`, `\n`,
/// `\v`, `\f`, `\r`. (`u8::is_ascii_whitespace` leaves out `\v`.)
#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Writes the normal form of `input` to the start of `output` and returns
/// its length. Checks both limits before writing, so on `Err` `output` is
/// untouched.
pub fn process(input: &[u8], output: &mut [u8]) -> Result<usize, Error> {
    if input.len() > MAX_INPUT_LEN {
        return Err(Error::InputTooLong {
            len: input.len(),
            max: MAX_INPUT_LEN,
        });
    }
    if output.len() < input.len() {
        return Err(Error::OutputTooSmall {
            needed: input.len(),
            capacity: output.len(),
        });
    }
    Ok(normalize(input, &mut output[..input.len()]))
}

/// Bytes checked and copied per step of the fast path.
const CHUNK: usize = 32;

/// True when `chunk` is already in normal form and can be copied as it is:
/// no upper-case letter, no whitespace but single spaces, and no space
/// right after a written space (`after_space`).
///
/// On x86-64 this is the SSE2 version ([`chunk_is_normal_sse2`]; SSE2 is
/// part of the x86-64 baseline, so no runtime detection is needed);
/// elsewhere the portable one ([`chunk_is_normal_portable`]). Tests check
/// both against each other on every byte value in every position.
#[inline]
fn chunk_is_normal(chunk: &[u8; CHUNK], after_space: bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        chunk_is_normal_sse2(chunk, after_space)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        chunk_is_normal_portable(chunk, after_space)
    }
}

/// The definition, one byte at a time, without branches (`|` and `&`, not
/// `||` and `&&`), so there is one branch per chunk instead of per byte.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn chunk_is_normal_portable(chunk: &[u8; CHUNK], after_space: bool) -> bool {
    let mut changes = u8::from(after_space & (chunk[0] == b' '));
    for j in 0..CHUNK {
        let c = chunk[j];
        let prev = if j == 0 { 0 } else { chunk[j - 1] };
        changes |= u8::from(c.wrapping_sub(b'A') < 26) // 'A'..='Z'
            | u8::from(c.wrapping_sub(b'\t') < 5) // \t \n \v \f \r
            | (u8::from(c == b' ') & u8::from(prev == b' '));
    }
    changes == 0
}

/// The same check, 16 bytes per instruction.
///
/// SSE2 compares bytes as *signed*, so a range test `lo <= c < lo + n` is
/// done by adding `0x80 - lo`, which moves the range to the bottom of the
/// signed range (-128 ..), and comparing with `-128 + n`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn chunk_is_normal_sse2(chunk: &[u8; CHUNK], after_space: bool) -> bool {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    /// Bit i set when byte i of `v` is in `lo .. lo + n`.
    #[inline(always)]
    fn in_range(v: __m128i, lo: u8, n: u8) -> __m128i {
        // SAFETY: SSE2 is enabled on every x86-64 target (baseline), and these
        // intrinsics only compute on register values.
        unsafe {
            let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
            _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80u8.wrapping_add(n)) as i8))
        }
    }

    // SAFETY: `chunk` is 32 readable bytes; `_mm_loadu_si128` has no
    // alignment requirement, and the two loads read bytes 0..16 and 16..32.
    // SSE2 is part of the x86-64 baseline.
    let (spaces, bad) = unsafe {
        let lo = _mm_loadu_si128(chunk.as_ptr().cast());
        let hi = _mm_loadu_si128(chunk.as_ptr().add(16).cast());
        let space = _mm_set1_epi8(b' ' as i8);
        let spaces = (_mm_movemask_epi8(_mm_cmpeq_epi8(lo, space)) as u32)
            | ((_mm_movemask_epi8(_mm_cmpeq_epi8(hi, space)) as u32) << 16);
        let bad_lo = _mm_or_si128(in_range(lo, b'A', 26), in_range(lo, b'\t', 5));
        let bad_hi = _mm_or_si128(in_range(hi, b'A', 26), in_range(hi, b'\t', 5));
        let bad = (_mm_movemask_epi8(bad_lo) as u32) | (_mm_movemask_epi8(bad_hi) as u32);
        (spaces, bad)
    };
    // A space whose previous byte (or the last written byte) is a space.
    let doubled = spaces & ((spaces << 1) | u32::from(after_space));
    bad | doubled == 0
}

/// The transformation itself; `output` is exactly as long as `input`.
fn normalize(input: &[u8], output: &mut [u8]) -> usize {
    // lab:begin(normalize) write `input` lower-cased, with whitespace runs collapsed to one space and both ends trimmed, into `output`; return the length written
    // Every whitespace run becomes one space as it is met; a space left at
    // the very end is taken back. Leading whitespace is skipped first.
    let mut i = input
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(input.len());
    let mut written = 0;
    let mut after_space = false; // the last byte written is a space
    while i < input.len() {
        // Fast path: 32 bytes already in normal form are copied as they are.
        if let Some(chunk) = input[i..].first_chunk::<CHUNK>()
            && chunk_is_normal(chunk, after_space)
        {
            output[written..written + CHUNK].copy_from_slice(chunk);
            written += CHUNK;
            after_space = chunk[CHUNK - 1] == b' ';
            i += CHUNK;
            continue;
        }
        // Slow path: up to CHUNK bytes, one at a time.
        let end = (i + CHUNK).min(input.len());
        for &b in &input[i..end] {
            if is_space(b) {
                if !after_space {
                    output[written] = b' ';
                    written += 1;
                    after_space = true;
                }
            } else {
                output[written] = b.to_ascii_lowercase();
                written += 1;
                after_space = false;
            }
        }
        i = end;
    }
    if after_space {
        written -= 1; // the trailing space
    }
    written
    // lab:end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast check agrees with the byte-at-a-time definition for every
    /// byte value in every position.
    #[test]
    fn chunk_check_matches_the_scalar_definition_for_every_byte() {
        let base = *b"abcdefgh ijklmnop qrstuvw.xyz012";
        // Under Miri (which looks for undefined behaviour, not logic bugs,
        // and is ~1000x slower) a sample of the bytes and positions.
        let (bytes, positions): (Vec<u8>, Vec<usize>) = if cfg!(miri) {
            (
                b"\0\t\r @AZ[`az\x7f\x80\xff".to_vec(),
                vec![0, 1, 15, 16, 31],
            )
        } else {
            ((0..=255).collect(), (0..CHUNK).collect())
        };
        for &pos in &positions {
            for &b in &bytes {
                let mut chunk = base;
                chunk[pos] = b;
                for after_space in [false, true] {
                    let scalar = chunk.iter().enumerate().all(|(j, &c)| {
                        let prev_space = if j == 0 {
                            after_space
                        } else {
                            chunk[j - 1] == b' '
                        };
                        let changes = c.is_ascii_uppercase()
                            || (is_space(c) && c != b' ')
                            || (c == b' ' && prev_space);
                        !changes
                    });
                    assert_eq!(
                        chunk_is_normal_portable(&chunk, after_space),
                        scalar,
                        "portable: byte {b:#04x} at {pos}, after_space {after_space}"
                    );
                    assert_eq!(
                        chunk_is_normal(&chunk, after_space),
                        scalar,
                        "byte {b:#04x} at {pos}, after_space {after_space}"
                    );
                }
            }
        }
    }
}
