//! Bounded concurrency: run an async function over many items with at most
//! `limit` of them in flight.
//!
//! Go code does this with a buffered channel used as a semaphore. Tokio has
//! a real `Semaphore`. Where the permit is taken matters: acquiring it
//! *before* spawning means at most `limit` tasks exist at once; acquiring it
//! inside each task would still create one task per item up front.

use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::TaskError;

/// Calls `f` on every item, at most `limit` at a time, and returns the
/// results in the order of `items`. If a call panics, the remaining calls
/// are cancelled and the panic comes back as [`TaskError::Panicked`].
pub async fn map_bounded<T, R, F, Fut>(
    items: Vec<T>,
    limit: NonZeroUsize,
    f: F,
) -> Result<Vec<R>, TaskError>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    // lab:begin(map_bounded) take a semaphore permit before spawning each call, release it when the call ends, and return the results in input order
    let permits = Arc::new(Semaphore::new(limit.get()));
    let f = Arc::new(f);
    let mut set = JoinSet::new();
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (index, item) in items.into_iter().enumerate() {
        // The semaphore is never closed, so acquiring cannot fail.
        let permit = Arc::clone(&permits)
            .acquire_owned()
            .await
            .map_err(|_| TaskError::Cancelled)?;
        let f = Arc::clone(&f);
        set.spawn(async move {
            let out = f(item).await;
            drop(permit); // the next item may start now
            (index, out)
        });
    }
    while let Some(joined) = set.join_next().await {
        // `?` returns early; dropping `set` then aborts the calls still running.
        let (index, out) = joined.map_err(TaskError::from)?;
        results[index] = Some(out);
    }
    Ok(results.into_iter().flatten().collect())
    // lab:end
}
