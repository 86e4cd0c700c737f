//! `layout_for` and `AlignedBuf::try_new`: alignment, zeroing, and every
//! bad request an error rather than a panic or an abort.

use lab05_buffers::{AlignError, AlignedBuf, layout_for};

const ALIGNS: [usize; 10] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 4096];
/// Around the alignments, where an off-by-one would show. Miri runs the
/// small ones only (it interprets every byte of the zero check).
#[cfg(not(miri))]
const SIZES: [usize; 12] = [1, 2, 3, 7, 63, 64, 65, 100, 4095, 4096, 4097, 65536];
#[cfg(miri)]
const SIZES: [usize; 6] = [1, 3, 63, 64, 65, 257];

const MAX: usize = isize::MAX as usize;

#[test]
fn layout_of_a_power_of_two_alignment_has_that_size_and_alignment() {
    for align in ALIGNS {
        let layout = layout_for(100, align).expect("a valid layout");
        assert_eq!((layout.size(), layout.align()), (100, align));
    }
    let empty = layout_for(0, 64).expect("zero bytes is a valid size");
    assert_eq!((empty.size(), empty.align()), (0, 64));
}

#[test]
fn layout_rejects_alignments_that_are_not_powers_of_two() {
    for align in [0, 3, 6, 48, 100, 4097, usize::MAX] {
        assert_eq!(
            layout_for(64, align),
            Err(AlignError::BadAlignment { align }),
            "alignment {align}"
        );
    }
}

#[test]
fn layout_rejects_a_size_that_overflows_when_rounded_up_to_the_alignment() {
    // 2^63 - 63 (isize::MAX - 62) rounds up to 2^63 at alignment 64: past isize::MAX.
    assert_eq!(
        layout_for(MAX - 62, 64),
        Err(AlignError::TooLarge {
            len: MAX - 62,
            align: 64
        })
    );
    assert_eq!(
        layout_for(usize::MAX, 1),
        Err(AlignError::TooLarge {
            len: usize::MAX,
            align: 1
        })
    );
    // The largest size that fits: 2^63 - 64 is a multiple of 64.
    let largest = layout_for(MAX - 63, 64).expect("2^63 - 64 needs no rounding");
    assert_eq!(largest.size(), MAX - 63);
}

/// A length near `usize::MAX` overflows `usize` once rounded up to the
/// alignment: it is `TooLarge` all the same, never an overflow panic.
#[test]
fn layout_rejects_a_length_near_usize_max_without_overflowing() {
    for (len, align) in [
        (usize::MAX, 2),
        (usize::MAX, 64),
        (usize::MAX - 62, 64),
        (usize::MAX - 1, 4096),
    ] {
        assert_eq!(
            layout_for(len, align),
            Err(AlignError::TooLarge { len, align }),
            "{len} bytes aligned to {align}"
        );
    }
}

/// The largest power of two is an alignment like any other: zero bytes at
/// it is a layout, one byte more is too large (never `BadAlignment`).
#[test]
fn layout_accepts_the_largest_power_of_two_alignment() {
    let top = 1_usize << (usize::BITS - 1);
    let empty = layout_for(0, top).expect("zero bytes at the largest alignment");
    assert_eq!((empty.size(), empty.align()), (0, top));
    assert_eq!(
        layout_for(1, top),
        Err(AlignError::TooLarge { len: 1, align: top })
    );
    let half = layout_for(top / 2, top / 2).expect("a half-size layout at half the alignment");
    assert_eq!((half.size(), half.align()), (top / 2, top / 2));
}

#[test]
fn layout_reports_a_bad_alignment_before_a_bad_size() {
    assert_eq!(
        layout_for(usize::MAX, 3),
        Err(AlignError::BadAlignment { align: 3 })
    );
}

#[test]
fn new_buffers_are_aligned_and_zeroed_for_many_sizes_and_alignments() {
    for align in ALIGNS {
        for len in SIZES {
            let buf = AlignedBuf::try_new(len, align).expect("a small buffer");
            assert_eq!(buf.len(), len, "{len} bytes aligned to {align}");
            assert_eq!(buf.align(), align);
            assert_eq!(
                buf.as_ptr().addr() % align,
                0,
                "{len} bytes aligned to {align}"
            );
            assert!(
                buf.iter().all(|&b| b == 0),
                "{len} bytes aligned to {align} are not zeroed"
            );
        }
    }
}

/// Empty, yet with the alignment asked for, past a page too (it allocates
/// nothing, so a large alignment costs nothing).
#[test]
fn new_zero_length_buffer_is_an_empty_aligned_slice() {
    for align in ALIGNS.into_iter().chain([8192, 1 << 16, 1 << 20]) {
        let mut buf = AlignedBuf::try_new(0, align).expect("zero bytes");
        assert!(buf.is_empty());
        assert_eq!(buf.as_ptr().addr() % align, 0, "aligned to {align}");
        assert_eq!(buf.align(), align, "an empty buffer keeps its alignment");
        assert_eq!(buf.iter_mut().count(), 0);
    }
    assert_eq!(
        format!("{:?}", AlignedBuf::try_new(0, 64).expect("zero bytes")),
        "AlignedBuf { len: 0, align: 64, .. }"
    );
}

