//! Reading what `cargo test` prints, on stable Rust.
//!
//! libtest's machine-readable JSON output needs nightly, so the grader reads
//! the human format instead. Two passes make that reliable:
//!
//! 1. `cargo test -- --list` says which tests exist, per test binary
//!    ([`parse_listing`]).
//! 2. The real run is read line by line ([`RunParser`]). A line
//!    `test NAME ... ok` only counts when NAME is a listed test of the binary
//!    that is running: tools that print the same shape themselves (trybuild
//!    does, straight to stderr) are not mistaken for tests, and tests that
//!    never report (a hang, a crash) are known by name.
//!
//! Both passes read cargo's stdout and stderr merged into one pipe, so the
//! `Running ...` lines (stderr) stay in order with the test lines (stdout).

use std::collections::{BTreeMap, BTreeSet};

/// Outcome of one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    Pass,
    Fail,
    /// `#[ignore]`d: neither passed nor failed, and not counted in the total.
    Ignored,
    /// Still running when the lab's time limit hit.
    Timeout,
    /// Never reported: its binary crashed, or it never got to run.
    Error,
}

/// One test as the grader saw it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TestOutcome {
    /// The test binary: `unittests src/lib.rs`, `tests/ui.rs`, `Doc-tests crate`.
    pub binary: String,
    pub name: String,
    pub status: TestStatus,
    /// For a failure: the panic message (with its location) or the captured output.
    pub message: Option<String>,
}

/// Tests per binary, in the order cargo ran the binaries.
pub type Listing = Vec<(String, Vec<String>)>;

/// The label of a test binary, from a cargo progress line, if it is one.
///
/// `     Running unittests src/lib.rs (target/debug/deps/x-1a2b)` gives
/// `unittests src/lib.rs`; `   Doc-tests x` gives `Doc-tests x`.
fn binary_label(line: &str) -> Option<String> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("Running ") {
        let label = match rest.rfind(" (") {
            Some(i) if rest.ends_with(')') => &rest[..i],
            _ => rest,
        };
        return Some(label.to_string());
    }
    if t.starts_with("Doc-tests ") {
        return Some(t.to_string());
    }
    None
}

/// Parses the output of `cargo test -- --list`.
pub fn parse_listing(output: &str) -> Listing {
    let mut listing: Listing = Vec::new();
    for line in output.lines() {
        if let Some(label) = binary_label(line) {
            listing.push((label, Vec::new()));
        } else if let Some(name) = line.strip_suffix(": test")
            && let Some((_, tests)) = listing.last_mut()
        {
            tests.push(name.to_string());
        }
    }
    listing
}

/// How the `cargo test` process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It exited by itself (with success or failure).
    Exited,
    /// The grader killed it at the time limit (seconds).
    TimedOut(u64),
}

#[derive(Debug, Default)]
struct Binary {
    expected: BTreeSet<String>,
    started: bool,
    /// Saw `test result:`: the binary ran to its end.
    finished: bool,
    /// Why the binary stopped early, from cargo's `Caused by:` lines.
    crash: Option<String>,
}

/// Streams the output of `cargo test` into per-test outcomes.
#[derive(Debug)]
pub struct RunParser {
    order: Vec<String>,
    binaries: BTreeMap<String, Binary>,
    current: Option<String>,
    results: BTreeMap<(String, String), (TestStatus, Option<String>)>,
    in_failures: bool,
    failure: Option<(String, Vec<String>)>,
    awaiting_cause: bool,
}

impl RunParser {
    pub fn new(listing: &Listing) -> Self {
        let mut binaries = BTreeMap::new();
        let mut order = Vec::new();
        for (label, tests) in listing {
            order.push(label.clone());
            binaries.insert(
                label.clone(),
                Binary {
                    expected: tests.iter().cloned().collect(),
                    ..Binary::default()
                },
            );
        }
        RunParser {
            order,
            binaries,
            current: None,
            results: BTreeMap::new(),
            in_failures: false,
            failure: None,
            awaiting_cause: false,
        }
    }

