//! W3C trace context across a real HTTP hop: a hyper client and a hyper
//! server on 127.0.0.1, in one process, one trace.

mod common;

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use lab08_otel_tracing::propagation::{continue_trace, inject};
use lab08_otel_tracing::{Exporter, MemoryExporter, Sampler, build};
use opentelemetry::trace::{SpanId, TraceContextExt};
use tracing::{Instrument, info_span};
use tracing_opentelemetry::{OpenTelemetrySpanExt, SetParentError};

/// A server whose handler runs in a `server.handle` span continued from
/// the request's headers. It answers with that span's trace id.
async fn start_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let service = service_fn(|req: Request<Incoming>| async move {
                    let span = info_span!("server.handle", path = %req.uri().path());
                    // A malformed header is not an error here: the span
                    // stays a root. `set_parent` only fails if the span
                    // was already started, which it was not.
                    continue_trace(&span, req.headers())
                        .expect("parent set before the span starts");
                    let trace_id = span.context().span().span_context().trace_id();
                    async move {
                        tracing::info!("handling");
                        Ok::<_, hyper::Error>(Response::new(Full::new(Bytes::from(
                            trace_id.to_string(),
                        ))))
                    }
                    .instrument(span)
                    .await
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

async fn get(addr: SocketAddr, traceparent: Option<&str>, span: &tracing::Span) -> String {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = Request::get(format!("http://{addr}/pay"))
        .body(Full::new(Bytes::new()))
        .expect("request");
    match traceparent {
        Some(value) => {
            request.headers_mut().insert(
                "traceparent",
                http::HeaderValue::from_str(value).expect("header value"),
            );
        }
        None => inject(span, request.headers_mut()),
    }
    let response = client.request(request).await.expect("response");
    assert_eq!(response.status(), 200);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(body.to_vec()).expect("utf-8")
}

#[tokio::test]
async fn the_server_span_continues_the_client_trace_with_a_remote_parent() {
    let _turn = common::one_at_a_time();
    let memory = MemoryExporter::new();
    let (dispatch, guard) = build(common::config(Exporter::Memory(memory.clone()))).expect("build");
    let _default = tracing::dispatcher::set_default(&dispatch);
    let addr = start_server().await;

    let client_span = info_span!("client.request");
    let answered = get(addr, None, &client_span)
        .instrument(client_span.clone())
        .await;
    drop(client_span);
    guard.force_flush().expect("flush");

    let client = memory.named("client.request").remove(0);
    let server = memory.named("server.handle").remove(0);
    assert_eq!(
        server.span_context.trace_id(),
        client.span_context.trace_id()
    );
    assert_eq!(answered, client.span_context.trace_id().to_string());
    assert_eq!(server.parent_span_id, client.span_context.span_id());
    assert!(
        server.parent_span_is_remote,
        "the parent came over the wire"
    );
    assert!(!client.parent_span_is_remote);
}

#[tokio::test]
async fn the_server_span_continues_the_client_trace_with_a_remote_parent_even_an_unsampled_one() {
    let _turn = common::one_at_a_time();
    let memory = MemoryExporter::new();
    let mut config = common::config(Exporter::Memory(memory.clone()));
    // The specification's default: follow the parent's decision.
    config.sampler = Sampler::ParentBasedAlwaysOn;
    let (dispatch, guard) = build(config).expect("build");
    let _default = tracing::dispatcher::set_default(&dispatch);
    // Flags 00: the caller did not sample this trace.
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "traceparent",
        http::HeaderValue::from_static("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"),
    );
    let span = info_span!("server.handle");
    continue_trace(&span, &headers).expect("parent set before the span starts");
    let cx = span.context();
    let sc = cx.span().span_context().clone();
    assert_eq!(
        sc.trace_id().to_string(),
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "the server span joins the caller's trace"
    );
    assert!(
        !sc.is_sampled(),
        "and keeps the caller's decision not to sample it"
    );
    drop(span);
    guard.force_flush().expect("flush");
    assert!(memory.named("server.handle").is_empty());
}

#[tokio::test]
async fn the_server_span_continues_the_client_trace_with_a_remote_parent_only_before_it_starts() {
    let _turn = common::one_at_a_time();
    let memory = MemoryExporter::new();
    let (dispatch, _guard) = build(common::config(Exporter::Memory(memory))).expect("build");
    let _default = tracing::dispatcher::set_default(&dispatch);
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "traceparent",
        http::HeaderValue::from_static("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    );
    let span = info_span!("server.handle");
    // Reading the context starts the span: its trace is decided.
    let started = span.context().span().span_context().trace_id();
    let result = continue_trace(&span, &headers);
    assert!(
        matches!(result, Err(SetParentError::AlreadyStarted)),
        "{result:?}"
    );
    assert_eq!(
        span.context().span().span_context().trace_id(),
        started,
        "a started span keeps its own trace"
    );
}

#[tokio::test]
async fn the_injected_header_is_w3c_traceparent() {
    let _turn = common::one_at_a_time();
    let memory = MemoryExporter::new();
    let (dispatch, _guard) = build(common::config(Exporter::Memory(memory))).expect("build");
    let _default = tracing::dispatcher::set_default(&dispatch);
    let span = info_span!("client.request");
    let mut headers = http::HeaderMap::new();
    inject(&span, &mut headers);
    let cx = span.context();
    let sc = cx.span().span_context().clone();
    assert_eq!(
        headers.get("traceparent").and_then(|v| v.to_str().ok()),
        Some(format!("00-{}-{}-01", sc.trace_id(), sc.span_id()).as_str())
    );
}

#[tokio::test]
async fn a_malformed_traceparent_starts_a_new_root() {
    let _turn = common::one_at_a_time();
    let memory = MemoryExporter::new();
    let (dispatch, guard) = build(common::config(Exporter::Memory(memory.clone()))).expect("build");
    let _default = tracing::dispatcher::set_default(&dispatch);
    let addr = start_server().await;

    let malformed = [
        "garbage",
        "00-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero span id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is invalid
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",    // no flags
    ];
    let span = tracing::Span::none();
    let mut answered = Vec::new();
    for header in malformed {
        answered.push(get(addr, Some(header), &span).await);
    }
    guard.force_flush().expect("flush");

    let server = memory.named("server.handle");
    assert_eq!(server.len(), malformed.len());
    for (span, trace_id) in server.iter().zip(&answered) {
        assert_eq!(span.parent_span_id, SpanId::INVALID, "a root, not a child");
        assert!(!span.parent_span_is_remote);
        assert_ne!(trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_ne!(trace_id, "00000000000000000000000000000000");
    }
    let mut distinct = answered.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        answered.len(),
        "each request is its own new trace"
    );
}
