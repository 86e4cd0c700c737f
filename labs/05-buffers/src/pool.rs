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
//! The free list is a `Mutex<Vec<BytesMut>>`: a lock held for one push or
//! pop, with no lock-free part (so no loom model is needed). Under heavy
//! contention a sharded pool would do better; the benchmark measures it
//! against a lock-free pool crate.
//!
//! [`get`]: BufferPool::get

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::BytesMut;

/// The pool's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolConfig {
    /// The capacity of a new buffer (what a miss allocates).
    pub buffer_capacity: usize,
    /// The most buffers the pool keeps; more returned at once are dropped.
    pub max_buffers: usize,
    /// A returned buffer with a larger capacity is dropped, not kept.
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

#[derive(Debug, Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    returned: AtomicU64,
    discarded: AtomicU64,
}

/// Counts one event. The counters are statistics, ordered with nothing
/// else, so `Relaxed` is enough.
fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A bounded pool of buffers; share it by reference or in an `Arc`.
#[derive(Debug)]
pub struct BufferPool {
    config: PoolConfig,
    free: Mutex<Vec<BytesMut>>,
    counters: Counters,
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
            free: Mutex::new(Vec::with_capacity(config.max_buffers)),
            counters: Counters::default(),
        })
    }

    pub fn config(&self) -> PoolConfig {
        self.config
    }

    /// The free list. A panic while it was locked cannot leave it broken
    /// (a push or a pop either happened or not), so a poisoned lock is
    /// used as it is rather than making every later `get` panic.
    fn free_list(&self) -> MutexGuard<'_, Vec<BytesMut>> {
        self.free.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A buffer with no bytes and at least `buffer_capacity` of room: a
    /// pooled one when there is one (a hit), else a new one (a miss).
    pub fn get(&self) -> Pooled<'_> {
        // lab:begin(get) reuse a pooled buffer (a hit) or allocate one (a miss)
        // Pop under the lock, allocate outside it: the lock is held for
        // the pop only, not for the allocation.
        let reused = self.free_list().pop();
        let buf = match reused {
            Some(buf) => {
                bump(&self.counters.hits);
                buf
            }
            None => {
                bump(&self.counters.misses);
                BytesMut::with_capacity(self.config.buffer_capacity)
            }
        };
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
        if capacity > self.config.max_capacity || capacity < self.config.buffer_capacity {
            bump(&self.counters.discarded);
            return; // dropped here: freed
        }
        let mut free = self.free_list();
        if free.len() >= self.config.max_buffers {
            drop(free);
            bump(&self.counters.discarded);
            return;
        }
        free.push(buf);
        drop(free);
        bump(&self.counters.returned);
        // lab:end
    }

    /// Buffers in the pool now.
    pub fn pooled(&self) -> usize {
        self.free_list().len()
    }

    pub fn stats(&self) -> Stats {
        let read = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            hits: read(&self.counters.hits),
            misses: read(&self.counters.misses),
            returned: read(&self.counters.returned),
            discarded: read(&self.counters.discarded),
        }
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
