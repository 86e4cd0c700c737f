//! [`Config`]: everything [`crate::init`] needs, with defaults from the
//! OpenTelemetry specification and overrides from the standard `OTEL_*`
//! environment variables.
//!
//! The SDK crates read some of these variables themselves, and quietly fall
//! back to a default when a value does not parse (`OTEL_TRACES_SAMPLER_ARG=
//! 1,5` becomes "always on" without a word). Here every variable is read
//! once, in [`Config::with_env`], and a bad value is an [`Error::Env`] that
//! names the variable, the value and what would have been accepted. The
//! resolved values are then passed to the SDK explicitly, which overrides
//! whatever the SDK would have read.

use std::fmt;
use std::time::Duration;

use tracing_subscriber::fmt::writer::BoxMakeWriter;

use crate::Error;
use crate::export::MemoryExporter;

/// Where finished spans go.
#[derive(Clone, Debug)]
pub enum Exporter {
    /// OTLP over HTTP with protobuf bodies, POSTed to this full URL (the
    /// traces endpoint, usually ending in `/v1/traces`). Plain `http` only:
    /// the lab builds hyper without a TLS connector.
    Otlp {
        /// For example `http://localhost:4318/v1/traces`.
        endpoint: String,
    },
    /// One line per span on standard output: for reading traces by eye.
    Stdout,
    /// Keep spans in memory; tests read them back from the handle.
    Memory(MemoryExporter),
}

/// Which traces are recorded and exported. The names follow the values of
/// `OTEL_TRACES_SAMPLER`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sampler {
    /// `always_on`: every trace.
    AlwaysOn,
    /// `always_off`: no trace. Spans still get ids, so context still
    /// propagates, but nothing is recorded or exported.
    AlwaysOff,
    /// `traceidratio`: this fraction of traces, decided from the trace id,
    /// so every service that sees the trace makes the same decision.
    TraceIdRatio(f64),
    /// `parentbased_always_on`: follow the parent's decision; roots are
    /// sampled. The specification's default.
    ParentBasedAlwaysOn,
    /// `parentbased_always_off`: follow the parent's decision; roots are not
    /// sampled.
    ParentBasedAlwaysOff,
    /// `parentbased_traceidratio`: follow the parent's decision; this
    /// fraction of roots is sampled.
    ParentBasedTraceIdRatio(f64),
}

impl Sampler {
    /// The SDK sampler this stands for.
    pub(crate) fn to_sdk(self) -> opentelemetry_sdk::trace::Sampler {
        use opentelemetry_sdk::trace::Sampler as S;
        let parent_based = |root: S| S::ParentBased(Box::new(root));
        match self {
            Sampler::AlwaysOn => S::AlwaysOn,
            Sampler::AlwaysOff => S::AlwaysOff,
            Sampler::TraceIdRatio(ratio) => S::TraceIdRatioBased(ratio),
            Sampler::ParentBasedAlwaysOn => parent_based(S::AlwaysOn),
            Sampler::ParentBasedAlwaysOff => parent_based(S::AlwaysOff),
            Sampler::ParentBasedTraceIdRatio(ratio) => parent_based(S::TraceIdRatioBased(ratio)),
        }
    }

    fn ratio(self) -> Option<f64> {
        match self {
            Sampler::TraceIdRatio(r) | Sampler::ParentBasedTraceIdRatio(r) => Some(r),
            _ => None,
        }
    }
}

/// The batch span processor's limits. Spans wait in a queue of at most
/// `max_queue_size`; when it is full, new spans are dropped (and counted)
/// instead of growing memory or blocking the application.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Batch {
    /// Spans held while waiting for export (`OTEL_BSP_MAX_QUEUE_SIZE`).
    pub max_queue_size: usize,
    /// Spans per export request (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`); at most
    /// `max_queue_size`.
    pub max_export_batch_size: usize,
    /// How often a partial batch is sent (`OTEL_BSP_SCHEDULE_DELAY`).
    pub scheduled_delay: Duration,
    /// How long one export may take, retries included
    /// (`OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, `OTEL_EXPORTER_OTLP_TIMEOUT`).
    pub export_timeout: Duration,
}

