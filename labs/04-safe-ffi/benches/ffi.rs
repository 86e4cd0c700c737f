//! The cost of the C ABI boundary, and the core's throughput against the
//! named peer `libc::memcpy`, in one run.
//!
//! - `call/16B`: one `process_data` call through the `extern "C"` symbol on a
//!   16-byte keyword, next to the safe `process` on the same bytes.
//! - `1MiB`: 1 MiB of text that is already in normal form (so the transform
//!   is "the copy part") vs `memcpy` of the same size.
//!
//! After criterion, the 1 MiB pair again in interleaved rounds (this VM's
//! speed drifts between criterion's sequential benchmarks): the median
//! per-round speed ratio to memcpy with its quartiles, printed and written
//! to the lab's ratio file (`bench-ratios/lab04.json`). Nothing here
//! asserts a time.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group};
use lab04_safe_ffi::ffi::process_data;
use lab04_safe_ffi::process;

const KEYWORD: &[u8; 16] = b"  Senior RUST   ";

/// 1 MiB of lower-case, single-spaced words: already normalised.
fn normalised_text(len: usize) -> Vec<u8> {
    let words = [
        "rust",
        "tokio",
        "async",
        "wasm",
        "ffi",
        "kubernetes",
        "grpc",
        "etcd",
    ];
    let mut out = Vec::with_capacity(len + 16);
    let mut i = 0;
    while out.len() < len {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(words[i % words.len()].as_bytes());
        i += 1;
    }
    out.truncate(len);
    while out.last() == Some(&b' ') {
        out.pop();
        out.push(b'x');
    }
    out
}

fn call_16b(c: &mut Criterion) {
    let mut g = c.benchmark_group("call");
    g.throughput(Throughput::Bytes(16));
    let mut out = [0u8; 16];
    g.bench_function("16B/process_data_c_abi", |b| {
        b.iter(|| {
            // SAFETY: both buffers are live 16-byte arrays that do not overlap.
            unsafe { process_data(black_box(KEYWORD.as_ptr()), 16, out.as_mut_ptr(), out.len()) }
        })
    });
    g.bench_function("16B/process_safe", |b| {
        b.iter(|| process(black_box(KEYWORD), &mut out))
    });
    g.finish();
}

fn copy_1mib(c: &mut Criterion) {
    const LEN: usize = 1 << 20;
    let input = normalised_text(LEN);
    let mut out = vec![0u8; LEN];
    let mut check = vec![0u8; LEN];
    assert_eq!(
        process(&input, &mut check),
        Ok(LEN),
        "the input is already normal"
    );
    let mut g = c.benchmark_group("1MiB");
    g.throughput(Throughput::Bytes(LEN as u64));
    g.bench_function("memcpy", |b| {
        b.iter(|| {
            // SAFETY: `out` and `input` are distinct live allocations of LEN bytes.
            unsafe {
                libc::memcpy(
                    out.as_mut_ptr().cast(),
                    black_box(input.as_ptr()).cast(),
                    LEN,
                )
            }
        })
    });
    g.bench_function("process_data_c_abi", |b| {
        b.iter(|| {
            // SAFETY: as above; `out` has room for LEN bytes.
            unsafe { process_data(black_box(input.as_ptr()), LEN, out.as_mut_ptr(), LEN) }
        })
    });
    g.finish();
}

/// The interleaved ratio: memcpy's time over ours in the same round, so
/// 1.0 is memcpy's speed and higher is better.
fn ratio_1mib() {
    const LEN: usize = 1 << 20;
    const ROUNDS: usize = 101;
    const CALLS: u32 = 32;
    let input = normalised_text(LEN);
    let mut out = vec![0u8; LEN];
    let times = lab_support::rounds(ROUNDS, 2, |case| {
        let start = std::time::Instant::now();
        for _ in 0..CALLS {
            // SAFETY: `out` and `input` are distinct live allocations of LEN bytes.
            unsafe {
                if case == 0 {
                    black_box(process_data(
                        black_box(input.as_ptr()),
                        LEN,
                        out.as_mut_ptr(),
                        LEN,
                    ));
                } else {
                    libc::memcpy(
                        out.as_mut_ptr().cast(),
                        black_box(input.as_ptr()).cast(),
                        LEN,
                    );
                }
            }
        }
        start.elapsed().as_secs_f64()
    });
    let ratio = lab_support::Quartiles::of_ratios(&times[1], &times[0]);
    let gib_s = |t: f64| (LEN as f64 * f64::from(CALLS)) / t / f64::from(1u32 << 30);
    println!(
        "\n1 MiB of already-normal text through the C ABI: {:.1} GiB/s, memcpy {:.1} GiB/s; speed × memcpy (median, IQR over {ROUNDS} interleaved rounds): {ratio}",
        gib_s(lab_support::Quartiles::of(&times[0]).median),
        gib_s(lab_support::Quartiles::of(&times[1]).median),
    );
    let figure = lab_support::Figure {
        figure: "lab04/normal-1MiB-vs-memcpy".into(),
        peer: "libc::memcpy (speed)".into(),
        ratio,
        rounds: ROUNDS,
        higher_is_better: true,
    };
    lab_support::save_ratios("04", &[figure]);
}

criterion_group!(benches, call_16b, copy_1mib);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    ratio_1mib();
}
