//! Memory stays bounded by the batch queue while the collector is stuck.
//! A counting global allocator (this test binary only) measures the live
//! heap after 20 000 and after 200 000 spans: an unbounded buffer would grow
//! by hundreds of bytes per span; the bounded queue does not grow at all.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Duration;

use lab08_otel_tracing::{Exporter, build};
use tracing::info_span;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees hold; the counter has no effect on
// the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract (non-zero size),
        // which is `System.alloc`'s contract too.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above, i.e. by `System`,
        // with this `layout`, as the caller guarantees.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from `System` with `layout`, and `new_size` is
        // valid, as the caller of `realloc` guarantees.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_stuck_collector_does_not_make_memory_grow_with_the_span_count() {
    let hole = common::BlackHole::start();
    let mut config = common::config(Exporter::Otlp {
        endpoint: hole.traces_url(),
    });
    config.batch.export_timeout = Duration::from_secs(30);
    config.batch.max_queue_size = 256;
    config.batch.max_export_batch_size = 64;
    config.shutdown_timeout = Duration::from_millis(200);
    let (dispatch, guard) = build(config).expect("build");

    let produce = |n: i64| {
        tracing::dispatcher::with_default(&dispatch, || {
            for i in 0..n {
                info_span!(
                    "handle_payment",
                    order_id = i,
                    note = "a few attribute bytes"
                )
                .in_scope(|| tracing::info!("charged"));
            }
        })
    };
    produce(64);
    hole.wait_for_connection();

    produce(20_000);
    let after_20k = LIVE.load(Ordering::Relaxed);
    produce(180_000);
    let after_200k = LIVE.load(Ordering::Relaxed);
    let growth = after_200k - after_20k;
    // An unbounded buffer: 180 000 spans × several hundred bytes ≈ 100 MB.
    // The queue was already full at 20 000, so the heap should not move;
    // 1 MiB covers allocator and thread-local noise.
    assert!(
        growth < 1 << 20,
        "the live heap grew by {growth} bytes over 180 000 spans"
    );

    let report = guard.shutdown();
    assert_eq!(report.stats.ended, 200_064);
    assert!(report.dropped >= 200_064 - 256 - 64, "{report}");
}
