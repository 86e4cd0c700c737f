//! The C ABI: a thin `unsafe` shim over the safe core.
//!
//! # The contract (also in `include/safe_ffi.h`)
//!
//! `int32_t process_data(const uint8_t *input, size_t len, uint8_t *output, size_t out_cap)`
//!
//! - Reads `len` bytes at `input`, writes the normal form (see
//!   [`crate::normalize`]) to `output`, returns the number of bytes written
//!   (`0..=len`). The output is not NUL-terminated.
//! - `len == 0`: returns 0 and touches neither pointer; both may be NULL.
//! - Otherwise `input` must point to `len` readable bytes and `output` to
//!   `out_cap` writable bytes, for the duration of the call only: nothing is
//!   retained, nothing is freed, the caller owns both buffers.
//! - `out_cap >= len` is required (and always enough); the buffers must not
//!   overlap. On any error the return value is a negative
//!   [`ProcessStatus`] and `output` is untouched.
//! - Thread safety: no global state; concurrent calls are fine as long as
//!   they do not share an output buffer.
//! - Rust panics never cross the boundary: they become `PROCESS_STATUS_PANIC`.

use std::ffi::{CStr, c_char};
use std::panic::{UnwindSafe, catch_unwind};

use crate::normalize::{Error, process};

/// The longest input `process_data` accepts: the safe core's
/// [`MAX_INPUT_LEN`](crate::MAX_INPUT_LEN), under its C name (cbindgen
/// writes it to the header as `PROCESS_MAX_INPUT`).
pub use crate::normalize::MAX_INPUT_LEN as PROCESS_MAX_INPUT;

/// What `process_data` returns when it writes nothing. Values are negative
/// so that any non-negative return is a byte count.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessStatus {
    /// Not an error; listed so that code 0 has a name and a message.
    Ok = 0,
    /// `input` is NULL and `len > 0`.
    NullInput = -1,
    /// `output` is NULL and `len > 0`.
    NullOutput = -2,
    /// `out_cap < len`.
    OutputTooSmall = -3,
    /// `len > PROCESS_MAX_INPUT`.
    InputTooLong = -4,
    /// The input and output ranges overlap.
    Overlap = -5,
    /// A bug: Rust panicked inside the call. Nothing was written.
    Panic = -6,
}

impl From<Error> for ProcessStatus {
    fn from(e: Error) -> Self {
        match e {
            Error::OutputTooSmall { .. } => ProcessStatus::OutputTooSmall,
            Error::InputTooLong { .. } => ProcessStatus::InputTooLong,
        }
    }
}

/// Runs `f`, catching a panic so that it never unwinds into C (since Rust
/// 1.81 an unwind out of an `extern "C"` function aborts the process).
///
/// Every panic becomes [`ProcessStatus::Panic`], whatever its payload (a
/// `&str`, a formatted `String`, or any type given to `panic_any`). Only the
/// unwind is stopped: the process's panic hook is global state that belongs
/// to the host program, so it is left in place and still reports the panic.
pub fn ffi_guard<F>(f: F) -> i32
where
    F: FnOnce() -> Result<usize, ProcessStatus> + UnwindSafe,
{
    // lab:begin(ffi_guard) run `f` under `catch_unwind`: Ok(n) is the byte count, Err(status) its code, a panic `ProcessStatus::Panic`
    match catch_unwind(f) {
        // n <= len <= PROCESS_MAX_INPUT == i32::MAX, so the cast is exact.
        Ok(Ok(n)) => n as i32,
        Ok(Err(status)) => status as i32,
        Err(_payload) => ProcessStatus::Panic as i32,
    }
    // lab:end
}

/// True when `[a, a + a_len)` and `[b, b + b_len)` share a byte.
///
/// The ranges are ranges of integers: an end past `usize::MAX` neither wraps
/// to a small address nor makes the answer "overlap, to be safe"
/// (`[usize::MAX - 2, +8)` and `[0, +1)` share no byte).
pub fn overlaps(a: usize, a_len: usize, b: usize, b_len: usize) -> bool {
    // lab:begin(overlaps) two non-empty address ranges overlap when each starts before the other ends (mind overflow at the top of the address space)
    a_len > 0 && b_len > 0 && a < b.saturating_add(b_len) && b < a.saturating_add(a_len)
    // lab:end
}

