//! `AlignedBuf`: an owned, zeroed byte buffer at a chosen alignment.
//!
//! The article's `allocate_aligned` asks the allocator for 64-byte-aligned
//! memory and hands it to `Box<[u8]>`, which later frees it as if it had
//! alignment 1: the `Layout` given to `dealloc` must be the one given to
//! `alloc`, so that is undefined behaviour. The fix is a type that keeps
//! the layout and frees with it: [`AlignedBuf`].

use std::alloc::{self, Layout};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Why a buffer could not be made. Every bad request is one of these, never
/// a panic or an abort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlignError {
    /// The alignment is not a power of two (0 is not one either).
    BadAlignment { align: usize },
    /// The length, rounded up to the alignment, is more than `isize::MAX`
    /// bytes: no allocation can be that large.
    TooLarge { len: usize, align: usize },
    /// The allocator had no memory for it.
    AllocFailed { len: usize, align: usize },
}

impl fmt::Display for AlignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            AlignError::BadAlignment { align } => {
                write!(f, "alignment {align} is not a power of two")
            }
            AlignError::TooLarge { len, align } => write!(
                f,
                "{len} bytes aligned to {align} is more than isize::MAX bytes"
            ),
            AlignError::AllocFailed { len, align } => write!(
                f,
                "the allocator could not provide {len} bytes aligned to {align}"
            ),
        }
    }
}

impl std::error::Error for AlignError {}

/// The layout of a buffer of `len` bytes aligned to `align`, or why there
/// is none. Every power of two is a valid alignment, up to `1 << 63` on a
/// 64-bit target (`layout_for(0, 1 << 63)` is a layout; with one byte more
/// it is `TooLarge`); any `len`, up to `usize::MAX`, gives a layout or an
/// error, never a panic.
pub fn layout_for(len: usize, align: usize) -> Result<Layout, AlignError> {
    // lab:begin(layout) check the alignment first, then build the Layout
    // `Layout::from_size_align` rejects both, but with one error type:
    // check the alignment first so the caller learns which it was.
    if !align.is_power_of_two() {
        return Err(AlignError::BadAlignment { align });
    }
    Layout::from_size_align(len, align).map_err(|_| AlignError::TooLarge { len, align })
    // lab:end
}

/// An owned byte buffer whose first byte is aligned to `align()` bytes:
/// for SIMD loads, cache-line-sized records, or `O_DIRECT` I/O (which
/// needs buffers aligned to the device's block size). Zeroed on creation,
/// freed on drop with the exact layout it was allocated with, whatever the
/// alignment (a page or more included). A zero length allocates nothing,
/// yet keeps its alignment: its pointer is aligned to `align()` and
/// `align()` is the alignment asked for.
pub struct AlignedBuf {
    /// From `alloc_zeroed(layout_for(len, align))`, or, when `len == 0`, a
    /// dangling pointer with the address `align` (never read or freed).
    ptr: NonNull<u8>,
    len: usize,
    align: usize,
}

// SAFETY: an `AlignedBuf` owns its allocation exclusively, like a
// `Box<[u8]>`: no other pointer to the bytes exists, so moving it to another
// thread moves the only access to them, and `u8` is `Send`.
unsafe impl Send for AlignedBuf {}
// SAFETY: through `&AlignedBuf` only `&[u8]` can be had (shared reads);
// writing needs `&mut AlignedBuf`, which the borrow checker keeps unique.
unsafe impl Sync for AlignedBuf {}

impl AlignedBuf {
    /// A zeroed buffer of `len` bytes aligned to `align` (a power of two).
    pub fn try_new(len: usize, align: usize) -> Result<AlignedBuf, AlignError> {
        // lab:begin(try_new) allocate zeroed memory for the layout (none for len 0), or say why not
        let layout = layout_for(len, align)?;
        if len == 0 {
            // `alloc` must not be called with a zero size. A zero-length
            // slice still needs a non-null, aligned pointer: the address
            // `align` itself, with no provenance (it is never read).
            let ptr = NonNull::new(std::ptr::without_provenance_mut::<u8>(align))
                .ok_or(AlignError::BadAlignment { align })?;
            return Ok(AlignedBuf { ptr, len, align });
        }
        // SAFETY: `layout` has a non-zero size (len > 0), as `alloc_zeroed` requires.
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        // A null pointer is how the allocator says "no memory": an error
        // here, not `handle_alloc_error`'s abort, so an absurd size is a
        // value the caller can handle.
        let ptr = NonNull::new(raw).ok_or(AlignError::AllocFailed { len, align })?;
        Ok(AlignedBuf { ptr, len, align })
        // lab:end
    }

    /// The alignment of the first byte: the `align` given to `try_new`, for
    /// an empty buffer too.
    pub fn align(&self) -> usize {
        self.align
    }
}

impl Drop for AlignedBuf {
    fn drop(&mut self) {
        // lab:begin(free) free the memory with exactly the layout it was allocated with
        if self.len == 0 {
            return; // nothing was allocated
        }
        // SAFETY: `ptr` came from `alloc_zeroed` with `layout_for(len,
        // align)`, which succeeded then and gives the same layout now
        // (neither field changes after creation); it is freed once, here.
        unsafe {
            alloc::dealloc(
                self.ptr.as_ptr(),
                Layout::from_size_align_unchecked(self.len, self.align),
            );
        }
        // lab:starter
        // // Frees nothing yet: every buffer leaks.
        // lab:end
    }
}

impl Deref for AlignedBuf {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` is valid for reads of `len` bytes, all initialised
        // (zeroed by `alloc_zeroed`), or dangling, non-null and aligned
        // with `len == 0`, which a slice allows; the borrow of `self` keeps
        // the memory alive and unwritten for the slice's lifetime.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl DerefMut for AlignedBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `deref`, and `&mut self` makes this the only access
        // to the bytes while the slice lives.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl fmt::Debug for AlignedBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlignedBuf")
            .field("len", &self.len)
            .field("align", &self.align)
            .finish_non_exhaustive()
    }
}
