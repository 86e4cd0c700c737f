//! Lab 07: a WASI file reader, for real.
//!
//! The article's §2.2 reads a file through `wasi_common::file::{File,
//! OpenOptions}`, an API that does not exist, and says a read-only flag
//! "prevents privilege escalation". In WASI the guest simply uses `std::fs`
//! (see `guest/`); what it can reach is decided by the *host*, which hands
//! it capabilities: preopened directories, each read-only or read-write.
//! A path outside every preopen does not exist for the guest.
//!
//! * [`Host`] owns the wasmtime engine (Cranelift, fuel, epochs) and the
//!   WASI preview 1 linker, and runs modules with [`Host::run`].
//! * [`Preopen`], [`Limits`]: what a run may touch and consume.
//! * [`Output`] and [`RunError`]: what came out, or why the run was stopped.
//! * [`cache`]: compiled modules on disk, keyed by module and engine,
//!   verified before they are loaded.
//!
//! The `wasi-reader` binary (`src/main.rs`) is the command-line front end.

pub mod cache;
mod sandbox;

pub use sandbox::{
    Access, EPOCH_TICK, Host, Limits, MAX_CONCURRENT_RUNS, MAX_MEMORY, Output, Preopen, RunError,
    deadline_ticks, error_chain,
};
