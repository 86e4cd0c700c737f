//! What the OpenTelemetry layer makes of `tracing` spans, read back from
//! the in-memory exporter: parent links across tasks, attributes, late
//! fields, events, error status, sampling, filtering.

mod common;

use std::time::Duration;

use lab08_otel_tracing::{
    Config, Exporter, MemoryExporter, Sampler, SpanStats, TelemetryGuard, build,
};
use opentelemetry::trace::{SpanId, Status, TraceContextExt, TraceId};
use opentelemetry::{KeyValue, Value};
use opentelemetry_sdk::trace::SpanData;
use tracing::dispatcher::DefaultGuard;
use tracing::{Instrument, info_span};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The pipeline with an in-memory exporter, installed for this thread
/// (`#[tokio::test]` runs every task on the test's thread).
fn memory(change: impl FnOnce(&mut Config)) -> (DefaultGuard, TelemetryGuard, MemoryExporter) {
    let memory = MemoryExporter::new();
    let mut config = common::config(Exporter::Memory(memory.clone()));
    change(&mut config);
    let (dispatch, guard) = build(config).expect("build the pipeline");
    (tracing::dispatcher::set_default(&dispatch), guard, memory)
}

/// A pipeline with a queue of 8 and batches of 8 that has ended 1000
/// `burst` spans while its exporter was paused: the batch thread took the
/// first 8 and was stuck exporting them, the next 8 filled the queue and
/// the rest found it full. (Unpaused, the thread may keep up and drop
/// nothing.) The exporter runs again when this returns.
fn burst_past_a_queue_of_eight() -> (DefaultGuard, TelemetryGuard, MemoryExporter) {
    let (default, guard, memory) = memory(|c| {
        c.batch.max_queue_size = 8;
        c.batch.max_export_batch_size = 8;
        c.batch.scheduled_delay = Duration::from_secs(60);
    });
    let paused = memory.pause();
    for _ in 0..1000 {
        info_span!("burst").in_scope(|| ());
    }
    drop(paused);
    (default, guard, memory)
}

/// Spawns the task `make` returns from inside a `handle_payment` request
/// span, waits for it and flushes. `make` runs inside the span, so an
/// `.in_current_span()` there captures the request span.
async fn spawn_from_a_request<F>(guard: &TelemetryGuard, make: impl FnOnce() -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    async {
        tokio::spawn(make()).await.expect("task");
    }
    .instrument(info_span!("handle_payment"))
    .await;
    guard.force_flush().expect("flush");
}

/// Flushes and returns the one span called `name`.
fn one(memory: &MemoryExporter, name: &str) -> SpanData {
    let mut spans = memory.named(name);
    assert_eq!(
        spans.len(),
        1,
        "expected one `{name}` span, got {}",
        spans.len()
    );
    spans.remove(0)
}

fn attr(span: &SpanData, key: &str) -> Option<Value> {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.clone())
}

#[tokio::test]
async fn a_task_spawned_in_current_span_is_a_child_of_it() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|_| {});
    spawn_from_a_request(&guard, || {
        async { info_span!("charge_card").in_scope(|| ()) }.in_current_span()
    })
    .await;

    let parent = one(&memory, "handle_payment");
    let child = one(&memory, "charge_card");
    assert_eq!(
        child.span_context.trace_id(),
        parent.span_context.trace_id()
    );
    assert_eq!(child.parent_span_id, parent.span_context.span_id());
    assert_eq!(
        parent.parent_span_id,
        SpanId::INVALID,
        "the request span is a root"
    );
}

#[tokio::test]
async fn a_detached_spawn_starts_a_new_trace() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|_| {});
    // No `.in_current_span()`: the task does not carry the span along, so
    // inside it there is no current span and the new span is a root.
    spawn_from_a_request(&guard, || async { info_span!("audit_log").in_scope(|| ()) }).await;

    let parent = one(&memory, "handle_payment");
    let detached = one(&memory, "audit_log");
    assert_ne!(
        detached.span_context.trace_id(),
        parent.span_context.trace_id()
    );
    assert_eq!(detached.parent_span_id, SpanId::INVALID);
}

