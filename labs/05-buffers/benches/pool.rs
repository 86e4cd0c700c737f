//! The cost of one round of a pooled buffer: take a 64 KiB buffer, write
//! 4 KiB into it, give it back. `BufferPool` (this lab's) against a fresh
//! `BytesMut::with_capacity` each round and against the lock-free
//! `LinearObjectPool` of the `lockfree-object-pool` crate, on 1 and on 2
//! threads.
//!
//! Criterion measures each case; then the ratio table from interleaved
//! rounds (this VM's speed drifts between criterion's sequential
//! benchmarks), written to the lab's ratio file (`bench-ratios/lab05.json`).
//! `labs/05-buffers/compare_with_go.py` puts Go's `sync.Pool` next to it.
//! Nothing here asserts a time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::{BufMut, BytesMut};
use criterion::{Criterion, criterion_group};
use lab_support::{Figure, Quartiles};
use lab05_buffers::{BufferPool, PoolConfig};
use lockfree_object_pool::LinearObjectPool;

const CAPACITY: usize = 64 * 1024;
const WRITE: [u8; 4096] = [b'x'; 4096];

/// The cases, each one round of take, write, give back.
#[derive(Clone, Copy, Debug)]
enum Case {
    Pooled,
    Fresh,
    Peer,
}

struct Pools {
    ours: BufferPool,
    peer: LinearObjectPool<BytesMut>,
}

fn pools() -> Pools {
    Pools {
        ours: BufferPool::new(PoolConfig {
            buffer_capacity: CAPACITY,
            max_buffers: 16,
            max_capacity: CAPACITY,
        })
        .expect("a valid configuration"),
        peer: LinearObjectPool::new(|| BytesMut::with_capacity(CAPACITY), |b| b.clear()),
    }
}

fn round(pools: &Pools, case: Case) {
    match case {
        Case::Pooled => {
            let mut buf = pools.ours.get();
            buf.put_slice(black_box(&WRITE));
            black_box(buf.as_ptr());
        }
        Case::Fresh => {
            let mut buf = BytesMut::with_capacity(CAPACITY);
            buf.put_slice(black_box(&WRITE));
            black_box(buf.as_ptr());
        }
        Case::Peer => {
            let mut buf = pools.peer.pull();
            buf.put_slice(black_box(&WRITE));
            black_box(buf.as_ptr());
        }
    }
}

/// Nanoseconds per round for `n` rounds on each of `threads` threads.
fn time(pools: &Pools, case: Case, threads: usize, n: u64) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..n {
                    round(pools, case);
                }
            });
        }
    });
    start.elapsed().as_nanos() as f64 / (n * threads as u64) as f64
}

fn bench(c: &mut Criterion) {
    let pools = pools();
    for threads in [1, 2] {
        let mut group = c.benchmark_group(format!("round/{threads}t"));
        for case in [Case::Pooled, Case::Fresh, Case::Peer] {
            group.bench_function(format!("{case:?}").to_lowercase(), |b| {
                b.iter_custom(|iters| {
                    let per = iters.div_ceil(threads as u64).max(1);
                    Duration::from_nanos((time(&pools, case, threads, per) * iters as f64) as u64)
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench
}

/// The ratio table: per thread count, each case's median ns per round over
/// interleaved rounds, and the median per-round ratio of ours to the other
/// two.
fn ratios() {
    const ROUNDS: usize = 41;
    const N: u64 = 20_000;
    let pools = pools();
    let cases = [Case::Pooled, Case::Fresh, Case::Peer];
    let mut figures = Vec::new();
    println!("\n| threads | case | ns per round | pooled × this (IQR) |");
    println!("|---:|---|---:|---:|");
    for threads in [1, 2] {
        let times =
            lab_support::rounds(ROUNDS, cases.len(), |i| time(&pools, cases[i], threads, N));
        for (i, case) in cases.iter().enumerate() {
            let ratio = Quartiles::of_ratios(&times[0], &times[i]);
            println!(
                "| {threads} | {case:?} | {:.0} | {ratio} |",
                Quartiles::of(&times[i]).median
            );
        }
        for (i, name, peer) in [
            (1, "fresh", "BytesMut::with_capacity each round"),
            (2, "peer", "lockfree-object-pool 0.1 LinearObjectPool"),
        ] {
            figures.push(Figure {
                figure: format!("lab05/pooled-vs-{name}-{threads}t"),
                peer: peer.into(),
                ratio: Quartiles::of_ratios(&times[0], &times[i]),
                rounds: ROUNDS,
                higher_is_better: false,
            });
        }
    }
    lab_support::save_ratios("05", &figures);
}

fn main() {
    // One measurement for compare_with_go.py, which alternates it with Go's
    // (A B A B across processes): ns per pooled round on N threads.
    if let Some(threads) = std::env::var("LAB05_ONE_ROUND")
        .ok()
        .and_then(|t| t.parse().ok())
    {
        let pools = pools();
        time(&pools, Case::Pooled, threads, 20_000); // warm-up: the pool fills
        println!("pooled {:.1}", time(&pools, Case::Pooled, threads, 200_000));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    ratios();
}
