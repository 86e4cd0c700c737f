//! The article's etcd fix (§4.1): a watch-ID generator that never hands out
//! the same id twice, without a lock.
//!
//! The bug it fixes is a read-modify-write done as two steps: two callers
//! read the same value, both add one, both return the same id. One atomic
//! `fetch_add` does the read and the write as a single step. `Relaxed`
//! ordering is enough: uniqueness needs only the atomicity of that one
//! operation, and no other memory is published through the counter.
//!
//! The generators are generic over [`Counter`] so that the loom models at
//! the bottom can run the very same code on loom's instrumented atomic,
//! which explores every interleaving of two threads.

use std::sync::atomic::{AtomicU64, Ordering};

/// The few atomic operations the generators use.
pub trait Counter {
    fn starting_at(value: u64) -> Self;
    fn load(&self) -> u64;
    fn store(&self, value: u64);
    /// Adds `n` and returns the value from before, as one atomic step.
    fn fetch_add(&self, n: u64) -> u64;
}

impl Counter for AtomicU64 {
    fn starting_at(value: u64) -> Self {
        AtomicU64::new(value)
    }
    fn load(&self) -> u64 {
        AtomicU64::load(self, Ordering::Relaxed)
    }
    fn store(&self, value: u64) {
        AtomicU64::store(self, value, Ordering::Relaxed)
    }
    fn fetch_add(&self, n: u64) -> u64 {
        AtomicU64::fetch_add(self, n, Ordering::Relaxed)
    }
}

/// The fixed generator: `atomic.AddUint64(&kv.watchIDGen, 1)`.
#[derive(Debug)]
pub struct WatchIdGen<C = AtomicU64> {
    last: C,
}

impl<C: Counter> Default for WatchIdGen<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Counter> WatchIdGen<C> {
    pub fn new() -> Self {
        WatchIdGen {
            last: C::starting_at(0),
        }
    }

    /// The next id: 1, 2, 3, … unique across all threads.
    pub fn next_id(&self) -> u64 {
        // lab:begin(next_id) return the next id (starting at 1) with a single atomic read-modify-write on `self.last`
        self.last.fetch_add(1) + 1
        // lab:end
    }
}

/// The bug the article fixes: read, add one, write back: two steps.
#[derive(Debug)]
pub struct RacyWatchIdGen<C = AtomicU64> {
    last: C,
}

impl<C: Counter> Default for RacyWatchIdGen<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Counter> RacyWatchIdGen<C> {
    pub fn new() -> Self {
        RacyWatchIdGen {
            last: C::starting_at(0),
        }
    }

    /// Each step is atomic, the pair is not: another thread can run between.
    pub fn next_id(&self) -> u64 {
        let id = self.last.load() + 1;
        self.last.store(id);
        id
    }
}

/// Loom models: every interleaving of two threads taking one id each.
/// (Unit tests, because only the library may implement its own trait for
/// loom's atomic; they run with the rest under plain `cargo test`.)
#[cfg(test)]
mod loom_models {
    use super::*;
    use loom::sync::Arc;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    impl Counter for loom::sync::atomic::AtomicU64 {
        fn starting_at(value: u64) -> Self {
            loom::sync::atomic::AtomicU64::new(value)
        }
        fn load(&self) -> u64 {
            loom::sync::atomic::AtomicU64::load(self, Ordering::Relaxed)
        }
        fn store(&self, value: u64) {
            loom::sync::atomic::AtomicU64::store(self, value, Ordering::Relaxed)
        }
        fn fetch_add(&self, n: u64) -> u64 {
            loom::sync::atomic::AtomicU64::fetch_add(self, n, Ordering::Relaxed)
        }
    }

    type LoomAtomic = loom::sync::atomic::AtomicU64;

    /// Two threads take one id each; the ids must differ and be 1 and 2.
    fn two_threads<G, F>(make: fn() -> G, take: F)
    where
        G: Send + Sync + 'static,
        F: Fn(&G) -> u64 + Copy + Send + Sync + 'static,
    {
        // A panic inside `take` (a `todo!()` in the starter) is caught in
        // each thread and reported after both have joined: loom aborts the
        // whole process if a model panics while another thread is alive.
        let guarded = move |g: &G| catch_unwind(AssertUnwindSafe(|| take(g))).ok();
        loom::model(move || {
            let shared = Arc::new(make());
            let other = Arc::clone(&shared);
            let thread = loom::thread::spawn(move || guarded(&other));
            let mine = guarded(&shared);
            let theirs = thread.join().ok().flatten();
            let (Some(mine), Some(theirs)) = (mine, theirs) else {
                panic!("next_id panicked (its message is printed above)");
            };
            assert_ne!(mine, theirs, "duplicate watch id {mine}");
            assert_eq!(mine.max(theirs), 2, "ids must be 1 and 2");
        });
    }

    #[test]
    fn fixed_generator_never_repeats_an_id_in_any_interleaving() {
        two_threads(WatchIdGen::<LoomAtomic>::new, WatchIdGen::next_id);
    }

    /// Expected to fail: loom finds the interleaving in which both threads
    /// load 0 before either stores, and both return id 1.
    #[test]
    #[should_panic(expected = "duplicate watch id 1")]
    fn racy_generator_repeats_an_id_in_some_interleaving() {
        two_threads(RacyWatchIdGen::<LoomAtomic>::new, RacyWatchIdGen::next_id);
    }
}
