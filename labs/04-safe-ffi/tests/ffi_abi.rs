//! The C ABI shim, called through its `extern "C"` symbols with raw
//! pointers, as C would. These tests also run under Miri (`make miri`).

use std::ptr;

use lab04_safe_ffi::ffi::{PROCESS_MAX_INPUT, ProcessStatus, ffi_guard, overlaps, process_data};

/// Calls `process_data` on `input` with an output of `cap` bytes
/// (pre-filled with 0xAA); returns the code and the output buffer.
fn call(input: &[u8], cap: usize) -> (i32, Vec<u8>) {
    let mut out = vec![0xAAu8; cap];
    // SAFETY: `input` and `out` are live, distinct allocations of the stated sizes.
    let code = unsafe { process_data(input.as_ptr(), input.len(), out.as_mut_ptr(), cap) };
    (code, out)
}

#[test]
fn success_returns_the_byte_count_and_writes_the_normal_form() {
    let (code, out) = call(b"  Senior  RUST\tEngineer \n", 32);
    assert_eq!(code, 20);
    assert_eq!(&out[..20], b"senior rust engineer");
}

#[test]
fn an_exactly_sized_output_is_enough() {
    let (code, out) = call(b"GO", 2);
    assert_eq!((code, out.as_slice()), (2, &b"go"[..]));
}

#[test]
fn zero_length_returns_zero_even_with_null_pointers() {
    // SAFETY: len == 0: the contract says neither pointer is touched.
    let code = unsafe { process_data(ptr::null(), 0, ptr::null_mut(), 0) };
    assert_eq!(code, 0);
}

#[test]
fn null_input_with_a_length_is_rejected() {
    let mut out = [0u8; 8];
    // SAFETY: NULL input is detected before any read.
    let code = unsafe { process_data(ptr::null(), 4, out.as_mut_ptr(), out.len()) };
    assert_eq!(code, ProcessStatus::NullInput as i32);
}

#[test]
fn null_output_is_rejected() {
    let input = b"rust";
    // SAFETY: NULL output is detected before any write.
    let code = unsafe { process_data(input.as_ptr(), input.len(), ptr::null_mut(), 64) };
    assert_eq!(code, ProcessStatus::NullOutput as i32);
    // Not `snprintf(NULL, 0, ...)`: with `len > 0` a NULL output is -2 whatever
    // `out_cap` says, and that check comes before `out_cap < len` (-3).
    // SAFETY: as above.
    let code = unsafe { process_data(input.as_ptr(), input.len(), ptr::null_mut(), 0) };
    assert_eq!(code, ProcessStatus::NullOutput as i32, "out_cap == 0");
}

#[test]
fn an_output_smaller_than_the_input_is_rejected_and_untouched() {
    let (code, out) = call(b"RUST ENGINEER", 5);
    assert_eq!(code, ProcessStatus::OutputTooSmall as i32);
    assert_eq!(out, [0xAA; 5]);
}

#[test]
fn an_input_over_the_limit_is_rejected_before_it_is_read() {
    let input = [b'a'; 4];
    let mut out = [0u8; 4];
    // SAFETY: the length check comes before any read, so the too-large `len`
    // is never used to build a slice.
    let code = unsafe {
        process_data(
            input.as_ptr(),
            PROCESS_MAX_INPUT + 1,
            out.as_mut_ptr(),
            usize::MAX,
        )
    };
    assert_eq!(code, ProcessStatus::InputTooLong as i32);
    // Exactly PROCESS_MAX_INPUT bytes are within the limit: the next check,
    // `out_cap < len`, is the one that fails.
    // SAFETY: `out_cap < len` is found before any read or write.
    let code = unsafe {
        process_data(
            input.as_ptr(),
            PROCESS_MAX_INPUT,
            out.as_mut_ptr(),
            out.len(),
        )
    };
    assert_eq!(
        code,
        ProcessStatus::OutputTooSmall as i32,
        "len == PROCESS_MAX_INPUT is not too long"
    );
    // Every length over the limit, not only those with bit 31 set: 2^32 (and
    // 2^32 + 4) truncate to 0 (and 4) as an `i32`. On 64-bit targets only.
    for len in [1u64 << 32, (1u64 << 32) + 4, u64::MAX] {
        let Ok(len) = usize::try_from(len) else {
            continue;
        };
        // SAFETY: the length check comes before any read or write.
        let code = unsafe { process_data(input.as_ptr(), len, out.as_mut_ptr(), out.len()) };
        assert_eq!(code, ProcessStatus::InputTooLong as i32, "len {len}");
    }
}

#[test]
fn two_faults_at_once_report_the_first_in_the_documented_order() {
    let mut buf = [b'A'; 8];
    let p = buf.as_mut_ptr();
    let big = PROCESS_MAX_INPUT + 1;
    // SAFETY: every call below has a fault found before any pointer is
    // read or written (the point of the test), so no slice is ever built.
    let codes = unsafe {
        [
            process_data(ptr::null(), 0, ptr::null_mut(), 0),
            process_data(ptr::null(), 4, ptr::null_mut(), 4),
            process_data(p, big, ptr::null_mut(), 4),
            process_data(p, big, p.wrapping_add(4), 1),
            process_data(p, 4, p.wrapping_add(2), 1),
        ]
    };
    assert_eq!(
        codes,
        [
            0,
            ProcessStatus::NullInput as i32,
            ProcessStatus::NullOutput as i32,
            ProcessStatus::InputTooLong as i32,
            ProcessStatus::OutputTooSmall as i32,
        ],
        "len 0, NULL input, NULL output, length limit, out_cap, overlap: the first fault wins"
    );
    assert_eq!(buf, [b'A'; 8], "nothing written");
}

