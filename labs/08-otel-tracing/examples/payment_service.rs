//! The article's payment service, instrumented: it serves `--requests N`
//! simulated payments, exports every span to the collector that
//! `OTEL_EXPORTER_OTLP_ENDPOINT` names (default `http://localhost:4318`),
//! flushes, and exits.
//!
//! ```console
//! $ OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \
//!     cargo run -p lab08-otel-tracing --example payment_service -- --requests 50
//! ```
//!
//! Each request is a trace: `handle_payment` → `fraud_check`, then
//! `charge_card` (run in a spawned task that keeps the request as its
//! parent) → `ledger.write`. Every fifth order (ids 3, 8, 13, ...) is
//! declined by the card network: that `charge_card` span ends with error
//! status and an exception event, and there is no ledger write.
//!
//! Exit status: 0 when every span was exported, 1 when spans were lost
//! (collector down, queue full), 2 for a bad command line or environment.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use lab08_otel_tracing::export::error_chain;
use lab08_otel_tracing::{Config, Exporter, init};
use tracing::{Instrument, field};

/// A simulated payment service that exports its traces over OTLP.
#[derive(Parser, Debug)]
struct Args {
    /// How many payments to serve before exiting.
    #[arg(long, default_value_t = 20)]
    requests: u32,
    /// How many payments are in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
    concurrency: u32,
    /// Print spans to stdout instead of exporting them over OTLP.
    #[arg(long)]
    stdout: bool,
}

#[derive(Debug)]
struct Declined {
    order_id: u32,
}

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "card declined for order {}", self.order_id)
    }
}

impl std::error::Error for Declined {}

#[tracing::instrument]
async fn fraud_check(order_id: u32, amount_cents: i64) -> bool {
    tokio::time::sleep(Duration::from_millis(1 + u64::from(order_id % 3))).await;
    amount_cents < 1_000_000
}

/// The call to the card network. A real client would send the request
/// with `propagation::inject` filling its headers, so the network's spans
/// join this trace; the headers are built here to show where that goes.
#[tracing::instrument(err)]
async fn charge_card(order_id: u32, amount_cents: i64) -> Result<String, Declined> {
    let mut headers = http::HeaderMap::new();
    lab08_otel_tracing::propagation::inject(&tracing::Span::current(), &mut headers);
    tracing::debug!(traceparent = ?headers.get("traceparent"), "calling the card network");
    tokio::time::sleep(Duration::from_millis(2 + u64::from(order_id % 4))).await;
    if order_id % 5 == 3 {
        return Err(Declined { order_id });
    }
    Ok(format!("auth-{order_id:06}"))
}

#[tracing::instrument(skip(authorization))]
async fn ledger_write(order_id: u32, authorization: &str) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    tracing::info!(authorization, "ledger entry written");
}

/// One payment: a root span with the request's fields, an `outcome`
/// recorded when it is known.
async fn handle_payment(order_id: u32) -> bool {
    let amount_cents = 1_000 + i64::from(order_id) * 137;
    let span = tracing::info_span!(
        "handle_payment",
        order_id,
        amount_cents,
        outcome = field::Empty
    );
    async move {
        if !fraud_check(order_id, amount_cents).await {
            tracing::Span::current().record("outcome", "rejected");
            return false;
        }
        // The charge runs in its own task (as a real service might, to
        // time it out independently). `.in_current_span()` carries the
        // request span into the task; without it the charge would start a
        // trace of its own.
        let charge = tokio::spawn(charge_card(order_id, amount_cents).in_current_span());
        let approved = match charge.await {
            Ok(Ok(authorization)) => {
                ledger_write(order_id, &authorization).await;
                true
            }
            Ok(Err(_declined)) => false, // recorded on the span by `err`
            Err(panicked) => {
                tracing::error!(error = %panicked, "the charge task failed");
                false
            }
        };
        tracing::Span::current().record("outcome", if approved { "approved" } else { "declined" });
        approved
    }
    .instrument(span)
    .await
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut config = match Config::new("payment-service").with_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("payment-service: {}", error_chain(&error));
            return ExitCode::from(2);
        }
    };
    if args.stdout {
        config.exporter = Exporter::Stdout;
    }
    let target = match &config.exporter {
        Exporter::Otlp { endpoint } => endpoint.clone(),
        Exporter::Stdout => "stdout".to_string(),
        Exporter::Memory(_) => "memory".to_string(),
    };
    let telemetry = match init(config) {
        Ok(guard) => guard,
        Err(error) => {
            eprintln!("payment-service: {}", error_chain(&error));
            return ExitCode::from(2);
        }
    };
    tracing::info!(requests = args.requests, exporter = %target, "payment-service started");

    let permits = Arc::new(tokio::sync::Semaphore::new(args.concurrency as usize));
    let mut tasks = tokio::task::JoinSet::new();
    for order_id in 1..=args.requests {
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            handle_payment(order_id).await
        });
    }
    let mut declined = 0;
    while let Some(result) = tasks.join_next().await {
        if !matches!(result, Ok(true)) {
            declined += 1;
        }
    }
    tracing::info!(requests = args.requests, declined, "all payments served");

    // Shutdown blocks (up to its timeout) while the last batch is sent:
    // do it off the async worker threads.
    let report = match tokio::task::spawn_blocking(move || telemetry.shutdown()).await {
        Ok(report) => report,
        Err(error) => {
            eprintln!("payment-service: telemetry shutdown failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "payment-service: served {} payments ({declined} declined); telemetry to {target}: {report}",
        args.requests
    );
    if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
