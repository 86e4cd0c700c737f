//! The `GOMAXPROCS` analogue: a runtime with an explicit number of workers.
//!
//! Go's scheduler runs goroutines (G) on OS threads (M) that must hold one of
//! `GOMAXPROCS` processors (P). Tokio's multi-thread runtime has a fixed set
//! of worker threads, each with a local run queue, stealing from each other
//! when idle: `worker_threads(n)` plays the role of `GOMAXPROCS(n)`. The
//! default is one worker per CPU, like Go's default.

use std::num::NonZeroUsize;

use tokio::runtime::Runtime;

/// Builds a multi-thread runtime with `workers` worker threads named
/// `lab03-worker` and the timer enabled (the sleeps need it).
///
/// `NonZeroUsize`, like the rest of the lab: Tokio's builder panics on zero
/// workers, and a type that cannot be zero turns that panic into a
/// compile error at the caller (the example's `--workers 0` is a usage
/// error there). What is left to fail is the OS refusing a thread.
pub fn build_runtime(workers: NonZeroUsize) -> std::io::Result<Runtime> {
    // lab:begin(build_runtime) a multi-thread runtime with `workers` threads named "lab03-worker" and the timer enabled
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.get())
        .thread_name("lab03-worker")
        .enable_time()
        .build()
    // lab:end
}
