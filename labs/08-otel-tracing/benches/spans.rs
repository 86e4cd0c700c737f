//! What a span costs the application thread, in ns per span (create with
//! two fields, enter, exit, close), for each step of the pipeline:
//!
//! 1. registry only: `tracing` with a `Registry` and no layer;
//! 2. registry + `EnvFilter` (`info`), the filter every setup has;
//! 3. + the OpenTelemetry layer with `always_off`: spans get ids, nothing
//!      is recorded;
//! 4. + OpenTelemetry with `always_on` and batch export (to the in-memory
//!      exporter, so the network is not measured);
//! 5. + OpenTelemetry with a parent-based 10% ratio.
//!
//! Criterion measures each, then a ratio table from interleaved rounds
//! (this VM's speed drifts, so ratios are taken within a round) compares
//! each row with "registry only", run in the same process. The batch
//! thread's own work (moving spans to the exporter) runs on another core
//! and is not in these numbers; the "dropped" column says whether it kept
//! up.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use lab_support::Quartiles;
use lab08_otel_tracing::{Config, Exporter, Log, MemoryExporter, Sampler, TelemetryGuard, build};
use tracing::{Dispatch, info_span};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::{EnvFilter, Registry};

/// One unit of work: a request span with two fields.
#[inline(never)]
fn one_span(i: i64) {
    info_span!("handle_payment", order_id = i, amount_cents = 1250_i64).in_scope(|| black_box(i));
}

struct Setup {
    name: &'static str,
    dispatch: Dispatch,
    otel: Option<(TelemetryGuard, MemoryExporter)>,
}

impl Setup {
    /// Empties the batch queue and the exporter's store, outside timing,
    /// so memory stays flat however long criterion runs.
    fn drain(&self) {
        if let Some((guard, memory)) = &self.otel {
            let _ = guard.force_flush();
            memory.clear();
        }
    }

    /// `n` spans; ns per span.
    fn run(&self, n: i64) -> f64 {
        let _default = tracing::dispatcher::set_default(&self.dispatch);
        let start = Instant::now();
        for i in 0..n {
            one_span(i);
        }
        let elapsed = start.elapsed();
        drop(_default);
        self.drain();
        elapsed.as_nanos() as f64 / n as f64
    }
}

fn otel(name: &'static str, sampler: Sampler) -> Setup {
    let memory = MemoryExporter::new();
    let mut config = Config::new("bench");
    config.exporter = Exporter::Memory(memory.clone());
    config.sampler = sampler;
    config.log = Log::Off;
    let (dispatch, guard) = build(config).expect("build");
    Setup {
        name,
        dispatch,
        otel: Some((guard, memory)),
    }
}

fn setups() -> Vec<Setup> {
    vec![
        Setup {
            name: "registry only",
            dispatch: Dispatch::new(Registry::default()),
            otel: None,
        },
        Setup {
            name: "registry + EnvFilter",
            dispatch: Dispatch::new(Registry::default().with(EnvFilter::new("info"))),
            otel: None,
        },
        otel("+ OTel layer, always_off", Sampler::AlwaysOff),
        otel("+ OTel, always_on, batch export", Sampler::AlwaysOn),
        otel(
            "+ OTel, parent-based 10% ratio",
            Sampler::ParentBasedTraceIdRatio(0.1),
        ),
    ]
}

fn spans(c: &mut Criterion) {
    let mut group = c.benchmark_group("span");
    for setup in setups() {
        group.bench_function(setup.name, |b| {
            b.iter_custom(|iters| {
                let n = iters.max(1) as i64;
                Duration::from_nanos((setup.run(n) * n as f64) as u64)
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = spans
}

/// The README's table: per setup, the median ns per span over interleaved
/// rounds, and the median per-round ratio to "registry only" with its
/// interquartile range.
fn print_table() {
    const ROUNDS: usize = 41;
    const SPANS: i64 = 20_000;
    let setups = setups();
    let times = lab_support::rounds(ROUNDS, setups.len(), |i| setups[i].run(SPANS));
    println!("\n| setup | ns per span | × registry only (IQR) | spans dropped |");
    println!("|---|---:|---:|---:|");
    for (i, setup) in setups.iter().enumerate() {
        let ns = Quartiles::of(&times[i]).median;
        let ratio = Quartiles::of_ratios(&times[i], &times[0]);
        let dropped = match &setup.otel {
            Some((guard, _)) => {
                let stats = guard.stats();
                format!("{} of {}", stats.not_exported(), stats.ended)
            }
            None => "–".to_string(),
        };
        println!("| {} | {ns:.0} | {ratio} | {dropped} |", setup.name);
    }
    // The figures the performance goals are about, by setup name.
    let figures: Vec<lab_support::Figure> = setups
        .iter()
        .enumerate()
        .filter_map(|(i, setup)| {
            let figure = match setup.name {
                n if n.contains("always_off") => "always_off",
                n if n.contains("10% ratio") => "ratio10",
                n if n.contains("always_on") => "always_on-batch",
                _ => return None,
            };
            Some(lab_support::Figure {
                figure: format!("lab08/{figure}-vs-registry"),
                peer: "a bare tracing registry".into(),
                ratio: Quartiles::of_ratios(&times[i], &times[0]),
                rounds: ROUNDS,
                higher_is_better: false,
            })
        })
        .collect();
    lab_support::save_ratios("08", &figures);
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    print_table();
}
