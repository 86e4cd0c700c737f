//! The worker pool: backpressure, draining shutdown, panicking jobs.

use std::num::NonZeroUsize;
use std::time::Duration;

use lab03_async_tasks::TaskError;
use lab03_async_tasks::pool::{SubmitError, WorkerPool};
use tokio::time::{Instant, sleep};

const MS: Duration = Duration::from_millis(1);

fn nz(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("non-zero")
}

fn sorted_ok(results: Vec<Result<u32, TaskError>>) -> Vec<u32> {
    let mut ok: Vec<u32> = results.into_iter().map(|r| r.expect("job ran")).collect();
    ok.sort_unstable();
    ok
}

#[tokio::test(start_paused = true)]
async fn shutdown_runs_every_queued_job_before_returning() {
    let pool = WorkerPool::new(nz(2), nz(16), |job: u32| async move {
        sleep(10 * MS).await;
        job * 10
    });
    for job in 0..10 {
        pool.submit(job).await.expect("room in the queue");
    }
    let start = Instant::now();
    let results = pool.shutdown().await;
    assert_eq!(
        sorted_ok(results),
        (0..10).map(|j| j * 10).collect::<Vec<_>>()
    );
    let took = start.elapsed();
    // 10 jobs of 10 ms on 2 workers: 5 rounds.
    assert!(took >= 50 * MS && took < 52 * MS, "{took:?}");
}

#[tokio::test(start_paused = true)]
async fn shutdown_runs_every_queued_job_before_returning_even_when_the_workers_waited_idle() {
    let pool = WorkerPool::new(nz(2), nz(4), |job: u32| async move {
        sleep(10 * MS).await;
        job + 1
    });
    // The workers start and find the queue empty: empty is not closed, so
    // they must wait for jobs instead of exiting.
    sleep(5 * MS).await;
    for job in 0..3 {
        pool.submit(job).await.expect("the workers are still there");
    }
    assert_eq!(sorted_ok(pool.shutdown().await), [1, 2, 3]);
}

#[tokio::test(start_paused = true)]
async fn a_full_queue_hands_the_job_back() {
    let pool = WorkerPool::new(nz(1), nz(1), |job: u32| async move {
        sleep(10 * MS).await;
        job
    });
    pool.try_submit(1)
        .expect("the worker takes it or the queue holds it");
    tokio::task::yield_now().await; // let the worker pick job 1 up
    pool.try_submit(2).expect("the queue has one slot");
    assert_eq!(pool.try_submit(3), Err(SubmitError::Full(3)));
    assert_eq!(
        sorted_ok(pool.shutdown().await),
        [1, 2],
        "accepted jobs all ran"
    );
}

#[tokio::test(start_paused = true)]
async fn submit_waits_for_room_instead_of_failing() {
    let pool = WorkerPool::new(nz(1), nz(1), |job: u32| async move {
        sleep(10 * MS).await;
        job
    });
    let start = Instant::now();
    for job in 0..4 {
        pool.submit(job).await.expect("backpressure, not an error");
    }
    assert!(start.elapsed() >= 10 * MS, "the producer was slowed down");
    assert_eq!(sorted_ok(pool.shutdown().await), [0, 1, 2, 3]);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_job_is_an_error_result_and_the_worker_carries_on() {
    let pool = WorkerPool::new(nz(1), nz(8), |job: u32| async move {
        if job == 2 {
            panic!("job {job} exploded");
        }
        job
    });
    for job in 0..5 {
        pool.submit(job).await.expect("room");
    }
    let results = pool.shutdown().await;
    assert_eq!(results.len(), 5);
    assert!(results.contains(&Err(TaskError::Panicked("job 2 exploded".into()))));
    let ok: Vec<u32> = results.into_iter().filter_map(Result::ok).collect();
    assert_eq!(ok, [0, 1, 3, 4], "one worker, so results keep queue order");
}

#[tokio::test(start_paused = true)]
async fn an_idle_pool_shuts_down_with_no_results() {
    let pool: WorkerPool<u8, u8> = WorkerPool::new(nz(3), nz(1), |j| async move { j });
    assert!(pool.shutdown().await.is_empty());
}
