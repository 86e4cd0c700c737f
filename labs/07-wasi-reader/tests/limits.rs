//! Fuel, wall-clock and memory limits, output caps, traps and bad modules:
//! each stops one run with its own `RunError`, and the host carries on.

mod common;

use std::time::{Duration, Instant};

use common::{Scratch, cat_with, host, text};
use lab07_wasi_reader::{
    EPOCH_TICK, Limits, MAX_MEMORY, Preopen, RunError, deadline_ticks, error_chain,
};

/// A WAT guest, compiled by the shared host.
/// A trap keeps wasmtime's error as its source: the chain names the trap
/// (`says`) and has the wasm backtrace.
fn assert_trap(e: &RunError, says: &str) {
    let chain = error_chain(e);
    assert!(chain.starts_with("the guest trapped: "), "{chain}");
    assert!(chain.contains(says), "{chain}");
    assert!(chain.contains("wasm backtrace"), "{chain}");
    let source = std::error::Error::source(e).expect("the trap is the source");
    assert!(error_chain(source).contains(says), "{chain}");
}

fn run_wat(wat: &str, limits: &Limits) -> Result<lab07_wasi_reader::Output, RunError> {
    let module = host().compile(wat.as_bytes())?;
    host().run(&module, &["guest"], &[], limits)
}

const LOOP_FOREVER: &str = r#"(module (func (export "_start") (loop (br 0))))"#;

/// Grows memory by 1 MiB (16 pages) until refused, then traps.
const GROW_FOREVER: &str = r#"(module
  (memory 1)
  (func (export "_start")
    (loop (br_if 0 (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    unreachable))"#;

#[test]
fn an_endless_loop_is_stopped_by_fuel() {
    let limits = Limits {
        fuel: Some(1_000_000),
        timeout: None,
        ..Limits::default()
    };
    assert_eq!(
        run_wat(LOOP_FOREVER, &limits),
        Err(RunError::FuelExhausted { fuel: 1_000_000 })
    );
}

#[test]
fn an_endless_loop_is_stopped_by_fuel_even_after_a_refused_growth() {
    // The guest ignores a refused `memory.grow` and loops: it stopped
    // because its fuel ran out, the more specific reason, not for memory.
    let limits = Limits {
        fuel: Some(1_000_000),
        timeout: None,
        max_memory: 64 << 10,
        ..Limits::default()
    };
    let wat = r#"(module
  (memory 1)
  (func (export "_start")
    (drop (memory.grow (i32.const 16)))
    (loop (br 0))))"#;
    assert_eq!(
        run_wat(wat, &limits),
        Err(RunError::FuelExhausted { fuel: 1_000_000 })
    );
}

#[test]
fn an_endless_loop_is_stopped_by_the_epoch_deadline() {
    let limits = Limits {
        fuel: None,
        timeout: Some(Duration::from_millis(100)),
        ..Limits::default()
    };
    let started = Instant::now();
    assert_eq!(
        run_wat(LOOP_FOREVER, &limits),
        Err(RunError::Timeout {
            limit: Duration::from_millis(100)
        })
    );
    // Not a timing assertion on the limit: only that it did not stop
    // before it (a deadline in too small a unit), and did stop, well before
    // a human would notice a hang.
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(100),
        "stopped after {took:?}, before the 100 ms limit"
    );
    assert!(took < Duration::from_secs(30));
}

#[test]
fn the_deadline_is_the_timeout_in_epoch_ticks_rounded_up_plus_one() {
    assert_eq!(EPOCH_TICK, Duration::from_millis(5));
    let ms = Duration::from_millis;
    assert_eq!(deadline_ticks(Some(ms(100))), 21);
    assert_eq!(deadline_ticks(Some(ms(101))), 22, "a part tick counts");
    assert_eq!(deadline_ticks(Some(ms(5))), 2);
    assert_eq!(deadline_ticks(Some(Duration::ZERO)), 1);
    assert_eq!(deadline_ticks(Some(Duration::from_secs(2))), 401);
    assert_eq!(deadline_ticks(None), u64::MAX / 2);
    assert_eq!(
        deadline_ticks(Some(Duration::MAX)),
        u64::MAX / 2,
        "no overflow"
    );
    // Countable in a u64, but past `u64::MAX / 2` ticks: still never.
    assert_eq!(
        deadline_ticks(Some(Duration::from_secs(60_000_000_000_000_000))),
        u64::MAX / 2,
        "capped at never"
    );
}

