//! A global allocator that counts, per thread, the calls a test asks it to
//! count: does this code allocate, and how often?
//!
//! A test binary installs it with
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: lab_support::CountingAllocator = lab_support::CountingAllocator;
//! ```
//!
//! and measures with [`allocations`]. Each thread has its own counter, so
//! the tests libtest runs in parallel on other threads never change it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// This thread's calls since it started counting; `None` when it is not
    /// counting.
    static CALLS: Cell<Option<usize>> = const { Cell::new(None) };
}

fn count() {
    // `try_with` fails only while the thread is being torn down; nothing is
    // counted then.
    let _ = CALLS.try_with(|n| n.set(n.get().map(|n| n + 1)));
}

/// `System`, counting `alloc`, `alloc_zeroed` and `realloc` (growing or
/// shrinking a buffer counts too; freeing does not).
#[derive(Debug)]
pub struct CountingAllocator;

// SAFETY: every call is passed to `System` unchanged; counting reads
// neither the pointer nor the memory, and allocates nothing itself.
unsafe impl GlobalAlloc for CountingAllocator {
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

/// Runs `f`; returns what it returned and how many times this thread called
/// the allocator meanwhile. Counts only where [`CountingAllocator`] is the
/// binary's global allocator (0 elsewhere).
pub fn allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    CALLS.set(Some(0));
    let out = f();
    let made = CALLS.replace(None).unwrap_or(0);
    (out, made)
}
