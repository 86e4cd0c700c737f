//! The runtime (GOMAXPROCS analogue) and the article's program, on virtual time.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lab03_async_tasks::fanout::{sleepers, sleepers_with};
use lab03_async_tasks::runtime::build_runtime;
use tokio::time::Instant;

const MS: Duration = Duration::from_millis(1);

fn workers(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("a test asks for at least one worker")
}

#[test]
fn runtime_has_the_requested_number_of_workers() {
    for n in [1, 2, 4] {
        let rt = build_runtime(workers(n)).expect("runtime builds");
        assert_eq!(rt.metrics().num_workers(), n);
    }
}

#[test]
fn runtime_tasks_run_on_named_workers_with_timers_enabled() {
    let rt = build_runtime(workers(2)).expect("runtime builds");
    let name = rt.block_on(async {
        tokio::spawn(async {
            // Panics with "timers are disabled" if the runtime lacks enable_time().
            tokio::time::sleep(MS).await;
            std::thread::current().name().map(str::to_string)
        })
        .await
        .expect("the task finishes")
    });
    assert_eq!(name.as_deref(), Some("lab03-worker"));
}

#[tokio::test(start_paused = true)]
async fn a_thousand_sleepers_take_ten_ms_of_virtual_time_not_ten_seconds() {
    let start = Instant::now();
    let mut ids = sleepers(1000, 10 * MS).await;
    let took = start.elapsed();
    // The timer wheel has 1 ms granularity; virtual time, never wall time.
    assert!(
        took >= 10 * MS && took <= 11 * MS,
        "took {took:?} of virtual time"
    );
    ids.sort_unstable();
    assert_eq!(
        ids,
        (0..1000).collect::<Vec<_>>(),
        "every task reports once"
    );
}

#[tokio::test(start_paused = true)]
async fn results_come_back_in_completion_order() {
    // Task i sleeps (5 - i) ms, so the last spawned finishes first.
    let delays = (0..5u32).map(|i| MS * (5 - i)).collect();
    assert_eq!(sleepers_with(delays).await, [4, 3, 2, 1, 0]);
}

#[tokio::test(start_paused = true)]
async fn no_tasks_means_no_results_and_no_waiting() {
    let start = Instant::now();
    assert!(sleepers(0, 10 * MS).await.is_empty());
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// Counts drops, to see whether a task was dropped before it finished.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn dropping_the_runtime_cancels_unawaited_tasks_like_the_articles_main() {
    // The article's Go `main` returns without waiting, so its goroutines
    // never print. Tokio's equivalent: tasks nobody awaits are cancelled
    // (dropped at their current `.await`) when the runtime goes away.
    let finished = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicUsize::new(0));
    let rt = build_runtime(workers(2)).expect("runtime builds");
    for _ in 0..1000 {
        let finished = Arc::clone(&finished);
        // Made outside the task so it is dropped even if the task never ran.
        let guard = DropCounter(Arc::clone(&dropped));
        rt.spawn(async move {
            let _guard = guard;
            std::future::pending::<()>().await; // never wakes
            finished.fetch_add(1, Ordering::SeqCst);
        });
    }
    drop(rt);
    assert_eq!(finished.load(Ordering::SeqCst), 0);
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        1000,
        "every task was dropped"
    );
}
