//! Lab 08: a production `tracing` + OpenTelemetry setup, for real.
//!
//! The article's §3.3 sets up tracing with
//! `stdout::new_pipeline().install_batch(runtime::Tokio).unwrap()`: an API
//! that no longer exists, a panic on bad configuration, and no guard, so the
//! last batch of spans is lost when `main` returns. This crate is the
//! current version, on opentelemetry 0.33 and tracing-opentelemetry 0.34.
//!
//! * [`Config`] (in [`config`]): service, exporter, sampler, batch limits,
//!   timeouts, log filter; [`Config::with_env`] applies the standard
//!   `OTEL_*` variables and rejects bad values.
//! * [`init`] installs it for the whole process and returns a
//!   [`TelemetryGuard`]; [`build`] returns the subscriber instead, for
//!   tests and for programs that run several setups.
//! * [`TelemetryGuard`]: flushes and shuts the pipeline down when dropped,
//!   within a time bound, and reports what was exported and what was lost.
//! * [`export`]: the in-memory and stdout exporters, span accounting, and
//!   the HTTP client the OTLP exporter runs on.
//! * [`propagation`]: W3C `traceparent` in and out of HTTP headers.
//! * `pipeline` (private; its items are re-exported here): [`build`],
//!   [`init`], the tracer provider and [`TelemetryGuard`].
//!
//! The pipeline, from a `tracing` span to the collector:
//!
//! ```text
//! tracing::span! ─► Registry ─► EnvFilter ─┬─► fmt layer (stderr)
//!                                          └─► OpenTelemetry layer ─► Sampler
//!   ─► BatchSpanProcessor (bounded queue, own thread) ─► exporter
//!   ─► OTLP/HTTP (hyper, on a small Tokio runtime) ─► collector
//! ```

pub mod config;
pub mod export;
mod pipeline;
pub mod propagation;

use std::fmt;

pub use config::{Batch, Config, Exporter, Log, Sampler};
pub use export::{MemoryExporter, Paused, SpanStats, StdoutExporter};
pub use pipeline::{ShutdownReport, TelemetryGuard, build, init};

/// Why the telemetry could not be set up.
#[derive(Debug)]
pub enum Error {
    /// An environment variable has a value that means nothing here.
    Env {
        /// The variable.
        var: &'static str,
        /// Its value.
        value: String,
        /// What would have been accepted.
        expected: String,
    },
    /// The configuration contradicts itself (see [`Config::validate`]).
    Config(String),
    /// The log filter (`RUST_LOG` or [`Config::filter`]) does not parse;
    /// the parser's error is the source.
    Filter(tracing_subscriber::filter::ParseError),
    /// The exporter could not be built: what was being built, and why
    /// (the source).
    Exporter {
        /// What failed, such as "the OTLP exporter".
        what: &'static str,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A global subscriber is already installed: [`init`] runs once per
    /// process.
    AlreadyInitialized,
}

impl Error {
    /// [`Error::Exporter`]: building `what` failed because of `source`.
    /// An error type, not `Into<Box<dyn Error>>`: that would also take a
    /// `String`, and `e.to_string()` would flatten the cause again.
    pub(crate) fn exporter(
        what: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Exporter {
            what,
            source: Box::new(source),
        }
    }

    pub(crate) fn env(var: &'static str, value: &str, expected: impl Into<String>) -> Self {
        Error::Env {
            var,
            value: value.to_string(),
            expected: expected.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Env {
                var,
                value,
                expected,
            } => write!(f, "{var}={value:?} is not valid: expected {expected}"),
            Error::Config(msg) => write!(f, "invalid telemetry configuration: {msg}"),
            // The cause is the source, not part of this text: a report
            // that walks the chain (`export::error_chain`) shows it once.
            Error::Filter(_) => write!(
                f,
                "invalid log filter (the syntax is RUST_LOG's, such as `info,my_crate=debug`)"
            ),
            Error::Exporter { what, .. } => write!(f, "cannot build the span exporter: {what}"),
            Error::AlreadyInitialized => write!(
                f,
                "a global tracing subscriber is already installed; call init once, or use build"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Filter(e) => Some(e),
            Error::Exporter { source, .. } => Some(source.as_ref()),
            Error::Env { .. } | Error::Config(_) | Error::AlreadyInitialized => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Error;
    use crate::export::error_chain;

    #[test]
    fn exporter_errors_keep_their_cause_as_the_source() {
        let cause = std::io::Error::other("no threads left");
        let error = Error::exporter("the export runtime", cause);
        assert_eq!(
            error.to_string(),
            "cannot build the span exporter: the export runtime"
        );
        let source = std::error::Error::source(&error).map(|s| s.to_string());
        assert_eq!(source.as_deref(), Some("no threads left"));
        assert_eq!(
            error_chain(&error),
            "cannot build the span exporter: the export runtime: no threads left"
        );
    }
}
