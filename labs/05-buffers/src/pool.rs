//! `BufferPool`: a bounded, thread-safe pool of `BytesMut` buffers, the
//! Rust twin of the Go idiom `sync.Pool{New: func() any { return
//! make([]byte, 0, 64<<10) }}`.
//!
//! How it differs from `sync.Pool`:
//! - **The bound is explicit.** `sync.Pool` keeps any number of objects
//!   and the garbage collector may empty it at any GC (since Go 1.13 it
//!   survives one GC in a victim cache); a Go program cannot say "keep at
//!   most 32 buffers". Here `max_buffers` is the most the pool ever holds,
//!   and memory held idle is at most `max_buffers × max_capacity`.
//! - **Oversized buffers are dropped.** A buffer that grew past
//!   `max_capacity` (one huge request) is freed on return instead of being
//!   kept forever; with `sync.Pool` the usual advice is to check `cap()`
//!   before `Put` by hand.
//! - **Return is automatic and the buffer comes back cleared.** [`get`]
//!   returns a guard that gives the buffer back when dropped (there is no
//!   `Put` to forget), with its length set to 0.
//! - **Statistics** say whether the pool helps: hits, misses, returned,
//!   discarded.
//!
//! The free list and the counts are behind one `Mutex`, held for one push
//! or pop and a count: no lock-free part (so no loom model is needed).
//! Under contention a sharded or lock-free pool does better; the benchmark
//! measures it against a lock-free pool crate.
//!
//! [`get`]: BufferPool::get

use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::BytesMut;

/// The pool's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolConfig {
    /// The capacity of a new buffer (what a miss allocates).
    pub buffer_capacity: usize,
    /// The most buffers the pool keeps; more returned at once are dropped.
    /// 0 keeps none: every returned buffer is dropped.
    pub max_buffers: usize,
    /// A returned buffer with a larger capacity is dropped, not kept; one of
    /// exactly this capacity is kept. `usize::MAX` sets no upper limit.
    pub max_capacity: usize,
}

/// A configuration the pool cannot work with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolError {
    /// `max_capacity` is below `buffer_capacity`: every buffer would be
    /// dropped on return, and the pool would never hit.
    MaxBelowBufferCapacity {
        buffer_capacity: usize,
        max_capacity: usize,
    },
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            PoolError::MaxBelowBufferCapacity {
                buffer_capacity,
                max_capacity,
            } => write!(
                f,
                "max_capacity ({max_capacity}) is below buffer_capacity ({buffer_capacity}): every buffer would be dropped on return"
            ),
        }
    }
}

impl std::error::Error for PoolError {}

/// What the pool did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// `get` reused a pooled buffer.
    pub hits: u64,
    /// `get` found the pool empty and allocated a new buffer.
    pub misses: u64,
    /// A buffer went back into the pool.
    pub returned: u64,
    /// A buffer was dropped on return: grown past `max_capacity`, shrunk
    /// below `buffer_capacity` (split), or the pool was full.
    pub discarded: u64,
}

/// What the lock guards: the free buffers, and the counts, kept under the
/// same lock so a round costs one lock and no shared atomic counter (on 2
/// threads, four atomic counters on one cache line cost more than the lock).
#[derive(Debug, Default)]
struct Shelf {
    free: Vec<BytesMut>,
    stats: Stats,
}

/// A bounded pool of buffers; share it by reference or in an `Arc`.
#[derive(Debug)]
pub struct BufferPool {
    config: PoolConfig,
    shelf: Mutex<Shelf>,
}

/// A buffer taken from the pool: derefs to `BytesMut`, and goes back to
/// the pool, cleared, when dropped.
#[derive(Debug)]
pub struct Pooled<'a> {
    buf: BytesMut,
    pool: &'a BufferPool,
}

impl BufferPool {
    pub fn new(config: PoolConfig) -> Result<BufferPool, PoolError> {
        if config.max_capacity < config.buffer_capacity {
            return Err(PoolError::MaxBelowBufferCapacity {
                buffer_capacity: config.buffer_capacity,
                max_capacity: config.max_capacity,
            });
        }
        Ok(BufferPool {
            config,
            shelf: Mutex::new(Shelf {
                free: Vec::with_capacity(config.max_buffers),
                stats: Stats::default(),
            }),
        })
    }

    pub fn config(&self) -> PoolConfig {
        self.config
    }

    /// The free list and the counts. A panic while they were locked cannot
    /// leave them broken (a push, a pop or a count either happened or not),
    /// so a poisoned lock is used as it is rather than making every later
    /// `get` panic.
    fn shelf(&self) -> MutexGuard<'_, Shelf> {
        self.shelf.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A buffer with no bytes and at least `buffer_capacity` of room: a
    /// pooled one when there is one (a hit, which allocates nothing), else a
    /// new one (a miss). The most recently returned buffer comes out first
    /// (last in, first out: the one likeliest still in cache).
    pub fn get(&self) -> Pooled<'_> {
        // lab:begin(get) reuse a pooled buffer (a hit) or allocate one (a miss)
        // Pop and count under the lock, allocate outside it: the lock is
        // held for the pop only, not for the allocation.
        let reused = {
            let mut shelf = self.shelf();
            let reused = shelf.free.pop();
            match reused {
                Some(_) => shelf.stats.hits += 1,
                None => shelf.stats.misses += 1,
            }
            reused
        };
        let buf = reused.unwrap_or_else(|| BytesMut::with_capacity(self.config.buffer_capacity));
        Pooled { buf, pool: self }
        // lab:end
    }

    /// Gives `buf` to the pool, cleared, unless it must be dropped: its
    /// capacity is above `max_capacity` or below `buffer_capacity` (split
    /// off), or the pool already holds `max_buffers`. `Pooled` calls it
    /// when dropped; `sync.Pool`'s `Put`.
    pub fn put(&self, mut buf: BytesMut) {
        // lab:begin(put) clear the buffer; keep it only within the limits
        buf.clear();
        let capacity = buf.capacity();
        let fits = (self.config.buffer_capacity..=self.config.max_capacity).contains(&capacity);
        let mut shelf = self.shelf();
        if fits && shelf.free.len() < self.config.max_buffers {
            shelf.free.push(buf);
            shelf.stats.returned += 1;
        } else {
            shelf.stats.discarded += 1;
            drop(shelf); // unlock before freeing the buffer
            drop(buf);
        }
        // lab:end
    }

    /// Buffers in the pool now.
    pub fn pooled(&self) -> usize {
        self.shelf().free.len()
    }

    pub fn stats(&self) -> Stats {
        self.shelf().stats
    }
}

impl Deref for Pooled<'_> {
    type Target = BytesMut;

    fn deref(&self) -> &BytesMut {
        &self.buf
    }
}

impl DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        self.pool.put(std::mem::take(&mut self.buf));
    }
}
