//! The grader graded: `verify` runs on fixture labs (tests/fixtures/workspace)
//! whose outcomes are known, and each report is compared to what it must say.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_verify");

/// The folder of one fixture workspace under tests/fixtures/.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixture_manifest() -> PathBuf {
    fixture("workspace").join("Cargo.toml")
}

/// One target dir for every fixture build, kept between runs (warm).
fn fixture_target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-target")
}

/// Runs verify on the workspace of `manifest`. The fixture workspace builds
/// into one shared target dir; a scratch copy (see [`scratch_copy`]) must
/// use its own, because cargo gives the same package in two copies of a
/// workspace the same artifact names, and the copies would overwrite each
/// other's test binaries.
fn verify(args: &[&str], manifest: &Path, env: &[(&str, &str)]) -> Output {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let target = if manifest == fixture_manifest() {
        fixture_target()
    } else if let Ok(rel) = manifest.strip_prefix(&fixtures) {
        // Another fixture of the source tree: never build inside it.
        let name = rel
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fixture-{name}-target"))
    } else {
        manifest.with_file_name("target")
    };
    let mut cmd = Command::new(BIN);
    cmd.arg("--manifest-path")
        .arg(manifest)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("VERIFY_PRETEND_MISSING");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the verify binary runs")
}

struct FullRun {
    output: Output,
    report: Value,
    junit: PathBuf,
    pidfile: PathBuf,
}

/// The whole fixture workspace graded once, shared by the tests below.
fn full_run() -> &'static FullRun {
    static RUN: OnceLock<FullRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("full-run");
        std::fs::create_dir_all(&dir).expect("tmp dir");
        let json = dir.join("results.json");
        let junit = dir.join("results.xml");
        let pidfile = dir.join("hang.pid");
        let _ = std::fs::remove_file(&pidfile);
        let output = verify(
            &[
                "--json",
                json.to_str().expect("utf-8 path"),
                "--junit",
                junit.to_str().expect("utf-8 path"),
            ],
            &fixture_manifest(),
            &[
                ("VERIFY_PRETEND_MISSING", "go"),
                (
                    "VERIFY_FIXTURE_PIDFILE",
                    pidfile.to_str().expect("utf-8 path"),
                ),
            ],
        );
        let text = std::fs::read_to_string(&json).unwrap_or_else(|e| {
            panic!(
                "no JSON report ({e}); stderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        let report = serde_json::from_str(&text).expect("the report is JSON");
        FullRun {
            output,
            report,
            junit,
            pidfile,
        }
    })
}

fn lab<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["labs"]
        .as_array()
        .and_then(|labs| labs.iter().find(|l| l["lab"] == id))
        .unwrap_or_else(|| panic!("lab {id} missing from {report:#}"))
}

