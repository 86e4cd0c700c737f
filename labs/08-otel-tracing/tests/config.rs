//! The standard `OTEL_*` variables: what each one changes, and the clear
//! error a bad value gets. The environment is passed as a function, so the
//! tests never touch the process environment.

mod common;

use std::time::Duration;

use lab08_otel_tracing::config::{DEFAULT_OTLP_ENDPOINT, otlp_endpoint, sampler_from_env};
use lab08_otel_tracing::{Config, Error, Exporter, MemoryExporter, Sampler, build};

fn with_env(vars: &[(&str, &str)]) -> Result<Config, Error> {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut config = Config::new("from-code");
    config.log = lab08_otel_tracing::Log::Off;
    config.with_env_from(move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
}

fn endpoint(config: &Config) -> &str {
    match &config.exporter {
        Exporter::Otlp { endpoint } => endpoint,
        other => panic!("expected OTLP, got {other:?}"),
    }
}

/// The message of an `Error::Env`, checked to name `var`.
fn env_error(result: Result<Config, Error>, var: &str) -> String {
    match result {
        Err(error @ Error::Env { var: v, .. }) if v == var => error.to_string(),
        other => panic!("expected an error about {var}, got {other:?}"),
    }
}

#[test]
fn an_empty_environment_keeps_the_defaults_from_code() {
    let config = with_env(&[]).expect("valid");
    assert_eq!(config.service_name, "from-code");
    assert_eq!(endpoint(&config), DEFAULT_OTLP_ENDPOINT);
    assert_eq!(config.sampler, Sampler::ParentBasedAlwaysOn);
    assert_eq!(config.batch.max_queue_size, 2048);
    assert_eq!(config.batch.export_timeout, Duration::from_secs(10));
    assert!(config.otel_enabled);
    assert_eq!(config.filter, "info");
}

#[test]
fn empty_values_count_as_unset() {
    let config =
        with_env(&[("OTEL_SERVICE_NAME", ""), ("OTEL_TRACES_SAMPLER", "  ")]).expect("valid");
    assert_eq!(config.service_name, "from-code");
    assert_eq!(config.sampler, Sampler::ParentBasedAlwaysOn);
}

#[test]
fn the_service_name_comes_from_otel_service_name() {
    let config = with_env(&[("OTEL_SERVICE_NAME", "payment-service")]).expect("valid");
    assert_eq!(config.service_name, "payment-service");
}

#[test]
fn the_base_endpoint_gets_the_traces_path_appended() {
    for base in ["http://collector:4318", "http://collector:4318/"] {
        let config = with_env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", base)]).expect("valid");
        assert_eq!(endpoint(&config), "http://collector:4318/v1/traces");
    }
}

#[test]
fn the_traces_endpoint_is_used_as_given_and_wins() {
    let config = with_env(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"),
        (
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "http://traces:9999/custom",
        ),
    ])
    .expect("valid");
    assert_eq!(endpoint(&config), "http://traces:9999/custom");
}

#[test]
fn an_endpoint_variable_switches_a_local_exporter_to_otlp() {
    let mut config = Config::new("svc");
    config.exporter = Exporter::Memory(MemoryExporter::new());
    let config = config
        .with_env_from(|name| {
            (name == "OTEL_EXPORTER_OTLP_ENDPOINT").then(|| "http://127.0.0.1:4318".to_string())
        })
        .expect("valid");
    assert_eq!(endpoint(&config), "http://127.0.0.1:4318/v1/traces");
}

#[test]
fn bad_endpoints_are_errors_that_name_the_variable() {
    let message = env_error(
        with_env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")]),
        "OTEL_EXPORTER_OTLP_ENDPOINT",
    );
    assert!(message.contains("collector:4318"), "{message}");
    assert!(message.contains("http://"), "{message}");
    // The value as the operator wrote it, not the URL built from it.
    assert!(
        message.starts_with("OTEL_EXPORTER_OTLP_ENDPOINT=\"collector:4318\" is not valid: "),
        "{message}"
    );

    let message = env_error(
        with_env(&[(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "https://api.vendor.example/v1/traces",
        )]),
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    );
    assert!(message.contains("TLS"), "{message}");

    env_error(
        with_env(&[("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://exa mple/")]),
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    );
}

#[test]
fn endpoint_resolution_without_variables_is_none() {
    assert!(otlp_endpoint(None, None).expect("no error").is_none());
}

#[test]
fn every_sampler_name_of_the_specification_is_understood() {
    let cases = [
        ("always_on", None, Sampler::AlwaysOn),
        ("always_off", None, Sampler::AlwaysOff),
        ("traceidratio", Some("0.5"), Sampler::TraceIdRatio(0.5)),
        ("traceidratio", None, Sampler::TraceIdRatio(1.0)),
        // Both ends of [0, 1] are valid ratios.
        ("traceidratio", Some("1"), Sampler::TraceIdRatio(1.0)),
        ("traceidratio", Some("0"), Sampler::TraceIdRatio(0.0)),
        ("parentbased_always_on", None, Sampler::ParentBasedAlwaysOn),
        (
            "parentbased_always_off",
            None,
            Sampler::ParentBasedAlwaysOff,
        ),
        (
            "parentbased_traceidratio",
            Some("0.1"),
            Sampler::ParentBasedTraceIdRatio(0.1),
        ),
        (
            "parentbased_traceidratio",
            Some(" 0 "),
            Sampler::ParentBasedTraceIdRatio(0.0),
        ),
        // Surrounding whitespace is not part of the name, as for the ARG.
        (" always_off\n", None, Sampler::AlwaysOff),
    ];
    for (name, arg, expected) in cases {
        assert_eq!(
            sampler_from_env(Some(name), arg).expect("valid"),
            Some(expected),
            "{name} {arg:?}"
        );
    }
    assert_eq!(sampler_from_env(None, Some("0.5")).expect("valid"), None);
}

