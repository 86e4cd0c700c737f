//! The compiled-module cache: compile once, load after; corrupt or
//! tampered entries are rebuilt, never loaded.

mod common;

use common::{Scratch, guest, host};
use lab07_wasi_reader::cache::{CacheStatus, ModuleCache};
use lab07_wasi_reader::{Limits, Preopen};

fn check_runs(module: &wasmtime::Module) {
    let dir = Scratch::new("cache-run");
    dir.write("x.txt", b"cached");
    let out = host()
        .run(
            module,
            &["wasi-cat", "/d/x.txt"],
            &[Preopen::read_only(dir.path(), "/d")],
            &Limits::default(),
        )
        .unwrap();
    assert_eq!(out.stdout, b"cached");
}

#[test]
fn the_second_load_comes_from_the_cache() {
    let dir = Scratch::new("cache");
    let cache = ModuleCache::new(dir.path().join("modules")).unwrap();
    let (module, status) = cache.load(host(), guest()).unwrap();
    assert_eq!(status, CacheStatus::Miss);
    check_runs(&module);
    let artifact = cache.artifact_path(host(), guest());
    let written = std::fs::metadata(&artifact).unwrap().modified().unwrap();
    // A trailing newline the checksum check ignores: a rewrite would drop it.
    let checksum = artifact.with_extension("sha256");
    let mut sum = std::fs::read(&checksum).unwrap();
    sum.push(b'\n');
    std::fs::write(&checksum, &sum).unwrap();

    let (module, status) = cache.load(host(), guest()).unwrap();
    assert_eq!(status, CacheStatus::Hit);
    check_runs(&module);
    // Loaded, not rewritten.
    assert_eq!(
        std::fs::metadata(&artifact).unwrap().modified().unwrap(),
        written
    );
    assert_eq!(std::fs::read(&checksum).unwrap(), sum);
}

#[test]
fn a_corrupted_artifact_is_rebuilt() {
    let dir = Scratch::new("corrupt");
    let cache = ModuleCache::new(dir.path()).unwrap();
    cache.load(host(), guest()).unwrap();
    let artifact = cache.artifact_path(host(), guest());
    let mut bytes = std::fs::read(&artifact).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&artifact, &bytes).unwrap();

    let (module, status) = cache.load(host(), guest()).unwrap();
    assert_eq!(status, CacheStatus::Rebuilt("checksum mismatch".into()));
    check_runs(&module);
    assert_eq!(
        cache.load(host(), guest()).unwrap().1,
        CacheStatus::Hit,
        "the rebuilt entry is good"
    );
}

#[test]
fn an_artifact_without_its_checksum_is_not_trusted() {
    let dir = Scratch::new("nosum");
    let cache = ModuleCache::new(dir.path()).unwrap();
    cache.load(host(), guest()).unwrap();
    std::fs::remove_file(
        cache
            .artifact_path(host(), guest())
            .with_extension("sha256"),
    )
    .unwrap();
    assert_eq!(cache.load(host(), guest()).unwrap().1, CacheStatus::Miss);
}

#[test]
fn a_well_formed_artifact_for_another_module_is_rejected_by_wasmtime() {
    // Put another module's artifact (with a matching checksum) under the
    // guest's key: the checksum passes, so wasmtime's own checks are next.
    // A different *module* compiled by the same engine deserializes fine,
    // which is why the key includes the module's hash; this test swaps in
    // an artifact from a differently configured engine instead.
    let dir = Scratch::new("foreign");
    let cache = ModuleCache::new(dir.path()).unwrap();
    let artifact = cache.artifact_path(host(), guest());
    let foreign = wasmtime::Engine::default(); // no fuel, no epochs
    let bytes = wasmtime::Module::new(&foreign, guest())
        .unwrap()
        .serialize()
        .unwrap();
    std::fs::write(&artifact, &bytes).unwrap();
    let digest = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    std::fs::write(artifact.with_extension("sha256"), digest).unwrap();

    let (module, status) = cache.load(host(), guest()).unwrap();
    assert!(
        matches!(&status, CacheStatus::Rebuilt(why) if why.starts_with("incompatible")),
        "{status:?}"
    );
    check_runs(&module);
}

#[test]
fn the_key_depends_on_the_module_bytes() {
    let dir = Scratch::new("key");
    let cache = ModuleCache::new(dir.path()).unwrap();
    let other = b"(module (func (export \"_start\")))";
    assert_ne!(
        cache.artifact_path(host(), guest()),
        cache.artifact_path(host(), other)
    );
}