#[tokio::test]
async fn fields_late_records_and_events_are_exported() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|_| {});
    let span = info_span!(
        "charge_card",
        order_id = 42_i64,
        currency = "EUR",
        outcome = tracing::field::Empty
    );
    span.in_scope(|| {
        tracing::info!(attempt = 1_i64, "calling the card network");
    });
    span.record("outcome", "approved");
    drop(span);
    guard.force_flush().expect("flush");

    let span = one(&memory, "charge_card");
    assert_eq!(attr(&span, "order_id"), Some(Value::I64(42)));
    assert_eq!(attr(&span, "currency"), Some(Value::from("EUR")));
    assert_eq!(
        attr(&span, "outcome"),
        Some(Value::from("approved")),
        "a field recorded after creation becomes an attribute"
    );
    let events: Vec<_> = span.events.iter().collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].name, "calling the card network");
    assert!(
        events[0]
            .attributes
            .contains(&KeyValue::new("attempt", 1_i64)),
        "event fields are event attributes"
    );
}

#[derive(Debug)]
struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("card declined")
    }
}

impl std::error::Error for Declined {}

#[tracing::instrument(err)]
async fn charge(amount: i64) -> Result<i64, Declined> {
    if amount > 100 {
        Err(Declined)
    } else {
        Ok(amount)
    }
}

#[tokio::test]
async fn instrument_err_sets_error_status_and_an_exception_event() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|_| {});
    assert!(charge(500).await.is_err());
    assert!(charge(5).await.is_ok());
    guard.force_flush().expect("flush");

    let spans = memory.named("charge");
    assert_eq!(spans.len(), 2);
    let failed = spans
        .iter()
        .find(|s| attr(s, "amount") == Some(Value::I64(500)))
        .expect("the failed charge");
    assert_eq!(
        failed.status,
        Status::Error {
            description: "card declined".into()
        }
    );
    let exception = failed
        .events
        .iter()
        .find(|e| e.name == "exception")
        .expect("an exception event");
    assert!(
        exception
            .attributes
            .contains(&KeyValue::new("exception.message", "card declined")),
        "attributes: {:?}",
        exception.attributes
    );
    let ok = spans
        .iter()
        .find(|s| attr(s, "amount") == Some(Value::I64(5)))
        .expect("the good charge");
    assert_eq!(ok.status, Status::Unset);
    assert!(ok.events.is_empty());
}

#[tokio::test]
async fn always_off_records_nothing_but_spans_still_have_a_context() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|c| c.sampler = Sampler::AlwaysOff);
    let span = info_span!("handle_payment");
    let cx = span.context();
    // Not sampled, yet the trace id exists: a downstream service that
    // samples by itself can still join the same trace.
    assert_ne!(cx.span().span_context().trace_id(), TraceId::INVALID);
    assert!(!cx.span().span_context().is_sampled());
    drop(span);
    guard.force_flush().expect("flush");
    assert!(memory.spans().is_empty());
    assert_eq!(
        guard.stats().ended,
        0,
        "unsampled spans never reach the processor"
    );
}

#[tokio::test]
async fn parent_based_ratio_follows_a_sampled_parent_even_at_ratio_zero() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|c| c.sampler = Sampler::ParentBasedTraceIdRatio(0.0));
    // A remote parent that was sampled upstream (flags 01).
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "traceparent",
        http::HeaderValue::from_static("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    );
    let span = info_span!("from_sampled_parent");
    lab08_otel_tracing::propagation::continue_trace(&span, &headers).expect("set parent");
    span.in_scope(|| info_span!("local_child").in_scope(|| ()));
    drop(span);
    // A root: ratio 0 samples no root.
    info_span!("root").in_scope(|| ());
    guard.force_flush().expect("flush");

    let joined = one(&memory, "from_sampled_parent");
    assert_eq!(
        joined.span_context.trace_id().to_string(),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(
        one(&memory, "local_child").parent_span_id,
        joined.span_context.span_id()
    );
    assert!(
        memory.named("root").is_empty(),
        "a ratio of 0 samples no root"
    );
}

#[tokio::test]
async fn trace_id_ratio_samples_about_that_fraction_of_roots() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|c| {
        c.sampler = Sampler::ParentBasedTraceIdRatio(0.25);
        c.batch.max_queue_size = 4096;
    });
    for _ in 0..2000 {
        info_span!("request").in_scope(|| ());
    }
    guard.force_flush().expect("flush");
    let kept = memory.named("request").len();
    // Binomial(2000, 0.25): mean 500, sd ≈ 19. 400..600 is over 5 sd.
    assert!(
        (400..600).contains(&kept),
        "kept {kept} of 2000 at ratio 0.25"
    );
}