fn test_named<'a>(lab: &'a Value, name: &str) -> &'a Value {
    lab["tests"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("test {name} missing from {lab:#}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn all_pass_lab_gets_full_points_and_ignored_tests_do_not_count() {
    let l = lab(&full_run().report, "01");
    assert_eq!(l["status"], "pass");
    assert_eq!(
        (l["tests_passed"].as_u64(), l["tests_total"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(l["points_earned"], 10);
    assert_eq!(test_named(l, "tests::ignored")["status"], "ignored");
    assert_eq!(l["message"], Value::Null);
}

/// The fixture run's JUnit file validates against junit-10.xsd, the schema
/// CI tools read (`scripts/junit-schema.sh` fetches it), with xmllint.
#[test]
fn junit_output_validates_against_the_junit_schema_with_a_case_per_test_and_its_task() {
    let run = full_run();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schema = Command::new(root.join("scripts/junit-schema.sh"))
        .output()
        .expect("scripts/junit-schema.sh runs");
    assert!(
        schema.status.success(),
        "junit-schema.sh: {}",
        String::from_utf8_lossy(&schema.stderr)
    );
    let xsd = String::from_utf8_lossy(&schema.stdout).trim().to_string();
    let lint = Command::new("xmllint")
        .args(["--noout", "--schema", &xsd])
        .arg(&run.junit)
        .output()
        .expect("xmllint runs: `make system-tools` installs it (Debian: libxml2-utils)");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let xml = std::fs::read_to_string(&run.junit).expect("the JUnit file");
    for want in [
        // one suite per lab, the partial lab's failing test with its message
        "<testsuite name=\"fixture-partial\"",
        "<testcase name=\"tests::wrong\" classname=\"fixture-partial.wrong\">",
        "<failure type=\"fail\" message=\"assertion `left == right` failed: arithmetic is off\">",
        "<property name=\"task.1.one\" value=\"done, 3/3 points, 1/1 tests\"/>",
        // the lab that does not compile is one error case, the hang a timeout
        "<error type=\"error\" message=\"does not compile: error[E0308]: mismatched types\">",
        "<error type=\"timeout\"",
        // a skipped lab
        "<skipped type=\"skip\" message=\"missing go",
    ] {
        assert!(xml.contains(want), "{want} missing from\n{xml}");
    }
}

#[test]
fn partial_lab_fails_with_partial_points_and_the_assert_message() {
    let l = lab(&full_run().report, "02");
    assert_eq!(l["status"], "fail");
    assert_eq!(
        (l["tests_passed"].as_u64(), l["tests_total"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(
        l["points_earned"], 6,
        "tasks one and two (3 each); wrong fails"
    );
    let tasks = l["tasks"].as_array().expect("per-task results");
    let done: Vec<(&str, bool)> = tasks
        .iter()
        .map(|t| (t["id"].as_str().unwrap_or(""), t["done"] == true))
        .collect();
    assert_eq!(done, [("one", true), ("two", true), ("wrong", false)]);
    let msg = l["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with("tests::wrong: assertion `left == right` failed: arithmetic is off"),
        "{msg}"
    );
    assert!(msg.contains("(at labs/partial/src/lib.rs:"), "{msg}");
}

#[test]
fn lab_that_does_not_compile_is_an_error_with_the_compiler_message() {
    let l = lab(&full_run().report, "03");
    assert_eq!(l["status"], "error");
    assert_eq!(l["points_earned"], 0);
    let msg = l["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with("does not compile: error[E0308]: mismatched types"),
        "{msg}"
    );
    assert!(msg.contains("labs/no-compile/src/lib.rs:3:5"), "{msg}");
}

#[test]
fn panicking_test_fails_with_its_message_and_a_crash_is_reported_with_its_signal() {
    let l = lab(&full_run().report, "04");
    assert_eq!(l["status"], "fail");
    assert_eq!(
        (l["tests_passed"].as_u64(), l["tests_total"].as_u64()),
        (Some(1), Some(3))
    );
    let boom = test_named(l, "tests::boom");
    assert_eq!(boom["status"], "fail");
    let msg = boom["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with("boom: index 3 out of range (at labs/panics/src/lib.rs:"),
        "{msg}"
    );
    let aborted = test_named(l, "aborts");
    assert_eq!(aborted["status"], "error");
    let msg = aborted["message"].as_str().unwrap_or("");
    assert!(msg.contains("crashed") && msg.contains("SIGABRT"), "{msg}");
}

#[test]
fn hanging_lab_times_out_and_its_whole_process_group_is_killed() {
    let run = full_run();
    let l = lab(&run.report, "05");
    assert_eq!(l["status"], "timeout");
    assert_eq!(test_named(l, "tests::quick")["status"], "pass");
    let hung = test_named(l, "tests::hangs_forever");
    assert_eq!(hung["status"], "timeout");
    assert!(
        hung["message"]
            .as_str()
            .unwrap_or("")
            .contains("time limit (3s)")
    );
    let ms = l["duration_ms"].as_u64().unwrap_or(0);
    assert!(ms >= 3000, "killed before its limit: {ms} ms");

    let pid: i32 = std::fs::read_to_string(&run.pidfile)
        .expect("the hanging test wrote its child's pid")
        .trim()
        .parse()
        .expect("a pid");
    // The child was in the killed process group; give the kernel a moment.
    let mut alive = true;
    for _ in 0..50 {
        alive = Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z ");
        if !alive {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        !alive,
        "the hanging test's child {pid} survived the time limit"
    );
}

#[test]
fn lab_with_a_missing_tool_is_skipped_with_the_install_command() {
    let l = lab(&full_run().report, "06");
    assert_eq!(l["status"], "skip");
    let msg = l["message"].as_str().unwrap_or("");
    assert!(msg.starts_with("missing go (install: "), "{msg}");
}

#[test]
fn report_is_results_json_shaped_with_points_and_levels() {
    let r = &full_run().report;
    assert_eq!(r["version"], 3);
    assert_eq!(
        r["status"], "error",
        "a lab that does not compile makes the run an error"
    );
    assert_eq!(r["points"]["total"], 39);
    assert_eq!(
        r["points"]["earned"],
        10 + 6 + 2,
        "a task earns its points only when all its tests pass: all-pass 10, partial's one and two, panics' fine"
    );
    assert_eq!(r["level_reached"], Value::Null, "junior has a failing lab");
    assert_eq!(r["levels"][0]["labs_passed"], 1);
    assert_eq!(r["levels"][0]["labs_total"], 2);
    let flat = r["tests"].as_array().expect("a flat tests list");
    assert!(flat.iter().any(
        |t| t["name"] == "fixture-partial::unittests src/lib.rs tests::wrong"
            && t["status"] == "fail"
            && t["task_id"] == 3
    ));
}

#[test]
fn table_shows_each_lab_and_exit_code_is_one_when_a_lab_fails() {
    let run = full_run();
    assert_eq!(run.output.status.code(), Some(1));
    let out = stdout(&run.output);
    for row in [
        "01   All pass",
        "02   Partial",
        "03   Does not compile",
        "04   Panics",
        "05   Hangs",
        "06   Needs a tool",
    ] {
        assert!(out.contains(row), "no row {row:?} in\n{out}");
    }
    assert!(out.contains("Level reached: none yet"), "{out}");
    assert!(
        out.contains("verify: 7 passed, 5 failed, 1 skipped"),
        "{out}"
    );
    let progress = String::from_utf8_lossy(&run.output.stderr);
    assert!(
        progress.contains("[3/6] 03 fixture-no-compile"),
        "{progress}"
    );
}

#[test]
fn passing_selection_exits_zero_and_reaches_its_level() {
    let out = verify(&["--lab", "1"], &fixture_manifest(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("Level reached: junior"));
}

#[test]
fn skip_passes_by_default_but_fails_with_require_all() {
    let env = [("VERIFY_PRETEND_MISSING", "go")];
    let plain = verify(&["--lab", "needs-tool"], &fixture_manifest(), &env);
    assert_eq!(plain.status.code(), Some(0), "{}", stdout(&plain));
    let strict = verify(
        &["--lab", "needs-tool", "--require-all"],
        &fixture_manifest(),
        &env,
    );
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
}

#[test]
fn level_filter_grades_only_that_level() {
    let out = verify(
        &["--level", "architect", "--timeout", "2"],
        &fixture_manifest(),
        &[],
    );
    let text = stdout(&out);
    assert!(
        text.contains("05   Hangs") && text.contains("06   Needs a tool"),
        "{text}"
    );
    assert!(!text.contains("01   All pass"), "{text}");
}

#[test]
fn unknown_lab_is_a_usage_error_listing_the_labs() {
    let out = verify(&["--lab", "nope"], &fixture_manifest(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no lab `nope`; the labs are: 01 (fixture-all-pass)"),
        "{err}"
    );
}

/// A private copy of a fixture workspace, for commands that edit files.
fn scratch_copy(src: &Path, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let status = Command::new("cp")
        .arg("-r")
        .arg(src)
        .arg(&dir)
        .status()
        .expect("cp runs");
    assert!(status.success());
    // Without the learner state other tests' runs left in the fixture.
    let _ = std::fs::remove_dir_all(dir.join(".labs"));
    dir
}

/// `git -C dir ARGS` with a fixed identity; panics unless it succeeds.
fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .output()
        .expect("git runs")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

/// Makes `dir` a git repository with everything in it committed.
fn commit_all(dir: &Path) {
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "fixture"]);
}

#[test]
fn start_makes_the_exercise_and_restore_brings_back_the_reference() {
    let dir = scratch_copy(&fixture("workspace"), "start-restore");
    let manifest = dir.join("Cargo.toml");
    let lib = dir.join("labs/all-pass/src/lib.rs");
    let reference = std::fs::read_to_string(&lib).expect("lib.rs");

    let started = verify(&["start", "01"], &manifest, &[]);
    assert_eq!(
        started.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let starter = std::fs::read_to_string(&lib).expect("lib.rs");
    assert!(
        starter.contains("todo!(\"add: return the sum\")"),
        "{starter}"
    );
    let shown = stdout(&started);
    assert!(
        shown.contains("[ ] 1. add") && shown.contains("src/lib.rs:3"),
        "open tasks as [ ], with the stub's line: {shown}"
    );
    assert!(
        shown.contains("make test-task LAB=01 TASK=1") && shown.contains("make hint LAB=01"),
        "{shown}"
    );

    let graded = verify(
        &[
            "--lab",
            "01",
            "--json",
            dir.join("r.json").to_str().expect("utf-8"),
        ],
        &manifest,
        &[],
    );
    assert_eq!(graded.status.code(), Some(1), "the starter must fail");
    assert!(stdout(&graded).contains("not yet implemented: add: return the sum"));

    let hint = verify(&["hint", "01"], &manifest, &[]);
    let shown = stdout(&hint);
    assert!(
        shown.contains("Lab 01, task 1 of 1: add (Task add), src/lib.rs:3"),
        "{shown}"
    );
    assert!(shown.contains("Hint 1 of 2:\n  first hint"), "{shown}");
    assert!(shown.contains("again for the next one"), "{shown}");
    let again = verify(&["start", "01"], &manifest, &[]);
    assert!(
        stdout(&again).contains("Lab 01 is already an exercise (1 tasks)"),
        "{}",
        stdout(&again)
    );
    let hint = verify(&["hint", "01"], &manifest, &[]);
    let shown = stdout(&hint);
    assert!(shown.contains("Hint 2 of 2:\n  second hint"), "{shown}");
    assert!(!shown.contains("again for the next one"), "{shown}");
    let hint = verify(&["hint", "01"], &manifest, &[]);
    let shown = stdout(&hint);
    assert!(
        shown.contains("All 2 hints of this task are shown")
            && shown.contains("  1. first hint")
            && shown.contains("  2. second hint"),
        "{shown}"
    );
    let unknown = verify(&["hint", "01", "--task", "nope"], &manifest, &[]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("its tasks are: add"));

    // The learner writes something, then asks for the reference back.
    std::fs::write(
        &lib,
        starter.replace("todo!(\"add: return the sum\")", "a - b + 2 * b"),
    )
    .expect("write");
    let restored = verify(&["restore", "01"], &manifest, &[]);
    assert_eq!(
        restored.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert_eq!(std::fs::read_to_string(&lib).expect("lib.rs"), reference);
    assert!(
        stdout(&restored).contains("holds the reference again (1 files)")
            && stdout(&restored).contains("\n  src/lib.rs"),
        "{}",
        stdout(&restored)
    );
    let again = verify(&["restore", "01"], &manifest, &[]);
    assert!(
        stdout(&again).contains("Lab 01 already holds the reference."),
        "{}",
        stdout(&again)
    );
    let backups = dir.join(".labs/backups/fixture-all-pass");
    let kept: Vec<String> = std::fs::read_dir(&backups)
        .expect("backups exist")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with("-restore"))
        .filter_map(|e| std::fs::read_to_string(e.path().join("src/lib.rs")).ok())
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(
        kept[0].contains("a - b + 2 * b"),
        "the learner's work is kept"
    );
}

#[test]
fn start_refuses_to_overwrite_uncommitted_work_without_force() {
    let dir = scratch_copy(&fixture("workspace"), "start-dirty");
    commit_all(&dir);
    let lib = dir.join("labs/all-pass/src/lib.rs");
    let mine = std::fs::read_to_string(&lib)
        .expect("lib.rs")
        .replace("a + b", "b + a");
    std::fs::write(&lib, &mine).expect("write");

    let manifest = dir.join("Cargo.toml");
    let refused = verify(&["start", "01"], &manifest, &[]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("uncommitted changes (labs/all-pass/src/lib.rs)")
            && err.contains("make start LAB=01 FORCE=1"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&lib).expect("lib.rs"),
        mine,
        "nothing was touched"
    );

    let forced = verify(&["start", "01", "--force"], &manifest, &[]);
    assert_eq!(forced.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&lib)
            .expect("lib.rs")
            .contains("todo!(")
    );
}

#[test]
fn start_all_and_restore_all_refuse_work_then_change_every_lab() {
    let dir = scratch_copy(&fixture("workspace"), "start-restore-all");
    commit_all(&dir);
    let manifest = dir.join("Cargo.toml");
    let add = dir.join("labs/all-pass/src/lib.rs");
    let partial = dir.join("labs/partial/src/lib.rs");
    let reference = std::fs::read_to_string(&add).expect("lib.rs");
    let partial_reference = std::fs::read_to_string(&partial).expect("lib.rs");
    let err = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // Uncommitted work in lab 02: nothing changes anywhere.
    std::fs::write(&partial, format!("{partial_reference}\n// mine\n")).expect("write");
    let refused = verify(&["start", "--all"], &manifest, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stdout(&refused));
    assert!(
        err(&refused).contains("lab 02 has uncommitted changes (labs/partial/src/lib.rs)")
            && err(&refused).contains("make start-all FORCE=1"),
        "{}",
        err(&refused)
    );
    assert_eq!(std::fs::read_to_string(&add).expect("lib.rs"), reference);
    std::fs::write(&partial, &partial_reference).expect("write");

    let started = verify(&["start", "--all"], &manifest, &[]);
    assert_eq!(started.status.code(), Some(0), "{}", err(&started));
    let shown = stdout(&started);
    assert_eq!(shown.matches("is now an exercise").count(), 6, "{shown}");
    assert!(
        std::fs::read_to_string(&add)
            .expect("lib.rs")
            .contains("todo!(")
    );
    assert!(
        std::fs::read_to_string(&partial)
            .expect("lib.rs")
            .contains("todo!(")
    );

    // Lab 02 untouched since start (only the starter): not work. Lab 01 solved: work.
    let solved = std::fs::read_to_string(&add)
        .expect("lib.rs")
        .replace("todo!(\"add: return the sum\")", "a - b + 2 * b");
    std::fs::write(&add, &solved).expect("write");
    let refused = verify(&["restore", "--all"], &manifest, &[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stdout(&refused));
    assert!(
        err(&refused).contains("lab 01 has work of yours (src/lib.rs).")
            && err(&refused).contains("make restore-all FORCE=1"),
        "{}",
        err(&refused)
    );
    assert!(
        std::fs::read_to_string(&partial)
            .expect("lib.rs")
            .contains("todo!("),
        "no lab changed"
    );

    let restored = verify(&["restore", "--all", "--force"], &manifest, &[]);
    assert_eq!(restored.status.code(), Some(0), "{}", err(&restored));
    assert_eq!(std::fs::read_to_string(&add).expect("lib.rs"), reference);
    assert_eq!(
        std::fs::read_to_string(&partial).expect("lib.rs"),
        partial_reference
    );
    assert_eq!(
        stdout(&restored)
            .matches("holds the reference again")
            .count(),
        6,
        "{}",
        stdout(&restored)
    );
    let kept = std::fs::read_dir(dir.join(".labs/backups/fixture-all-pass"))
        .expect("backups")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with("-restore"))
        .filter_map(|e| std::fs::read_to_string(e.path().join("src/lib.rs")).ok())
        .collect::<Vec<_>>();
    assert_eq!(kept, [solved], "the learner's work is backed up");

    let again = verify(&["restore", "--all"], &manifest, &[]);
    assert_eq!(
        stdout(&again)
            .matches("already holds the reference")
            .count(),
        6
    );
    let usage = verify(&["restore", "01", "--all"], &manifest, &[]);
    assert_eq!(usage.status.code(), Some(2), "a lab and --all conflict");
}

#[test]
fn grading_records_progress_and_says_where_to_go_next() {
    let dir = scratch_copy(&fixture("workspace"), "progress");
    let manifest = dir.join("Cargo.toml");
    let record = || -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(dir.join(".labs/progress.json")).expect("progress.json"),
        )
        .expect("JSON")
    };
    let graded = verify(&["--lab", "01"], &manifest, &[]);
    assert_eq!(graded.status.code(), Some(0));
    let first = record();
    let add = &first["labs"]["fixture-all-pass"]["tasks"]["add"];
    assert_eq!(add["done"], true, "{first}");
    let passed_at = add["first_passed"].as_str().expect("a time").to_string();
    assert_eq!(passed_at.len(), "2026-12-02T21:05:09Z".len(), "{passed_at}");
    assert!(
        stdout(&graded).contains("next: lab 02, task 1 of 3: one (Task one)")
            && stdout(&graded).contains("not graded yet: `make start LAB=02`"),
        "the first lab not graded: {}",
        stdout(&graded)
    );

    // The learner breaks the solved task: done goes, the first pass stays.
    let lib = dir.join("labs/all-pass/src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(&lib, text.replacen("a + b", "a - b", 1)).expect("write");
    let graded = verify(&["--lab", "01"], &manifest, &[]);
    assert_eq!(graded.status.code(), Some(1));
    let add = &record()["labs"]["fixture-all-pass"]["tasks"]["add"];
    assert_eq!(add["done"], false);
    assert_eq!(add["first_passed"].as_str(), Some(passed_at.as_str()));
    assert!(
        stdout(&graded).contains("next: lab 01, task 1 of 1: add (Task add)")
            && stdout(&graded).contains("its tests alone: make test-task LAB=01 TASK=1")
            && stdout(&graded).contains("graded on every save: make watch LAB=01"),
        "{}",
        stdout(&graded)
    );
    let hint = verify(&["hint", "01"], &manifest, &[]);
    assert!(stdout(&hint).contains("Hint 1 of 2"), "{}", stdout(&hint));
    assert_eq!(
        record()["labs"]["fixture-all-pass"]["tasks"]["add"]["hints_used"],
        1
    );
    let listed = verify(&["list"], &manifest, &[]);
    assert!(
        stdout(&listed).contains("fixture-all-pass             0/1 tasks"),
        "{}",
        stdout(&listed)
    );

    std::fs::write(dir.join(".labs/progress.json"), "{ not json").expect("write");
    let hint = verify(&["hint", "01"], &manifest, &[]);
    assert_eq!(hint.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&hint.stderr).contains("is not a progress record (move it away"),
        "a damaged record is reported, not replaced"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(".labs/progress.json")).expect("kept"),
        "{ not json"
    );
}

#[test]
fn report_renders_markdown_from_a_saved_json_report() {
    full_run(); // writes the JSON report this test renders
    let json = Path::new(env!("CARGO_TARGET_TMPDIR")).join("full-run/results.json");
    let out = verify(
        &["report", "--from", json.to_str().expect("utf-8")],
        &fixture_manifest(),
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let md = stdout(&out);
    assert!(
        md.contains("| # | Lab | Level | What it builds | Tasks | Tests | Status |"),
        "{md}"
    );
    assert!(
        md.contains("| 01 | All pass | junior | fixture: All pass | 1/1 | 3/3 | ✅ pass |"),
        "{md}"
    );
    assert!(
        md.contains(
            "| 06 | Needs a tool | architect | fixture: Needs a tool | 0/0 | 0/0 | ⏭ skipped |"
        ),
        "{md}"
    );
    // The evidence recorded when it was graded: commit, compiler, tests.
    let evidence = md
        .lines()
        .find(|l| l.starts_with("Evidence: graded "))
        .unwrap_or_else(|| panic!("no evidence line in\n{md}"));
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("git runs");
    let head = String::from_utf8_lossy(&head.stdout);
    assert!(
        evidence.contains(&format!("at commit {}", &head.trim()[..12]))
            && evidence.contains(" with rustc 1.")
            && evidence.contains("on tests sha256 "),
        "{evidence}"
    );
}

/// The portfolio page: rendered by headless Chromium (Debian's
/// `chromium`), its DOM holds the grade table and the SVG charts, and the
/// screenshot is a real image of the window's size.
#[test]
fn the_html_report_renders_in_headless_chromium_with_the_table_and_charts() {
    full_run();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let ratios = fixture_target().join("bench-ratios");
    std::fs::create_dir_all(&ratios).expect("ratio dir");
    std::fs::write(
        ratios.join("lab01.json"),
        r#"[{"figure":"fixture/add-vs-sum","peer":"Iterator::sum","median":1.25,"q1":1.2,"q3":1.31,"rounds":21,"commit":"abc"},
            {"figure":"fixture/add-vs-asm","peer":"inline asm","median":0.8,"q1":0.75,"q3":0.9,"rounds":21,"commit":"abc"}]"#,
    )
    .expect("ratio file");
    let json = Path::new(env!("CARGO_TARGET_TMPDIR")).join("full-run/results.json");
    let page = dir.join("report.html");
    let out = verify(
        &[
            "report",
            "--from",
            json.to_str().expect("utf-8"),
            "--html",
            page.to_str().expect("utf-8"),
        ],
        &fixture_manifest(),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).expect("the page");
    for external in ["<script", "<link", "src=", "url(", "https://"] {
        assert!(
            !html.contains(external),
            "self-contained, no script: {external}"
        );
    }
    assert!(html.contains("This lab has no benchmark."), "{html}");

    let url = format!("file://{}", page.display());
    let chromium = |extra: &[&str]| {
        // CHROMIUM: another name for it (`chromium-browser`, Chrome).
        Command::new(std::env::var_os("CHROMIUM").unwrap_or_else(|| "chromium".into()))
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
            ])
            .args(extra)
            .arg(&url)
            .output()
            .expect("chromium runs: `make system-tools` installs it (Debian: chromium)")
    };
    let dom = chromium(&["--dump-dom"]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    for want in [
        "<h2>Grades</h2>",
        "<td>All pass</td>",
        "fixture/add-vs-sum",
        "1.25× Iterator::sum (IQR 1.20–1.31, 21 rounds)",
        "aria-label=\"points per lab\"",
    ] {
        assert!(
            dom.contains(want),
            "{want} missing from the rendered DOM:\n{dom}"
        );
    }
    assert!(dom.matches("<svg").count() >= 2, "{dom}");
    let shot = dir.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let taken = chromium(&[
        "--window-size=1000,1400",
        &format!("--screenshot={}", shot.display()),
    ]);
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}): {}",
            String::from_utf8_lossy(&taken.stderr)
        )
    });
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let size = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!((size(16), size(20)), (1000, 1400), "the window's size");
}

