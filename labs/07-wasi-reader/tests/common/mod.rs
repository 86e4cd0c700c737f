//! Shared by the integration tests: the guest module, scratch directories,
//! and directory snapshots.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lab07_wasi_reader::{Host, Limits, Output, Preopen, RunError};

/// Builds `guest/` for wasm32-wasip1 once per test binary and returns the
/// `.wasm` bytes (into a target dir of its own: see
/// [`lab_support::nested_build`]).
pub fn guest() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("guest/Cargo.toml");
        let (out_dir, output) = lab_support::nested_build(
            &manifest,
            Path::new(env!("CARGO_TARGET_TMPDIR")),
            "lab07-guest",
            &["--quiet", "--release", "--target", "wasm32-wasip1"],
        )
        .expect("run cargo to build the guest");
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if stderr.contains("wasm32-wasip1") && (stderr.contains("not installed") || stderr.contains("can't find crate")) {
                panic!("the wasm32-wasip1 target is missing: run `make setup` (or `rustup target add wasm32-wasip1`)\n{stderr}");
            }
            panic!("building the guest failed:\n{stderr}");
        }
        std::fs::read(out_dir.join("wasm32-wasip1/release/wasi-cat.wasm")).expect("the built guest")
    })
}

/// One host for the whole test binary, as a real service would have.
pub fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| Host::new().expect("wasmtime host"))
}

/// Runs the guest with `args` (program name added) and default limits.
pub fn cat(args: &[&str], preopens: &[Preopen]) -> Result<Output, RunError> {
    cat_with(args, preopens, &Limits::default())
}

pub fn cat_with(args: &[&str], preopens: &[Preopen], limits: &Limits) -> Result<Output, RunError> {
    static MODULE: OnceLock<wasmtime::Module> = OnceLock::new();
    let module = MODULE.get_or_init(|| host().compile(guest()).expect("guest compiles"));
    let argv: Vec<&str> = std::iter::once("wasi-cat")
        .chain(args.iter().copied())
        .collect();
    host().run(module, &argv, preopens, limits)
}

/// A fresh directory under the system temp dir, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("lab07-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Runs the guest on `/d/<file>`, with this directory preopened
    /// read-only as `/d`.
    pub fn cat(&self, file: &str, limits: &Limits) -> Result<Output, RunError> {
        cat_with(
            &[&format!("/d/{file}")],
            &[Preopen::read_only(self.path(), "/d")],
            limits,
        )
    }

    pub fn write(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every entry below `dir` (not following symlinks) with its contents, or
/// the link target for a symlink: to prove a run left a directory unchanged.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let contents = if meta.is_symlink() {
                std::fs::read_link(&path)
                    .expect("read_link")
                    .into_os_string()
                    .into_encoded_bytes()
            } else if meta.is_dir() {
                stack.push(path.clone());
                b"<dir>".to_vec()
            } else {
                std::fs::read(&path).expect("read")
            };
            out.insert(path, contents);
        }
    }
    out
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
