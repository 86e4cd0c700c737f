//! The article's Go program, fixed and ported: N tasks sleep, each prints
//! when done, and the program waits for all of them.
//!
//! ```sh
//! cargo run -p lab03-async-tasks --example thousand_tasks -- --workers 4 --tasks 1000 --delay-ms 10
//! ```

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lab03_async_tasks::fanout::sleepers;
use lab03_async_tasks::runtime::build_runtime;

const USAGE: &str = "usage: thousand_tasks [--workers N] [--tasks N] [--delay-ms N] [--quiet]";

struct Args {
    workers: NonZeroUsize,
    tasks: usize,
    delay_ms: u64,
    quiet: bool,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        workers: NonZeroUsize::new(4).expect("4 is not 0"), // the article's GOMAXPROCS(4)
        tasks: 1000,
        delay_ms: 10,
        quiet: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value"))
                .and_then(|v| {
                    v.parse::<u64>()
                        .map_err(|_| format!("{name}: `{v}` is not a whole number"))
                })
        };
        match flag.as_str() {
            "--workers" => {
                let n = value("--workers")?;
                args.workers = usize::try_from(n)
                    .ok()
                    .and_then(NonZeroUsize::new)
                    .ok_or_else(|| {
                        format!("--workers: `{n}` workers cannot run anything; give 1 or more")
                    })?;
            }
            "--tasks" => args.tasks = value("--tasks")? as usize,
            "--delay-ms" => args.delay_ms = value("--delay-ms")?,
            "--quiet" => args.quiet = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let rt = match build_runtime(args.workers) {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let done = rt.block_on(sleepers(args.tasks, Duration::from_millis(args.delay_ms)));
    let took = start.elapsed();
    if !args.quiet {
        for id in &done {
            println!("task {id} done");
        }
    }
    println!(
        "{} tasks sleeping {} ms finished in {:.1} ms on {} workers",
        done.len(),
        args.delay_ms,
        took.as_secs_f64() * 1000.0,
        args.workers
    );
    ExitCode::SUCCESS
}