#[test]
fn check_order_flags_a_task_whose_tests_need_a_later_task() {
    let dir = scratch_copy(&fixture("starters"), "check-order");
    let manifest = dir.join("Cargo.toml");
    // Without --order the lab is a valid exercise.
    let plain = verify(&["check-starters", "--lab", "04"], &manifest, &[]);
    let text = stdout(&plain) + &String::from_utf8_lossy(&plain.stderr);
    assert_eq!(plain.status.code(), Some(0), "{text}");
    let out = verify(
        &["check-starters", "--order", "--lab", "04"],
        &manifest,
        &[],
    );
    let text = stdout(&out) + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "in order: with tasks 1–1 done (through `first`), task `first` fails; its tests need a later task's code: first_adds_one_to_second: not yet implemented: second"
        ) && text.contains("(failing: first_adds_one_to_second)"),
        "{text}"
    );
    // The scratch copy is the full starter again afterwards.
    let scratch_lib = dir.join(".labs/check-starters/workspace/labs/out-of-order/src/lib.rs");
    let lib = std::fs::read_to_string(&scratch_lib).expect("scratch lib");
    assert_eq!(lib.matches("todo!(").count(), 2, "{lib}");
}

#[test]
fn check_starters_flags_passing_starters_and_missing_regions_and_leaves_the_real_build_alone() {
    // A private copy: check-starters writes its scratch workspace under .labs/.
    let dir = scratch_copy(&fixture("starters"), "check-starters");
    let manifest = dir.join("Cargo.toml");

    // Build the real lab first, and note every file of that build.
    let first = verify(&["--lab", "01"], &manifest, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stdout(&first));
    let real_build = dir.join("target/debug");
    let before = snapshot(&real_build);
    assert!(
        before
            .keys()
            .any(|p| p.extension().is_some_and(|e| e == "a")),
        "the real build made a static library"
    );

    let out = verify(&["check-starters"], &manifest, &[]);
    let text = stdout(&out) + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "ok   01 starters-good: reference 1/1 pass, 1/1 points; starter compiles, 0/1 pass, 0/1 points"
        ),
        "{text}"
    );
    assert!(
        text.contains("FAIL 02 starters-passes-anyway")
            && text.contains("the starter passes every test")
            && text.contains("the starter earns 1 points: task(s) unused pass without any work")
            && text.contains(
                "test `does_not_call_the_task` passes in the starter: make it fail without the task's code, or declare it `given`"
            ),
        "{text}"
    );
    assert!(
        text.contains("FAIL 03 starters-no-regions: no `// lab:begin` regions"),
        "{text}"
    );
    assert_eq!(
        text.matches("starters-no-regions").count(),
        1,
        "reported once: {text}"
    );

    // The starters shared the real build dir (each lab's version salted)
    // and had a target dir of their own for the unhashed outputs: the real
    // build's files are untouched, and the real lab still passes.
    let after = snapshot(&real_build);
    let changed: Vec<_> = before
        .iter()
        .filter(|(path, seen)| after.get(*path) != Some(seen))
        .collect();
    assert!(
        changed.is_empty(),
        "check-starters changed the real build: {changed:?}"
    );
    assert!(
        dir.join("target/starter/debug/good-cli").is_file(),
        "the starter's binary is uplifted into target/starter"
    );
    assert!(
        !dir.join("target/starter/debug/deps").exists(),
        "intermediate outputs go to the shared build dir, so dependencies are built once"
    );
    let again = verify(&["--lab", "01"], &manifest, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));

    // --lab narrows the check to one lab: the good one alone passes, and
    // as nothing changed since it passed, it is not checked again...
    let one = verify(&["check-starters", "--lab", "01"], &manifest, &[]);
    let text = stdout(&one) + &String::from_utf8_lossy(&one.stderr);
    assert_eq!(one.status.code(), Some(0), "{text}");
    assert!(
        text.contains("ok   01 starters-good: unchanged since it last passed")
            && !text.contains("starters-passes-anyway"),
        "{text}"
    );
    // ...unless asked, or its code changed.
    let all = |out: &Output| stdout(out) + &String::from_utf8_lossy(&out.stderr);
    let fresh = verify(
        &["check-starters", "--lab", "01", "--no-cache"],
        &manifest,
        &[],
    );
    assert!(
        all(&fresh).contains("ok   01 starters-good: reference 1/1 pass"),
        "{}",
        all(&fresh)
    );
    let lib = dir.join("labs/good/src/lib.rs");
    let code = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(
        &lib,
        code.replace("return the sum", "return the sum of a and b"),
    )
    .expect("lib.rs");
    let edited = verify(&["check-starters", "--lab", "01"], &manifest, &[]);
    assert!(
        all(&edited).contains("ok   01 starters-good: reference 1/1 pass"),
        "{}",
        all(&edited)
    );
    // The tamper manifest is rewritten after every lab edit; the check does
    // not read it, so rewriting it does not re-check every lab.
    let written = verify(&["manifest", "--write"], &manifest, &[]);
    assert_eq!(written.status.code(), Some(0), "{}", all(&written));
    let cached = verify(&["check-starters", "--lab", "01"], &manifest, &[]);
    assert!(
        all(&cached).contains("ok   01 starters-good: unchanged since it last passed"),
        "{}",
        all(&cached)
    );

    // A README's test count is checked against the reference's tests, and
    // --write-counts rewrites it.
    let readme = dir.join("labs/good/README.md");
    let right = std::fs::read_to_string(&readme).expect("README");
    std::fs::write(&readme, right.replace("-->1<!--", "-->2<!--")).expect("README");
    let stale = verify(&["check-starters", "--lab", "01"], &manifest, &[]);
    assert_eq!(stale.status.code(), Some(1), "{}", all(&stale));
    assert!(
        all(&stale).contains("README.md's test counts (`<!-- count: … -->`) differ")
            && all(&stale).contains("--write-counts"),
        "{}",
        all(&stale)
    );
    let written = verify(
        &["check-starters", "--lab", "01", "--write-counts"],
        &manifest,
        &[],
    );
    assert_eq!(written.status.code(), Some(0), "{}", all(&written));
    assert_eq!(std::fs::read_to_string(&readme).expect("README"), right);
}

