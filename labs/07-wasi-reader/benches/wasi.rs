//! Lab 07's benchmark: what a run costs, and reading through the sandbox
//! against reading natively.
//!
//! * `start/*`: running the guest on a small file (`--bytes`), three ways:
//!   `cold` compiles the module every time; `cached` loads the precompiled
//!   artifact from a [`ModuleCache`] (a file map) every time; `warm` reuses
//!   a `Module` already in memory (instantiation only).
//! * `read10MiB/*`: reading a 10 MiB file whole: `native` is
//!   `std::fs::read`; `guest-warm` and `guest-cached` are the guest doing
//!   the same `std::fs::read` (`--read`), including instantiation, with the
//!   module in memory or loaded from the cache.
//!
//! After criterion's output, the run prints the guest/native ratios measured
//! in interleaved rounds (this VM's speed drifts between criterion's
//! sequential benchmarks). Nothing here asserts a time.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

use common::{Scratch, guest, host};
use criterion::{Criterion, Throughput, criterion_group};
use lab_support::Quartiles;
use lab07_wasi_reader::cache::ModuleCache;
use lab07_wasi_reader::{Limits, Preopen};

const SIZE: usize = 10 << 20;

struct Fixture {
    _dir: Scratch,
    big: std::path::PathBuf,
    preopen: [Preopen; 1],
    cache: ModuleCache,
    module: wasmtime::Module,
    limits: Limits,
}

fn fixture() -> Fixture {
    let dir = Scratch::new("bench");
    dir.write("small.txt", b"hello");
    let data: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
    let big = dir.write("big.bin", &data);
    let preopen = [Preopen::read_only(dir.path(), "/d")];
    let cache = ModuleCache::new(dir.path().join("cache")).expect("cache dir");
    cache.load(host(), guest()).expect("warm the cache");
    let module = host().compile(guest()).expect("guest compiles");
    let limits = Limits {
        max_memory: 64 << 20,
        ..Limits::default()
    };
    Fixture {
        _dir: dir,
        big,
        preopen,
        cache,
        module,
        limits,
    }
}

fn run(f: &Fixture, module: &wasmtime::Module, args: &[&str]) -> usize {
    let out = host()
        .run(module, args, &f.preopen, &f.limits)
        .expect("guest runs");
    assert_eq!(out.exit_code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout.len()
}

fn cached(f: &Fixture) -> wasmtime::Module {
    let (module, status) = f.cache.load(host(), guest()).expect("cache load");
    assert_eq!(status, lab07_wasi_reader::cache::CacheStatus::Hit);
    module
}

const SMALL: &[&str] = &["wasi-cat", "--bytes", "/d/small.txt"];
const READ: &[&str] = &["wasi-cat", "--read", "/d/big.bin"];

fn benches(c: &mut Criterion) {
    let f = fixture();
    let mut g = c.benchmark_group("start");
    g.sample_size(10);
    g.bench_function("cold", |b| {
        b.iter(|| run(&f, &host().compile(guest()).expect("compile"), SMALL))
    });
    g.bench_function("cached", |b| b.iter(|| run(&f, &cached(&f), SMALL)));
    g.bench_function("warm", |b| b.iter(|| run(&f, &f.module, SMALL)));
    g.finish();

    let mut g = c.benchmark_group("read10MiB");
    g.throughput(Throughput::Bytes(SIZE as u64));
    g.sample_size(20);
    g.bench_function("native", |b| {
        b.iter(|| std::fs::read(black_box(&f.big)).expect("read").len())
    });
    g.bench_function("guest-warm", |b| b.iter(|| run(&f, &f.module, READ)));
    g.bench_function("guest-cached", |b| b.iter(|| run(&f, &cached(&f), READ)));
    g.finish();
    ratios(&f);
}

/// Guest/native ratios from interleaved rounds, medians with quartiles.
fn ratios(f: &Fixture) {
    const ROUNDS: usize = 21;
    let time = |work: &mut dyn FnMut()| {
        let start = Instant::now();
        work();
        start.elapsed().as_secs_f64()
    };
    // Case 0 is the native read each guest case is compared with, in the
    // same round.
    let times = lab_support::rounds(ROUNDS, 4, |case| match case {
        0 => time(&mut || {
            black_box(std::fs::read(&f.big).expect("read"));
        }),
        1 => time(&mut || {
            run(f, &f.module, READ);
        }),
        2 => time(&mut || {
            run(f, &cached(f), READ);
        }),
        _ => time(&mut || {
            run(f, &host().compile(guest()).expect("compile"), READ);
        }),
    });
    println!(
        "\n| reading 10 MiB | × native `std::fs::read` (median, IQR over {ROUNDS} interleaved rounds) |"
    );
    println!("|---|---:|");
    let names = [
        "guest, module in memory",
        "guest, module from the cache",
        "guest, compiled each time",
    ];
    for (name, case) in names.iter().zip(&times[1..]) {
        println!("| {name} | {} |", Quartiles::of_ratios(case, &times[0]));
    }
    let figures: Vec<lab_support::Figure> = ["guest-warm", "guest-cached", "guest-compiled"]
        .iter()
        .zip(&times[1..])
        .map(|(name, case)| lab_support::Figure {
            figure: format!("lab07/{name}-vs-native"),
            peer: "native std::fs::read".into(),
            ratio: Quartiles::of_ratios(case, &times[0]),
            rounds: ROUNDS,
            higher_is_better: false,
        })
        .collect();
    lab_support::save_ratios("07", &figures);
}

criterion_group!(group, benches);

fn main() {
    group();
    Criterion::default().configure_from_args().final_summary();
}
