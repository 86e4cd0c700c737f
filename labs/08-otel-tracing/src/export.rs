//! The exporters, and the accounting around them.
//!
//! * [`MemoryExporter`] and [`StdoutExporter`]: the two local exporters.
//! * [`Counted`] wraps any exporter and counts the spans it was handed,
//!   exported or failed; [`CountEnded`] wraps the batch processor and
//!   counts every span that ended. The difference is what the queue
//!   dropped: the SDK counts that too, but keeps the number private.
//! * [`RuntimeHttpClient`]: the HTTP client the OTLP exporter uses. The
//!   batch processor exports on its own plain thread (no Tokio there), and
//!   hyper needs a Tokio runtime, so each request runs on a small runtime
//!   owned by the exporter.

use std::error::Error as StdError;
use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use opentelemetry::Context;
use opentelemetry::trace::{SpanId, Status};
use opentelemetry_http::hyper::HyperClient;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::{OTelSdkError, OTelSdkResult};
use opentelemetry_sdk::trace::{Span, SpanData, SpanExporter, SpanProcessor};

/// Spans kept in memory, for tests. Clones share the same store.
#[derive(Clone, Default)]
pub struct MemoryExporter {
    spans: Arc<Mutex<Vec<SpanData>>>,
}

impl fmt::Debug for MemoryExporter {
    /// The count, not the spans: a `Config` in an error message should
    /// not print thousands of them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MemoryExporter({} spans)", self.lock().len())
    }
}

impl MemoryExporter {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every span exported so far, in export order.
    pub fn spans(&self) -> Vec<SpanData> {
        self.lock().clone()
    }

    /// The exported spans called `name`.
    pub fn named(&self, name: &str) -> Vec<SpanData> {
        self.lock()
            .iter()
            .filter(|s| s.name == name)
            .cloned()
            .collect()
    }

    /// Forgets every span.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Makes exports wait until the returned guard is dropped: the batch
    /// thread blocks in [`export`](SpanExporter::export), so spans that end
    /// meanwhile pile up in the queue. For tests of a full queue, which
    /// would otherwise race the batch thread. Do not read the spans
    /// (`spans`, `named`) while holding it: they wait for the same lock.
    pub fn pause(&self) -> Paused<'_> {
        Paused { _lock: self.lock() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<SpanData>> {
        // A panic while holding the lock cannot leave a Vec half-pushed in
        // a way that matters to a reader, so a poisoned lock is still used.
        self.spans.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Returned by [`MemoryExporter::pause`]; exports resume when it drops.
#[must_use = "exports resume as soon as the guard is dropped"]
pub struct Paused<'a> {
    _lock: std::sync::MutexGuard<'a, Vec<SpanData>>,
}

impl fmt::Debug for Paused<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Paused")
    }
}

impl SpanExporter for MemoryExporter {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        self.lock().extend(batch);
        Ok(())
    }
}

/// One line per span: trace id, span id, parent span id (`-` for a root),
/// name, duration, status, attributes (without the source location and
/// thread ones). Written to standard output, or to
/// any writer ([`StdoutExporter::to_writer`]).
pub struct StdoutExporter {
    out: Mutex<Box<dyn Write + Send>>,
}

impl StdoutExporter {
    /// Writes to standard output.
    pub fn new() -> Self {
        Self::to_writer(std::io::stdout())
    }

    /// Writes to `out`.
    pub fn to_writer(out: impl Write + Send + 'static) -> Self {
        StdoutExporter {
            out: Mutex::new(Box::new(out)),
        }
    }
}

impl Default for StdoutExporter {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for StdoutExporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StdoutExporter")
    }
}

/// The line [`StdoutExporter`] prints for `span`.
pub fn span_line(span: &SpanData) -> String {
    let parent = if span.parent_span_id == SpanId::INVALID {
        "-".to_string()
    } else {
        span.parent_span_id.to_string()
    };
    let micros = span
        .end_time
        .duration_since(span.start_time)
        .unwrap_or_default()
        .as_micros();
    let status = match &span.status {
        Status::Unset => String::new(),
        Status::Ok => " status=ok".to_string(),
        Status::Error { description } => format!(" status=error({description})"),
    };
    let mut line = format!(
        "{} {} {parent} {} {micros}us{status}",
        span.span_context.trace_id(),
        span.span_context.span_id(),
        span.name,
    );
    // Source location and thread attributes are useful in a trace viewer
    // and noise on a terminal line.
    let noise =
        |key: &str| key.starts_with("code.") || key.starts_with("thread.") || key == "target";
    for kv in span.attributes.iter().filter(|kv| !noise(kv.key.as_str())) {
        line.push_str(&format!(" {}={}", kv.key, kv.value));
    }
    line
}

impl SpanExporter for StdoutExporter {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        let mut text = String::new();
        for span in &batch {
            text.push_str(&span_line(span));
            text.push('\n');
        }
        // A closed stdout (`| head`) is an export failure, not a panic.
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| OTelSdkError::InternalFailure(format!("writing spans: {e}")))
    }
}

/// Span counts, shared by [`Counted`], [`CountEnded`] and the guard.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) ended: AtomicU64,
    pub(crate) exported: AtomicU64,
    pub(crate) failed: AtomicU64,
    pub(crate) shutdown_timed_out: AtomicBool,
}

