//! The SDK's own diagnostics (failed exports, dropped spans) arrive in the
//! same subscriber as the application's logs. The SDK emits them from its
//! batch thread, which only sees the *global* subscriber, so this test
//! binary uses `init`, once.

mod common;

use std::time::Duration;

use lab08_otel_tracing::{Error, Exporter, Log, init};
use tracing::info_span;

#[test]
fn export_failures_and_dropped_spans_show_up_in_the_log() {
    let captured = common::Captured::default();
    let mut config = common::config(Exporter::Otlp {
        endpoint: common::refusing_url(),
    });
    config.log = Log::Writer(captured.make_writer());
    config.filter = "info".into();
    config.batch.max_queue_size = 4;
    config.batch.max_export_batch_size = 4;
    config.batch.export_timeout = Duration::from_millis(300);
    let guard = init(config).expect("init");

    tracing::info!("service started");
    for _ in 0..100 {
        info_span!("handle_payment").in_scope(|| ());
    }
    let report = guard.shutdown();
    assert!(report.dropped > 0, "{report}");

    let log = captured.text();
    let has = |needle: &str| {
        assert!(log.contains(needle), "no `{needle}` in the log:\n{log}");
    };
    has("service started");
    // The lab's client logs the real cause, which the OTLP exporter
    // reduces to "network error".
    has("OTLP export request failed");
    has("Connection refused");
    // The SDK's batch processor: the failed export, and the drop count.
    has("BatchSpanProcessor.ExportError");
    has("BatchSpanProcessor.SpanDroppingStarted");
    has(&format!("dropped_span_count={}", report.dropped));

    // `init` installed the W3C propagator for code that uses the global
    // OpenTelemetry API.
    let fields: Vec<String> =
        opentelemetry::global::get_text_map_propagator(|p| p.fields().map(String::from).collect());
    assert!(fields.contains(&"traceparent".to_string()), "{fields:?}");

    // A second `init` in the same process is an error, not a panic.
    let again = init(common::config(Exporter::Stdout));
    assert!(matches!(again, Err(Error::AlreadyInitialized)), "{again:?}");
}
