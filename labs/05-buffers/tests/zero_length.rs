//! A zero-length `AlignedBuf` allocates nothing: `alloc` with a size of 0
//! is undefined behaviour, and its empty slice needs no memory, only an
//! aligned pointer. A global allocator in this test binary counts the
//! allocations made by the thread that asks it to (so nothing libtest does
//! on another thread counts).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use lab05_buffers::AlignedBuf;

thread_local! {
    /// Whether this thread's allocations are counted.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

/// Allocations made by a thread while it was counting.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn count() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
    }
}

struct Counting;

// SAFETY: every call is passed to `System` unchanged; counting reads
// neither the pointer nor the memory, and allocates nothing itself.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `alloc` is passed on to `System`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller's contract for `realloc` is passed on to `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (the caller's contract).
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn new_zero_length_buffer_allocates_nothing() {
    for align in [1, 2, 8, 16, 64, 4096] {
        let before = ALLOCATIONS.load(Ordering::SeqCst);
        COUNTING.set(true);
        let buf = AlignedBuf::try_new(0, align);
        COUNTING.set(false);
        let made = ALLOCATIONS.load(Ordering::SeqCst) - before;
        assert_eq!(made, 0, "try_new(0, {align}) called the allocator");
        let buf = buf.expect("zero bytes");
        assert!(buf.is_empty());
        assert_eq!(buf.as_ptr().addr() % align, 0, "aligned to {align}");
    }
}