    /// Feeds one line; returns the status of a test that just finished.
    pub fn feed(&mut self, line: &str) -> Option<TestStatus> {
        if let Some(label) = binary_label(line) {
            self.close_failure();
            self.in_failures = false;
            self.awaiting_cause = false;
            let bin = self.binaries.entry(label.clone()).or_default();
            bin.started = true;
            if !self.order.contains(&label) {
                self.order.push(label.clone());
            }
            self.current = Some(label);
            return None;
        }
        let current = self.current.clone()?;

        if self.awaiting_cause {
            // cargo: "Caused by:\n  process didn't exit successfully: `…` (signal: 6, SIGABRT…)"
            let t = line.trim();
            if !t.is_empty() {
                self.awaiting_cause = false;
                if let Some(bin) = self.binaries.get_mut(&current) {
                    bin.crash = Some(t.to_string());
                }
            }
            return None;
        }
        if line.starts_with("Caused by:") {
            self.awaiting_cause = true;
            return None;
        }
        if line.starts_with("test result: ") {
            self.close_failure();
            self.in_failures = false;
            if let Some(bin) = self.binaries.get_mut(&current) {
                bin.finished = true;
            }
            return None;
        }
        if self.in_failures {
            if let Some(rest) = line.strip_prefix("---- ")
                && let Some(name) = rest.strip_suffix(" stdout ----")
            {
                self.close_failure();
                self.failure = Some((name.to_string(), Vec::new()));
            } else if line == "failures:" {
                // The second `failures:` heading only lists names again.
                self.close_failure();
            } else if let Some((_, lines)) = self.failure.as_mut() {
                lines.push(line.to_string());
            }
            return None;
        }
        if line == "failures:" {
            self.in_failures = true;
            return None;
        }
        let (name, outcome) = line.strip_prefix("test ")?.rsplit_once(" ... ")?;
        let bin = self.binaries.get(&current)?;
        // rustdoc lists `src/x.rs - f (line 3)` but reports a compile_fail
        // or should_panic example as `src/x.rs - f (line 3) - compile fail`.
        let name = match name.rsplit_once(" - ") {
            Some((listed, _)) if !bin.expected.contains(name) && bin.expected.contains(listed) => {
                listed
            }
            _ => name,
        };
        if !bin.expected.is_empty() && !bin.expected.contains(name) {
            return None; // not a libtest line (e.g. trybuild's own progress)
        }
        let status = match outcome.trim_end() {
            "ok" => TestStatus::Pass,
            "FAILED" => TestStatus::Fail,
            o if o.starts_with("ignored") => TestStatus::Ignored,
            _ => return None,
        };
        self.results
            .entry((current, name.to_string()))
            .and_modify(|r| r.0 = status)
            .or_insert((status, None));
        Some(status)
    }

    fn close_failure(&mut self) {
        let (Some((name, lines)), Some(current)) = (self.failure.take(), self.current.clone())
        else {
            return;
        };
        let message = failure_message(&lines);
        self.results
            .entry((current, name))
            .and_modify(|r| r.1 = message.clone())
            .or_insert((TestStatus::Fail, message));
    }

    /// Tests that have finished so far.
    pub fn finished_count(&self) -> usize {
        self.results.len()
    }

    /// All outcomes, including listed tests that never reported.
    pub fn finish(mut self, ending: Ending) -> Vec<TestOutcome> {
        self.close_failure();
        let mut out = Vec::new();
        for label in &self.order {
            let bin = &self.binaries[label];
            let mut names: BTreeSet<&String> = bin.expected.iter().collect();
            for (b, n) in self.results.keys() {
                if b == label {
                    names.insert(n);
                }
            }
            for name in names {
                let key = (label.clone(), name.clone());
                let (status, message) = match self.results.get(&key) {
                    Some((s, m)) => (*s, m.clone()),
                    None => unreported(bin, self.current.as_ref() == Some(label), ending),
                };
                out.push(TestOutcome {
                    binary: label.clone(),
                    name: name.clone(),
                    status,
                    message,
                });
            }
        }
        out
    }
}

/// Why a listed test has no result line.
fn unreported(bin: &Binary, was_current: bool, ending: Ending) -> (TestStatus, Option<String>) {
    match ending {
        Ending::TimedOut(secs) if was_current && !bin.finished => (
            TestStatus::Timeout,
            Some(format!(
                "still running when the lab's time limit ({secs}s) was reached; it was killed"
            )),
        ),
        Ending::TimedOut(secs) if !bin.started => (
            TestStatus::Error,
            Some(format!(
                "not run: the lab's time limit ({secs}s) was reached before this test binary started"
            )),
        ),
        _ if bin.started && !bin.finished => (
            TestStatus::Error,
            Some(match &bin.crash {
                Some(cause) => {
                    format!("the test binary crashed before this test reported: {cause}")
                }
                None => "the test binary stopped before this test reported".to_string(),
            }),
        ),
        _ => (
            TestStatus::Error,
            Some("not run: cargo stopped before this test binary ran".to_string()),
        ),
    }
}