#[tokio::test]
async fn the_filter_decides_which_spans_exist() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|c| c.filter = "info".into());
    tracing::debug_span!("cache_lookup").in_scope(|| ());
    info_span!("handle_payment").in_scope(|| ());
    guard.force_flush().expect("flush");
    assert!(memory.named("cache_lookup").is_empty());
    assert_eq!(memory.named("handle_payment").len(), 1);
    // The guard counts through the same counters as the processor and the
    // exporter: the one span that exists ended and was exported.
    assert_eq!(
        guard.stats(),
        SpanStats {
            ended: 1,
            exported: 1,
            failed: 0
        }
    );
}

#[tokio::test]
async fn the_filter_decides_which_spans_exist_and_the_queue_size_how_many_wait() {
    let _turn = common::one_at_a_time();
    // With the SDK's default queue (2048), all 1000 spans would wait and
    // then be exported.
    let (_default, guard, memory) = burst_past_a_queue_of_eight();
    guard.force_flush().expect("flush");
    let exported = memory.named("burst").len();
    assert!(
        exported <= 16,
        "a queue of 8 let {exported} of 1000 spans through"
    );
    assert_eq!(
        guard.stats().ended,
        1000,
        "every span that ended is counted, dropped or not"
    );
}

#[tokio::test]
async fn otel_disabled_exports_nothing_and_logging_still_works() {
    let _turn = common::one_at_a_time();
    let captured = common::Captured::default();
    let memory = MemoryExporter::new();
    let mut config = common::config(Exporter::Memory(memory.clone()));
    config.otel_enabled = false;
    config.log = lab08_otel_tracing::Log::Writer(captured.make_writer());
    let (dispatch, guard) = build(config).expect("build");
    tracing::dispatcher::with_default(&dispatch, || {
        info_span!("handle_payment").in_scope(|| tracing::info!("payment accepted"));
    });
    let report = guard.shutdown();
    assert!(memory.spans().is_empty());
    assert_eq!(report.stats.ended, 0);
    assert!(
        captured.text().contains("payment accepted"),
        "{}",
        captured.text()
    );
}

#[tokio::test]
async fn shutdown_exports_what_is_still_queued_and_reports_it() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|c| {
        // Long enough that nothing is sent on the timer before shutdown.
        c.batch.scheduled_delay = Duration::from_secs(60);
    });
    for _ in 0..10 {
        info_span!("queued").in_scope(|| ());
    }
    assert!(memory.spans().is_empty(), "still in the batch queue");
    let report = guard.shutdown();
    assert_eq!(memory.named("queued").len(), 10);
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.stats.ended, 10);
    assert_eq!(report.stats.exported, 10);
    assert_eq!(report.dropped, 0);
}

#[tokio::test]
async fn shutdown_exports_what_is_still_queued_and_reports_it_or_its_timeout() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|c| {
        c.batch.scheduled_delay = Duration::from_secs(60);
        c.shutdown_timeout = Duration::from_millis(200);
    });
    for _ in 0..3 {
        info_span!("stuck").in_scope(|| ());
    }
    // The exporter stays paused for the whole shutdown: the final export
    // cannot finish, so the shutdown ends at its own bound (not the SDK's
    // default 5 s), says so, and counts the three spans as not exported.
    let paused = memory.pause();
    let report = guard.shutdown();
    drop(paused);
    assert!(report.timed_out, "{report}");
    assert_eq!(
        report.error.as_deref(),
        Some("Operation failed: Shutdown errors: [Timeout(200ms)]"),
        "{report}"
    );
    assert_eq!(
        report.stats,
        SpanStats {
            ended: 3,
            exported: 0,
            failed: 0
        }
    );
    assert_eq!(report.dropped, 3);
}

