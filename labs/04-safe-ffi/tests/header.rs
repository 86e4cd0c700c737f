//! The committed C header is what cbindgen generates from the source today.
//! Regenerate with `BLESS=1 cargo test -p lab04-safe-ffi --test header`.

use std::path::Path;

fn generate() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn committed_header_matches_a_fresh_cbindgen_run() {
    let fresh = generate();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/safe_ffi.h");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("header written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/safe_ffi.h is stale: run `BLESS=1 cargo test -p lab04-safe-ffi --test header` and commit it.\n--- fresh ---\n{fresh}"
    );
}

#[test]
fn header_uses_c_types_for_the_abi() {
    let h = generate();
    assert!(
        h.contains("int32_t process_data(const uint8_t *input,")
            && h.contains("size_t len,")
            && h.contains("uint8_t *output,")
            && h.contains("size_t out_cap);"),
        "usize must be size_t and the signature C-shaped:\n{h}"
    );
    assert!(
        !h.contains("uintptr_t"),
        "usize must come out as size_t, not uintptr_t"
    );
    for name in [
        "PROCESS_STATUS_NULL_INPUT = -1",
        "PROCESS_STATUS_OVERLAP = -5",
        "PROCESS_STATUS_PANIC = -6",
        "const char *process_error_message(int32_t code);",
        "const char *process_version(void);",
        "#define PROCESS_MAX_INPUT",
    ] {
        assert!(h.contains(name), "the header lacks `{name}`:\n{h}");
    }
}
