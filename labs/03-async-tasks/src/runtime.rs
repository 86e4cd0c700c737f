//! The `GOMAXPROCS` analogue: a runtime with an explicit number of workers.
//!
//! Go's scheduler runs goroutines (G) on OS threads (M) that must hold one of
//! `GOMAXPROCS` processors (P). Tokio's multi-thread runtime has a fixed set
//! of worker threads, each with a local run queue, stealing from each other
//! when idle: `worker_threads(n)` plays the role of `GOMAXPROCS(n)`. The
//! default is one worker per CPU, like Go's default.

use std::fmt;

use tokio::runtime::Runtime;

/// Why a runtime could not be built.
#[derive(Debug)]
pub enum RuntimeError {
    /// A runtime needs at least one worker (Tokio's builder would panic).
    ZeroWorkers,
    /// The OS refused a thread or the timer driver.
    Io(std::io::Error),
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuntimeError::ZeroWorkers => f.write_str("a runtime needs at least one worker thread"),
            RuntimeError::Io(e) => write!(f, "cannot start the runtime: {e}"),
        }
    }
}

impl std::error::Error for RuntimeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RuntimeError::Io(e) => Some(e),
            RuntimeError::ZeroWorkers => None,
        }
    }
}

/// Builds a multi-thread runtime with `workers` worker threads named
/// `lab03-worker` and the timer enabled (the sleeps need it).
pub fn build_runtime(workers: usize) -> Result<Runtime, RuntimeError> {
    // lab:begin(build_runtime) reject 0 workers; otherwise a multi-thread runtime with `workers` threads named "lab03-worker" and the timer enabled
    if workers == 0 {
        return Err(RuntimeError::ZeroWorkers);
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("lab03-worker")
        .enable_time()
        .build()
        .map_err(RuntimeError::Io)
    // lab:end
}
