//! Lab 03: the article's 1000-goroutine program as Tokio tasks, and the task
//! patterns a job asks for around it.
//!
//! The article (§3.1) starts 1000 goroutines that sleep 10 ms under
//! `GOMAXPROCS(4)`, and then returns from `main` without waiting for them.
//! Here the same program is built on an explicitly sized Tokio runtime and
//! waits for every task. §4.1's etcd fix, an atomic watch-ID counter, is
//! built and *proven* with loom.
//!
//! A map of the crate, roughly in the order of the tasks:
//!
//! - [`runtime`]: a multi-thread runtime with an explicit worker count, the
//!   analogue of `GOMAXPROCS`.
//! - [`fanout`]: the Go program ported: N tasks in a `JoinSet`, results in
//!   completion order.
//! - [`bounded`]: at most K tasks at once, with a `Semaphore`.
//! - [`cancel`]: stop every worker on a `CancellationToken` and keep every
//!   result that was already finished.
//! - [`deadline`]: a timeout that really stops the slow task.
//! - [`pool`]: a worker pool whose shutdown drains its queue.
//! - [`task_error`]: a panicking task becomes an error value, not a crash;
//!   [`task_error::run_blocking`] keeps blocking work off the async workers.
//! - [`local`]: `!Send` state (`Rc<RefCell<…>>`) shared by tasks on one
//!   thread, with a `LocalSet`.
//! - [`watch_id`]: the lock-free watch-ID generator and the racy version it
//!   replaces, with loom models of both.
//!
//! Everything is tested on Tokio's paused clock where time matters, so the
//! tests assert virtual time (1000 tasks × 10 ms sleep = 10 ms), never wall
//! time.

pub mod bounded;
pub mod cancel;
pub mod deadline;
pub mod fanout;
pub mod local;
pub mod pool;
pub mod runtime;
pub mod task_error;
pub mod watch_id;

pub use task_error::TaskError;
