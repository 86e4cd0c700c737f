//! `out_cap` says how big the caller's buffer is; it is never a slice length.
//!
//! Its own test binary: building a slice longer than isize::MAX bytes is
//! undefined behaviour, which debug builds catch with an abort that would
//! take every other test of the binary with it.

use lab04_safe_ffi::ffi::process_data;

#[test]
fn an_out_cap_beyond_isize_max_is_never_used_for_a_slice() {
    let input = b" Go  RUST ";
    let mut out = [0xAAu8; 10];
    // SAFETY: `out` is valid for `input.len()` bytes, all that the normal
    // form can need; the contract lets `out_cap` exceed what is written, and
    // the shim must build its output slice from `len`, not from `out_cap`.
    let code = unsafe { process_data(input.as_ptr(), input.len(), out.as_mut_ptr(), usize::MAX) };
    assert_eq!(code, 7);
    assert_eq!(&out[..7], b"go rust");
}