#[test]
fn new_buffer_keeps_what_is_written_into_it() {
    let mut buf = AlignedBuf::try_new(300, 64).expect("300 bytes");
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    assert!(buf.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    buf[299] = 7;
    assert_eq!(buf[299], 7);
}

#[test]
fn new_with_a_bad_alignment_or_an_overflowing_size_is_an_error_not_a_panic() {
    assert_eq!(
        AlignedBuf::try_new(64, 48).map(|b| b.len()),
        Err(AlignError::BadAlignment { align: 48 })
    );
    assert_eq!(
        AlignedBuf::try_new(0, 0).map(|b| b.len()),
        Err(AlignError::BadAlignment { align: 0 }),
        "a zero length still needs a valid alignment"
    );
    assert_eq!(
        AlignedBuf::try_new(MAX, 4096).map(|b| b.len()),
        Err(AlignError::TooLarge {
            len: MAX,
            align: 4096
        })
    );
}

#[test]
fn new_zero_length_still_needs_a_power_of_two_alignment() {
    // Length 0 allocates nothing, but the alignment is checked all the same.
    for align in [3, 6, 48, usize::MAX] {
        assert_eq!(
            AlignedBuf::try_new(0, align).map(|b| b.len()),
            Err(AlignError::BadAlignment { align }),
            "zero bytes aligned to {align}"
        );
    }
}

/// The allocator hands a block just freed straight back for the next
/// request of its size, with the bytes its last owner wrote still in it
/// (under Miri, `alloc` gives uninitialised bytes instead): a new buffer
/// must be zeroed all the same.
#[test]
fn new_buffer_is_zeroed_even_in_memory_just_freed_with_other_bytes() {
    for (len, align) in [(24, 1), (64, 8), (200, 16), (100, 64)] {
        // black_box: an optimiser may drop an allocation nobody reads.
        drop(std::hint::black_box(vec![0xab_u8; len]));
        let buf = AlignedBuf::try_new(len, align).expect("a small buffer");
        assert!(
            buf.iter().all(|&b| b == 0),
            "{len} bytes aligned to {align} are not zeroed: {:?}",
            &buf[..]
        );
    }
}

/// 4 EiB is a valid layout that no allocator can provide: `try_new` says so
/// instead of aborting the process as `handle_alloc_error` would. (Miri
/// reports such a request as resource exhaustion instead of returning null.)
#[cfg(not(miri))]
#[test]
fn new_reports_an_allocation_failure_instead_of_aborting() {
    assert_eq!(
        AlignedBuf::try_new(1 << 62, 64).map(|b| b.len()),
        Err(AlignError::AllocFailed {
            len: 1 << 62,
            align: 64
        })
    );
}

/// Where alignment matters: SSE2's aligned 16-byte load faults on an
/// address that is not a multiple of 16. A 64-byte (cache-line) aligned
/// buffer serves every 16-byte lane of it.
#[cfg(target_arch = "x86_64")]
#[test]
fn new_cache_line_aligned_buffer_serves_aligned_simd_loads() {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_load_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut buf = AlignedBuf::try_new(256, 64).expect("four cache lines");
    buf[200] = 0xff;
    let mut lanes_with_ff = Vec::new();
    for (lane, chunk) in buf.chunks_exact(16).enumerate() {
        let p = chunk.as_ptr().cast::<__m128i>();
        // SAFETY: SSE2 is part of x86_64; `p` points to 16 readable bytes
        // of `buf`, at a multiple of 16 because the buffer starts on a
        // 64-byte boundary and each chunk starts 16 bytes after the last.
        let mask =
            unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128(p), _mm_set1_epi8(-1))) };
        if mask != 0 {
            lanes_with_ff.push((lane, mask.trailing_zeros()));
        }
    }
    assert_eq!(lanes_with_ff, [(12, 8)], "byte 200 is byte 8 of lane 12");
}

#[test]
fn errors_say_what_was_wrong() {
    assert_eq!(
        AlignError::BadAlignment { align: 48 }.to_string(),
        "alignment 48 is not a power of two"
    );
    assert_eq!(
        AlignError::TooLarge { len: 9, align: 8 }.to_string(),
        "9 bytes aligned to 8 is more than isize::MAX bytes"
    );
    assert_eq!(
        AlignError::AllocFailed { len: 9, align: 8 }.to_string(),
        "the allocator could not provide 9 bytes aligned to 8"
    );
}