/// A snapshot of the span counts since `init`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpanStats {
    /// Sampled spans that ended (each one went to the batch queue, or was
    /// dropped because the queue was full).
    pub ended: u64,
    /// Spans in export requests that succeeded.
    pub exported: u64,
    /// Spans in export requests that failed (refused, timed out, rejected).
    pub failed: u64,
}

impl SpanStats {
    /// Spans that never reached the exporter: dropped at a full queue, or
    /// still waiting in it. After a shutdown that completed, none are
    /// waiting, so this is exactly the number dropped.
    pub fn not_exported(&self) -> u64 {
        self.ended.saturating_sub(self.exported + self.failed)
    }
}

impl Counters {
    pub(crate) fn snapshot(&self) -> SpanStats {
        // Read `ended` last: it only grows, so a snapshot never shows more
        // spans handed to the exporter than spans that ended.
        let exported = self.exported.load(Ordering::Acquire);
        let failed = self.failed.load(Ordering::Acquire);
        SpanStats {
            exported,
            failed,
            ended: self.ended.load(Ordering::Acquire),
        }
    }
}

/// An exporter wrapper that counts what it was handed.
#[derive(Debug)]
pub(crate) struct Counted<E> {
    pub(crate) inner: E,
    pub(crate) counters: Arc<Counters>,
}

impl<E: SpanExporter> SpanExporter for Counted<E> {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let n = batch.len() as u64;
        let result = self.inner.export(batch).await;
        let counter = match result {
            Ok(()) => &self.counters.exported,
            Err(_) => &self.counters.failed,
        };
        counter.fetch_add(n, Ordering::AcqRel);
        result
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}

/// A span processor wrapper that counts ended spans and remembers whether
/// the inner processor's shutdown timed out.
#[derive(Debug)]
pub(crate) struct CountEnded<P> {
    pub(crate) inner: P,
    pub(crate) counters: Arc<Counters>,
}

impl<P: SpanProcessor> SpanProcessor for CountEnded<P> {
    fn on_start(&self, span: &mut Span, cx: &Context) {
        self.inner.on_start(span, cx);
    }

    fn on_end(&self, span: SpanData) {
        self.counters.ended.fetch_add(1, Ordering::AcqRel);
        self.inner.on_end(span);
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        let result = self.inner.shutdown_with_timeout(timeout);
        if let Err(OTelSdkError::Timeout(_)) = result {
            self.counters
                .shutdown_timed_out
                .store(true, Ordering::Release);
        }
        result
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}

/// A Tokio runtime that may be dropped anywhere, even inside another
/// runtime (a plain `Runtime` panics if dropped in async code, and this one
/// is dropped wherever the exporter happens to be dropped).
#[derive(Debug)]
pub(crate) struct ExportRuntime(Option<tokio::runtime::Runtime>);

impl ExportRuntime {
    pub(crate) fn new() -> std::io::Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("otel-export")
            .enable_io()
            .enable_time()
            .build()?;
        Ok(ExportRuntime(Some(rt)))
    }

    fn handle(&self) -> Option<&tokio::runtime::Handle> {
        self.0.as_ref().map(|rt| rt.handle())
    }
}

impl Drop for ExportRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// The OTLP exporter's HTTP client: hyper, bounded by `timeout` per
/// request (connecting included), each request run on the
/// [`ExportRuntime`].
#[derive(Debug, Clone)]
pub(crate) struct RuntimeHttpClient {
    inner: HyperClient,
    runtime: Arc<ExportRuntime>,
}

impl RuntimeHttpClient {
    pub(crate) fn new(timeout: Duration) -> std::io::Result<Self> {
        Ok(RuntimeHttpClient {
            inner: HyperClient::with_default_connector(timeout, None),
            runtime: Arc::new(ExportRuntime::new()?),
        })
    }
}

#[async_trait::async_trait]
impl HttpClient for RuntimeHttpClient {
    // lab:begin(export_client) Send the request on the export runtime: `spawn` `self.inner.send_bytes(request)` on the runtime's handle (clone the client into the task) and await the JoinHandle, which works from any executor. A failed request is logged at `warn` with the whole error chain (`error_chain`), because the OTLP exporter replaces it with a bare "network error"; a task that did not finish is an error too, never a panic.
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let Some(handle) = self.runtime.handle() else {
            return Err("the export runtime is shut down".into());
        };
        let client = self.inner.clone();
        let uri = request.uri().to_string();
        let task = handle.spawn(async move { client.send_bytes(request).await });
        match task.await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => {
                tracing::warn!(
                    target: "lab08_otel_tracing::export",
                    %uri,
                    error = %error_chain(error.as_ref()),
                    "OTLP export request failed"
                );
                Err(error)
            }
            Err(join) => Err(format!("the export task did not finish: {join}").into()),
        }
    }
    // lab:starter
    // async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
    //     todo!("export_client: spawn the request on the export runtime and await it")
    // }
    // lab:end
}

/// `error` and its sources, joined with `: `. hyper's errors say little at
/// the top ("client error (Connect)"); the cause ("Connection refused") is
/// further down.
pub fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