impl Default for Batch {
    /// The specification's defaults: 2048, 512, 5 s, 10 s.
    fn default() -> Self {
        Batch {
            max_queue_size: 2048,
            max_export_batch_size: 512,
            scheduled_delay: Duration::from_millis(5000),
            export_timeout: Duration::from_millis(10_000),
        }
    }
}

/// Where the human-readable log lines (the fmt layer) go.
pub enum Log {
    /// No fmt layer: events only reach the OpenTelemetry layer.
    Off,
    /// Standard error, coloured when it is a terminal and `NO_COLOR` is
    /// not set. Standard output
    /// stays free for the program (and for [`Exporter::Stdout`]).
    Stderr,
    /// Any writer, without colours; tests use it to read the diagnostics.
    Writer(BoxMakeWriter),
}

impl fmt::Debug for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Log::Off => "Off",
            Log::Stderr => "Stderr",
            Log::Writer(_) => "Writer(..)",
        })
    }
}

/// Everything [`crate::init`] sets up. Start from [`Config::new`] and
/// change fields, then call [`Config::with_env`] to let the environment
/// override them (the usual order: code sets defaults, operators override).
#[derive(Debug)]
pub struct Config {
    /// `service.name` on the resource (`OTEL_SERVICE_NAME`).
    pub service_name: String,
    /// `service.version` on the resource.
    pub service_version: String,
    /// Where spans go.
    pub exporter: Exporter,
    /// Which traces are kept.
    pub sampler: Sampler,
    /// The batch processor's queue, batch size, delay and export timeout.
    pub batch: Batch,
    /// How long dropping (or shutting down) the guard may take in total.
    pub shutdown_timeout: Duration,
    /// `EnvFilter` directives (`RUST_LOG` syntax), for example
    /// `info,payment=debug`. They decide which spans and events exist at
    /// all, for every layer.
    pub filter: String,
    /// The fmt layer.
    pub log: Log,
    /// `false` when `OTEL_SDK_DISABLED=true`: no OpenTelemetry layer and no
    /// exporter; logging still works.
    pub otel_enabled: bool,
}

/// The default OTLP/HTTP traces endpoint from the specification.
pub const DEFAULT_OTLP_ENDPOINT: &str = "http://localhost:4318/v1/traces";

impl Config {
    /// Defaults for `service_name`: OTLP to [`DEFAULT_OTLP_ENDPOINT`],
    /// parent-based always-on sampling, the specification's batch limits,
    /// a 5 s shutdown bound, filter `info`, logs to stderr.
    pub fn new(service_name: impl Into<String>) -> Self {
        Config {
            service_name: service_name.into(),
            service_version: env!("CARGO_PKG_VERSION").to_string(),
            exporter: Exporter::Otlp {
                endpoint: DEFAULT_OTLP_ENDPOINT.to_string(),
            },
            sampler: Sampler::ParentBasedAlwaysOn,
            batch: Batch::default(),
            shutdown_timeout: Duration::from_secs(5),
            filter: "info".to_string(),
            log: Log::Stderr,
            otel_enabled: true,
        }
    }

    /// Applies the process environment; see [`Config::with_env_from`].
    pub fn with_env(self) -> Result<Self, Error> {
        self.with_env_from(|name| std::env::var(name).ok())
    }

