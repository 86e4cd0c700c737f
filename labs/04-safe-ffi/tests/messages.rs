//! The static strings of the C ABI: status messages and the version.
//!
//! A test binary of their own: they are given (not tasks), and in the
//! starter the ABI tests abort their binary (a `todo!()` panic cannot
//! unwind into `extern "C"`), which would take these with it.

use std::ffi::CStr;

use lab04_safe_ffi::ffi::{process_error_message, process_version};

fn message(code: i32) -> String {
    // SAFETY: process_error_message always returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(process_error_message(code)) }
        .to_str()
        .expect("ASCII")
        .to_string()
}

#[test]
fn every_status_code_has_its_own_message() {
    let codes = [0, -1, -2, -3, -4, -5, -6];
    let messages: Vec<String> = codes.iter().map(|&c| message(c)).collect();
    for (code, msg) in codes.iter().zip(&messages) {
        assert!(
            !msg.is_empty() && msg != "unknown status code",
            "code {code}"
        );
    }
    let unique: std::collections::HashSet<&String> = messages.iter().collect();
    assert_eq!(unique.len(), codes.len(), "messages are distinct");
    assert_eq!(message(-99), "unknown status code");
    assert!(message(12).starts_with("ok: "));
}

#[test]
fn version_is_the_crate_version() {
    // SAFETY: process_version returns a static NUL-terminated string.
    let v = unsafe { CStr::from_ptr(process_version()) };
    assert_eq!(v.to_str(), Ok(env!("CARGO_PKG_VERSION")));
}
