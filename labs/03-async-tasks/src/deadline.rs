//! A timeout that really stops the slow task.
//!
//! `tokio::time::timeout(d, fut)` drops `fut` when the time is up. If `fut`
//! is a `JoinHandle`, dropping it does **not** stop the task: the task is
//! detached and keeps running (and holding its resources) in the
//! background. The handle must be aborted.

use std::future::Future;
use std::time::Duration;

use crate::TaskError;

/// Runs `fut` as its own task for at most `limit`. On time-out the task is
/// aborted (and has stopped when this returns) and the result is
/// [`TaskError::TimedOut`]; a panic is [`TaskError::Panicked`].
pub async fn run_with_timeout<F>(limit: Duration, fut: F) -> Result<F::Output, TaskError>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // lab:begin(run_with_timeout) spawn `fut`, wait on its handle for at most `limit`, and on time-out abort the task and wait for it to stop
    let mut handle = tokio::spawn(fut);
    match tokio::time::timeout(limit, &mut handle).await {
        Ok(joined) => joined.map_err(TaskError::from),
        Err(_elapsed) => {
            handle.abort();
            // Awaiting the aborted handle returns once the task is dropped.
            let _ = handle.await;
            Err(TaskError::TimedOut(limit))
        }
    }
    // lab:end
}
