//! Test fixtures: a real OTLP/HTTP receiver, a collector that accepts
//! connections and never answers, a port that refuses connections, and a
//! log writer the tests can read.
#![allow(dead_code)] // each test binary uses its own part of this module

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use lab08_otel_tracing::{Config, Exporter, Log};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

/// A config for tests: no log output, a short schedule so spans move fast,
/// short timeouts so fault tests end quickly.
pub fn config(exporter: Exporter) -> Config {
    let mut config = Config::new("test-service");
    config.service_version = "9.9.9".into();
    config.exporter = exporter;
    config.sampler = lab08_otel_tracing::Sampler::AlwaysOn;
    config.log = Log::Off;
    config.filter = "debug".into();
    config.batch.scheduled_delay = Duration::from_millis(50);
    config.batch.export_timeout = Duration::from_millis(500);
    config.shutdown_timeout = Duration::from_secs(3);
    config
}

/// An OTLP/HTTP receiver on 127.0.0.1: decodes each POST to `/v1/traces`
/// as an `ExportTraceServiceRequest` and keeps it. It runs on its own
/// thread and runtime, so it keeps serving whatever the test does.
pub struct Receiver {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<ExportTraceServiceRequest>>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the receiver");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("receiver address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let store = requests.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("receiver runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let store = store.clone();
                    tokio::spawn(async move {
                        let service = service_fn(move |req| receive(req, store.clone()));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        Receiver { addr, requests }
    }

    /// The base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT` would name it.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The traces URL.
    pub fn traces_url(&self) -> String {
        format!("{}/v1/traces", self.base_url())
    }

    pub fn requests(&self) -> Vec<ExportTraceServiceRequest> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every received span with its resource's attributes.
    pub fn spans(&self) -> Vec<(Vec<KeyValue>, Span)> {
        let mut out = Vec::new();
        for request in self.requests() {
            for rs in request.resource_spans {
                let resource = rs.resource.map(|r| r.attributes).unwrap_or_default();
                for ss in rs.scope_spans {
                    for span in ss.spans {
                        out.push((resource.clone(), span));
                    }
                }
            }
        }
        out
    }

    /// Waits (up to 10 s) until at least `n` spans have arrived.
    pub fn wait_for_spans(&self, n: usize) -> Vec<(Vec<KeyValue>, Span)> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let spans = self.spans();
            if spans.len() >= n || Instant::now() > deadline {
                return spans;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

async fn receive(
    req: Request<Incoming>,
    store: Arc<Mutex<Vec<ExportTraceServiceRequest>>>,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let reply = |status: StatusCode, body: &'static str| {
        let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
        *response.status_mut() = status;
        Ok(response)
    };
    if req.uri().path() != "/v1/traces" {
        return reply(StatusCode::NOT_FOUND, "only /v1/traces");
    }
    let content_type = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if content_type != "application/x-protobuf" {
        return reply(StatusCode::UNSUPPORTED_MEDIA_TYPE, "expected protobuf");
    }
    let body = req.into_body().collect().await?.to_bytes();
    match ExportTraceServiceRequest::decode(body) {
        Ok(request) => {
            store
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(request);
            // An empty ExportTraceServiceResponse is zero protobuf bytes.
            let mut response = Response::new(Full::new(Bytes::new()));
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/x-protobuf"),
            );
            Ok(response)
        }
        Err(_) => reply(StatusCode::BAD_REQUEST, "not an ExportTraceServiceRequest"),
    }
}

/// A "collector" that accepts every connection and never reads or
/// answers: the worst case for an exporter without a timeout.
pub struct BlackHole {
    pub addr: SocketAddr,
    held: Arc<Mutex<Vec<TcpStream>>>,
}

impl BlackHole {
    pub fn start() -> BlackHole {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the black hole");
        let addr = listener.local_addr().expect("address");
        let held = Arc::new(Mutex::new(Vec::new()));
        let keep = held.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                keep.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(stream);
            }
        });
        BlackHole { addr, held }
    }

    pub fn traces_url(&self) -> String {
        format!("http://{}/v1/traces", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Waits (up to 10 s) until an exporter has connected, that is, until
    /// the batch thread is stuck in an export.
    pub fn wait_for_connection(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.connections() == 0 {
            assert!(Instant::now() < deadline, "the exporter never connected");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens: connecting is refused.
pub fn refusing_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{addr}/v1/traces")
}

/// A log writer whose output the test can read back.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn make_writer(&self) -> BoxMakeWriter {
        let this = self.clone();
        BoxMakeWriter::new(move || this.clone())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The string value of attribute `key`, if it is a string.
pub fn str_attr<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| match &kv.value {
            Some(AnyValue {
                value: Some(any_value::Value::StringValue(s)),
            }) => Some(s.as_str()),
            _ => None,
        })
}

/// The tests of one binary that build a `Dispatch` take turns.
///
/// tracing-core can deadlock when one thread registers a new `Dispatch`
/// (write lock on its callsite registry) while another thread's subscriber
/// emits an event from `Drop` during interest rebuilding (read lock taken
/// twice): the OpenTelemetry SDK logs when a tracer provider is dropped.
/// Upstream: tokio-rs/tracing#3269 (open). Take the turn first in a test,
/// so it is released last, after the test's provider has been dropped.
pub fn one_at_a_time() -> Turn {
    static TURN: Mutex<()> = Mutex::new(());
    Turn(TURN.lock().unwrap_or_else(PoisonError::into_inner))
}

/// A test's turn; the next test starts when it is dropped. Async tests
/// hold it across `.await`s on purpose: each `#[tokio::test]` has its own
/// runtime on its own thread, so no task of that runtime ever waits for it.
#[derive(Debug)]
pub struct Turn(std::sync::MutexGuard<'static, ()>);
