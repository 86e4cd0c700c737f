//! Grading one lab: check its tools, build its tests, list them, run them
//! under the time limit, and turn what cargo printed into a [`LabResult`].

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Result;
use cargo_metadata::Message;
use cargo_metadata::diagnostic::DiagnosticLevel;
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::integrity::{self, Verdict};
use crate::labs::{Check, Lab, LabMeta, Level, Workspace};
use crate::libtest::{self, Ending, TestOutcome, TestStatus};
use crate::process::{Finished, run_streaming};
use crate::progress_file::ProgressFile;
use crate::starter;
use crate::tasks::{self, CHECK_PREFIX, CLIPPY_BINARY, TaskFacts, TaskResult};
use crate::tools::{self, Probe};
use crate::ui::{Observer, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabStatus {
    Pass,
    /// Some tests failed.
    Fail,
    /// Does not compile, has no tests, or cargo itself failed.
    Error,
    Timeout,
    /// A required tool is missing.
    Skip,
    /// Its tests (or other graded files) differ from the ones the lab ships.
    Modified,
}

impl LabStatus {
    pub fn word(self) -> &'static str {
        match self {
            LabStatus::Pass => "PASS",
            LabStatus::Fail => "FAIL",
            LabStatus::Error => "ERROR",
            LabStatus::Timeout => "TIMEOUT",
            LabStatus::Skip => "SKIP",
            LabStatus::Modified => "MODIFIED",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabResult {
    pub lab: String,
    pub package: String,
    pub title: String,
    pub level: Level,
    pub summary: String,
    pub status: LabStatus,
    pub tests_passed: usize,
    /// Tests that count: everything but `#[ignore]`d ones.
    pub tests_total: usize,
    pub points: u32,
    pub points_earned: u32,
    pub duration_ms: u128,
    /// Why the lab is not a pass: the first failure, a compile error, the missing tool.
    pub message: Option<String>,
    /// Whether the lab's tests matched the shipped ones
    /// ([`integrity::MANIFEST`]); `None` when there was no manifest to compare.
    pub tests_matched: Option<bool>,
    /// Per task, in the lab's order: the unit of grading.
    pub tasks: Vec<TaskResult>,
    pub tests: Vec<TestOutcome>,
}

impl LabResult {
    /// Nothing graded yet: an error until [`judge`] (or a failure before
    /// the tests could run) says otherwise.
    pub fn blank(lab: String, package: String, meta: &LabMeta) -> Self {
        LabResult {
            lab,
            package,
            title: meta.title.clone(),
            level: meta.level,
            summary: meta.summary.clone(),
            status: LabStatus::Error,
            tests_passed: 0,
            tests_total: 0,
            points: meta.points(),
            points_earned: 0,
            duration_ms: 0,
            message: None,
            tests_matched: None,
            tasks: Vec::new(),
            tests: Vec::new(),
        }
    }

    pub fn tasks_done(&self) -> usize {
        self.tasks.iter().filter(|t| t.done).count()
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Overrides every lab's own `time_limit_secs`.
    pub timeout: Option<Duration>,
    pub build_timeout: Duration,
    /// Put the final outputs (the uplifted binaries, static and dynamic
    /// libraries, examples) in this target dir.
    pub target_dir: Option<PathBuf>,
    /// Keep the intermediate outputs in this build dir (cargo's
    /// `build.build-dir`). check-starters builds into the real build dir,
    /// so registry crates are compiled once, and into a target dir of its
    /// own, so the real build's unhashed outputs are never overwritten.
    pub build_dir: Option<PathBuf>,
    /// Also run the labs' `checks` (external commands). check-starters
    /// leaves them out: they build into the real target dir.
    pub run_checks: bool,
    pub quiet: bool,
    /// Run only this task's tests, its doc tests left out (`verify watch`
    /// runs the open task first); the lab's other tasks then have no
    /// tests in the result.
    pub only_task: Option<String>,
}

/// The limit for a lab's test run when neither the lab nor `--timeout` sets one.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(300);

fn cargo(ws: &Workspace, opts: &Options) -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(program);
    cmd.current_dir(&ws.root)
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        .env("RUST_BACKTRACE", "0");
    if let Some(dir) = &opts.target_dir {
        cmd.env("CARGO_TARGET_DIR", dir);
    }
    // On the command line, not in the environment: cargo runs that the
    // tests start (trybuild, lab 07's guest build) keep their own dirs.
    if let Some(dir) = &opts.build_dir {
        cmd.arg("--config").arg(format!(
            "build.build-dir={}",
            serde_json::Value::from(dir.display().to_string())
        ));
    }
    cmd
}

/// `cargo test` for one lab of `ws`.
fn cargo_test(ws: &Workspace, lab: &Lab, opts: &Options) -> Command {
    let mut cmd = cargo(ws, opts);
    cmd.arg("test")
        .arg("--manifest-path")
        .arg(ws.root.join("Cargo.toml"))
        .args(["-p", &lab.package]);
    cmd
}

/// Grades one lab, telling `observer` where it is.
pub fn grade_lab(
    ws: &Workspace,
    lab: &Lab,
    opts: &Options,
    observer: &mut dyn Observer,
) -> LabResult {
    let started = Instant::now();
    let mut result = LabResult::blank(lab.id(), lab.package.clone(), &lab.meta);
    let tag = format!("{} {}", lab.id(), lab.package);
    let stop = |mut result: LabResult, status, message: String| {
        result.status = status;
        result.message = Some(message);
        result.duration_ms = started.elapsed().as_millis();
        result
    };

    let missing = missing_tools(&lab.meta.requires);
    if !missing.is_empty() {
        return stop(
            result,
            LabStatus::Skip,
            format!("missing {}", missing.join(", ")),
        );
    }
    if let Some(message) = forbidden_dependencies(ws, lab) {
        return stop(result, LabStatus::Error, message);
    }
    match integrity::load(ws).map(|m| integrity::check(ws, lab, m.as_ref())) {
        Err(e) => return stop(result, LabStatus::Error, format!("{e:#}")),
        Ok(Verdict::Unchecked) => {}
        Ok(Verdict::Matches) => result.tests_matched = Some(true),
        Ok(Verdict::Modified(files)) => {
            result.tests_matched = Some(false);
            return stop(
                result,
                LabStatus::Modified,
                format!(
                    "tests modified: {} differ from the ones the lab ships ({}), so the grade would not prove anything. Put them back (e.g. `git checkout <a commit of rust-job-labs> -- <file>`); write your code inside the task regions only",
                    files.join(", "),
                    integrity::MANIFEST
                ),
            );
        }
    }
    let marked = match starter::scan(&lab.dir)
        .and_then(|m| tasks::check_regions(&lab.meta, &m).map(|()| m))
    {
        Ok(m) => m,
        Err(e) => return stop(result, LabStatus::Error, format!("{e:#}")),
    };
    let facts = TaskFacts::from_regions(&marked);

    let limit = opts
        .timeout
        .or(lab.meta.time_limit_secs.map(Duration::from_secs))
        .unwrap_or(DEFAULT_TIME_LIMIT);
    match run_lab(ws, lab, opts, limit, &tag, observer) {
        Ok(tests) => result.tests = tests,
        Err(Failure(status, message)) => {
            result.tasks = tasks::score(&lab.meta, &facts, &[]);
            return stop(result, status, message);
        }
    }
    let mut skipped_checks = Vec::new();
    for check in lab.meta.checks.iter().filter(|_| opts.run_checks) {
        let missing = missing_tools(&check.requires);
        if missing.is_empty() {
            observer.stage(&tag, Stage::Check(&check.name));
            result
                .tests
                .extend(run_check(ws, &lab.package, check, opts, limit));
        } else {
            skipped_checks.push(format!(
                "check `{}` needs {}",
                check.name,
                missing.join(", ")
            ));
        }
    }
    if opts.run_checks && !facts.with_unsafe.is_empty() {
        observer.stage(&tag, Stage::Clippy);
        result.tests.push(run_clippy(ws, lab, opts));
    }
    judge(
        &mut result,
        &lab.meta,
        &facts,
        &skipped_checks,
        &ProgressFile::load(ws)
            .map(|f| f.hints_seen(lab))
            .unwrap_or_default(),
    );
    // A catalog that cannot be read only costs the diagnosis; `make test`
    // reports it (`verify wrong-answers --check`).
    if let (Ok(Some(catalog)), Some(checked)) =
        (catalog::load(&lab.dir), catalog::load_checked(&lab.dir))
    {
        catalog::diagnose(
            &mut result.tasks,
            &lab.meta,
            &result.tests,
            &catalog,
            &checked,
        );
    }
    result.duration_ms = started.elapsed().as_millis();
    result
}

/// Grades what a lab's run produced (`result.tests`): the pure part of
/// grading, with no process or file, so its rules have unit tests.
///
/// - Each task earns its points when every one of its tests passed, and
///   nothing otherwise ([`tasks::score`]).
/// - The lab is an error when it has no tests; else a timeout when a test
///   timed out; else a failure when a test failed (the first failure is
///   the message); else a skip when a check could not run for a missing
///   tool (`skipped_checks`); else a pass.
pub fn judge(
    result: &mut LabResult,
    meta: &LabMeta,
    facts: &TaskFacts,
    skipped_checks: &[String],
    hints_seen: &BTreeMap<String, usize>,
) {
    let counted = result
        .tests
        .iter()
        .filter(|t| t.status != TestStatus::Ignored);
    result.tests_total = counted.clone().count();
    result.tests_passed = counted.filter(|t| t.status == TestStatus::Pass).count();
    result.tasks = tasks::score(meta, facts, &result.tests);
    for t in &mut result.tasks {
        t.hints_used = hints_seen.get(&t.id).copied().unwrap_or(0);
    }
    result.points_earned = result.tasks.iter().map(|t| t.points_earned).sum();
    let first_bad = result
        .tests
        .iter()
        .find(|t| !matches!(t.status, TestStatus::Pass | TestStatus::Ignored));
    result.message = None;
    result.status = if result.tests_total == 0 {
        result.message = Some("no tests found: a lab's tests are its spec".into());
        LabStatus::Error
    } else if result.tests.iter().any(|t| t.status == TestStatus::Timeout) {
        LabStatus::Timeout
    } else if first_bad.is_some() {
        LabStatus::Fail
    } else if !skipped_checks.is_empty() {
        result.message = Some(format!("missing tools: {}", skipped_checks.join("; ")));
        LabStatus::Skip
    } else {
        LabStatus::Pass
    };
    if let Some(t) = first_bad {
        result.message = Some(format!(
            "{}: {}",
            t.name,
            t.message.as_deref().unwrap_or("failed (no message)")
        ));
    }
}

/// The lab's normal or build dependencies outside its allow-list, as a
/// message naming them; `None` when there are none.
fn forbidden_dependencies(ws: &Workspace, lab: &Lab) -> Option<String> {
    let bad: Vec<&str> = lab
        .dependencies
        .iter()
        .filter(|d| !lab.meta.dependencies.contains(d))
        .map(String::as_str)
        .collect();
    if bad.is_empty() {
        return None;
    }
    let allowed = if lab.meta.dependencies.is_empty() {
        "none".to_string()
    } else {
        lab.meta.dependencies.join(", ")
    };
    Some(format!(
        "depends on {}, which lab {} does not allow (allowed: {allowed}): the lab is about writing that part yourself. Remove it from [dependencies] in {}/Cargo.toml",
        bad.iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", "),
        lab.id(),
        lab.rel_dir(&ws.root).display()
    ))
}

/// `cargo clippy` on the lab's own code: `// SAFETY:` on every `unsafe`
/// block is a lab requirement (the workspace denies
/// `undocumented_unsafe_blocks`), so its first finding fails the tasks
/// that hold `unsafe`.
///
/// It runs clippy the way `cargo clippy` does, as the workspace's rustc
/// wrapper, but around the test build (`cargo test --no-run --lib --bins`):
/// the dependencies are then the ones the tests were built with (plain
/// rustc, the same hashes) and only the lab is compiled again, by
/// clippy-driver. `cargo clippy` itself would build every dependency a
/// second time in check mode (for lab 07: all of wasmtime). `CLIPPY_ARGS`
/// is how cargo-clippy passes `-D warnings` to the driver.
fn run_clippy(ws: &Workspace, lab: &Lab, opts: &Options) -> TestOutcome {
    let mut cmd = cargo(ws, opts);
    cmd.env("RUSTC_WORKSPACE_WRAPPER", "clippy-driver")
        .env(
            "CLIPPY_ARGS",
            "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        )
        .args(["test", "--no-run", "--manifest-path"])
        .arg(ws.root.join("Cargo.toml"))
        .args([
            "-p",
            &lab.package,
            "--lib",
            "--bins",
            "--message-format=json",
        ]);
    let mut first: Option<String> = None;
    let finished = run_streaming(cmd, opts.build_timeout, |line| {
        if first.is_none() {
            first = compiler_error(&cargo_message(line));
        }
    });
    let (status, message) = match finished {
        Ok(Finished::Exited(s)) if s.success() => (TestStatus::Pass, None),
        Ok(Finished::Exited(s)) => (
            TestStatus::Fail,
            Some(first.unwrap_or_else(|| format!("`cargo clippy` exited with {s}"))),
        ),
        Ok(Finished::TimedOut) => (TestStatus::Timeout, Some("clippy took too long".into())),
        Err(e) => (TestStatus::Error, Some(format!("cannot run clippy: {e:#}"))),
    };
    TestOutcome {
        binary: CLIPPY_BINARY.to_string(),
        name: "clippy -D warnings (every unsafe block has a // SAFETY: comment)".to_string(),
        status,
        message,
    }
}

/// One line of a `cargo --message-format=json` run: cargo's message, or
/// [`Message::TextLine`] for anything else the command printed (the tests'
/// `--list` output).
fn cargo_message(line: &str) -> Message {
    // `parse_stream` lifts serde_json's nesting limit, which a diagnostic
    // from deep inside macro expansions can exceed.
    match Message::parse_stream(line.as_bytes()).next() {
        Some(Ok(message)) => message,
        _ => Message::TextLine(line.to_string()),
    }
}

/// The rendered text of a compiler error (not a warning).
fn compiler_error(message: &Message) -> Option<String> {
    match message {
        Message::CompilerMessage(m)
            if matches!(
                m.message.level,
                DiagnosticLevel::Error | DiagnosticLevel::Ice
            ) =>
        {
            m.message
                .rendered
                .as_ref()
                .map(|r| r.trim_end().to_string())
        }
        _ => None,
    }
}

/// Each of `names` that is missing, with the command that installs it.
fn missing_tools(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter_map(|name| match tools::find(name).map(|t| t.probe()) {
            Some(Probe::Missing { install, .. }) => Some(format!("{name} (install: {install})")),
            _ => None,
        })
        .collect()
}

/// Runs one `[[package.metadata.lab.checks]]` command. `go test -json`
/// events become one outcome per Go test; otherwise the exit status is one
/// outcome.
fn run_check(
    ws: &Workspace,
    package: &str,
    check: &Check,
    opts: &Options,
    limit: Duration,
) -> Vec<TestOutcome> {
    let binary = format!("{CHECK_PREFIX}{}", check.name);
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(&check.run)
        .current_dir(&ws.root)
        .env("CARGO_TERM_COLOR", "never");
    if let Some(dir) = &opts.target_dir {
        cmd.env("CARGO_TARGET_DIR", dir);
    }
    let mut output = String::new();
    let mut go = GoTestEvents::default();
    let finished = run_streaming(cmd, limit, |line| {
        if let Some(text) = go.feed(line, &binary) {
            output.push_str(&text);
            output.push('\n');
        }
    });
    let mut outcomes = go.outcomes;
    let failed_visibly = outcomes.iter().any(|o| o.status == TestStatus::Fail);
    let single = |status, message| TestOutcome {
        binary: binary.clone(),
        name: check.name.clone(),
        status,
        message,
    };
    match finished {
        Err(e) => outcomes.push(single(
            TestStatus::Error,
            Some(format!("cannot run: {e:#}")),
        )),
        Ok(Finished::TimedOut) => outcomes.push(single(
            TestStatus::Timeout,
            Some(format!("still running after {}s; killed", limit.as_secs())),
        )),
        Ok(Finished::Exited(s)) if s.success() => {
            if outcomes.is_empty() {
                outcomes.push(single(TestStatus::Pass, None));
            }
        }
        Ok(Finished::Exited(s)) => {
            if !failed_visibly {
                let message = match link_error(&output) {
                    Some(line) => format!(
                        "link error: `{}` could not link the lab's library ({line}); build it with `cargo build -p {package} --lib`, and the command finds it in cargo's target dir (scripts/target-dir.sh)",
                        check.name
                    ),
                    None => format!("`{}` exited with {s}:\n{}", check.run, tail(&output, 15)),
                };
                outcomes.push(single(TestStatus::Fail, Some(message)));
            }
        }
    }
    outcomes
}

/// One event of `go test -json` (Go's test2json): the fields read here.
#[derive(Debug, Deserialize)]
struct GoEvent {
    #[serde(rename = "Action")]
    action: String,
    /// The test (`TestA`, or `TestA/sub` for a subtest); none for the
    /// package's and the build's events.
    #[serde(rename = "Test")]
    test: Option<String>,
    #[serde(rename = "Output")]
    output: Option<String>,
}

/// Reads `go test -json` output: one outcome per test and subtest, with a
/// failed test's log lines (`t.Log`, `t.Errorf`) as its message.
#[derive(Debug, Default)]
struct GoTestEvents {
    outcomes: Vec<TestOutcome>,
    /// The log lines of each test that has not ended yet.
    logs: BTreeMap<String, Vec<String>>,
}

impl GoTestEvents {
    /// Takes one line of the command's output and returns its text: a Go
    /// event's output, or the line itself when it is not a Go event.
    fn feed(&mut self, line: &str, binary: &str) -> Option<String> {
        let Ok(event) = serde_json::from_str::<GoEvent>(line) else {
            return Some(line.to_string());
        };
        let text = event.output.map(|o| o.trim_end_matches('\n').to_string());
        let Some(test) = event.test else {
            return text;
        };
        let status = match event.action.as_str() {
            "pass" => TestStatus::Pass,
            "fail" => TestStatus::Fail,
            "skip" => TestStatus::Ignored,
            "output" => {
                // go test's own framing (`=== RUN`, `--- FAIL: …`) is not
                // the test's log; the log is indented under it.
                if let Some(log) = text.as_deref().and_then(|t| t.strip_prefix("    ")) {
                    let log = log.trim_start();
                    if !log.starts_with("--- ") {
                        self.logs.entry(test).or_default().push(log.to_string());
                    }
                }
                return text;
            }
            _ => return text,
        };
        let log = self.logs.remove(&test).unwrap_or_default();
        let message = (status == TestStatus::Fail && !log.is_empty()).then(|| log.join("\n"));
        self.outcomes.push(TestOutcome {
            binary: binary.to_string(),
            name: test,
            status,
            message,
        });
        text
    }
}

struct Failure(LabStatus, String);

fn run_lab(
    ws: &Workspace,
    lab: &Lab,
    opts: &Options,
    limit: Duration,
    tag: &str,
    observer: &mut dyn Observer,
) -> Result<Vec<TestOutcome>, Failure> {
    let crash = |e: anyhow::Error| Failure(LabStatus::Error, format!("{e:#}"));

    // 1. Build and list the tests in one cargo call: JSON lines on stdout are
    //    cargo's build messages (exact compiler errors, progress); the other
    //    lines are the `--list` output the run is read against (see `libtest`).
    observer.stage(tag, Stage::Compiling { ready: 0 });
    let mut build = cargo_test(ws, lab, opts);
    build.args(["--message-format=json", "--", "--list"]);
    let mut errors: Vec<String> = Vec::new();
    let mut listed = String::new();
    let mut built = 0usize;
    let mut build_ok = false;
    let finished = run_streaming(build, opts.build_timeout, |line| {
        let message = cargo_message(line);
        if let Some(error) = compiler_error(&message) {
            errors.push(error);
        }
        match message {
            Message::CompilerArtifact(_) => {
                built += 1;
                observer.stage(tag, Stage::Compiling { ready: built });
            }
            Message::BuildFinished(finished) => {
                build_ok = finished.success;
                observer.stage(tag, Stage::Listing);
            }
            Message::TextLine(text) => {
                listed.push_str(&text);
                listed.push('\n');
            }
            _ => {}
        }
    })
    .map_err(crash)?;
    match finished {
        Finished::TimedOut => {
            return Err(Failure(
                LabStatus::Timeout,
                format!(
                    "building and listing the tests took longer than {}s (raise it with --build-timeout)",
                    opts.build_timeout.as_secs()
                ),
            ));
        }
        Finished::Exited(s) if !s.success() => {
            let msg = match errors.first() {
                Some(first) => format!("does not compile: {first}"),
                None if build_ok => {
                    format!("`cargo test -- --list` failed:\n{}", tail(&listed, 20))
                }
                None => format!("cargo failed ({s}):\n{}", tail(&listed, 20)),
            };
            return Err(Failure(LabStatus::Error, msg));
        }
        Finished::Exited(_) => {}
    }
    let mut listing = libtest::parse_listing(&listed);
    let mut filters = Vec::new();
    if let Some(task) = opts.only_task.as_deref().and_then(|id| lab.meta.task(id)) {
        // By full name (check-starters makes sure no other test's name
        // contains one); doc tests are left out: rustdoc does not filter
        // its merged doc tests (see `readme::cargo_test_args`).
        // A task with doc tests only runs whole, like every task.
        let mut only = listing.clone();
        for (_, tests) in &mut only {
            tests.retain(|n| task.claims(n) && !crate::readme::is_doc_test(n));
            filters.extend(tests.iter().cloned());
        }
        if !filters.is_empty() {
            only.retain(|(_, tests)| !tests.is_empty());
            listing = only;
        }
    }
    let total: usize = listing.iter().map(|(_, t)| t.len()).sum();

    // 2. Run them all (no fail-fast: the table shows every failure).
    let mut run = cargo_test(ws, lab, opts);
    run.arg("--no-fail-fast");
    if !filters.is_empty() {
        run.arg("--tests").arg("--").args(&filters);
    }
    let mut parser = libtest::RunParser::new(&listing);
    observer.stage(tag, Stage::Running { done: 0, total });
    let finished = run_streaming(run, limit, |line| {
        if parser.feed(line).is_some() {
            let done = parser.finished_count();
            observer.stage(tag, Stage::Running { done, total });
        }
    })
    .map_err(crash)?;
    let ending = match finished {
        Finished::TimedOut => Ending::TimedOut(limit.as_secs()),
        Finished::Exited(_) => Ending::Exited,
    };
    Ok(parser.finish(ending))
}

/// The first line of a check's output that says the linker failed (GNU
/// ld, lld, Apple ld, through gcc, clang or Go's cgo): a check that cannot
/// link is reported in one line, not as a 30-line linker dump.
fn link_error(output: &str) -> Option<&str> {
    const SIGNS: [&str; 5] = [
        "undefined reference to",
        "cannot find -l",
        "library not found",
        "ld: cannot find",
        "Undefined symbols for architecture",
    ];
    output
        .lines()
        .map(str::trim)
        .find(|l| SIGNS.iter().any(|s| l.contains(s)))
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The level reached: the highest level whose labs, and every lower level's,
/// all passed (a level with no graded labs is not reached).
pub fn level_reached(results: &[LabResult]) -> Option<Level> {
    let mut reached = None;
    for level in Level::ALL {
        let at: Vec<&LabResult> = results.iter().filter(|r| r.level == level).collect();
        if at.is_empty() || at.iter().any(|r| r.status != LabStatus::Pass) {
            break;
        }
        reached = Some(level);
    }
    reached
}

/// True when this run should make `verify` exit non-zero.
pub fn failed(results: &[LabResult], require_all: bool) -> bool {
    results.iter().any(|r| match r.status {
        LabStatus::Pass => false,
        LabStatus::Skip => require_all,
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{
        GoTestEvents, LabResult, LabStatus, Message, cargo_message, compiler_error, judge,
        link_error,
    };
    use crate::libtest::{TestOutcome, TestStatus};
    use crate::tasks::TaskFacts;
    use crate::tasks::tests::{meta, outcome};

    /// Judges `tests` for a lab with tasks a (3 points, tests `a_…`) and
    /// b (4 points, tests `b_…`).
    fn judged(tests: Vec<TestOutcome>, skipped_checks: &[&str]) -> LabResult {
        let m = meta(&[("a", &["a_"], 3), ("b", &["b_"], 4)]);
        let mut r = LabResult::blank("01".into(), "lab".into(), &m);
        r.tests = tests;
        let skipped: Vec<String> = skipped_checks.iter().map(|s| s.to_string()).collect();
        let hints = BTreeMap::from([("b".to_string(), 2)]);
        judge(&mut r, &m, &TaskFacts::default(), &skipped, &hints);
        r
    }

    #[test]
    fn partial_credit_is_per_task_and_the_first_failure_is_the_message() {
        let r = judged(
            vec![
                outcome("tests/a.rs", "a_one", TestStatus::Pass),
                outcome("tests/b.rs", "b_one", TestStatus::Pass),
                outcome("tests/b.rs", "b_two", TestStatus::Fail),
                outcome("tests/b.rs", "b_three", TestStatus::Fail),
            ],
            &[],
        );
        assert_eq!(r.status, LabStatus::Fail);
        assert_eq!((r.points_earned, r.points), (3, 7));
        assert_eq!((r.tests_passed, r.tests_total), (2, 4));
        assert_eq!(r.message.as_deref(), Some("b_two: boom"));
        assert_eq!(r.tasks_done(), 1);
        assert_eq!(
            (r.tasks[0].hints_used, r.tasks[1].hints_used),
            (0, 2),
            "hints seen are reported per task"
        );
    }

    #[test]
    fn ignored_tests_do_not_count_and_every_pass_is_a_pass() {
        let r = judged(
            vec![
                outcome("tests/a.rs", "a_one", TestStatus::Pass),
                outcome("tests/b.rs", "b_one", TestStatus::Pass),
                outcome("tests/b.rs", "b_slow", TestStatus::Ignored),
            ],
            &[],
        );
        assert_eq!(r.status, LabStatus::Pass);
        assert_eq!((r.tests_passed, r.tests_total), (2, 2));
        assert_eq!(r.points_earned, 7);
        assert_eq!(r.message, None);
    }

    #[test]
    fn a_timeout_outranks_a_failure_and_a_failure_outranks_a_skipped_check() {
        let timed_out = judged(
            vec![
                outcome("tests/a.rs", "a_one", TestStatus::Fail),
                outcome("tests/b.rs", "b_one", TestStatus::Timeout),
            ],
            &["check `go` needs go"],
        );
        assert_eq!(timed_out.status, LabStatus::Timeout);
        assert_eq!(timed_out.points_earned, 0);
        let failed = judged(
            vec![
                outcome("tests/a.rs", "a_one", TestStatus::Fail),
                outcome("tests/b.rs", "b_one", TestStatus::Pass),
            ],
            &["check `go` needs go"],
        );
        assert_eq!(failed.status, LabStatus::Fail);
        assert_eq!(failed.points_earned, 4);
    }

    #[test]
    fn a_lab_that_passes_with_a_skipped_check_is_a_skip_that_says_why() {
        let r = judged(
            vec![
                outcome("tests/a.rs", "a_one", TestStatus::Pass),
                outcome("tests/b.rs", "b_one", TestStatus::Pass),
            ],
            &["check `go` needs go (install: apt-get install -y golang-go)"],
        );
        assert_eq!(r.status, LabStatus::Skip);
        assert_eq!(
            r.message.as_deref(),
            Some("missing tools: check `go` needs go (install: apt-get install -y golang-go)")
        );
        assert_eq!(r.points_earned, 7, "the tests that ran still earn");
    }

    #[test]
    fn no_tests_is_an_error_not_a_pass() {
        let r = judged(
            vec![outcome("tests/a.rs", "a_slow", TestStatus::Ignored)],
            &[],
        );
        assert_eq!(r.status, LabStatus::Error);
        assert_eq!(
            r.message.as_deref(),
            Some("no tests found: a lab's tests are its spec")
        );
        assert_eq!(r.points_earned, 0);
    }

    /// Recorded from `cargo build --message-format=json` on a crate with
    /// one error and one warning.
    const CARGO_MESSAGES: &str = include_str!("../tests/fixtures/cargo-messages.jsonl");

    #[test]
    fn only_compiler_errors_are_taken_from_cargo_messages() {
        let errors: Vec<String> = CARGO_MESSAGES
            .lines()
            .filter_map(|l| compiler_error(&cargo_message(l)))
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("error[E0308]: mismatched types"),
            "{}",
            errors[0]
        );
        let last = CARGO_MESSAGES.lines().last().unwrap_or_default();
        assert!(matches!(
            cargo_message(last),
            Message::BuildFinished(f) if !f.success
        ));
    }

    #[test]
    fn lines_that_are_not_cargo_messages_are_text() {
        for line in ["tests::adds: test", "", "{\"reason\":\"from-the-future\"}"] {
            assert_eq!(cargo_message(line), Message::TextLine(line.to_string()));
        }
    }

    #[test]
    fn go_events_outside_a_test_are_text_and_make_no_outcome() {
        let mut go = GoTestEvents::default();
        let build = r#"{"ImportPath":"x [x.test]","Action":"build-output","Output":"./b.go:2:28: cannot use \"x\"\n"}"#;
        assert_eq!(
            go.feed(build, "check go").as_deref(),
            Some("./b.go:2:28: cannot use \"x\"")
        );
        assert_eq!(go.feed("not json", "check go").as_deref(), Some("not json"));
        assert!(go.outcomes.is_empty());
        let skip = r#"{"Action":"skip","Package":"x","Test":"TestD"}"#;
        assert_eq!(go.feed(skip, "check go"), None);
        assert_eq!(go.outcomes[0].status, TestStatus::Ignored);
    }

    #[test]
    fn a_cgo_link_failure_is_found_in_go_test_output() {
        let output = "# github.com/rust-job-labs/go-interop/safeffi.test
/usr/local/go/pkg/tool/linux_amd64/link: running gcc failed: exit status 1
/usr/bin/gcc -m64 -o $WORK/b001/safeffi.test -rdynamic /tmp/go-link-1/go.o
/usr/bin/ld: /tmp/go-link-1/000001.o: in function `_cgo_5d2f_Cfunc_process_data':
    safeffi.go:(.text+0x1a): undefined reference to `process_data'
collect2: error: ld returned 1 exit status
FAIL	github.com/rust-job-labs/go-interop/safeffi [build failed]";
        assert_eq!(
            link_error(output),
            Some("safeffi.go:(.text+0x1a): undefined reference to `process_data'")
        );
        let missing =
            "/usr/bin/ld: cannot find /t/debug/liblab04_safe_ffi.a: No such file or directory";
        assert_eq!(link_error(missing), Some(missing));
    }

    #[test]
    fn a_failing_test_is_not_a_link_error() {
        assert_eq!(
            link_error("--- FAIL: TestProcess (0.00s)\n    want 3, got 4\nFAIL"),
            None
        );
    }
}
