//! Bounded concurrency, cancellation and time-outs, on virtual time.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use lab03_async_tasks::TaskError;
use lab03_async_tasks::bounded::map_bounded;
use lab03_async_tasks::cancel::run_until_cancelled;
use lab03_async_tasks::deadline::run_with_timeout;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

const MS: Duration = Duration::from_millis(1);

fn nz(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("non-zero")
}

#[tokio::test(start_paused = true)]
async fn bounded_map_never_exceeds_its_limit_and_keeps_input_order() {
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let peak_tasks = Arc::new(AtomicUsize::new(0));
    let (r, p, t) = (
        Arc::clone(&running),
        Arc::clone(&peak),
        Arc::clone(&peak_tasks),
    );
    let start = Instant::now();
    let out = map_bounded((0..10u32).collect(), nz(3), move |i| {
        let (running, peak, tasks) = (Arc::clone(&r), Arc::clone(&p), Arc::clone(&t));
        async move {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let alive = tokio::runtime::Handle::current()
                .metrics()
                .num_alive_tasks();
            tasks.fetch_max(alive, Ordering::SeqCst);
            // Later items are faster, so completion order differs from input order.
            sleep(MS * (20 - i)).await;
            running.fetch_sub(1, Ordering::SeqCst);
            i * 2
        }
    })
    .await
    .expect("no call panics");
    assert_eq!(out, (0..10).map(|i| i * 2).collect::<Vec<_>>());
    assert_eq!(
        peak.load(Ordering::SeqCst),
        3,
        "at most 3 at once, and 3 were used"
    );
    assert!(
        peak_tasks.load(Ordering::SeqCst) <= 3,
        "{} tasks existed at once: take the permit *before* spawning, so at most `limit` tasks exist",
        peak_tasks.load(Ordering::SeqCst)
    );
    // 10 calls of 20, 19, ..., 11 ms, 3 at a time, each starting as soon as
    // a permit is free: 0-2 start at 0 and end at 18-20 ms; 3-5 start then and
    // end at 35; 6-8 end at 47-49; 9 starts at 47 and ends at 58.
    assert_eq!(start.elapsed(), 58 * MS);
}

#[tokio::test(start_paused = true)]
async fn bounded_map_with_limit_one_runs_calls_one_after_another() {
    let start = Instant::now();
    let out = map_bounded(vec![1u32, 2, 3], nz(1), |ms| async move {
        sleep(MS * ms).await;
        ms
    })
    .await
    .expect("no call panics");
    assert_eq!(out, [1, 2, 3]);
    assert!(start.elapsed() >= 6 * MS, "serial: 1 + 2 + 3 ms");
}

#[tokio::test(start_paused = true)]
async fn bounded_map_reports_a_panicking_call_as_an_error() {
    let err = map_bounded(vec![1, 2, 3], nz(2), |i| async move {
        if i == 2 {
            panic!("item {i} is poisoned");
        }
        i
    })
    .await
    .expect_err("the panic must surface");
    assert_eq!(err, TaskError::Panicked("item 2 is poisoned".into()));
}

#[tokio::test(start_paused = true)]
async fn bounded_map_of_nothing_is_empty() {
    let out = map_bounded(Vec::<u8>::new(), nz(4), |x| async move { x })
        .await
        .expect("nothing to fail");
    assert!(out.is_empty());
}