#[test]
fn the_same_buffer_as_input_and_output_is_an_overlap() {
    let mut buf = *b"RUST  GO";
    let p = buf.as_mut_ptr();
    // SAFETY: overlap is detected before any slice is built.
    let code = unsafe { process_data(p, buf.len(), p, buf.len()) };
    assert_eq!(code, ProcessStatus::Overlap as i32);
    assert_eq!(&buf, b"RUST  GO", "nothing written");
}

#[test]
fn a_partial_overlap_is_an_overlap() {
    let mut buf = [b'A'; 16];
    let p = buf.as_mut_ptr();
    // SAFETY: as above; output starts 4 bytes into the 8-byte input range.
    let code = unsafe { process_data(p, 8, p.wrapping_add(4), 8) };
    assert_eq!(code, ProcessStatus::Overlap as i32);
    // The other way round: the output starts before the input and runs into
    // it (output [p, p+4), input [p+2, p+6)). Any shared byte is an overlap.
    // SAFETY: as above.
    let code = unsafe { process_data(p.wrapping_add(2), 4, p, 4) };
    assert_eq!(
        code,
        ProcessStatus::Overlap as i32,
        "output runs into the input"
    );
    assert_eq!(buf, [b'A'; 16], "nothing written");
}

#[test]
fn adjacent_buffers_do_not_overlap() {
    let mut buf = *b"RUST\0\0\0\0";
    let p = buf.as_mut_ptr();
    // SAFETY: [p, p+4) and [p+4, p+8) are disjoint parts of one live array.
    let code = unsafe { process_data(p, 4, p.wrapping_add(4), 4) };
    assert_eq!(code, 4);
    assert_eq!(&buf, b"RUSTrust");

    // Output first, input right after it, and an `out_cap` that reaches into
    // the input: only the first `len` output bytes can be written, and they
    // end where the input starts, so this is not an overlap either.
    let mut buf = *b"\0\0\0\0RUST";
    let p = buf.as_mut_ptr();
    // SAFETY: output [p, p+4) and input [p+4, p+8) are disjoint parts of one
    // live array, and all 8 bytes from `p` are writable (`out_cap`).
    let code = unsafe { process_data(p.wrapping_add(4), 4, p, 8) };
    assert_eq!(code, 4);
    assert_eq!(&buf, b"rustRUST");
}

#[test]
fn overlap_arithmetic_handles_edges_and_overflow() {
    assert!(overlaps(10, 5, 14, 1));
    assert!(!overlaps(10, 5, 15, 1), "b starts where a ends");
    assert!(!overlaps(15, 1, 10, 5), "a starts where b ends");
    assert!(!overlaps(10, 0, 10, 5), "an empty range overlaps nothing");
    assert!(!overlaps(10, 5, 12, 0), "an empty range overlaps nothing");
    assert!(!overlaps(12, 0, 10, 5), "an empty range overlaps nothing");
    assert!(
        overlaps(usize::MAX - 2, 8, usize::MAX - 1, 1),
        "no overflow panic"
    );
    assert!(overlaps(0, usize::MAX, 5, 5));
    assert!(overlaps(14, 1, 10, 5), "a inside b");
    assert!(overlaps(12, 5, 10, 5), "a starts inside b");
    // Close but disjoint ranges of different lengths: [5, 7) and [10, 20).
    assert!(!overlaps(5, 2, 10, 10), "a ends before b starts");
    assert!(!overlaps(10, 10, 5, 2), "b ends before a starts");
    // An end past usize::MAX, on either side, stays past it: it never wraps
    // to a small address, and it does not make every range overlap.
    assert!(
        overlaps(usize::MAX - 1, 1, usize::MAX - 3, 4),
        "b's end overflows"
    );
    assert!(
        overlaps(usize::MAX - 3, 4, usize::MAX - 1, 1),
        "a's end overflows"
    );
    assert!(!overlaps(usize::MAX - 2, 8, 0, 1), "no wrap to address 0");
    assert!(!overlaps(0, 1, usize::MAX - 2, 8), "no wrap to address 0");
}

#[test]
fn a_panic_inside_becomes_a_status_code_not_an_unwind() {
    let code = ffi_guard(|| panic!("a bug in the core"));
    assert_eq!(code, ProcessStatus::Panic as i32);
    // Whatever the payload: a formatted message is a `String`, an index out
    // of bounds too, and `panic_any` carries any type.
    let code = ffi_guard(|| panic!("bad byte {:#04x}", std::hint::black_box(0xff)));
    assert_eq!(code, ProcessStatus::Panic as i32, "String payload");
    let code = ffi_guard(|| {
        let empty: &[u8] = &[];
        Ok(usize::from(empty[std::hint::black_box(3)]))
    });
    assert_eq!(code, ProcessStatus::Panic as i32, "index out of bounds");
    let code = ffi_guard(|| std::panic::panic_any(42_i32));
    assert_eq!(code, ProcessStatus::Panic as i32, "i32 payload");
    assert_eq!(ffi_guard(|| Ok(7)), 7);
    assert_eq!(ffi_guard(|| Err(ProcessStatus::Overlap)), -5);
}