#[test]
fn fuel_is_deterministic() {
    let dir = Scratch::new("fuel");
    dir.write("f.txt", &[b'x'; 5000]);
    let limits = Limits {
        fuel: Some(u64::MAX / 2),
        ..Limits::default()
    };
    let pre = [Preopen::read_only(dir.path(), "/d")];
    let a = cat_with(&["--lines", "/d/f.txt"], &pre, &limits)
        .unwrap()
        .fuel_consumed;
    let b = cat_with(&["--lines", "/d/f.txt"], &pre, &limits)
        .unwrap()
        .fuel_consumed;
    assert!(a.is_some_and(|f| f > 1000), "{a:?}");
    assert_eq!(a, b);
    // And a limit well under what it needs stops it. (Not `a - 1`: fuel is
    // checked at function entries and loop headers, so a run may end
    // between two checks with slightly more consumed than it was given.)
    let tight = Limits {
        fuel: a.map(|f| f / 2),
        ..Limits::default()
    };
    assert!(matches!(
        cat_with(&["--lines", "/d/f.txt"], &pre, &tight),
        Err(RunError::FuelExhausted { .. })
    ));
}

#[test]
fn growing_memory_past_the_cap_is_stopped() {
    let limits = Limits {
        max_memory: 8 << 20,
        ..Limits::default()
    };
    assert_eq!(
        run_wat(GROW_FOREVER, &limits),
        Err(RunError::OutOfMemory { limit: 8 << 20 })
    );
}

#[test]
fn growing_memory_past_the_cap_is_stopped_even_if_a_later_growth_fits() {
    let limits = Limits {
        max_memory: 8 << 20,
        ..Limits::default()
    };
    // Growth within the cap, then a trap: a trap, not out of memory.
    let within = r#"(module
  (memory 1)
  (func (export "_start")
    (drop (memory.grow (i32.const 16)))
    unreachable))"#;
    match run_wat(within, &limits) {
        Err(e @ RunError::Trap(_)) => assert_trap(&e, "unreachable"),
        other => panic!("expected a trap, got {other:?}"),
    }
    // Refused (1001 pages is past the 128 of 8 MiB), then a growth that
    // fits: the refusal is still why the guest trapped.
    let refused_then_fits = r#"(module
  (memory 1)
  (func (export "_start")
    (drop (memory.grow (i32.const 1000)))
    (drop (memory.grow (i32.const 1)))
    unreachable))"#;
    assert_eq!(
        run_wat(refused_then_fits, &limits),
        Err(RunError::OutOfMemory { limit: 8 << 20 })
    );
}

#[test]
fn a_cap_above_the_pool_slot_is_clamped_to_max_memory() {
    // The pooling allocator cannot give a memory more than MAX_MEMORY, so a
    // bigger cap is clamped: growth past the slot is refused by the limiter
    // (an OutOfMemory naming the real cap), not by the pool (a bare trap).
    let limits = Limits {
        max_memory: usize::MAX,
        ..Limits::default()
    };
    let grow_past_the_slot = format!(
        r#"(module
  (memory 1)
  (func (export "_start")
    (drop (memory.grow (i32.const {})))
    unreachable))"#,
        MAX_MEMORY / 65536
    );
    assert_eq!(
        run_wat(&grow_past_the_slot, &limits),
        Err(RunError::OutOfMemory { limit: MAX_MEMORY })
    );
}

#[test]
fn a_rust_guest_that_allocates_past_the_cap_is_stopped() {
    // The guest's `--bytes` reads metadata only, but `cat` of a big file
    // with a tiny memory cap cannot even start: its heap needs to grow.
    let dir = Scratch::new("mem");
    dir.write("f.txt", b"x");
    let limits = Limits {
        max_memory: 64 << 10,
        ..Limits::default()
    };
    let result = dir.cat("f.txt", &limits);
    assert!(
        matches!(result, Err(RunError::OutOfMemory { limit: 65536 })),
        "{result:?}"
    );
}

#[test]
fn output_beyond_the_cap_is_an_error_not_a_silent_cut() {
    let dir = Scratch::new("out");
    dir.write("f.txt", &[b'y'; 100_000]);
    let limits = Limits {
        max_output: 10_000,
        ..Limits::default()
    };
    let result = dir.cat("f.txt", &limits);
    // (Compared by exit code, not printed whole: it would be 100 KB.)
    assert_eq!(
        result.map(|o| o.exit_code),
        Err(RunError::OutputTooLarge { limit: 10_000 })
    );
}

#[test]
fn output_of_exactly_the_cap_is_fine() {
    let dir = Scratch::new("exact");
    dir.write("f.txt", &[b'z'; 10_000]);
    let limits = Limits {
        max_output: 10_000,
        ..Limits::default()
    };
    let out = dir.cat("f.txt", &limits).unwrap();
    assert_eq!((out.exit_code, out.stdout.len()), (0, 10_000));
    dir.write("g.txt", &[b'z'; 10_001]);
    let result = dir.cat("g.txt", &limits);
    assert_eq!(
        result.map(|o| o.exit_code),
        Err(RunError::OutputTooLarge { limit: 10_000 })
    );
}

