//! W3C trace context (`traceparent`, `tracestate`) in and out of HTTP
//! headers.
//!
//! The article credits tracing-opentelemetry with "automatic" W3C
//! propagation. Nothing crosses a process boundary automatically: the
//! client must write its span's context into the request headers, and the
//! server must read it back and make it the parent of its own span. These
//! two functions are that code. They use the W3C propagator directly (the
//! wire format is fixed by the standard), so they work with or without the
//! global propagator that [`crate::init`] installs.

use http::HeaderMap;
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry_http::{HeaderExtractor, HeaderInjector};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing_opentelemetry::{OpenTelemetrySpanExt, SetParentError};

// lab:begin(propagate) `inject`: write `span`'s OpenTelemetry context (`span.context()`) into `headers` with a `TraceContextPropagator` and a `HeaderInjector`. `continue_trace`: extract a context from `headers` with a `HeaderExtractor` and make it `span`'s parent with `set_parent`. A missing or malformed `traceparent` extracts an empty context, so the span simply starts a new trace.
/// Writes `span`'s trace context into `headers` (`traceparent`, and
/// `tracestate` when there is one). Call it on the client, inside or with
/// the span that covers the outgoing request.
pub fn inject(span: &tracing::Span, headers: &mut HeaderMap) {
    let cx = span.context();
    TraceContextPropagator::new().inject_context(&cx, &mut HeaderInjector(headers));
}

/// Makes the trace context in `headers` the parent of `span`. Call it on
/// the server before the span is first entered. Without a valid
/// `traceparent` the span stays a root: a new trace, never a panic.
pub fn continue_trace(span: &tracing::Span, headers: &HeaderMap) -> Result<(), SetParentError> {
    let parent = TraceContextPropagator::new().extract(&HeaderExtractor(headers));
    span.set_parent(parent)
}
// lab:starter
// /// Writes `span`'s trace context into `headers` (`traceparent`, and
// /// `tracestate` when there is one). Call it on the client, inside or with
// /// the span that covers the outgoing request.
// pub fn inject(span: &tracing::Span, headers: &mut HeaderMap) {
//     todo!("propagate: TraceContextPropagator::new().inject_context(..)")
// }
//
// /// Makes the trace context in `headers` the parent of `span`. Call it on
// /// the server before the span is first entered. Without a valid
// /// `traceparent` the span stays a root: a new trace, never a panic.
// pub fn continue_trace(span: &tracing::Span, headers: &HeaderMap) -> Result<(), SetParentError> {
//     todo!("propagate: extract the parent context and set it on the span")
// }
// lab:end
