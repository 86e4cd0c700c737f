//! The safe core: normalising a keyword buffer from one slice into another.
//!
//! Job-description keywords arrive as `"  Senior  RUST\tEngineer \n"`; the
//! normal form is `"senior rust engineer"`: ASCII letters lower-cased, every
//! run of ASCII whitespace turned into one space, nothing at either end.
//! Bytes outside ASCII are copied unchanged, so valid UTF-8 stays valid
//! UTF-8 (`"熟悉 RUST"` becomes `"熟悉 rust"`).

use std::fmt;

/// The longest input accepted: the C function returns the byte count as
/// an `int32_t`, so no result may exceed `i32::MAX`.
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
pub fn is_space(b: u8) -> bool {
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
pub const CHUNK: usize = 32;

/// True when `chunk` is already in normal form and can be copied as it is:
/// no upper-case letter, no whitespace but single spaces, and no space
/// right after a written space (`after_space`).
///
/// Written without branches or short-circuits (`|` and `&`, not `||` and
/// `&&`) over a fixed 32 bytes, so there is one branch per chunk instead of
/// one per byte. (It is not auto-vectorised yet: see the README's numbers.)
#[inline]
pub fn chunk_is_normal(chunk: &[u8; CHUNK], after_space: bool) -> bool {
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
        for pos in 0..CHUNK {
            for b in 0..=255u8 {
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
                        chunk_is_normal(&chunk, after_space),
                        scalar,
                        "byte {b:#04x} at {pos}, after_space {after_space}"
                    );
                }
            }
        }
    }
}
