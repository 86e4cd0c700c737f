//! The article's Go program, ported: start N tasks that each sleep, wait for
//! all of them, and report them in the order they finished.
//!
//! ```go
//! func main() {
//!     runtime.GOMAXPROCS(4)
//!     for i := 0; i < 1000; i++ {
//!         go func(id int) {
//!             time.Sleep(10 * time.Millisecond)
//!             fmt.Printf("goroutine %d done\n", id)
//!         }(i)
//!     }
//!     runtime.GC() // does not wait for anything
//! }
//! ```
//!
//! The Go version returns from `main` at once, and the process exits with
//! the goroutines still asleep: it prints nothing. Tokio behaves the same
//! way (dropping the runtime cancels unfinished tasks; see
//! `tests/fanout.rs`). Waiting is explicit: a `sync.WaitGroup` in Go, a
//! `JoinSet` here.

use std::time::Duration;

use tokio::task::JoinSet;

/// `n` tasks that each sleep `delay`; their ids in completion order.
pub async fn sleepers(n: usize, delay: Duration) -> Vec<usize> {
    sleepers_with(vec![delay; n]).await
}

/// One task per delay; task `i` sleeps `delays[i]` and returns `i`. Returns
/// the ids in the order the tasks finished.
pub async fn sleepers_with(delays: Vec<Duration>) -> Vec<usize> {
    // lab:begin(sleepers_with) spawn one task per delay into a JoinSet (each sleeps, then returns its index) and collect the indices in completion order
    let mut set = JoinSet::new();
    for (id, delay) in delays.into_iter().enumerate() {
        set.spawn(async move {
            tokio::time::sleep(delay).await;
            id
        });
    }
    let mut done = Vec::with_capacity(set.len());
    while let Some(joined) = set.join_next().await {
        // A sleeper only sleeps: it cannot panic, and nobody else can
        // abort it (the set is ours), so every join is an `Ok`.
        done.push(joined.expect("a sleeper cannot panic or be cancelled"));
    }
    done
    // lab:end
}