/// A guest that writes `n` bytes of `e` to file descriptor `fd`, then
/// runs `then` (e.g. `unreachable`, or nothing).
fn writer(fd: u32, n: usize, then: &str) -> String {
    format!(
        r#"(module
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            ;; one iovec at 0: the {n} bytes at 16
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const {n}))
            (memory.fill (i32.const 16) (i32.const 101) (i32.const {n}))
            (drop (call $fd_write (i32.const {fd}) (i32.const 0) (i32.const 1) (i32.const 8)))
            {then}))"#
    )
}

#[test]
fn stderr_has_the_same_cap_as_stdout() {
    let limits = Limits {
        max_output: 100,
        ..Limits::default()
    };
    let out = run_wat(&writer(2, 100, ""), &limits).unwrap();
    assert_eq!((out.exit_code, out.stderr.len()), (0, 100));
    assert_eq!(
        run_wat(&writer(2, 101, ""), &limits).map(|o| o.exit_code),
        Err(RunError::OutputTooLarge { limit: 100 })
    );
}

#[test]
fn a_trap_after_output_of_exactly_the_cap_is_a_trap() {
    let limits = Limits {
        max_output: 100,
        ..Limits::default()
    };
    for fd in [1, 2] {
        match run_wat(&writer(fd, 100, "unreachable"), &limits) {
            Err(e @ RunError::Trap(_)) => assert_trap(&e, "unreachable"),
            other => panic!("fd {fd}: expected a trap, got {other:?}"),
        }
        // One byte more, and the cap is the reason, whatever came after.
        assert_eq!(
            run_wat(&writer(fd, 101, "unreachable"), &limits).map(|o| o.exit_code),
            Err(RunError::OutputTooLarge { limit: 100 })
        );
    }
}

#[test]
fn a_trap_is_an_error_and_the_host_runs_the_next_guest_normally() {
    let trap = run_wat(
        r#"(module (func (export "_start") unreachable))"#,
        &Limits::default(),
    );
    match trap {
        Err(e @ RunError::Trap(_)) => assert_trap(&e, "unreachable"),
        other => panic!("expected a trap, got {other:?}"),
    }
    let dir = Scratch::new("after");
    dir.write("ok.txt", b"still fine");
    let out = dir.cat("ok.txt", &Limits::default()).unwrap();
    assert_eq!(
        (out.exit_code, out.stdout),
        (0, b"still fine".to_vec()),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn proc_exit_codes_come_back_as_exit_codes() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 42))))"#;
    assert_eq!(
        run_wat(wat, &Limits::default()).map(|o| o.exit_code),
        Ok(42)
    );
}

#[test]
fn bad_modules_are_reported_as_such() {
    assert!(matches!(
        host().compile(b"not wasm at all"),
        Err(RunError::BadModule(_))
    ));
    // Valid, but no `_start`.
    assert!(
        matches!(run_wat("(module)", &Limits::default()), Err(e @ RunError::BadModule(_)) if error_chain(&e).contains("_start"))
    );
    // Imports something the host does not provide.
    let wat = r#"(module (import "env" "launch_missiles" (func)) (func (export "_start")))"#;
    assert!(
        matches!(run_wat(wat, &Limits::default()), Err(e @ RunError::BadModule(_)) if error_chain(&e).contains("launch_missiles"))
    );
}

#[test]
fn a_trap_in_the_modules_start_function_is_a_trap_not_a_bad_module() {
    // A wasm `start` function runs during instantiation, before `_start`:
    // a trap there is still the guest's trap, with its message.
    let wat = r#"(module (func $boom unreachable) (start $boom) (func (export "_start")))"#;
    match run_wat(wat, &Limits::default()) {
        Err(e @ RunError::Trap(_)) => assert_trap(&e, "unreachable"),
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn a_missing_host_directory_is_a_preopen_error() {
    let missing = std::env::temp_dir().join("lab07-definitely-missing-dir");
    let result = cat_with(
        &["x"],
        &[Preopen::read_only(&missing, "/d")],
        &Limits::default(),
    );
    let Err(error @ RunError::Preopen { .. }) = result else {
        panic!("expected a preopen error, got {result:?}");
    };
    assert!(matches!(&error, RunError::Preopen { host, .. } if *host == missing));
    // The cause stays reachable: the chain goes on past this error's text.
    let chain = error_chain(&error);
    assert!(
        chain.starts_with(&format!("cannot preopen {}: ", missing.display())),
        "{chain}"
    );
}

#[test]
fn errors_say_which_limit_to_raise() {
    assert!(
        RunError::FuelExhausted { fuel: 5 }
            .to_string()
            .contains("--fuel")
    );
    assert!(
        RunError::Timeout {
            limit: Duration::from_millis(5)
        }
        .to_string()
        .contains("--timeout-ms")
    );
    assert!(
        RunError::OutOfMemory { limit: 5 }
            .to_string()
            .contains("--max-memory")
    );
    assert!(
        RunError::OutputTooLarge { limit: 5 }
            .to_string()
            .contains("--max-output")
    );
}
