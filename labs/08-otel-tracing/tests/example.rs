//! The `payment_service` example, run as a program against a real OTLP
//! receiver. `cargo test` builds the examples before it runs the tests
//! (unless a `--test` filter is given), and `lab_support::example` finds it.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{Receiver, str_attr};

fn example() -> PathBuf {
    lab_support::example("payment_service")
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(example());
    command.args(args).env("NO_COLOR", "1");
    // The test's own environment must not leak OTEL_* settings in.
    for (key, _) in std::env::vars() {
        if key.starts_with("OTEL_") || key == "RUST_LOG" {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command.output().expect("run payment_service")
}

#[test]
fn every_span_of_every_request_reaches_the_collector() {
    let receiver = Receiver::start();
    let base = receiver.base_url();
    let output = run(
        &["--requests", "5"],
        &[("OTEL_EXPORTER_OTLP_ENDPOINT", &base)],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("served 5 payments (1 declined)"),
        "{stderr}"
    );

    // Orders 1..=5; order 3 is declined: 5 × (request, fraud check,
    // charge) + 4 ledger writes.
    let spans = receiver.wait_for_spans(19);
    assert_eq!(spans.len(), 19, "{stderr}");
    assert!(stderr.contains("19 spans ended: 19 exported"), "{stderr}");
    for (resource, _) in &spans {
        assert_eq!(str_attr(resource, "service.name"), Some("payment-service"));
    }
    let named = |name: &'static str| spans.iter().map(|(_, s)| s).filter(move |s| s.name == name);
    let requests: Vec<_> = named("handle_payment").collect();
    assert_eq!(requests.len(), 5);
    for request in &requests {
        assert!(request.parent_span_id.is_empty(), "each request is a root");
        let children: Vec<_> = spans
            .iter()
            .map(|(_, s)| s)
            .filter(|s| s.parent_span_id == request.span_id)
            .collect();
        assert!(children.iter().any(|s| s.name == "fraud_check"));
        assert!(
            children.iter().any(|s| s.name == "charge_card"),
            "the spawned charge keeps the request as its parent"
        );
        for child in children {
            assert_eq!(child.trace_id, request.trace_id);
        }
    }
    let declined: Vec<_> = named("charge_card")
        .filter(|s| s.status.as_ref().is_some_and(|st| st.code == 2)) // STATUS_CODE_ERROR
        .collect();
    assert_eq!(declined.len(), 1);
    assert!(declined[0].events.iter().any(|e| e.name == "exception"));
    assert_eq!(named("ledger_write").count(), 4);
}

#[test]
fn with_the_collector_down_it_still_exits_and_says_what_was_lost() {
    let url = common::refusing_url();
    let output = run(
        &["--requests", "2"],
        &[
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", &url),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "500"),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("0 exported, 8 failed to export"),
        "{stderr}"
    );
    assert!(stderr.contains("Connection refused"), "{stderr}");
}

#[test]
fn a_bad_environment_value_is_reported_with_exit_code_2() {
    let output = run(
        &[],
        &[
            ("OTEL_TRACES_SAMPLER_ARG", "10%"),
            ("OTEL_TRACES_SAMPLER", "traceidratio"),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("OTEL_TRACES_SAMPLER_ARG=\"10%\" is not valid"),
        "{stderr}"
    );
}

#[test]
fn stdout_mode_prints_a_line_per_span() {
    let output = run(&["--requests", "1", "--stdout"], &[]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Order 1 is approved: request, fraud check, charge, ledger write.
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.contains(" handle_payment ") && l.contains("outcome=approved"))
    );
}
