//! `ffi_guard` stops the unwind and nothing else: the host program's panic
//! hook is global state, and the library leaves it alone.
//!
//! Its own test binary: the panic hook is process-wide, so setting one here
//! would touch the other tests' panics if they shared the binary.

use std::panic::{self, PanicHookInfo};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lab04_safe_ffi::ffi::{ProcessStatus, ffi_guard};

static HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn a_panic_inside_becomes_a_status_code_not_an_unwind_and_leaves_the_panic_hook_alone() {
    // The host's hook: it counts panics, then reports them as before (so a
    // panic of an unfinished `ffi_guard` is still shown).
    let previous: Arc<dyn Fn(&PanicHookInfo<'_>) + Sync + Send> = Arc::from(panic::take_hook());
    let report = Arc::clone(&previous);
    panic::set_hook(Box::new(move |info| {
        HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
        report(info);
    }));
    let code = ffi_guard(|| panic!("a bug in the core"));
    let during = HOOK_CALLS.load(Ordering::SeqCst);
    // A later panic of the host, outside the library.
    let caught = panic::catch_unwind(|| panic!("the host's own panic")).is_err();
    let after = HOOK_CALLS.load(Ordering::SeqCst);
    // Back to the previous hook before asserting, so a failure is reported.
    panic::set_hook(Box::new(move |info| previous(info)));

    assert_eq!(code, ProcessStatus::Panic as i32);
    assert!(caught);
    assert_eq!(
        during, 1,
        "the host's panic hook saw the panic inside ffi_guard (it is not replaced)"
    );
    assert_eq!(
        after, 2,
        "the host's panic hook is still installed after the call"
    );
}
