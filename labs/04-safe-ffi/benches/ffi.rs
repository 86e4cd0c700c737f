//! The cost of the C ABI boundary, and the core's throughput against the
//! named peer `libc::memcpy`, in one run.
//!
//! - `call/16B`: one `process_data` call through the `extern "C"` symbol on a
//!   16-byte keyword, next to the safe `process` on the same bytes.
//! - `1MiB`: 1 MiB of text that is already in normal form (so the transform
//!   is "the copy part") vs `memcpy` of the same size.
//!
//! Ratios are printed by `labs/04-safe-ffi/README.md`'s recipe from
//! criterion's estimates; nothing here asserts a time.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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

criterion_group!(benches, call_16b, copy_1mib);
criterion_main!(benches);