/// Normalises `len` bytes at `input` into `output`; the full contract is at
/// the top of this header (Rust: the `ffi` module docs).
///
/// # Safety
///
/// If `len > 0`: `input` must be valid for reads of `len` bytes and `output`
/// valid for writes of `out_cap` bytes, for the duration of the call, and no
/// other thread may write to either meanwhile. NULL pointers, `out_cap <
/// len` and overlapping buffers are detected and reported, not undefined.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn process_data(
    input: *const u8,
    len: usize,
    output: *mut u8,
    out_cap: usize,
) -> i32 {
    ffi_guard(|| {
        // lab:begin(process_data) validate in order (len 0, NULL input, NULL output, length limit, out_cap, overlap), then build the two slices and call `process`
        if len == 0 {
            return Ok(0);
        }
        if input.is_null() {
            return Err(ProcessStatus::NullInput);
        }
        if output.is_null() {
            return Err(ProcessStatus::NullOutput);
        }
        if len > PROCESS_MAX_INPUT {
            return Err(ProcessStatus::InputTooLong);
        }
        if out_cap < len {
            return Err(ProcessStatus::OutputTooSmall);
        }
        // Only the first `len` output bytes can be written: the normal form
        // is never longer than the input. Using `len`, not `out_cap`, also
        // keeps the slice under isize::MAX bytes whatever `out_cap` says.
        if overlaps(input as usize, len, output as usize, len) {
            return Err(ProcessStatus::Overlap);
        }
        // SAFETY: `input` is non-null and, by the caller's contract, valid for
        // reads of `len` bytes for this call; `len <= i32::MAX` keeps the
        // slice under isize::MAX bytes; u8 has no alignment requirement.
        let input = unsafe { std::slice::from_raw_parts(input, len) };
        // SAFETY: `output` is non-null and valid for writes of `out_cap >=
        // len` bytes; the range does not overlap `input` (checked above), so
        // this `&mut` aliases nothing else for the life of the call.
        let output = unsafe { std::slice::from_raw_parts_mut(output, len) };
        process(input, output).map_err(ProcessStatus::from)
        // lab:end
    })
}

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the crate version contains a NUL byte"),
    };

/// Every status, for looking one up by its code (private: cbindgen would
/// put a public array in the header).
const STATUSES: [ProcessStatus; 7] = [
    ProcessStatus::Ok,
    ProcessStatus::NullInput,
    ProcessStatus::NullOutput,
    ProcessStatus::OutputTooSmall,
    ProcessStatus::InputTooLong,
    ProcessStatus::Overlap,
    ProcessStatus::Panic,
];

impl ProcessStatus {
    /// The status whose code is `code`, if any.
    pub fn from_code(code: i32) -> Option<ProcessStatus> {
        STATUSES.into_iter().find(|s| *s as i32 == code)
    }

    /// Its English message, for C (`process_error_message`).
    pub fn message(self) -> &'static CStr {
        match self {
            ProcessStatus::Ok => c"ok",
            ProcessStatus::NullInput => c"input is NULL but len > 0",
            ProcessStatus::NullOutput => c"output is NULL but len > 0",
            ProcessStatus::OutputTooSmall => {
                c"output buffer is smaller than the input (out_cap < len)"
            }
            ProcessStatus::InputTooLong => c"input is longer than PROCESS_MAX_INPUT",
            ProcessStatus::Overlap => c"input and output buffers overlap",
            ProcessStatus::Panic => {
                c"internal error: the Rust code panicked (a bug; nothing was written)"
            }
        }
    }
}

/// A static, NUL-terminated English message for a status code (or for a
/// non-negative byte count). Never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn process_error_message(code: i32) -> *const c_char {
    let msg = match ProcessStatus::from_code(code) {
        Some(status) => status.message(),
        None if code > 0 => c"ok: a positive value is the number of bytes written",
        None => c"unknown status code",
    };
    msg.as_ptr()
}

/// The library version, e.g. `"0.1.0"`: static, NUL-terminated, never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn process_version() -> *const c_char {
    VERSION.as_ptr()
}
