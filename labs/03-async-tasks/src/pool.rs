//! A small worker pool with a bounded queue and a graceful shutdown that
//! drains the queue.
//!
//! Workers share one receiver behind an async mutex (Tokio's `mpsc` has a
//! single consumer). Shutdown is just dropping the sender: `recv()` keeps
//! returning the queued jobs and only then returns `None`, so every job
//! that was accepted is run before the workers exit. Each job runs as its
//! own task, so a panicking job becomes a [`TaskError`] in the results and
//! its worker carries on.

use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinSet;

use crate::TaskError;

/// Why a job was not accepted; the job is handed back, never lost.
#[derive(Debug, PartialEq, Eq)]
pub enum SubmitError<J> {
    /// The queue is full (only from [`WorkerPool::try_submit`]).
    Full(J),
    /// No worker is left to run it.
    Closed(J),
}

/// A fixed set of workers running `handler` on submitted jobs.
#[derive(Debug)]
pub struct WorkerPool<J, R> {
    queue: mpsc::Sender<J>,
    workers: JoinSet<Vec<Result<R, TaskError>>>,
}

impl<J, R> WorkerPool<J, R>
where
    J: Send + 'static,
    R: Send + 'static,
{
    /// Starts `workers` workers with room for `capacity` queued jobs. Must be
    /// called inside a Tokio runtime.
    pub fn new<F, Fut>(workers: NonZeroUsize, capacity: NonZeroUsize, handler: F) -> Self
    where
        F: Fn(J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
    {
        let (queue, rx) = mpsc::channel::<J>(capacity.get());
        let rx = Arc::new(Mutex::new(rx));
        let handler = Arc::new(handler);
        let mut set = JoinSet::new();
        for _ in 0..workers.get() {
            set.spawn(Self::work(Arc::clone(&rx), Arc::clone(&handler)));
        }
        WorkerPool {
            queue,
            workers: set,
        }
    }

    /// Queues a job, waiting for room if the queue is full (backpressure).
    pub async fn submit(&self, job: J) -> Result<(), SubmitError<J>> {
        self.queue
            .send(job)
            .await
            .map_err(|mpsc::error::SendError(job)| SubmitError::Closed(job))
    }

    /// Queues a job if there is room now.
    pub fn try_submit(&self, job: J) -> Result<(), SubmitError<J>> {
        self.queue.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(job) => SubmitError::Full(job),
            mpsc::error::TrySendError::Closed(job) => SubmitError::Closed(job),
        })
    }

    /// Stops accepting jobs, runs every job already queued, waits for the
    /// workers to exit, and returns every job's result (completion order
    /// per worker, workers in the order they finished).
    pub async fn shutdown(self) -> Vec<Result<R, TaskError>> {
        let WorkerPool { queue, workers } = self;
        Self::drain(queue, workers).await
    }

    // lab:begin(pool) The two halves of the pool, one task since neither can be tested without the other. `work`: take jobs from the shared receiver until it returns None, run each job as its own task and collect its result (or TaskError). `drain`: close the queue by dropping the sender, then join every worker and concatenate their results.
    /// One worker: runs jobs until the queue is closed and empty.
    async fn work<F, Fut>(
        rx: Arc<Mutex<mpsc::Receiver<J>>>,
        handler: Arc<F>,
    ) -> Vec<Result<R, TaskError>>
    where
        F: Fn(J) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
    {
        let mut results = Vec::new();
        loop {
            // The lock is held only while waiting for the next job, never
            // while running one.
            let next = rx.lock().await.recv().await;
            let Some(job) = next else { break };
            let outcome = tokio::spawn(handler(job)).await;
            results.push(outcome.map_err(TaskError::from));
        }
        results
    }

    /// Closes the queue, then collects every worker's results.
    async fn drain(
        queue: mpsc::Sender<J>,
        mut workers: JoinSet<Vec<Result<R, TaskError>>>,
    ) -> Vec<Result<R, TaskError>> {
        drop(queue);
        let mut all = Vec::new();
        while let Some(joined) = workers.join_next().await {
            match joined {
                Ok(results) => all.extend(results),
                // A worker itself never panics (jobs run in their own
                // tasks); if the runtime is shutting down it is cancelled.
                Err(e) => all.push(Err(TaskError::from(e))),
            }
        }
        all
    }
    // lab:starter
    // async fn work<F, Fut>(
    //     rx: Arc<Mutex<mpsc::Receiver<J>>>,
    //     handler: Arc<F>,
    // ) -> Vec<Result<R, TaskError>>
    // where
    //     F: Fn(J) -> Fut + Send + Sync + 'static,
    //     Fut: Future<Output = R> + Send + 'static,
    // {
    //     todo!("pool: take jobs until the queue is closed, each in its own task")
    // }
    //
    // async fn drain(
    //     queue: mpsc::Sender<J>,
    //     mut workers: JoinSet<Vec<Result<R, TaskError>>>,
    // ) -> Vec<Result<R, TaskError>> {
    //     todo!("pool: drop the sender, then join every worker")
    // }
    // lab:end
}
