//! The collector is down. The application must not notice: no panic, no
//! blocking beyond the export timeout, memory bounded by the queue, every
//! lost span counted, and shutdown back within its bound.
//!
//! These tests compare elapsed time with a *configured* bound (the export
//! or shutdown timeout) plus a wide margin. They check that a bound exists
//! (without one, each of them would hang forever), not how fast anything
//! is.

mod common;

use std::time::{Duration, Instant};

use common::{BlackHole, refusing_url};
use lab08_otel_tracing::{Exporter, ShutdownReport, build};
use tracing::info_span;

/// Slack for a slow, loaded machine on top of a configured bound.
const MARGIN: Duration = Duration::from_secs(3);

fn assert_accounted(report: &ShutdownReport) {
    let s = report.stats;
    assert_eq!(
        s.exported + s.failed + report.dropped,
        s.ended,
        "every span is exported, failed or dropped: {report}"
    );
}

#[test]
fn a_refused_connection_fails_the_export_and_counts_every_span() {
    let _turn = common::one_at_a_time();
    let mut config = common::config(Exporter::Otlp {
        endpoint: refusing_url(),
    });
    config.batch.export_timeout = Duration::from_millis(800);
    let (dispatch, guard) = build(config).expect("build");
    tracing::dispatcher::with_default(&dispatch, || {
        for i in 0..50_i64 {
            info_span!("handle_payment", i).in_scope(|| ());
        }
    });
    let report = guard.shutdown();
    assert_eq!(report.stats.ended, 50);
    assert_eq!(report.stats.exported, 0);
    assert_eq!(report.stats.failed, 50, "{report}");
    assert_accounted(&report);
    assert!(!report.is_clean());
    // Retries of a refused connection stop at the export deadline.
    assert!(
        report.elapsed < Duration::from_millis(800) + MARGIN,
        "{report}"
    );
}

#[test]
fn a_collector_that_never_answers_cannot_block_the_application() {
    let _turn = common::one_at_a_time();
    let hole = BlackHole::start();
    let mut config = common::config(Exporter::Otlp {
        endpoint: hole.traces_url(),
    });
    config.batch.export_timeout = Duration::from_secs(10);
    config.batch.max_queue_size = 64;
    config.batch.max_export_batch_size = 16;
    config.shutdown_timeout = Duration::from_millis(500);
    let (dispatch, guard) = build(config).expect("build");

    let produce = |n: i64| {
        tracing::dispatcher::with_default(&dispatch, || {
            for i in 0..n {
                info_span!("handle_payment", i).in_scope(|| ());
            }
        })
    };
    produce(16); // a full batch: the batch thread starts an export
    hole.wait_for_connection();

    // The batch thread is now stuck for up to 10 s. Ending spans only
    // enqueues (or drops), so the application goes on at full speed.
    let start = Instant::now();
    produce(10_000);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "ending spans waited for the exporter: {:?}",
        start.elapsed()
    );

    let report = guard.shutdown();
    assert!(
        report.timed_out,
        "the stuck export outlives the shutdown bound: {report}"
    );
    assert!(
        report.elapsed < Duration::from_millis(500) + MARGIN,
        "{report}"
    );
    assert_eq!(report.stats.ended, 10_016);
    assert_eq!(report.stats.exported, 0);
    // At most a queue plus the batch in flight can still be waiting; the
    // rest was dropped at the full queue.
    assert!(report.dropped >= 10_016 - 64 - 16, "{report}");
    assert_accounted(&report);
}

#[test]
fn an_export_to_a_silent_collector_ends_at_the_export_timeout() {
    let _turn = common::one_at_a_time();
    let hole = BlackHole::start();
    let mut config = common::config(Exporter::Otlp {
        endpoint: hole.traces_url(),
    });
    config.batch.export_timeout = Duration::from_millis(300);
    config.shutdown_timeout = Duration::from_secs(20);
    let (dispatch, guard) = build(config).expect("build");
    tracing::dispatcher::with_default(&dispatch, || {
        info_span!("handle_payment").in_scope(|| ());
    });
    // Shutdown waits for the final export, which the client abandons at
    // 300 ms: far inside the 20 s shutdown bound.
    let report = guard.shutdown();
    assert!(!report.timed_out, "{report}");
    assert_eq!(report.stats.failed, 1, "{report}");
    assert!(
        report.elapsed < Duration::from_millis(300) + MARGIN,
        "{report}"
    );
    assert!(hole.connections() >= 1);
}
