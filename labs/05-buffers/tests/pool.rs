//! `BufferPool`: `put` keeps a buffer only within the limits, `get`
//! reuses before it allocates, and the bound holds across threads.

use bytes::{BufMut, BytesMut};
use lab05_buffers::{BufferPool, PoolConfig, PoolError, Stats};

const KIB: usize = 1024;

fn pool(buffer_capacity: usize, max_buffers: usize, max_capacity: usize) -> BufferPool {
    BufferPool::new(PoolConfig {
        buffer_capacity,
        max_buffers,
        max_capacity,
    })
    .expect("a valid configuration")
}

fn stats(hits: u64, misses: u64, returned: u64, discarded: u64) -> Stats {
    Stats {
        hits,
        misses,
        returned,
        discarded,
    }
}

#[test]
fn a_max_capacity_below_the_buffer_capacity_is_refused() {
    let err = BufferPool::new(PoolConfig {
        buffer_capacity: 64 * KIB,
        max_buffers: 4,
        max_capacity: 32 * KIB,
    })
    .expect_err("every buffer would be discarded");
    assert_eq!(
        err,
        PoolError::MaxBelowBufferCapacity {
            buffer_capacity: 64 * KIB,
            max_capacity: 32 * KIB
        }
    );
    assert!(
        err.to_string()
            .contains("every buffer would be dropped on return"),
        "{err}"
    );
}

#[test]
fn put_keeps_a_buffer_cleared() {
    let pool = pool(KIB, 4, 4 * KIB);
    let mut buf = BytesMut::with_capacity(KIB);
    buf.put_slice(b"left over from the last request");
    pool.put(buf);
    assert_eq!(pool.pooled(), 1);
    assert_eq!(pool.stats(), stats(0, 0, 1, 0));
    // The pool's `Debug` shows each kept buffer's bytes (`b"..."`): the one
    // kept has none left.
    let shown = format!("{pool:?}");
    assert!(
        !shown.contains("left over"),
        "kept with the last request's bytes: {shown}"
    );
    assert!(shown.contains("b\"\""), "no empty buffer kept: {shown}");
}

#[test]
fn put_drops_a_buffer_that_grew_past_the_maximum_capacity() {
    let pool = pool(KIB, 4, 4 * KIB);
    pool.put(BytesMut::with_capacity(4 * KIB + 1));
    assert_eq!(pool.pooled(), 0, "an oversized buffer is freed, not kept");
    assert_eq!(pool.stats(), stats(0, 0, 0, 1));
}

#[test]
fn put_keeps_a_buffer_of_exactly_the_maximum_capacity() {
    let pool = pool(KIB, 4, 4 * KIB);
    pool.put(BytesMut::with_capacity(4 * KIB));
    assert_eq!(pool.pooled(), 1);
    assert_eq!(pool.stats(), stats(0, 0, 1, 0));
}

#[test]
fn put_drops_a_buffer_split_below_the_buffer_capacity() {
    let pool = pool(KIB, 4, 4 * KIB);
    let mut buf = BytesMut::with_capacity(KIB);
    buf.put_bytes(b'x', 100);
    let head = buf.split_to(100); // `buf` keeps the last 924 bytes of room
    assert!(buf.capacity() < KIB);
    pool.put(buf);
    assert_eq!(
        pool.pooled(),
        0,
        "a buffer smaller than the configured capacity is not reused"
    );
    assert_eq!(pool.stats(), stats(0, 0, 0, 1));
    assert_eq!(&head[..], &[b'x'; 100][..]);
}

#[test]
fn put_never_holds_more_than_max_buffers() {
    let pool = pool(KIB, 2, 4 * KIB);
    for _ in 0..3 {
        pool.put(BytesMut::with_capacity(KIB));
    }
    assert_eq!(pool.pooled(), 2);
    assert_eq!(pool.stats(), stats(0, 0, 2, 1));
}

#[test]
fn put_with_max_buffers_zero_keeps_nothing() {
    let pool = pool(KIB, 0, 4 * KIB);
    pool.put(BytesMut::with_capacity(KIB));
    pool.put(BytesMut::with_capacity(2 * KIB));
    assert_eq!(pool.pooled(), 0, "max_buffers 0 keeps no buffer");
    assert_eq!(pool.stats(), stats(0, 0, 0, 2));
}

