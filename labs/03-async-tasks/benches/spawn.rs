//! What a task costs: spawn N trivial tasks and wait for all of them, in the
//! patterns Tokio code uses, on 2 workers (and on the current-thread runtime).
//!
//! The Go peer is `go-interop/goroutines` (`BenchmarkSpawnJoin`, the same
//! N, GOMAXPROCS 2 and 1); `labs/03-async-tasks/compare_with_go.py` runs
//! both in one sitting and prints the ratios that the README quotes.

use std::hint::black_box;

use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use tokio::runtime::{Builder, Runtime};
use tokio::task::{JoinHandle, JoinSet};

async fn joinset(n: u64) {
    let mut set = JoinSet::new();
    for i in 0..n {
        set.spawn(async move { black_box(i) });
    }
    while let Some(done) = set.join_next().await {
        black_box(done.ok());
    }
}

async fn handles(n: u64) {
    let handles: Vec<JoinHandle<u64>> = (0..n)
        .map(|i| tokio::spawn(async move { black_box(i) }))
        .collect();
    for h in handles {
        black_box(h.await.ok());
    }
}

fn multi_thread() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a 2-worker runtime")
}

fn current_thread() -> Runtime {
    Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
}

fn spawn_join(c: &mut Criterion) {
    let mt = multi_thread();
    let ct = current_thread();
    for n in [1_000u64, 100_000] {
        let mut g = c.benchmark_group("spawn_join");
        g.throughput(Throughput::Elements(n));
        if n > 10_000 {
            // ~10-40 ms per iteration: few, equal-sized samples.
            g.sampling_mode(SamplingMode::Flat)
                .sample_size(20)
                .measurement_time(Duration::from_secs(6));
        }
        g.bench_with_input(
            BenchmarkId::new("multi2_joinset_block_on", n),
            &n,
            |b, &n| b.iter(|| mt.block_on(joinset(n))),
        );
        g.bench_with_input(BenchmarkId::new("multi2_vec_block_on", n), &n, |b, &n| {
            b.iter(|| mt.block_on(handles(n)))
        });
        // Spawning from inside a worker puts new tasks on that worker's
        // local queue (no cross-thread inject queue, no wake-ups).
        g.bench_with_input(
            BenchmarkId::new("multi2_joinset_in_worker", n),
            &n,
            |b, &n| b.iter(|| mt.block_on(async { tokio::spawn(joinset(n)).await.ok() })),
        );
        g.bench_with_input(BenchmarkId::new("multi2_vec_in_worker", n), &n, |b, &n| {
            b.iter(|| mt.block_on(async { tokio::spawn(handles(n)).await.ok() }))
        });
        g.bench_with_input(BenchmarkId::new("current_joinset", n), &n, |b, &n| {
            b.iter(|| ct.block_on(joinset(n)))
        });
        g.bench_with_input(BenchmarkId::new("current_vec", n), &n, |b, &n| {
            b.iter(|| ct.block_on(handles(n)))
        });
        g.finish();
    }
}

criterion_group!(benches, spawn_join);
criterion_main!(benches);
