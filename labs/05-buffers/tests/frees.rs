//! Dropping an `AlignedBuf` frees its memory with the exact layout it was
//! allocated with. A counting global allocator in this test binary (one
//! test, so no other test allocates meanwhile) records every allocation
//! and free; Miri's leak check (`make miri`) proves the same independently.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;

use lab05_buffers::AlignedBuf;

/// (size, align) of every live allocation made while recording, and the
/// frees whose layout differed from the allocation's.
struct Record {
    on: bool,
    live: Vec<(usize, usize, usize)>,
    mismatched: Vec<String>,
}

static RECORD: Mutex<Record> = Mutex::new(Record {
    on: false,
    live: Vec::new(),
    mismatched: Vec::new(),
});

struct Counting;

// SAFETY: every call is passed to `System` unchanged; the bookkeeping only
// reads the pointer's address and the layout, and is skipped while it is
// already running on this thread (the Vec pushes allocate, recording stops
// while they do: `on` is false then).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on to `System`.
        let ptr = unsafe { System.alloc(layout) };
        note(|r| r.live.push((ptr.addr(), layout.size(), layout.align())));
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        note(|r| r.live.push((ptr.addr(), layout.size(), layout.align())));
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(|r| {
            if let Some(i) = r.live.iter().position(|&(p, _, _)| p == ptr.addr()) {
                let (_, size, align) = r.live.swap_remove(i);
                if (size, align) != (layout.size(), layout.align()) {
                    r.mismatched.push(format!(
                        "allocated as {size} bytes aligned to {align}, freed as {} aligned to {}",
                        layout.size(),
                        layout.align()
                    ));
                }
            }
        });
        // SAFETY: `ptr` was allocated by `System` with `layout` (the caller's contract).
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Runs `f` on the record when recording is on, with recording off
/// meanwhile (its own allocations are not recorded).
fn note(f: impl FnOnce(&mut Record)) {
    if let Ok(mut r) = RECORD.try_lock()
        && r.on
    {
        r.on = false;
        f(&mut r);
        r.on = true;
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn recording(on: bool) {
    let mut r = RECORD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if on {
        r.live.reserve(64);
    }
    r.on = on;
}

#[test]
fn drop_frees_each_buffer_with_the_layout_it_was_allocated_with_and_an_empty_one_allocates_nothing()
{
    // Past a page too: 8192 and 64 KiB alignments.
    let sizes = [
        (1, 64),
        (100, 64),
        (4096, 4096),
        (65, 128),
        (7, 1),
        (100, 8192),
        (3, 1 << 16),
    ];
    recording(true);
    let bufs: Vec<AlignedBuf> = sizes
        .iter()
        .map(|&(len, align)| AlignedBuf::try_new(len, align).expect("small buffer"))
        .collect();
    let empty = AlignedBuf::try_new(0, 4096).expect("zero bytes");
    recording(false);
    let allocated: Vec<(usize, usize)> = {
        let r = RECORD.lock().expect("record");
        let mut v: Vec<(usize, usize)> = r.live.iter().map(|&(_, s, a)| (s, a)).collect();
        v.retain(|&(s, _)| s != 0);
        v
    };
    // One allocation per non-empty buffer (the Vec of buffers is one more).
    for (len, align) in sizes {
        assert!(
            allocated.contains(&(len, align)),
            "no allocation of {len} bytes aligned to {align}: {allocated:?}"
        );
    }
    assert!(
        !allocated
            .iter()
            .any(|&(s, a)| s == 0 || (a == 4096 && s != 4096)),
        "the empty buffer allocated: {allocated:?}"
    );

    recording(true);
    drop(bufs);
    drop(empty);
    recording(false);
    let r = RECORD.lock().expect("record");
    assert_eq!(
        r.mismatched,
        Vec::<String>::new(),
        "freed with another layout"
    );
    let leaked: Vec<(usize, usize)> = r
        .live
        .iter()
        .map(|&(_, s, a)| (s, a))
        .filter(|sa| sizes.contains(sa))
        .collect();
    assert_eq!(leaked, [], "buffers not freed on drop");
}
