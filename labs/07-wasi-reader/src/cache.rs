//! A cache of compiled modules on disk.
//!
//! Compiling a module with Cranelift takes milliseconds to seconds; loading
//! a precompiled one is a file map. An entry is keyed by the SHA-256 of the
//! module's bytes *and* a hash of the engine's configuration (wasmtime
//! version, target, settings): an artifact compiled for another engine is
//! another key, never a candidate. Each entry is the `.cwasm` artifact and
//! a `.sha256` file with the artifact's own digest, checked before the
//! artifact is mapped: precompiled code is machine code, and loading a
//! corrupt or tampered file would be arbitrary code execution. A missing,
//! corrupt or incompatible entry is rebuilt, not trusted.

use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Module;

use crate::{Host, RunError};

/// What [`ModuleCache::load`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheStatus {
    /// Loaded the precompiled artifact; nothing was compiled.
    Hit,
    /// No entry: compiled and stored.
    Miss,
    /// The entry was unusable (the reason says why): compiled and replaced.
    Rebuilt(String),
}

/// A directory of compiled modules.
#[derive(Debug, Clone)]
pub struct ModuleCache {
    dir: PathBuf,
}

impl ModuleCache {
    /// A cache in `dir`, created (private to this user) if needed.
    pub fn new(dir: impl Into<PathBuf>) -> std::io::Result<ModuleCache> {
        let dir = dir.into();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir)?;
        Ok(ModuleCache { dir })
    }

    /// The artifact path for `wasm` compiled by `host`'s engine.
    pub fn artifact_path(&self, host: &Host, wasm: &[u8]) -> PathBuf {
        let mut engine = DefaultHasher::new();
        host.engine()
            .precompile_compatibility_hash()
            .hash(&mut engine);
        let key = format!("{}-{:016x}", hex(&Sha256::digest(wasm)), engine.finish());
        self.dir.join(format!("{key}.cwasm"))
    }

    // lab:begin(cache_load) Load through the cache: if `verified` says the artifact matches its checksum, `Module::deserialize_file` it (unsafe: write down why it is sound) and report Hit; a failed deserialize or a checksum mismatch means Rebuilt(reason), no entry means Miss; then compile with `host.compile` and `store` the result (a failed store is not an error).
    /// The module for `wasm`: from the cache when a valid entry exists,
    /// else compiled and stored.
    pub fn load(&self, host: &Host, wasm: &[u8]) -> Result<(Module, CacheStatus), RunError> {
        let artifact = self.artifact_path(host, wasm);
        let checksum = artifact.with_extension("sha256");
        let status = match verified(&artifact, &checksum) {
            Ok(true) => {
                // `Module::deserialize_file` maps the file as machine code, so
                // it must be an artifact wasmtime wrote, and must not change
                // while the module lives. wasmtime itself rejects artifacts
                // from another version or engine configuration.
                // SAFETY: only `store` writes this file, whole, renamed into
                // place, never modified in place; its SHA-256 was checked just
                // now; the directory is private to this user.
                let loaded = unsafe { Module::deserialize_file(host.engine(), &artifact) };
                match loaded {
                    Ok(module) => return Ok((module, CacheStatus::Hit)),
                    Err(e) => CacheStatus::Rebuilt(format!("incompatible artifact: {e:#}")),
                }
            }
            Ok(false) => CacheStatus::Rebuilt("checksum mismatch".into()),
            Err(Missing) => CacheStatus::Miss,
        };
        let module = host.compile(wasm)?;
        // A cache that cannot be written is slower, not wrong.
        let _ = store(&module, &artifact, &checksum);
        Ok((module, status))
    }
    // lab:starter
    // pub fn load(&self, host: &Host, wasm: &[u8]) -> Result<(Module, CacheStatus), RunError> {
    //     todo!("cache_load: verify, deserialize_file, or compile and store")
    // }
    // lab:end
}

/// The entry is absent (or unreadable).
struct Missing;

/// Whether the artifact's digest matches its checksum file.
fn verified(artifact: &Path, checksum: &Path) -> Result<bool, Missing> {
    let bytes = std::fs::read(artifact).map_err(|_| Missing)?;
    let expected = std::fs::read_to_string(checksum).map_err(|_| Missing)?;
    Ok(expected.trim() == hex(&Sha256::digest(&bytes)))
}

/// Writes the artifact and then its checksum, each to a temporary file
/// renamed into place, so a reader never sees a half-written file.
fn store(module: &Module, artifact: &Path, checksum: &Path) -> wasmtime::Result<()> {
    let bytes = module.serialize()?;
    write_atomically(artifact, &bytes)?;
    write_atomically(checksum, hex(&Sha256::digest(&bytes)).as_bytes())?;
    Ok(())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