#[test]
fn two_checkouts_sharing_a_target_dir_are_each_graded_on_their_own_code() {
    // Cargo hashes a path package relative to its workspace root and judges
    // it fresh by mtime: without the checkout build script, grading `b`
    // after `a` ran `a`'s build, and `b`'s broken code passed.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = Path::new(env!("CARGO_TARGET_TMPDIR")).join("two-checkouts-target");
    let _ = std::fs::remove_dir_all(&shared);
    let copies = ["two-checkouts-a", "two-checkouts-b"].map(|name| {
        let dir = scratch_copy(&fixture("starters"), name);
        // The real mechanism, as every lab of this workspace uses it.
        std::fs::create_dir_all(dir.join(".cargo")).expect("mkdir");
        std::fs::create_dir_all(dir.join("support")).expect("mkdir");
        for file in [".cargo/config.toml", "support/checkout.rs"] {
            std::fs::copy(root.join(file), dir.join(file)).expect("copy");
        }
        let manifest = dir.join("labs/good/Cargo.toml");
        let text = std::fs::read_to_string(&manifest).expect("manifest");
        let text = text.replace(
            "publish = false\n",
            "publish = false\nbuild = \"../../support/checkout.rs\"\n",
        );
        std::fs::write(&manifest, text).expect("manifest");
        dir
    });
    // `b` is wrong, and its files are older than `a`'s build will be.
    let lib = copies[1].join("labs/good/src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(&lib, text.replace("    a + b\n", "    a - b\n")).expect("lib.rs");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for dir in &copies {
        for file in ["labs/good/src/lib.rs", "labs/good/src/main.rs"] {
            std::fs::File::options()
                .write(true)
                .open(dir.join(file))
                .and_then(|f| f.set_modified(old))
                .expect("set mtime");
        }
    }
    let grade = |dir: &Path| {
        let env = [("CARGO_TARGET_DIR", shared.to_str().expect("utf-8 path"))];
        let out = verify(&["--lab", "01"], &dir.join("Cargo.toml"), &env);
        (out.status.code(), stdout(&out))
    };
    let (code, text) = grade(&copies[0]);
    assert_eq!(code, Some(0), "a passes: {text}");
    let (code, text) = grade(&copies[1]);
    assert_eq!(code, Some(1), "b is graded on its own code: {text}");
    assert!(
        text.contains("0/1 points") || text.contains("0/1"),
        "{text}"
    );
    let (code, text) = grade(&copies[0]);
    assert_eq!(code, Some(0), "a again, on its own code: {text}");
}