#[tokio::test(start_paused = true)]
async fn cancellation_stops_every_worker_and_keeps_finished_results() {
    let token = CancellationToken::new();
    let canceller = token.clone();
    tokio::spawn(async move {
        sleep(35 * MS).await;
        canceller.cancel();
    });
    let start = Instant::now();
    // 10 jobs of 10 ms on 2 workers: done at 10, 20, 30 ms; cancelled at 35.
    let report = run_until_cancelled((0..10).collect(), nz(2), token, |job: u32| async move {
        sleep(10 * MS).await;
        job
    })
    .await
    .expect("no job panics");
    let mut done = report.completed.clone();
    done.sort_unstable();
    assert_eq!(done, [0, 1, 2, 3, 4, 5], "every finished job is kept");
    assert_eq!(report.interrupted, 2, "one job in flight per worker");
    assert_eq!(report.not_started, 2);
    let took = start.elapsed();
    assert!(
        took >= 35 * MS && took < 36 * MS,
        "stopped at once, not at 40 ms: {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn cancellation_stops_every_worker_and_keeps_finished_results_when_a_job_cancels_the_run() {
    // One worker; job 2 cancels the token and still finishes. The worker must
    // look at the token again before it takes job 3: jobs 3, 4 and 5 never
    // start, and nothing was interrupted.
    let token = CancellationToken::new();
    let inside = token.clone();
    let report = run_until_cancelled((0..6).collect(), nz(1), token, move |job: u32| {
        let token = inside.clone();
        async move {
            sleep(MS).await;
            if job == 2 {
                token.cancel();
            }
            job
        }
    })
    .await
    .expect("no job panics");
    assert_eq!(report.completed, [0, 1, 2], "jobs run first in, first out");
    assert_eq!(report.interrupted, 0, "job 2 finished; job 3 never started");
    assert_eq!(report.not_started, 3);
}

#[tokio::test(start_paused = true)]
async fn without_cancellation_every_job_completes() {
    let report = run_until_cancelled(
        (0..7).collect(),
        nz(3),
        CancellationToken::new(),
        |j: u8| async move {
            sleep(MS).await;
            j
        },
    )
    .await
    .expect("no job panics");
    assert_eq!(report.completed.len(), 7);
    assert_eq!((report.interrupted, report.not_started), (0, 0));
}

#[tokio::test(start_paused = true)]
async fn a_token_cancelled_before_the_start_runs_nothing() {
    let token = CancellationToken::new();
    token.cancel();
    let report = run_until_cancelled(vec![1, 2, 3], nz(2), token, |j: i32| async move { j })
        .await
        .expect("no job panics");
    assert!(report.completed.is_empty());
    assert_eq!(report.not_started, 3);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_job_is_an_error_and_stops_the_run() {
    let err = run_until_cancelled(
        vec![1, 2],
        nz(1),
        CancellationToken::new(),
        |j: i32| async move {
            if j == 1 {
                panic!("job {j} failed");
            }
            j
        },
    )
    .await
    .expect_err("the panic surfaces");
    assert_eq!(err, TaskError::Panicked("job 1 failed".into()));
}

#[tokio::test(start_paused = true)]
async fn a_fast_task_returns_its_value_within_the_limit() {
    let out = run_with_timeout(50 * MS, async {
        sleep(10 * MS).await;
        "done"
    })
    .await;
    assert_eq!(out, Ok("done"));
}

#[tokio::test(start_paused = true)]
async fn a_slow_task_times_out_and_is_really_stopped() {
    let ticks = Arc::new(AtomicUsize::new(0));
    let dropped = Arc::new(AtomicBool::new(false));
    struct SetOnDrop(Arc<AtomicBool>);
    impl Drop for SetOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    let (t, d) = (Arc::clone(&ticks), Arc::clone(&dropped));
    let out = run_with_timeout(20 * MS, async move {
        let _guard = SetOnDrop(d);
        loop {
            sleep(MS).await;
            t.fetch_add(1, Ordering::SeqCst);
        }
    })
    .await;
    assert_eq!(out, Err(TaskError::TimedOut(20 * MS)));
    assert!(
        dropped.load(Ordering::SeqCst),
        "the task was dropped by the time we returned"
    );
    let after = ticks.load(Ordering::SeqCst);
    sleep(100 * MS).await;
    assert_eq!(
        ticks.load(Ordering::SeqCst),
        after,
        "a leaked task would keep ticking"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_task_under_a_timeout_is_a_panic_error() {
    let out = run_with_timeout(10 * MS, async { panic!("boom") }).await;
    assert_eq!(out, Err::<(), _>(TaskError::Panicked("boom".into())));
}
