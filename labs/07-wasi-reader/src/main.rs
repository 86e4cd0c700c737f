//! `wasi-reader`: run a WASI preview 1 module with only the directories you
//! grant it.
//!
//! ```text
//! wasi-reader [--dir HOST::GUEST[::ro|::rw]]... [--fuel N] [--timeout-ms N]
//!             [--max-memory BYTES] [--max-output BYTES] [--cache-dir DIR] [-v]
//!             MODULE [ARGS...]
//! ```
//!
//! Exits with the guest's exit code. When the run is stopped (fuel, time,
//! memory, output, a trap, a bad module) it prints why and exits with 125.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lab07_wasi_reader::cache::ModuleCache;
use lab07_wasi_reader::{Access, Host, Limits, Preopen, error_chain};

/// Exit code for "the run was stopped or could not start".
const STOPPED: u8 = 125;

#[derive(Debug, Parser)]
#[command(
    name = "wasi-reader",
    version,
    about = "Run a WASI module with only the directories you grant it"
)]
struct Cli {
    /// Make HOST visible to the guest as GUEST, read-only unless `::rw`.
    #[arg(long = "dir", value_name = "HOST::GUEST[::ro|::rw]", value_parser = parse_dir)]
    dirs: Vec<Preopen>,
    /// Stop the guest after this much fuel (about one unit per instruction).
    #[arg(long)]
    fuel: Option<u64>,
    /// Stop the guest after this many milliseconds.
    #[arg(long = "timeout-ms", default_value_t = default_timeout_ms())]
    timeout_ms: u64,
    /// Most bytes of linear memory.
    #[arg(long = "max-memory", default_value_t = Limits::default().max_memory)]
    max_memory: usize,
    /// Most bytes of stdout (and of stderr).
    #[arg(long = "max-output", default_value_t = Limits::default().max_output)]
    max_output: usize,
    /// Keep compiled modules here, and load them from here next time.
    #[arg(long = "cache-dir")]
    cache_dir: Option<PathBuf>,
    /// Say on stderr whether the module came from the cache.
    #[arg(short, long)]
    verbose: bool,
    /// The module (.wasm, or .wat text).
    module: PathBuf,
    /// Arguments for the guest.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// The library's default deadline, in milliseconds, for `--help`.
fn default_timeout_ms() -> u64 {
    Limits::default()
        .timeout
        .map_or(0, |t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX))
}

// lab:begin(dir_spec) Parse `HOST::GUEST`, `HOST::GUEST::ro` or `HOST::GUEST::rw` into a Preopen (read-only unless `rw`); anything else, or an empty HOST or GUEST, is an error message saying what was expected.
fn parse_dir(spec: &str) -> Result<Preopen, String> {
    let parts: Vec<&str> = spec.split("::").collect();
    let (host, guest, access) = match parts.as_slice() {
        [host, guest] => (host, guest, Access::ReadOnly),
        [host, guest, "ro"] => (host, guest, Access::ReadOnly),
        [host, guest, "rw"] => (host, guest, Access::ReadWrite),
        [_, _, other] => return Err(format!("access must be `ro` or `rw`, not `{other}`")),
        _ => return Err("expected HOST::GUEST, HOST::GUEST::ro or HOST::GUEST::rw".into()),
    };
    if host.is_empty() || guest.is_empty() {
        return Err("HOST and GUEST must not be empty".into());
    }
    Ok(Preopen {
        host: PathBuf::from(host),
        guest: guest.to_string(),
        access,
    })
}
// lab:starter
// fn parse_dir(spec: &str) -> Result<Preopen, String> {
//     todo!("dir_spec: split on `::`")
// }
// lab:end

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("wasi-reader: {message}");
            ExitCode::from(STOPPED)
        }
    }
}

/// Compiles (or loads from the cache) and runs the module; the guest's exit
/// code, or why it could not run or was stopped.
fn run(cli: Cli) -> Result<ExitCode, String> {
    let limits = Limits {
        fuel: cli.fuel,
        timeout: Some(Duration::from_millis(cli.timeout_ms)),
        max_memory: cli.max_memory,
        max_output: cli.max_output,
    };
    let wasm = std::fs::read(&cli.module)
        .map_err(|e| format!("cannot read {}: {e}", cli.module.display()))?;
    let host = Host::new().map_err(|e| error_chain(&e))?;
    let module = match &cli.cache_dir {
        Some(dir) => {
            let cache = ModuleCache::new(dir)
                .map_err(|e| format!("cannot use cache dir {}: {e}", dir.display()))?;
            let (module, status) = cache.load(&host, &wasm).map_err(|e| error_chain(&e))?;
            if cli.verbose {
                eprintln!(
                    "wasi-reader: cache {status:?}: {}",
                    cache.artifact_path(&host, &wasm).display()
                );
            }
            module
        }
        None => host.compile(&wasm).map_err(|e| error_chain(&e))?,
    };
    let program = cli
        .module
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let argv: Vec<String> = std::iter::once(program).chain(cli.args).collect();
    let output = host
        .run(&module, &argv, &cli.dirs, &limits)
        .map_err(|e| error_chain(&e))?;
    use std::io::Write;
    let _ = std::io::stdout().write_all(&output.stdout);
    let _ = std::io::stderr().write_all(&output.stderr);
    // Exit codes are 0..=255 on Unix; anything else becomes 1.
    Ok(ExitCode::from(u8::try_from(output.exit_code).unwrap_or(1)))
}