/// Every file below `dir` with its length and modification time.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(path),
                Ok(m) => {
                    out.insert(path, (m.len(), m.modified().expect("mtime")));
                }
                Err(_) => {}
            }
        }
    }
    out
}

#[test]
fn external_checks_are_graded_per_go_test_and_skipped_without_their_tool() {
    let manifest = fixture("checks").join("Cargo.toml");
    let json = Path::new(env!("CARGO_TARGET_TMPDIR")).join("checks.json");
    let out = verify(
        &["--json", json.to_str().expect("utf-8")],
        &manifest,
        &[("VERIFY_PRETEND_MISSING", "go")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("JSON");
    let l = lab(&report, "01");
    assert_eq!(l["status"], "fail");
    assert_eq!(
        (l["tests_passed"].as_u64(), l["tests_total"].as_u64()),
        (Some(3), Some(6))
    );
    assert_eq!(test_named(l, "TestA")["status"], "pass");
    let b = test_named(l, "TestB");
    assert_eq!(
        (b["status"].as_str(), b["binary"].as_str()),
        (Some("fail"), Some("check go-like"))
    );
    assert_eq!(b["message"], "b_test.go:3: got 5, want 4");
    let sub = test_named(l, "TestC/sub");
    assert_eq!(
        (sub["status"].as_str(), sub["message"].as_str()),
        (Some("fail"), Some("c_test.go:5: sub broke"))
    );
    assert_eq!(test_named(l, "TestC")["status"], "fail");
    assert_eq!(test_named(l, "plain")["status"], "pass");
    assert_eq!(
        (
            l["points_earned"].as_u64(),
            l["tasks"][0]["tests_total"].as_u64()
        ),
        (Some(0), Some(5)),
        "the go-like check's tests are task rust's; plain is given"
    );
    assert!(
        l["tests"]
            .as_array()
            .is_some_and(|t| t.iter().all(|t| t["name"] != "needs-go")),
        "a check whose tool is missing does not run"
    );
}

#[test]
fn a_lab_that_passes_but_skipped_a_check_is_a_skip_and_fails_require_all() {
    // Only the passing checks: drop the go-like one by copying and editing.
    let dir = scratch_copy(&fixture("checks"), "checks-skip");
    let lab_toml = dir.join("labs/with-checks/Cargo.toml");
    let text = std::fs::read_to_string(&lab_toml).expect("toml");
    let start = text.find("# Prints what").expect("go-like check");
    let end = text
        .find("[[package.metadata.lab.checks]]\nname = \"plain\"")
        .expect("plain check");
    std::fs::write(&lab_toml, format!("{}{}", &text[..start], &text[end..])).expect("write");

    let env = [("VERIFY_PRETEND_MISSING", "go")];
    let manifest = dir.join("Cargo.toml");
    let plain = verify(&[], &manifest, &env);
    assert_eq!(plain.status.code(), Some(0), "{}", stdout(&plain));
    assert!(stdout(&plain).contains("SKIP"), "{}", stdout(&plain));
    assert!(
        stdout(&plain).contains("check `needs-go` needs go (install: "),
        "{}",
        stdout(&plain)
    );
    let strict = verify(&["--require-all"], &manifest, &env);
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
}

/// Grades lab 01 of a scratch copy and returns (exit code, its JSON result, stdout).
fn grade_one(dir: &Path, lab_id: &str) -> (Option<i32>, Value, String) {
    let json = dir.join("one.json");
    let out = verify(
        &["--lab", lab_id, "--json", json.to_str().expect("utf-8")],
        &dir.join("Cargo.toml"),
        &[],
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_else(|e| {
            panic!("no report ({e}): {}", String::from_utf8_lossy(&out.stderr))
        }))
        .expect("JSON");
    (
        out.status.code(),
        lab(&report, lab_id).clone(),
        stdout(&out),
    )
}

#[test]
fn a_test_edited_to_pass_makes_the_lab_modified_and_worth_nothing() {
    let dir = scratch_copy(&fixture("workspace"), "tamper");
    let written = verify(&["manifest", "--write"], &dir.join("Cargo.toml"), &[]);
    assert_eq!(written.status.code(), Some(0), "{}", stdout(&written));
    let (code, l, _) = grade_one(&dir, "01");
    assert_eq!((code, l["status"].as_str()), (Some(0), Some("pass")));
    assert_eq!(l["tests_matched"], true);

    // The learner's own code, inside the region, is theirs to change.
    let lib = dir.join("labs/all-pass/src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(&lib, text.replace("    a + b\n", "    b + a\n")).expect("write");
    let (_, l, _) = grade_one(&dir, "01");
    assert_eq!(
        (l["status"].as_str(), l["tests_matched"].as_bool()),
        (Some("pass"), Some(true))
    );

    // A test made to pass trivially is not.
    let api = dir.join("labs/all-pass/tests/api.rs");
    let test = std::fs::read_to_string(&api).expect("api.rs");
    std::fs::write(
        &api,
        test.replace("assert_eq!(fixture_all_pass::add(1, 1), 2);", ""),
    )
    .expect("write");
    let (code, l, shown) = grade_one(&dir, "01");
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(l["status"], "modified");
    assert_eq!(l["points_earned"], 0);
    assert_eq!(l["tests_matched"], false);
    let msg = l["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with(
            "tests modified: labs/all-pass/tests/api.rs differ from the ones the lab ships"
        ),
        "{msg}"
    );
    assert!(shown.contains("MODIFIED"), "{shown}");

    // So is a test outside the tests folder: the unit tests of lib.rs.
    std::fs::write(&api, test).expect("write");
    std::fs::write(&lib, text.replace("assert_eq!(super::add(2, 2), 4);", "")).expect("write");
    let (_, l, _) = grade_one(&dir, "01");
    assert_eq!(l["status"], "modified");
    assert!(
        l["message"]
            .as_str()
            .unwrap_or("")
            .contains("labs/all-pass/src/lib.rs")
    );
}

#[test]
fn a_dependency_outside_the_allow_list_is_refused_by_name() {
    let dir = scratch_copy(&fixture("workspace"), "allow-list");
    let toml = dir.join("labs/all-pass/Cargo.toml");
    let text = std::fs::read_to_string(&toml).expect("Cargo.toml");
    std::fs::write(
        &toml,
        format!("{text}\n[dependencies]\nfixture-partial = {{ path = \"../partial\" }}\n"),
    )
    .expect("write");
    let (code, l, _) = grade_one(&dir, "01");
    assert_eq!(code, Some(1));
    assert_eq!(
        (l["status"].as_str(), l["points_earned"].as_u64()),
        (Some("error"), Some(0))
    );
    let msg = l["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with(
            "depends on `fixture-partial`, which lab 01 does not allow (allowed: none)"
        ),
        "{msg}"
    );
}

#[test]
fn grading_options_before_a_command_are_refused_not_ignored() {
    let manifest = fixture_manifest();
    for (args, named) in [
        (&["--lab", "01", "report"][..], "--lab"),
        (
            &["--build-timeout", "5", "check-starters"][..],
            "--build-timeout",
        ),
        (&["--quiet", "hint", "01"][..], "--quiet"),
        (&["--require-all", "list"][..], "--require-all"),
    ] {
        let out = verify(args, &manifest, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{named} before `")) && err.contains("would be ignored"),
            "{args:?}: {err}"
        );
    }
    // --manifest-path (which the helper puts first) applies to every command.
    let out = verify(&["list"], &manifest, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn writing_the_manifest_warns_about_lab_files_git_does_not_track() {
    let dir = scratch_copy(&fixture("workspace"), "manifest-untracked");
    commit_all(&dir);
    let new_test = dir.join("labs/all-pass/tests/new.rs");
    std::fs::write(&new_test, "#[test]\nfn new() {}\n").expect("write");
    let manifest = dir.join("Cargo.toml");
    let written = verify(&["manifest", "--write"], &manifest, &[]);
    let err = String::from_utf8_lossy(&written.stderr).to_string();
    assert!(
        err.contains(
            "labs/all-pass/tests/new.rs is not tracked by git, so the manifest does not cover it"
        ),
        "{err}"
    );
    let text = std::fs::read_to_string(dir.join("verify/lab-tests.sha256")).expect("manifest");
    assert!(!text.contains("tests/new.rs"), "{text}");
    // Once added, it is covered and the warning is gone.
    git(&dir, &["add", "labs/all-pass/tests/new.rs"]);
    let written = verify(&["manifest", "--write"], &manifest, &[]);
    assert!(
        !String::from_utf8_lossy(&written.stderr).contains("not tracked"),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let text = std::fs::read_to_string(dir.join("verify/lab-tests.sha256")).expect("manifest");
    assert!(text.contains("labs/all-pass/tests/new.rs"), "{text}");
}

/// A tmux server of this test's own (its own socket), killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs (`make system-tools` installs it)")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "watch"]).stdout)
            .into_owned()
    }

    /// Waits until the screen shows every one of `texts`; panics with the
    /// last screen after two minutes (a cold build of the fixture).
    fn wait_for(&self, texts: &[&str]) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the screen never showed {texts:?}:\n{screen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

#[test]
fn watch_in_tmux_shows_a_task_turn_done_when_its_solution_is_saved() {
    let dir = scratch_copy(&fixture("workspace"), "watch");
    let manifest = dir.join("Cargo.toml");
    let started = verify(&["start", "01"], &manifest, &[]);
    assert_eq!(started.status.code(), Some(0));
    let lib = dir.join("labs/all-pass/src/lib.rs");
    let starter = std::fs::read_to_string(&lib).expect("lib.rs");

    let tmux = Tmux {
        socket: format!("verify-watch-test-{}", std::process::id()),
    };
    let quote = |p: &Path| format!("'{}'", p.display());
    let command = format!(
        "env CARGO_TARGET_DIR={} {} --manifest-path {} watch 01",
        quote(&dir.join("target")),
        quote(Path::new(BIN)),
        quote(&manifest)
    );
    let made = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "watch",
        "-x",
        "120",
        "-y",
        "40",
        &command,
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let first = tmux.wait_for(&[
        "✗ 1. add",
        "← open",
        "not yet implemented: add: return the sum",
    ]);
    assert!(
        first.contains("h hint · r run again · n next lab · q quit"),
        "{first}"
    );

    // The learner saves the solution: the task turns done, without a key.
    std::fs::write(
        &lib,
        starter.replace("todo!(\"add: return the sum\")", "a + b"),
    )
    .expect("write");
    tmux.wait_for(&["✓ 1. add", "1/1 tasks", "Every task passes its tests"]);

    // A typo: the compiler's own message, with its file and line.
    std::fs::write(
        &lib,
        starter.replace("todo!(\"add: return the sum\")", "a +"),
    )
    .expect("write");
    tmux.wait_for(&[
        "Does not compile:",
        "expected expression",
        "labs/all-pass/src/lib.rs:5",
    ]);

    // `h` shows the open task's next hint, as `make hint` would.
    tmux.cmd(&["send-keys", "-t", "watch", "h"]);
    tmux.wait_for(&["Hint 1 of 2:", "first hint"]);

    tmux.cmd(&["send-keys", "-t", "watch", "q"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while tmux.cmd(&["has-session", "-t", "watch"]).status.success() {
        assert!(
            std::time::Instant::now() < deadline,
            "q did not quit:\n{}",
            tmux.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let record = std::fs::read_to_string(dir.join(".labs/progress.json")).expect("progress");
    assert!(record.contains("\"first_passed\": \"20"), "{record}");
}

/// Kills the watch a test started, also when an assertion fails.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `verify watch LAB --poll` without a terminal, on the workspace in `dir`;
/// `wait_for` returns once a line holding the text was printed.
fn watch_plain(dir: &Path, lab: &str) -> (Killed, impl FnMut(&str)) {
    use std::io::BufRead;
    let child = Command::new(BIN)
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .args(["watch", lab, "--poll"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("verify runs");
    let mut child = Killed(child);
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.0.stdout.take().expect("piped");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let wait_for = move |text: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !seen.last().is_some_and(|l: &String| l.contains(text)) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => panic!("no line with {text:?} in:\n{}", seen.join("\n")),
            }
        }
    };
    (child, wait_for)
}

#[test]
fn watch_without_a_terminal_prints_each_run_as_plain_lines() {
    let dir = scratch_copy(&fixture("workspace"), "watch-plain");
    let manifest = dir.join("Cargo.toml");
    assert_eq!(
        verify(&["start", "01"], &manifest, &[]).status.code(),
        Some(0)
    );
    let lib = dir.join("labs/all-pass/src/lib.rs");
    let starter = std::fs::read_to_string(&lib).expect("lib.rs");
    let (_watch, mut wait_for) = watch_plain(&dir, "01");
    wait_for("✗ 1. add");
    wait_for("(polling the files (--poll))");
    wait_for("Save a file to run again (Ctrl-C stops)");
    std::fs::write(
        &lib,
        starter.replace("todo!(\"add: return the sum\")", "a + b"),
    )
    .expect("write");
    wait_for("✓ 1. add");
}

#[test]
fn wrong_answers_must_fail_their_own_tasks_tests_and_then_diagnose_a_learner() {
    let dir = scratch_copy(&fixture("wrong-answers"), "wrong-answers");
    let manifest = dir.join("Cargo.toml");
    let lab = dir.join("labs/percent");
    let all = |out: &Output| stdout(out) + &String::from_utf8_lossy(&out.stderr);

    // Never checked: `make test`'s check fails, naming the command.
    let unchecked = verify(&["wrong-answers", "--check"], &manifest, &[]);
    assert_eq!(unchecked.status.code(), Some(1), "{}", all(&unchecked));
    assert!(
        all(&unchecked).contains(
            "STALE 01 wrong-percent: wrong-answers.checked.json is missing (never checked): `make wrong-answers LAB=01` checks it again"
        ),
        "{}",
        all(&unchecked)
    );

    // One wrong answer passes every test, one fails only the next task's.
    let source = std::fs::read_to_string(lab.join("src/lib.rs")).expect("lib.rs");
    let first = verify(&["wrong-answers", "01"], &manifest, &[]);
    let text = all(&first);
    assert_eq!(first.status.code(), Some(1), "{text}");
    for line in [
        "  caught   percent-no-cap (percent): percent_is_capped_at_100\n",
        "  MISSED   percent-rounds-to-nearest (percent): only other tasks' tests fail (bar_of_two_thirds): a learner doing the tasks in order passes `percent` with it; add a test to it\n",
        "  MISSED   percent-overflows (percent): every test passes with it; add a test to task `percent` that fails on it\n",
        "  caught   bar-rounds-up (bar): bar_of_two_thirds\n",
        "  caught   bar-uncapped (bar): bar_is_full_above_100\n",
        "  caught   bar-empty-at-100 (bar): bar_is_full_above_100, bar_is_full_at_100, bar_of_two_thirds\n",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    assert!(
        text.contains(
            "FAIL 01 wrong-percent: 4 of 6 wrong answers caught by their own task's tests in"
        ),
        "{text}"
    );
    assert!(!lab.join("wrong-answers.checked.json").exists());
    // Applied in the scratch copy only: the lab itself is untouched.
    assert_eq!(
        std::fs::read_to_string(lab.join("src/lib.rs")).expect("lib.rs"),
        source
    );

    // The tests that catch them, in the task they belong to.
    let tests = lab.join("tests/t.rs");
    let shipped = std::fs::read_to_string(&tests).expect("t.rs");
    let stronger = format!(
        "{shipped}\n#[test]\nfn percent_of_two_thirds_rounds_down() {{\n    assert_eq!(percent(2, 3), Some(66));\n}}\n\n#[test]\nfn percent_of_large_counts() {{\n    assert_eq!(percent(4_000_000_000, 4_000_000_000), Some(100));\n}}\n"
    );
    std::fs::write(&tests, &stronger).expect("t.rs");
    let second = verify(&["wrong-answers", "01"], &manifest, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", all(&second));
    assert!(
        all(&second).contains(
            "ok   01 wrong-percent: 6 of 6 wrong answers caught by their own task's tests in"
        ),
        "{}",
        all(&second)
    );
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(lab.join("wrong-answers.checked.json")).expect("the record"),
    )
    .expect("JSON");
    assert_eq!(
        record["signatures"]["percent-no-cap"],
        serde_json::json!(["percent_is_capped_at_100"])
    );
    assert_eq!(
        record["signatures"]["percent-rounds-to-nearest"],
        serde_json::json!(["percent_of_two_thirds_rounds_down"]),
        "the tests of its own task only: the others are not run for it"
    );
    let current = verify(&["wrong-answers", "--check"], &manifest, &[]);
    assert_eq!(current.status.code(), Some(0), "{}", all(&current));
    assert!(
        all(&current)
            .contains("ok    01 wrong-percent: 6 wrong answers, checked against the lab as it is"),
        "{}",
        all(&current)
    );

    // A candidate tried with --try: judged the same way, nothing recorded.
    let recorded = std::fs::read(lab.join("wrong-answers.checked.json")).expect("the record");
    let candidate = dir.join("candidate.toml");
    std::fs::write(
        &candidate,
        "[[wrong]]\nid = \"bar-hashes-only\"\ntask = \"bar\"\nwhy = \"w\"\nold = '''&\".\".repeat(width - filled)'''\nnew = '''&\"#\".repeat(width - filled)'''\n",
    )
    .expect("candidate");
    let tried = verify(
        &[
            "wrong-answers",
            "01",
            "--try",
            candidate.to_str().expect("utf-8"),
        ],
        &manifest,
        &[],
    );
    assert_eq!(tried.status.code(), Some(0), "{}", all(&tried));
    assert!(
        all(&tried).contains("  caught   bar-hashes-only (bar): ")
            && all(&tried).contains("1 of 1 wrong answers caught by their own task's tests in")
            && all(&tried).contains("(a trial: nothing written)"),
        "{}",
        all(&tried)
    );
    assert_eq!(
        std::fs::read(lab.join("wrong-answers.checked.json")).expect("the record"),
        recorded
    );

    // A test edited since: stale again.
    std::fs::write(&tests, format!("{stronger}// edited\n")).expect("t.rs");
    let stale = verify(&["wrong-answers", "--check"], &manifest, &[]);
    assert_eq!(stale.status.code(), Some(1), "{}", all(&stale));
    assert!(
        all(&stale).contains(
            "STALE 01 wrong-percent: the lab's code, tests or catalog changed since its wrong answers were checked: `make wrong-answers LAB=01` checks it again"
        ),
        "{}",
        all(&stale)
    );
    std::fs::write(&tests, &stronger).expect("t.rs");

    // A learner who writes a catalogued wrong answer is told the likely cause.
    std::fs::write(
        lab.join("src/lib.rs"),
        source.replace("Some(share.min(100) as u32)", "Some(share as u32)"),
    )
    .expect("lib.rs");
    let likely = "This failure matches a common mistake: You return the share uncapped: more than the whole is still 100 percent.";
    let graded = verify(&["--lab", "01"], &manifest, &[]);
    assert_eq!(graded.status.code(), Some(1), "{}", all(&graded));
    assert!(
        stdout(&graded).contains(&format!(
            "  [ ] percent: percent_is_capped_at_100: assertion `left == right` failed\n      {likely}\n"
        )),
        "{}",
        all(&graded)
    );
    let hint = verify(&["hint", "01"], &manifest, &[]);
    assert!(
        stdout(&hint).contains(&format!("\n  {likely}\n")),
        "{}",
        all(&hint)
    );
    let (_watch, mut wait_for) = watch_plain(&dir, "01");
    wait_for(likely);
    // Another failure is no catalogued mistake: nothing is claimed.
    std::fs::write(
        lab.join("src/lib.rs"),
        source.replace("return None;", "return Some(0);"),
    )
    .expect("lib.rs");
    let other = verify(&["--lab", "01"], &manifest, &[]);
    assert!(
        stdout(&other).contains("[ ] percent: percent_of_nothing_is_none")
            && !stdout(&other).contains("common mistake"),
        "{}",
        all(&other)
    );
}
