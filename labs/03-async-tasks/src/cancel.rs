//! Cancellation: stop every worker promptly, and lose nothing that was
//! already done.
//!
//! A `CancellationToken` is Tokio's `context.Context` cancellation: clone it
//! into every worker, `cancel()` it once, and every `cancelled()` future
//! completes. `select!` races it against the job, so a worker stops in the
//! middle of a job instead of finishing it first.

use std::collections::VecDeque;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::TaskError;

/// What a cancelled (or completed) run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelReport<R> {
    /// Every job that finished, in completion order.
    pub completed: Vec<R>,
    /// Jobs that had started when the token was cancelled, and were stopped.
    pub interrupted: usize,
    /// Jobs that never started.
    pub not_started: usize,
}

/// Runs `jobs` on `workers` concurrent workers until they are done or
/// `token` is cancelled, whichever comes first. Returns once every worker
/// has stopped. A panicking job is returned as an error after the other
/// workers have stopped.
pub async fn run_until_cancelled<T, R, F, Fut>(
    jobs: Vec<T>,
    workers: NonZeroUsize,
    token: CancellationToken,
    f: F,
) -> Result<CancelReport<R>, TaskError>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    let queue = Arc::new(Mutex::new(VecDeque::from(jobs)));
    let f = Arc::new(f);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    // Each worker returns how many jobs it was stopped in the middle of.
    let mut set: JoinSet<usize> = JoinSet::new();
    for _ in 0..workers.get() {
        let (queue, f, token, done_tx) = (
            Arc::clone(&queue),
            Arc::clone(&f),
            token.clone(),
            done_tx.clone(),
        );
        set.spawn(async move {
            // lab:begin(cancel_worker) loop: stop if the token is cancelled or the queue is empty; otherwise race the next job against `token.cancelled()` and send a finished result to `done_tx`; return how many jobs were interrupted (0 or 1)
            loop {
                if token.is_cancelled() {
                    return 0;
                }
                // The std Mutex is fine here: it is never held across an await.
                let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                let Some(job) = next else { return 0 };
                tokio::select! {
                    // `biased`: check the token first, so a cancelled run
                    // never starts polling another job.
                    biased;
                    _ = token.cancelled() => return 1,
                    out = f(job) => {
                        // The receiver lives until every worker is joined.
                        let _ = done_tx.send(out);
                    }
                }
            }
            // lab:end
        });
    }
    drop(done_tx);

    let mut interrupted = 0;
    let mut failure = None;
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(n) => interrupted += n,
            Err(e) => {
                failure.get_or_insert(TaskError::from(e));
                token.cancel(); // one failed worker stops the others
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let mut completed = Vec::new();
    while let Ok(out) = done_rx.try_recv() {
        completed.push(out);
    }
    let not_started = queue.lock().map(|q| q.len()).unwrap_or(0);
    Ok(CancelReport {
        completed,
        interrupted,
        not_started,
    })
}
