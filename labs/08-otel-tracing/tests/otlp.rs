//! Real export: OTLP over HTTP/protobuf to a receiver on 127.0.0.1 that
//! decodes what arrives with `opentelemetry-proto`.

mod common;

use common::{Receiver, str_attr};
use lab08_otel_tracing::{Config, Exporter, build};
use tracing::info_span;

fn export_one_request(config: Config) -> lab08_otel_tracing::ShutdownReport {
    let (dispatch, guard) = build(config).expect("build");
    tracing::dispatcher::with_default(&dispatch, || {
        info_span!("handle_payment", order_id = 7_i64).in_scope(|| {
            tracing::info!(amount_cents = 1250_i64, "payment accepted");
            info_span!("ledger.write").in_scope(|| ());
        });
    });
    guard.shutdown()
}

#[test]
fn spans_arrive_with_resource_names_parent_links_and_events() {
    let _turn = common::one_at_a_time();
    let receiver = Receiver::start();
    let config = common::config(Exporter::Otlp {
        endpoint: receiver.traces_url(),
    });
    let report = export_one_request(config);
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.stats.exported, 2);

    let spans = receiver.wait_for_spans(2);
    assert_eq!(spans.len(), 2);
    let (resource, parent) = spans
        .iter()
        .find(|(_, s)| s.name == "handle_payment")
        .expect("handle_payment");
    let (_, child) = spans
        .iter()
        .find(|(_, s)| s.name == "ledger.write")
        .expect("ledger.write");
    assert_eq!(str_attr(resource, "service.name"), Some("test-service"));
    assert_eq!(str_attr(resource, "service.version"), Some("9.9.9"));
    assert_eq!(child.trace_id, parent.trace_id);
    assert_eq!(child.parent_span_id, parent.span_id);
    assert!(
        parent.parent_span_id.is_empty(),
        "the request span is a root"
    );
    assert_eq!(parent.trace_id.len(), 16);
    assert_eq!(parent.span_id.len(), 8);
    assert_eq!(parent.events.len(), 1);
    assert_eq!(parent.events[0].name, "payment accepted");
    assert!(parent.end_time_unix_nano >= parent.start_time_unix_nano);
}

#[test]
fn the_environment_names_the_collector_and_the_service() {
    let _turn = common::one_at_a_time();
    let receiver = Receiver::start();
    let base = receiver.base_url();
    let config = common::config(Exporter::Stdout)
        .with_env_from(|name| match name {
            // A base URL: `/v1/traces` is appended.
            "OTEL_EXPORTER_OTLP_ENDPOINT" => Some(base.clone()),
            "OTEL_SERVICE_NAME" => Some("checkout".into()),
            _ => None,
        })
        .expect("valid environment");
    let report = export_one_request(config);
    assert!(report.is_clean(), "{report}");
    let spans = receiver.wait_for_spans(2);
    assert_eq!(spans.len(), 2);
    assert_eq!(str_attr(&spans[0].0, "service.name"), Some("checkout"));
}

#[test]
fn a_collector_that_rejects_the_request_counts_the_spans_as_failed() {
    let _turn = common::one_at_a_time();
    let receiver = Receiver::start();
    // The receiver answers 404 to any path but /v1/traces.
    let config = common::config(Exporter::Otlp {
        endpoint: format!("{}/wrong/path", receiver.base_url()),
    });
    let report = export_one_request(config);
    assert_eq!(report.stats.failed, 2, "{report}");
    assert_eq!(report.stats.exported, 0);
    assert!(!report.is_clean());
    assert!(receiver.requests().is_empty());
}
