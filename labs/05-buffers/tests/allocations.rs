//! What must not allocate at all. A zero-length `AlignedBuf`: `alloc` with
//! a size of 0 is undefined behaviour, and its empty slice needs no memory,
//! only an aligned pointer. A `BufferPool::get` that finds a pooled buffer
//! (a hit): reusing it is the point of the pool. The global allocator of
//! this test binary counts each thread's calls to it
//! ([`lab_support::allocations`]).

use bytes::BytesMut;
use lab_support::allocations;
use lab05_buffers::{AlignedBuf, BufferPool, PoolConfig};

#[global_allocator]
static GLOBAL: lab_support::CountingAllocator = lab_support::CountingAllocator;

#[test]
fn new_zero_length_buffer_allocates_nothing() {
    for align in [1, 2, 8, 16, 64, 4096] {
        let (buf, made) = allocations(|| AlignedBuf::try_new(0, align));
        assert_eq!(made, 0, "try_new(0, {align}) called the allocator");
        let buf = buf.expect("zero bytes");
        assert!(buf.is_empty());
        assert_eq!(buf.as_ptr().addr() % align, 0, "aligned to {align}");
    }
}

#[test]
fn get_on_a_hit_allocates_nothing() {
    let pool = BufferPool::new(PoolConfig {
        buffer_capacity: 1024,
        max_buffers: 4,
        max_capacity: 4096,
    })
    .expect("a valid configuration");
    pool.put(BytesMut::with_capacity(1024));
    let (buf, made) = allocations(|| pool.get());
    assert_eq!(made, 0, "a hit allocated a buffer it did not need");
    assert_eq!(buf.capacity(), 1024);
    drop(buf);
    assert_eq!(pool.stats().hits, 1);
}
