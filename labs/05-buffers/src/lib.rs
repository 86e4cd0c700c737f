//! Lab 05: buffers. The article's §3.2 contrasts Go's `sync.Pool` with
//! Rust's "zero-cost" buffers; this crate is the corrected Rust side.
//!
//! - [`aligned`]: [`AlignedBuf`], an owned zeroed buffer at a chosen
//!   power-of-two alignment, freed with the exact layout it was allocated
//!   with (the article's `allocate_aligned` frees 64-byte-aligned memory as
//!   a `Box<[u8]>`, with alignment 1: undefined behaviour; see
//!   `examples/article_allocate_aligned.rs` and run it under Miri).
//! - [`pool`]: [`BufferPool`], a bounded thread-safe pool of `BytesMut`
//!   buffers whose guard returns the buffer, cleared, on drop; oversized
//!   buffers are dropped, and the bound is explicit (unlike `sync.Pool`).
//!
//! Every `unsafe` block is in `aligned.rs`, each with the invariant it
//! relies on; the tests run under Miri with `-Zmiri-strict-provenance`
//! (`make miri`).

pub mod aligned;
pub mod pool;

pub use aligned::{AlignError, AlignedBuf, layout_for};
pub use pool::{BufferPool, PoolConfig, PoolError, Pooled, Stats};