    /// Applies the variables `lookup` returns (an unset or empty variable
    /// changes nothing):
    ///
    /// | variable | field |
    /// |---|---|
    /// | `OTEL_SDK_DISABLED` (`true`/`false`) | `otel_enabled` |
    /// | `OTEL_SERVICE_NAME` | `service_name` |
    /// | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) | `exporter` |
    /// | `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces` appended) | `exporter` |
    /// | `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG` | `sampler` |
    /// | `OTEL_BSP_MAX_QUEUE_SIZE`, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, `OTEL_BSP_SCHEDULE_DELAY` (ms) | `batch` |
    /// | `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, `OTEL_EXPORTER_OTLP_TIMEOUT` (ms) | `batch.export_timeout` |
    /// | `RUST_LOG` | `filter` |
    ///
    /// An endpoint variable switches the exporter to OTLP, whatever it was.
    /// Then the whole configuration is checked ([`Config::validate`]).
    pub fn with_env_from(mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        if let Some(value) = var("OTEL_SDK_DISABLED") {
            self.otel_enabled = !parse_bool("OTEL_SDK_DISABLED", &value)?;
        }
        if let Some(name) = var("OTEL_SERVICE_NAME") {
            self.service_name = name;
        }
        if let Some(endpoint) = otlp_endpoint(
            var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").as_deref(),
            var("OTEL_EXPORTER_OTLP_ENDPOINT").as_deref(),
        )? {
            self.exporter = Exporter::Otlp { endpoint };
        }
        if let Some(sampler) = sampler_from_env(
            var("OTEL_TRACES_SAMPLER").as_deref(),
            var("OTEL_TRACES_SAMPLER_ARG").as_deref(),
        )? {
            self.sampler = sampler;
        }
        if let Some(v) = var("OTEL_BSP_MAX_QUEUE_SIZE") {
            self.batch.max_queue_size = parse_count("OTEL_BSP_MAX_QUEUE_SIZE", &v)?;
        }
        if let Some(v) = var("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") {
            self.batch.max_export_batch_size = parse_count("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", &v)?;
        }
        if let Some(v) = var("OTEL_BSP_SCHEDULE_DELAY") {
            self.batch.scheduled_delay = parse_millis("OTEL_BSP_SCHEDULE_DELAY", &v)?;
        }
        // The signal-specific variable wins over the general one.
        for name in [
            "OTEL_EXPORTER_OTLP_TIMEOUT",
            "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
        ] {
            if let Some(v) = var(name) {
                self.batch.export_timeout = parse_millis(name, &v)?;
            }
        }
        if let Some(filter) = var("RUST_LOG") {
            self.filter = filter;
        }
        self.validate()?;
        Ok(self)
    }

    /// Checks what the types cannot: ratios in `0..=1`, a non-empty
    /// service name, an export batch no larger than the queue, non-zero
    /// sizes and timeouts, an `http://` OTLP endpoint. `init` calls it too.
    pub fn validate(&self) -> Result<(), Error> {
        let invalid = |msg: String| Err(Error::Config(msg));
        if self.service_name.trim().is_empty() {
            return invalid(
                "the service name is empty; set it in Config::new or OTEL_SERVICE_NAME".into(),
            );
        }
        if let Some(ratio) = self.sampler.ratio()
            && !(0.0..=1.0).contains(&ratio)
        {
            return invalid(format!(
                "the sampling ratio must be between 0 and 1, not {ratio}"
            ));
        }
        let b = &self.batch;
        if b.max_queue_size == 0 || b.max_export_batch_size == 0 {
            return invalid(
                "the batch queue size and the export batch size must be at least 1".into(),
            );
        }
        if b.max_export_batch_size > b.max_queue_size {
            return invalid(format!(
                "the export batch size ({}) is larger than the queue ({}); lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE or raise OTEL_BSP_MAX_QUEUE_SIZE",
                b.max_export_batch_size, b.max_queue_size
            ));
        }
        if b.scheduled_delay.is_zero()
            || b.export_timeout.is_zero()
            || self.shutdown_timeout.is_zero()
        {
            return invalid(
                "the schedule delay, export timeout and shutdown timeout must be above zero".into(),
            );
        }
        if let Exporter::Otlp { endpoint } = &self.exporter {
            check_endpoint(endpoint).map_err(|why| {
                Error::Config(format!(
                    "the OTLP endpoint {endpoint:?} is not valid: expected {why}"
                ))
            })?;
        }
        Ok(())
    }
}

/// `true` or `false`, in any case. The specification treats anything else
/// as false; a typo such as `OTEL_SDK_DISABLED=yes` would then silently
/// keep the SDK on, so here it is an error.
fn parse_bool(name: &'static str, value: &str) -> Result<bool, Error> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Error::env(name, value, "`true` or `false`")),
    }
}

fn parse_count(name: &'static str, value: &str) -> Result<usize, Error> {
    match value.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Error::env(name, value, "a whole number above zero")),
    }
}