/// The message of `sampler_from_env`'s error, which must name `var`.
/// (Called directly, not through `Config::with_env`, which also resolves
/// the endpoint: that is the next task.)
fn sampler_error(name: &str, arg: Option<&str>, var: &str) -> String {
    match sampler_from_env(Some(name), arg) {
        Err(error @ Error::Env { var: v, .. }) if v == var => error.to_string(),
        other => panic!("{name} {arg:?}: expected an error about {var}, got {other:?}"),
    }
}

#[test]
fn an_unknown_sampler_is_an_error_listing_the_known_ones() {
    let message = sampler_error("sometimes", None, "OTEL_TRACES_SAMPLER");
    assert!(message.contains("sometimes"), "{message}");
    assert!(message.contains("parentbased_traceidratio"), "{message}");
    // Known to the specification, not to this lab: still an error.
    sampler_error("jaeger_remote", None, "OTEL_TRACES_SAMPLER");
}

#[test]
fn a_bad_sampler_argument_is_an_error_not_a_silent_default() {
    for arg in ["1,5", "1.5", "-0.1", "NaN", "ten percent"] {
        for name in ["traceidratio", "parentbased_traceidratio"] {
            let message = sampler_error(name, Some(arg), "OTEL_TRACES_SAMPLER_ARG");
            assert!(message.contains("between 0 and 1"), "{message}");
            assert!(message.contains(arg), "{message}");
        }
    }
}

#[test]
fn from_env_reports_a_bad_sampler_with_its_variable() {
    let message = env_error(
        with_env(&[("OTEL_TRACES_SAMPLER", "sometimes")]),
        "OTEL_TRACES_SAMPLER",
    );
    assert!(message.contains("sometimes"), "{message}");
}

#[test]
fn otel_sdk_disabled_accepts_true_and_false_only() {
    assert!(
        !with_env(&[("OTEL_SDK_DISABLED", "true")])
            .expect("valid")
            .otel_enabled
    );
    assert!(
        !with_env(&[("OTEL_SDK_DISABLED", "TRUE")])
            .expect("valid")
            .otel_enabled
    );
    assert!(
        with_env(&[("OTEL_SDK_DISABLED", "false")])
            .expect("valid")
            .otel_enabled
    );
    let message = env_error(
        with_env(&[("OTEL_SDK_DISABLED", "yes")]),
        "OTEL_SDK_DISABLED",
    );
    assert!(message.contains("`true` or `false`"), "{message}");
}

#[test]
fn batch_limits_and_timeouts_come_from_the_environment() {
    let config = with_env(&[
        ("OTEL_BSP_MAX_QUEUE_SIZE", "100"),
        ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10"),
        ("OTEL_BSP_SCHEDULE_DELAY", "250"),
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "1000"),
        ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2000"),
    ])
    .expect("valid");
    assert_eq!(config.batch.max_queue_size, 100);
    assert_eq!(config.batch.max_export_batch_size, 10);
    assert_eq!(config.batch.scheduled_delay, Duration::from_millis(250));
    assert_eq!(
        config.batch.export_timeout,
        Duration::from_millis(2000),
        "the traces timeout wins over the general one"
    );
}

#[test]
fn bad_numbers_are_errors() {
    for (var, value) in [
        ("OTEL_BSP_MAX_QUEUE_SIZE", "0"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "lots"),
        ("OTEL_BSP_SCHEDULE_DELAY", "-5"),
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "10s"),
    ] {
        env_error(with_env(&[(var, value)]), var);
    }
}

#[test]
fn a_batch_larger_than_the_queue_is_rejected_not_clamped() {
    match with_env(&[
        ("OTEL_BSP_MAX_QUEUE_SIZE", "10"),
        ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "100"),
    ]) {
        Err(Error::Config(message)) => {
            assert!(message.contains("larger than the queue"), "{message}")
        }
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn build_rejects_what_validate_rejects() {
    let _turn = common::one_at_a_time();
    let mut config = Config::new("svc");
    config.sampler = Sampler::TraceIdRatio(2.0);
    assert!(matches!(build(config), Err(Error::Config(_))));

    let mut config = Config::new("  ");
    config.exporter = Exporter::Memory(MemoryExporter::new());
    assert!(matches!(build(config), Err(Error::Config(_))));
}

#[test]
fn a_bad_endpoint_set_in_code_is_an_error_that_names_it() {
    let _turn = common::one_at_a_time();
    let mut config = Config::new("svc");
    config.exporter = Exporter::Otlp {
        endpoint: "localhost:4318".into(),
    };
    match build(config) {
        Err(Error::Config(message)) => {
            assert!(message.contains("\"localhost:4318\""), "{message}");
            assert!(message.contains("http://"), "{message}");
        }
        other => panic!("expected a config error, got {:?}", other.err()),
    }
}

#[test]
fn a_bad_log_filter_is_an_error_that_shows_the_syntax() {
    let _turn = common::one_at_a_time();
    let mut config = Config::new("svc");
    config.exporter = Exporter::Memory(MemoryExporter::new());
    config.filter = "info,[=".into();
    match build(config) {
        Err(error @ Error::Filter(_)) => {
            assert!(error.to_string().contains("RUST_LOG"), "{error}");
            // The parser's own message stays reachable, as the source.
            let chain = lab08_otel_tracing::export::error_chain(&error);
            assert!(chain.len() > error.to_string().len() + 2, "{chain}");
        }
        other => panic!("expected a filter error, got {:?}", other.err()),
    }
}
