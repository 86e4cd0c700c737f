//! What must not allocate at all. A zero-length `AlignedBuf`: `alloc` with
//! a size of 0 is undefined behaviour, and its empty slice needs no memory,
//! only an aligned pointer. A `BufferPool::get` that finds a pooled buffer
//! (a hit): reusing it is the point of the pool. A global allocator in this
//! test binary counts the allocations made by the thread that asks it to,
//! per thread (so nothing libtest or another test does on another thread
//! counts).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use bytes::BytesMut;
use lab05_buffers::{AlignedBuf, BufferPool, PoolConfig};

thread_local! {
    /// Whether this thread's allocations are counted.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    /// Allocations made by this thread while it was counting.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
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

/// How many allocations `f` makes on this thread, and what it returns.
fn allocations_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.get();
    COUNTING.set(true);
    let out = f();
    COUNTING.set(false);
    (ALLOCATIONS.get() - before, out)
}

#[test]
fn new_zero_length_buffer_allocates_nothing() {
    for align in [1, 2, 8, 16, 64, 4096] {
        let (made, buf) = allocations_of(|| AlignedBuf::try_new(0, align));
        assert_eq!(made, 0, "try_new(0, {align}) called the allocator");
        let buf = buf.expect("zero bytes");
        assert!(buf.is_empty());
        assert_eq!(buf.as_ptr().addr() % align, 0, "aligned to {align}");
    }
}

#[test]
fn get_on_a_hit_allocates_nothing() {
    let pool = BufferPool::new(PoolConfig {
        buffer_capacity: 1024,
        max_buffers: 4,
        max_capacity: 4096,
    })
    .expect("a valid configuration");
    pool.put(BytesMut::with_capacity(1024));
    let (made, buf) = allocations_of(|| pool.get());
    assert_eq!(made, 0, "a hit allocated a buffer it did not need");
    assert_eq!(buf.capacity(), 1024);
    drop(buf);
    assert_eq!(pool.stats().hits, 1);
}
