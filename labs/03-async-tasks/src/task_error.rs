//! A task's failure as a value, and blocking work kept off the async workers.
//!
//! When a Tokio task panics, the panic is caught at the task boundary: the
//! worker thread and the runtime live on, and whoever awaits the task's
//! `JoinHandle` gets a `JoinError`. Turning that into [`TaskError`] keeps a
//! bad job from taking the service down.

use std::any::Any;
use std::fmt;
use std::time::Duration;

use tokio::task::JoinError;

/// Why a task produced no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// The task panicked; the panic's message.
    Panicked(String),
    /// The task was aborted (or its runtime shut down) before it finished.
    Cancelled,
    /// The task did not finish within its time limit and was stopped.
    TimedOut(Duration),
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Panicked(msg) => write!(f, "task panicked: {msg}"),
            TaskError::Cancelled => f.write_str("task was cancelled"),
            TaskError::TimedOut(d) => write!(f, "task did not finish within {d:?}"),
        }
    }
}

impl std::error::Error for TaskError {}

/// The text of a panic payload: `panic!("literal")` carries a `&'static str`,
/// `panic!("{x}")` a `String`; anything else has no text.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

impl From<JoinError> for TaskError {
    fn from(e: JoinError) -> Self {
        // lab:begin(join_error) a cancelled task becomes `Cancelled`; a panicked one `Panicked` with the panic's message (see `panic_message`)
        if e.is_cancelled() {
            return TaskError::Cancelled;
        }
        match e.try_into_panic() {
            Ok(payload) => TaskError::Panicked(panic_message(&*payload)),
            Err(_) => TaskError::Cancelled,
        }
        // lab:end
    }
}

/// Runs blocking code (file hashing, compression, a synchronous client) on
/// Tokio's blocking thread pool, so the async workers keep running other
/// tasks meanwhile. A panic in `f` comes back as [`TaskError::Panicked`].
pub async fn run_blocking<F, T>(f: F) -> Result<T, TaskError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // lab:begin(run_blocking) run `f` with `tokio::task::spawn_blocking` and turn a JoinError into a TaskError
    tokio::task::spawn_blocking(f)
        .await
        .map_err(TaskError::from)
    // lab:end
}