#[test]
fn put_with_no_upper_capacity_limit_keeps_a_buffer_of_any_capacity() {
    let pool = pool(KIB, 4, usize::MAX);
    pool.put(BytesMut::with_capacity(KIB));
    pool.put(BytesMut::with_capacity(8 * KIB));
    assert_eq!(pool.pooled(), 2);
    assert_eq!(pool.stats(), stats(0, 0, 2, 0));
}

#[test]
fn get_on_an_empty_pool_allocates_a_buffer_of_the_configured_capacity() {
    let pool = pool(64 * KIB, 4, 128 * KIB);
    let buf = pool.get();
    assert!(buf.is_empty());
    assert_eq!(buf.capacity(), 64 * KIB);
    assert_eq!(pool.stats(), stats(0, 1, 0, 0));
}

#[test]
fn get_reuses_a_returned_buffer_cleared_and_counts_a_hit() {
    let pool = pool(KIB, 4, 4 * KIB);
    let first = {
        let mut buf = pool.get();
        buf.put_slice(b"request one");
        buf.as_ptr().addr()
    }; // dropped: back in the pool
    assert_eq!(pool.pooled(), 1);
    let buf = pool.get();
    assert_eq!(
        buf.as_ptr().addr(),
        first,
        "the same memory, not a new allocation"
    );
    assert!(buf.is_empty(), "cleared on return: {:?}", &buf[..]);
    assert_eq!(pool.pooled(), 0);
    assert_eq!(pool.stats(), stats(1, 1, 1, 0));
}

/// Last in, first out: the buffer returned last (the likeliest still in
/// cache) is the first one handed out again.
#[test]
fn get_hands_out_the_most_recently_returned_buffer_first() {
    let pool = pool(KIB, 4, 4 * KIB);
    let older = BytesMut::with_capacity(KIB);
    let newer = BytesMut::with_capacity(KIB);
    let (older_at, newer_at) = (older.as_ptr().addr(), newer.as_ptr().addr());
    pool.put(older);
    pool.put(newer);
    let first = pool.get();
    let second = pool.get();
    assert_eq!(
        (first.as_ptr().addr(), second.as_ptr().addr()),
        (newer_at, older_at),
        "the newest buffer first, then the older one"
    );
    assert_eq!(pool.stats(), stats(2, 0, 2, 0));
}

#[test]
fn get_then_drop_of_a_buffer_grown_past_the_maximum_discards_it() {
    let pool = pool(KIB, 4, 4 * KIB);
    {
        let mut buf = pool.get();
        buf.put_bytes(0, 8 * KIB); // grows: reallocated past 4 KiB
    }
    assert_eq!(pool.pooled(), 0);
    let buf = pool.get();
    assert_eq!(buf.capacity(), KIB, "a fresh buffer, not the grown one");
    assert_eq!(pool.stats(), stats(0, 2, 0, 1));
}

#[test]
fn get_and_return_from_several_threads_keeps_the_bound_and_the_counts() {
    #[cfg(not(miri))]
    const ROUNDS: usize = 2000;
    #[cfg(miri)]
    const ROUNDS: usize = 20;
    const THREADS: usize = 4;
    let pool = pool(4 * KIB, 3, 8 * KIB);
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let pool = &pool;
            s.spawn(move || {
                for i in 0..ROUNDS {
                    let mut a = pool.get();
                    a.put_slice(&[t as u8; 64]);
                    // Sometimes two at once, so more are out than the pool keeps.
                    let b = (i % 3 == 0).then(|| pool.get());
                    assert!(
                        a.starts_with(&[t as u8; 64]),
                        "a buffer was shared between threads"
                    );
                    drop(b);
                    drop(a);
                    assert!(pool.pooled() <= 3, "the pool holds more than max_buffers");
                }
            });
        }
    });
    let st = pool.stats();
    let gets = (THREADS * (ROUNDS + ROUNDS.div_ceil(3))) as u64;
    assert_eq!(st.hits + st.misses, gets, "{st:?}");
    assert_eq!(
        st.returned + st.discarded,
        gets,
        "every buffer came back: {st:?}"
    );
    assert!(st.hits > 0, "{st:?}");
    assert!(pool.pooled() <= 3);
}