fn parse_millis(name: &'static str, value: &str) -> Result<Duration, Error> {
    match value.trim().parse::<u64>() {
        Ok(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
        _ => Err(Error::env(
            name,
            value,
            "milliseconds, a whole number above zero",
        )),
    }
}

// lab:begin(sampler_env) Turn `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` into a Sampler: the six names of the specification (`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`); the ratio ones take the ARG (default 1.0), which must parse as a number in 0..=1. An unknown name or a bad ARG is `Error::Env` naming the variable. No sampler variable means `Ok(None)`.
/// The sampler named by `OTEL_TRACES_SAMPLER` (`name`) and its argument
/// (`arg`), or `None` when no sampler is named.
pub fn sampler_from_env(name: Option<&str>, arg: Option<&str>) -> Result<Option<Sampler>, Error> {
    let Some(name) = name else {
        return Ok(None);
    };
    let ratio = || -> Result<f64, Error> {
        let Some(arg) = arg else {
            return Ok(1.0); // the specification's default argument
        };
        match arg.trim().parse::<f64>() {
            Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
            _ => Err(Error::env(
                "OTEL_TRACES_SAMPLER_ARG",
                arg,
                "a sampling ratio between 0 and 1, such as 0.1",
            )),
        }
    };
    let sampler = match name.trim() {
        "always_on" => Sampler::AlwaysOn,
        "always_off" => Sampler::AlwaysOff,
        "traceidratio" => Sampler::TraceIdRatio(ratio()?),
        "parentbased_always_on" => Sampler::ParentBasedAlwaysOn,
        "parentbased_always_off" => Sampler::ParentBasedAlwaysOff,
        "parentbased_traceidratio" => Sampler::ParentBasedTraceIdRatio(ratio()?),
        _ => {
            return Err(Error::env(
                "OTEL_TRACES_SAMPLER",
                name,
                "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio",
            ));
        }
    };
    Ok(Some(sampler))
}
// lab:starter
// /// The sampler named by `OTEL_TRACES_SAMPLER` (`name`) and its argument
// /// (`arg`), or `None` when no sampler is named.
// pub fn sampler_from_env(name: Option<&str>, arg: Option<&str>) -> Result<Option<Sampler>, Error> {
//     todo!("sampler_env: match the six names; parse the ratio for the two ratio samplers")
// }
// lab:end

// lab:begin(endpoint) Resolve the OTLP traces URL: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used exactly as given; otherwise `OTEL_EXPORTER_OTLP_ENDPOINT` is a base URL and gets `/v1/traces` appended (without doubling a trailing `/`); neither means `Ok(None)`. Check the result with `check_endpoint` and report a bad one as `Error::Env` naming the variable it came from.
/// The OTLP traces URL the two endpoint variables name, if any.
pub fn otlp_endpoint(
    traces_endpoint: Option<&str>,
    base_endpoint: Option<&str>,
) -> Result<Option<String>, Error> {
    let (name, url) = match (traces_endpoint, base_endpoint) {
        (Some(url), _) => ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", url.trim().to_string()),
        (None, Some(base)) => (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            format!("{}/v1/traces", base.trim().trim_end_matches('/')),
        ),
        (None, None) => return Ok(None),
    };
    match check_endpoint(&url) {
        Ok(()) => Ok(Some(url)),
        Err(why) => Err(Error::env(
            name,
            traces_endpoint.or(base_endpoint).unwrap_or_default(),
            why,
        )),
    }
}
// lab:starter
// /// The OTLP traces URL the two endpoint variables name, if any.
// pub fn otlp_endpoint(
//     traces_endpoint: Option<&str>,
//     base_endpoint: Option<&str>,
// ) -> Result<Option<String>, Error> {
//     todo!("endpoint: the traces variable as is, or the base variable + /v1/traces")
// }
// lab:end

/// An OTLP/HTTP endpoint this lab can send to: an absolute `http://` URL
/// with a host. `https` is refused here, at start-up, because the hyper
/// client is built without TLS and would otherwise fail on every export.
pub(crate) fn check_endpoint(url: &str) -> Result<(), String> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e| format!("an http:// URL such as {DEFAULT_OTLP_ENDPOINT} ({e})"))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => {
            return Err(
                "an http:// URL: this build has no TLS client, so put a local collector in front of a TLS endpoint"
                    .into(),
            );
        }
        _ => {
            return Err(format!(
                "an absolute http:// URL such as {DEFAULT_OTLP_ENDPOINT}"
            ));
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!(
            "a URL with a host, such as {DEFAULT_OTLP_ENDPOINT}"
        ));
    }
    Ok(())
}
