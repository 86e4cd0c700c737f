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

/// The transformation itself; `output` is exactly as long as `input`.
fn normalize(input: &[u8], output: &mut [u8]) -> usize {
    // lab:begin(normalize) write `input` lower-cased, with whitespace runs collapsed to one space and both ends trimmed, into `output`; return the length written
    let mut written = 0;
    let mut pending_space = false;
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if is_space(b) {
            // A space is only emitted before the next word, never at the start.
            pending_space = written > 0;
            i += 1;
            continue;
        }
        if pending_space {
            output[written] = b' ';
            written += 1;
            pending_space = false;
        }
        // Fast path: copy the rest of the word, 8 bytes at a time while no
        // byte in the chunk is whitespace or an upper-case letter.
        while i + 8 <= input.len() && written + 8 <= output.len() {
            let chunk: [u8; 8] = match input[i..i + 8].try_into() {
                Ok(c) => c,
                Err(_) => break,
            };
            if chunk.iter().any(|&c| is_space(c) || c.is_ascii_uppercase()) {
                break;
            }
            output[written..written + 8].copy_from_slice(&chunk);
            written += 8;
            i += 8;
        }
        if i < input.len() && !is_space(input[i]) {
            output[written] = input[i].to_ascii_lowercase();
            written += 1;
            i += 1;
        }
    }
    written
    // lab:end
}