#[tokio::test]
async fn dropping_the_guard_flushes_too() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = memory(|c| c.batch.scheduled_delay = Duration::from_secs(60));
    info_span!("last_request").in_scope(|| ());
    drop(guard);
    assert_eq!(memory.named("last_request").len(), 1);
}

#[tokio::test]
async fn dropping_the_guard_flushes_too_unless_shutdown_already_did() {
    let _turn = common::one_at_a_time();
    let log = common::Captured::default();
    let writer = log.clone();
    let (_default, guard, memory) = memory(move |c| {
        c.batch.scheduled_delay = Duration::from_secs(60);
        c.log = lab08_otel_tracing::Log::Writer(writer.make_writer());
    });
    info_span!("last_request").in_scope(|| ());
    // `shutdown` consumes the guard, so its `Drop` runs right after: it
    // must find nothing left to shut down, and report nothing.
    let report = guard.shutdown();
    assert!(report.is_clean(), "{report}");
    assert_eq!(memory.named("last_request").len(), 1);
    let text = log.text();
    assert!(
        !text.contains("telemetry shut down"),
        "the guard shut down a second time:\n{text}"
    );
}

#[tokio::test]
async fn a_full_queue_drops_spans_and_counts_them() {
    let _turn = common::one_at_a_time();
    let (_default, guard, memory) = burst_past_a_queue_of_eight();
    let report = guard.shutdown();
    let exported = memory.named("burst").len() as u64;
    assert_eq!(report.stats.ended, 1000);
    assert_eq!(report.stats.exported, exported);
    assert!(
        exported <= 16,
        "a batch in flight and a full queue: {report}"
    );
    assert_eq!(report.dropped, 1000 - exported);
    assert!(!report.is_clean());
}

#[tokio::test]
async fn the_stdout_exporter_prints_one_line_per_span() {
    let _turn = common::one_at_a_time();
    use opentelemetry_sdk::trace::SpanExporter;

    let (_default, guard, memory) = memory(|_| {});
    info_span!("handle_payment", order_id = 42_i64).in_scope(|| {
        info_span!("charge_card").in_scope(|| ());
    });
    guard.force_flush().expect("flush");
    let spans = memory.spans();

    let out = common::Captured::default();
    let exporter = lab08_otel_tracing::StdoutExporter::to_writer(out.clone());
    exporter.export(spans.clone()).await.expect("export");
    let text = out.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let parent = one(&memory, "handle_payment");
    let child_line = lines
        .iter()
        .find(|l| l.contains(" charge_card "))
        .expect("the child's line");
    // trace id, span id, parent span id, name, duration
    let fields: Vec<&str> = child_line.split(' ').collect();
    assert_eq!(fields[0], parent.span_context.trace_id().to_string());
    assert_eq!(fields[2], parent.span_context.span_id().to_string());
    assert!(fields[4].ends_with("us"), "{child_line}");
    let parent_line = lines
        .iter()
        .find(|l| l.contains(" handle_payment "))
        .expect("the parent's line");
    assert_eq!(
        parent_line.split(' ').nth(2),
        Some("-"),
        "a root has no parent"
    );
    assert!(parent_line.contains(" order_id=42"), "{parent_line}");
}

#[tokio::test]
async fn a_closed_stdout_is_an_export_error_not_a_panic() {
    let _turn = common::one_at_a_time();
    use opentelemetry_sdk::trace::SpanExporter;

    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let (_default, guard, memory) = memory(|_| {});
    info_span!("handle_payment").in_scope(|| ());
    guard.force_flush().expect("flush");
    let exporter = lab08_otel_tracing::StdoutExporter::to_writer(Closed);
    let error = exporter
        .export(memory.spans())
        .await
        .expect_err("broken pipe");
    assert!(error.to_string().contains("writing spans"), "{error}");
}