/// The useful part of a `---- name stdout ----` block: the panic message and
/// where it was raised, or the captured output when nothing panicked.
fn failure_message(lines: &[String]) -> Option<String> {
    let panic_at = lines
        .iter()
        .position(|l| l.starts_with("thread '") && l.contains(" panicked at "));
    let text = match panic_at {
        Some(i) => {
            let location = lines[i]
                .split_once(" panicked at ")
                .map(|(_, loc)| loc.trim_end_matches(':').to_string());
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .map(String::as_str)
                .take_while(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
                .collect();
            let body = body.join("\n").trim().to_string();
            match location {
                Some(loc) if !loc.is_empty() => format!("{body} (at {loc})"),
                _ => body,
            }
        }
        None => lines.join("\n").trim().to_string(),
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "\
   Compiling demo v0.1.0 (/x/demo)
    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.50s
     Running unittests src/lib.rs (target/debug/deps/demo-1a2b3c)
tests::adds: test
tests::fails: test
tests::slow: test

3 tests, 0 benchmarks
     Running tests/ui.rs (target/debug/deps/ui-4d5e6f)
compile_fail: test

1 test, 0 benchmarks
   Doc-tests demo
src/lib.rs - add (line 3): test

1 test, 0 benchmarks
";

    fn run(output: &str, ending: Ending) -> Vec<TestOutcome> {
        let mut p = RunParser::new(&parse_listing(LIST));
        for line in output.lines() {
            p.feed(line);
        }
        p.finish(ending)
    }

    fn find<'a>(outcomes: &'a [TestOutcome], name: &str) -> &'a TestOutcome {
        outcomes
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("no outcome for {name}: {outcomes:#?}"))
    }

    #[test]
    fn listing_groups_tests_by_binary_in_run_order() {
        let l = parse_listing(LIST);
        let labels: Vec<&str> = l.iter().map(|(b, _)| b.as_str()).collect();
        assert_eq!(
            labels,
            ["unittests src/lib.rs", "tests/ui.rs", "Doc-tests demo"]
        );
        assert_eq!(l[0].1, ["tests::adds", "tests::fails", "tests::slow"]);
        assert_eq!(l[2].1, ["src/lib.rs - add (line 3)"]);
    }

    #[test]
    fn a_full_run_gives_status_and_panic_message_per_test() {
        let out = run(
            "\
     Running unittests src/lib.rs (target/debug/deps/demo-1a2b3c)

running 3 tests
test tests::adds ... ok
test tests::slow ... ignored, needs a network
test tests::fails ... FAILED

failures:

---- tests::fails stdout ----
some captured print

thread 'tests::fails' (4242) panicked at src/lib.rs:7:9:
not yet implemented: add: return a + b
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    tests::fails

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s

error: test failed, to rerun pass `--lib`
     Running tests/ui.rs (target/debug/deps/ui-4d5e6f)

running 1 test
test tests/ui/bad.rs ... ok
test compile_fail ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.00s

   Doc-tests demo

running 1 test
test src/lib.rs - add (line 3) - compile fail ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.10s
",
            Ending::Exited,
        );
        assert_eq!(out.len(), 5, "trybuild's own line is not a test: {out:#?}");
        assert_eq!(find(&out, "tests::adds").status, TestStatus::Pass);
        assert_eq!(find(&out, "tests::slow").status, TestStatus::Ignored);
        assert_eq!(find(&out, "compile_fail").status, TestStatus::Pass);
        assert_eq!(
            find(&out, "src/lib.rs - add (line 3)").status,
            TestStatus::Pass
        );
        let failed = find(&out, "tests::fails");
        assert_eq!(failed.status, TestStatus::Fail);
        assert_eq!(
            failed.message.as_deref(),
            Some("not yet implemented: add: return a + b (at src/lib.rs:7:9)")
        );
    }

    #[test]
    fn a_timeout_names_the_running_tests_and_the_ones_never_run() {
        let out = run(
            "\
     Running unittests src/lib.rs (target/debug/deps/demo-1a2b3c)

running 3 tests
test tests::adds ... ok
test tests::fails ... ok
",
            Ending::TimedOut(5),
        );
        assert_eq!(find(&out, "tests::slow").status, TestStatus::Timeout);
        assert!(
            find(&out, "tests::slow")
                .message
                .as_deref()
                .is_some_and(|m| m.contains("time limit (5s)"))
        );
        let never = find(&out, "compile_fail");
        assert_eq!(never.status, TestStatus::Error);
        assert!(
            never
                .message
                .as_deref()
                .is_some_and(|m| m.contains("not run"))
        );
    }

    #[test]
    fn a_crashed_binary_reports_its_signal_on_the_unreported_tests() {
        let out = run(
            "\
     Running unittests src/lib.rs (target/debug/deps/demo-1a2b3c)

running 3 tests
test tests::adds ... ok
error: test failed, to rerun pass `--lib`

Caused by:
  process didn't exit successfully: `/x/demo-1a2b3c` (signal: 6, SIGABRT: process abort signal)
     Running tests/ui.rs (target/debug/deps/ui-4d5e6f)

running 1 test
test compile_fail ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.00s
",
            Ending::Exited,
        );
        let crashed = find(&out, "tests::fails");
        assert_eq!(crashed.status, TestStatus::Error);
        assert!(
            crashed
                .message
                .as_deref()
                .is_some_and(|m| m.contains("SIGABRT")),
            "{crashed:?}"
        );
        assert_eq!(find(&out, "compile_fail").status, TestStatus::Pass);
    }

    #[test]
    fn a_failure_without_a_panic_keeps_the_captured_output() {
        let lines: Vec<String> = ["", "expected 3, got 4", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            failure_message(&lines).as_deref(),
            Some("expected 3, got 4")
        );
        assert_eq!(failure_message(&[]), None);
    }
}
