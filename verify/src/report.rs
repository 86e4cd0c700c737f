//! What `verify` shows: the grade table, the JSON report, the Markdown
//! portfolio summary, and the README's lab table.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::grade::{LabResult, LabStatus, level_reached};
use crate::labs::{Level, Workspace};
use crate::libtest::{TestOutcome, TestStatus};

fn first_line(s: &str, max: usize) -> String {
    let line = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

fn seconds(ms: u128) -> String {
    format!("{:.1}s", ms as f64 / 1000.0)
}

/// Per level: labs passed / labs graded.
fn level_counts(results: &[LabResult]) -> Vec<(Level, usize, usize)> {
    Level::ALL
        .iter()
        .map(|&level| {
            let at = results.iter().filter(|r| r.level == level);
            let passed = at.clone().filter(|r| r.status == LabStatus::Pass).count();
            (level, passed, at.count())
        })
        .collect()
}

/// Test counts over all labs: (passed, failed, skipped labs' worth of nothing).
fn test_counts(results: &[LabResult]) -> (usize, usize) {
    let passed = results.iter().map(|r| r.tests_passed).sum();
    let failed = results
        .iter()
        .map(|r| match r.status {
            // A lab that does not build counts as one failure: it has tests, unseen.
            LabStatus::Error if r.tests_total == 0 => 1,
            _ => r.tests_total - r.tests_passed,
        })
        .sum();
    (passed, failed)
}

/// The grade table and the lines under it, for the terminal.
pub fn table(results: &[LabResult]) -> String {
    let mut out = String::new();
    let title_w = results
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "{:<4} {:<title_w$}  {:<9}  {:<8}  {:>5}  {:>7}  {:>7}  {:>7}  first failure",
        "lab", "title", "level", "status", "tasks", "tests", "points", "time"
    );
    for r in results {
        let tests = if r.status == LabStatus::Skip {
            "-".to_string()
        } else {
            format!("{}/{}", r.tests_passed, r.tests_total)
        };
        let _ = writeln!(
            out,
            "{:<4} {:<title_w$}  {:<9}  {:<8}  {:>5}  {:>7}  {:>7}  {:>7}  {}",
            r.lab,
            r.title,
            r.level.to_string(),
            r.status.word(),
            format!("{}/{}", r.tasks_done(), r.tasks.len()),
            tests,
            format!("{}/{}", r.points_earned, r.points),
            seconds(r.duration_ms),
            r.message
                .as_deref()
                .map(|m| first_line(m, 72))
                .unwrap_or_default()
        );
    }

    let bad: Vec<&LabResult> = results
        .iter()
        .filter(|r| r.status != LabStatus::Pass)
        .collect();
    if !bad.is_empty() {
        let _ = writeln!(out);
    }
    for r in bad {
        let _ = writeln!(out, "── {} {} ({}) ──", r.lab, r.package, r.status.word());
        for t in r.tasks.iter().filter(|t| !t.done) {
            let why = t
                .first_failure
                .as_deref()
                .map(|m| first_line(m, 90))
                .unwrap_or_default();
            let _ = writeln!(out, "  [ ] {}: {why}", t.id);
            for m in &t.likely_mistakes {
                let _ = writeln!(out, "      {}", crate::catalog::likely(m));
            }
        }
        if let Some(m) = &r.message {
            for line in m.lines().take(20) {
                let _ = writeln!(out, "  {line}");
            }
        }
        let next = match r.status {
            LabStatus::Skip => {
                "install what is missing (`verify doctor` lists it), then run verify again"
                    .to_string()
            }
            LabStatus::Timeout => format!(
                "a test hangs or is too slow: `cargo test -p {}` shows which; raise the limit with --timeout SECS if it is only slow",
                r.package
            ),
            LabStatus::Modified => {
                "grade the lab with the tests it ships: restore the files named above".to_string()
            }
            _ if first_failure_is_a_check(r) => {
                "a check beyond `cargo test` failed: its message above names the command; run it to see the full output".to_string()
            }
            _ => format!(
                "`cargo test -p {}` shows the full output; `make hint LAB={}` gives a hint for the task you are on",
                r.package, r.lab
            ),
        };
        let _ = writeln!(out, "  next: {next}");
    }

    let _ = writeln!(out);
    let levels: Vec<String> = level_counts(results)
        .iter()
        .map(|(l, p, n)| format!("{l} {p}/{n}"))
        .collect();
    let reached = level_reached(results).map_or("none yet".to_string(), |l| l.to_string());
    let _ = writeln!(out, "Level reached: {reached} ({})", levels.join(", "));
    let earned: u32 = results.iter().map(|r| r.points_earned).sum();
    let total: u32 = results.iter().map(|r| r.points).sum();
    let _ = writeln!(out, "Points: {earned}/{total}");
    let (passed, failed) = test_counts(results);
    let skipped = results
        .iter()
        .filter(|r| r.status == LabStatus::Skip)
        .count();
    let _ = writeln!(
        out,
        "verify: {passed} passed, {failed} failed, {skipped} skipped"
    );
    out
}

#[derive(Debug, Serialize)]
struct JsonTest<'a> {
    lab: &'a str,
    name: String,
    status: &'static str,
    message: Option<&'a str>,
    /// exercism v3: the 1-based number of the task the test belongs to
    /// (the first, when several share it); absent for `given` tests.
    #[serde(skip_serializing_if = "Option::is_none")]
    task_id: Option<usize>,
}

#[derive(Debug, Serialize)]
struct JsonPoints {
    earned: u32,
    total: u32,
}

#[derive(Debug, Serialize)]
struct JsonLevel {
    level: Level,
    labs_passed: usize,
    labs_total: usize,
}

/// The `--json` report: shaped like exercism's results.json (version 3:
/// top-level status and message, a flat `tests` list of name / status /
/// message), plus points, levels and per-lab detail.
#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    version: u32,
    status: &'static str,
    message: Option<String>,
    points: JsonPoints,
    level_reached: Option<Level>,
    levels: Vec<JsonLevel>,
    tests: Vec<JsonTest<'a>>,
    labs: &'a [LabResult],
    evidence: Option<&'a Evidence>,
}

/// `labs` gives each test its `task_id`; without it tests carry none.
pub fn json(
    results: &[LabResult],
    labs: Option<&Workspace>,
    evidence: Option<&Evidence>,
) -> String {
    let status = if results.iter().all(|r| r.status == LabStatus::Pass) {
        "pass"
    } else if results.iter().any(|r| r.status == LabStatus::Error) {
        "error"
    } else {
        "fail"
    };
    let message = results
        .iter()
        .find(|r| r.status != LabStatus::Pass)
        .and_then(|r| r.message.as_ref().map(|m| format!("lab {}: {m}", r.lab)));
    let tests = results
        .iter()
        .flat_map(|r| {
            r.tests.iter().map(|t| JsonTest {
                lab: &r.lab,
                task_id: labs.and_then(|ws| {
                    let lab = ws.labs.iter().find(|l| l.package == r.package)?;
                    let owner =
                        crate::tasks::owners(&lab.meta, &crate::tasks::TaskFacts::default(), t);
                    let first = owner.first()?;
                    lab.meta
                        .tasks
                        .iter()
                        .position(|x| x.id == first.id)
                        .map(|i| i + 1)
                }),
                name: format!("{}::{} {}", r.package, t.binary, t.name),
                status: match t.status {
                    TestStatus::Pass => "pass",
                    TestStatus::Fail => "fail",
                    TestStatus::Ignored => "skip",
                    TestStatus::Timeout | TestStatus::Error => "error",
                },
                message: t.message.as_deref(),
            })
        })
        .collect();
    let report = JsonReport {
        version: 3,
        status,
        message,
        points: JsonPoints {
            earned: results.iter().map(|r| r.points_earned).sum(),
            total: results.iter().map(|r| r.points).sum(),
        },
        level_reached: level_reached(results),
        levels: level_counts(results)
            .into_iter()
            .map(|(level, labs_passed, labs_total)| JsonLevel {
                level,
                labs_passed,
                labs_total,
            })
            .collect(),
        tests,
        labs: results,
        evidence,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// What a reviewer needs to grade the same thing again: which code, which
/// compiler, which tests. Recorded when grading (in the JSON report too),
/// so a report rendered later from `--from` keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Evidence {
    /// `git rev-parse HEAD` of the checkout, or `unknown` outside git.
    pub commit: String,
    /// The checkout differed from that commit (a learner's work usually is
    /// uncommitted).
    pub uncommitted_changes: bool,
    /// `rustc --version`.
    pub toolchain: String,
    /// SHA-256 of the manifest of every graded file (the lab's tests, in
    /// their shipped form: [`crate::integrity`]).
    pub tests_sha256: String,
    /// When it was graded (RFC 3339, UTC).
    pub graded_at: String,
}

impl Evidence {
    pub fn collect(ws: &Workspace) -> Evidence {
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(&ws.root)
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        };
        let tests = crate::integrity::render(ws).unwrap_or_default();
        Evidence {
            commit: git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into()),
            uncommitted_changes: git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty()),
            toolchain: std::process::Command::new("rustc")
                .arg("--version")
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "rustc (version unknown)".into()),
            tests_sha256: {
                use sha2::Digest as _;
                sha2::Sha256::digest(tests.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            },
            graded_at: utc_now(),
        }
    }

    /// One line: `commit 1a2b3c4d5e6f (with uncommitted changes) · rustc
    /// 1.95.0 (…) · tests sha256 0123456789abcdef`.
    pub fn line(&self) -> String {
        format!(
            "graded {} at commit {}{} with {}, on tests sha256 {} (verify/lab-tests.sha256); re-run `verify --lab NN` at that commit to check",
            self.graded_at.replace('T', " ").trim_end_matches('Z'),
            self.commit.get(..12).unwrap_or(&self.commit),
            if self.uncommitted_changes {
                " plus uncommitted changes"
            } else {
                ""
            },
            self.toolchain,
            self.tests_sha256.get(..16).unwrap_or(&self.tests_sha256),
        )
    }
}

/// A Markdown summary to paste into a portfolio README.
pub fn markdown(results: &[LabResult], evidence: Option<&Evidence>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Rust systems labs: my progress\n");
    let reached = level_reached(results).map_or("none yet".to_string(), |l| format!("**{l}**"));
    let earned: u32 = results.iter().map(|r| r.points_earned).sum();
    let total: u32 = results.iter().map(|r| r.points).sum();
    let _ = writeln!(
        out,
        "Level reached: {reached}. Points: {earned}/{total}.\n\nEvidence: {}.\n",
        evidence.map_or(
            "not recorded (a report saved by an older verify)".into(),
            Evidence::line
        )
    );
    let _ = writeln!(
        out,
        "| # | Lab | Level | What it builds | Tasks | Tests | Status |"
    );
    let _ = writeln!(
        out,
        "|---|-----|-------|----------------|-------|-------|--------|"
    );
    for r in results {
        let status = match r.status {
            LabStatus::Pass => "✅ pass",
            LabStatus::Fail => "❌ fail",
            LabStatus::Error => "❌ does not build",
            LabStatus::Timeout => "⏱ timed out",
            LabStatus::Skip => "⏭ skipped",
            LabStatus::Modified => "⚠ tests modified",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {}/{} | {}/{} | {} |",
            r.lab,
            r.title,
            r.level,
            r.summary.replace('|', "\\|"),
            r.tasks_done(),
            r.tasks.len(),
            r.tests_passed,
            r.tests_total,
            status
        );
    }
    let with_hints: Vec<String> = results
        .iter()
        .flat_map(|r| {
            r.tasks
                .iter()
                .filter(|t| t.hints_used > 0)
                .map(move |t| format!("lab {} `{}`: {}", r.lab, t.id, t.hints_used))
        })
        .collect();
    let _ = writeln!(
        out,
        "\nHints used: {}.",
        if with_hints.is_empty() {
            "none".to_string()
        } else {
            with_hints.join(", ")
        }
    );
    let matched = results.iter().all(|r| r.tests_matched == Some(true));
    let _ = writeln!(
        out,
        "Tests: {}.",
        if matched {
            "every lab was graded on the tests it ships (verify/lab-tests.sha256)"
        } else {
            "not every lab's tests could be checked against the shipped ones"
        }
    );
    out
}

/// A test count in a lab's README, between marks: `<!-- count: SELECTOR
/// -->27<!-- /count -->`. Invisible on the rendered page; check-starters
/// compares each with the reference's tests and `--write-counts` rewrites
/// them. SELECTOR is `all` (every test `cargo test -p LAB` runs and does not
/// ignore), `doc` (the doc tests), or a test file such as `tests/concat.rs`
/// (or `src/lib.rs` for the unit tests).
const COUNT_OPEN: &str = "<!-- count: ";
const COUNT_CLOSE: &str = "<!-- /count -->";

/// How many of `tests` the selector counts; `None` for an unknown selector.
pub fn count_tests(selector: &str, tests: &[TestOutcome]) -> Option<usize> {
    let cargo = tests.iter().filter(|t| {
        t.status != TestStatus::Ignored
            && !t.binary.starts_with(crate::tasks::CHECK_PREFIX)
            && t.binary != crate::tasks::CLIPPY_BINARY
    });
    let n = match selector {
        "all" => cargo.count(),
        "doc" => cargo.filter(|t| t.binary.starts_with("Doc-tests ")).count(),
        file if file.ends_with(".rs") => cargo
            .filter(|t| t.binary == file || t.binary == format!("unittests {file}"))
            .count(),
        _ => return None,
    };
    Some(n)
}

/// `readme` with every count mark filled in from `tests`, or the first
/// malformed mark or unknown selector.
pub fn with_counts(readme: &str, tests: &[TestOutcome]) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = readme;
    while let Some(open) = rest.find(COUNT_OPEN) {
        let after = &rest[open + COUNT_OPEN.len()..];
        let (selector, tail) = after
            .split_once(" -->")
            .ok_or("a `<!-- count: ` mark is not closed with ` -->`")?;
        let end = tail
            .find(COUNT_CLOSE)
            .ok_or_else(|| format!("the count `{selector}` has no `{COUNT_CLOSE}`"))?;
        let n = count_tests(selector, tests).ok_or_else(|| {
            format!("unknown count `{selector}`: use all, doc, or a test file like tests/x.rs")
        })?;
        out.push_str(&rest[..open]);
        let _ = write!(out, "{COUNT_OPEN}{selector} -->{n}{COUNT_CLOSE}");
        rest = &tail[end + COUNT_CLOSE.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Marks around the lab table in README.md.
pub const TABLE_BEGIN: &str = "<!-- lab-table:begin (generated by `verify table --write`) -->";
pub const TABLE_END: &str = "<!-- lab-table:end -->";

/// The README's lab table, from the labs' metadata.
pub fn lab_table(ws: &Workspace) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| # | lab | level | points | article | builds |");
    let _ = writeln!(out, "|---|-----|-------|--------|---------|--------|");
    for lab in &ws.labs {
        let dir = lab.rel_dir(&ws.root);
        let _ = writeln!(
            out,
            "| {} | [{}]({}) | {} | {} | §{} | {} |",
            lab.id(),
            lab.meta.title,
            dir.display(),
            lab.meta.level,
            lab.meta.points(),
            lab.meta.article,
            lab.meta.summary.replace('|', "\\|")
        );
    }
    out
}

/// Where the table's text lies between the marks, if both are there.
fn table_span(text: &str) -> Option<std::ops::Range<usize>> {
    let start = text.find(TABLE_BEGIN)? + TABLE_BEGIN.len();
    let end = start + text[start..].find(TABLE_END)?;
    Some(start..end)
}

/// README text with the table between the marks replaced; `None` when the
/// marks are missing.
pub fn with_lab_table(readme: &str, table: &str) -> Option<String> {
    let span = table_span(readme)?;
    Some(format!(
        "{}\n{}{}",
        &readme[..span.start],
        table,
        &readme[span.end..]
    ))
}

/// The README's table as it stands, for comparison.
pub fn readme_table(readme_path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(readme_path).ok()?;
    let span = table_span(&text)?;
    Some(text[span].trim_start_matches('\n').to_string())
}

/// Today's date (UTC) as YYYY-MM-DD, without a date crate.
pub fn today() -> String {
    utc_now()[..10].to_string()
}

/// Now (UTC) as RFC 3339 to the second: `2026-12-02T21:05:09Z`.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339(secs)
}

fn rfc3339(unix_secs: u64) -> String {
    let (y, m, d) = civil_from_days((unix_secs / 86_400) as i64);
    let s = unix_secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Whether the lab's first failing test is one of its `checks` (the C
/// harness, the Go tests), which `cargo test` does not run.
fn first_failure_is_a_check(r: &LabResult) -> bool {
    r.tests
        .iter()
        .find(|t| !matches!(t.status, TestStatus::Pass | TestStatus::Ignored))
        .is_some_and(|t| t.binary.starts_with(crate::tasks::CHECK_PREFIX))
}

#[cfg(test)]
mod tests {
    use crate::libtest::{TestOutcome, TestStatus};

    fn test(binary: &str, status: TestStatus) -> TestOutcome {
        TestOutcome {
            binary: binary.into(),
            name: "t".into(),
            status,
            message: None,
        }
    }

    #[test]
    fn counts_are_filled_in_per_selector_and_checks_do_not_count() {
        let tests = [
            test("tests/concat.rs", TestStatus::Pass),
            test("tests/concat.rs", TestStatus::Fail),
            test("tests/concat.rs", TestStatus::Ignored),
            test("unittests src/lib.rs", TestStatus::Pass),
            test("Doc-tests lab", TestStatus::Pass),
            test("check go-caller", TestStatus::Pass),
            test("clippy", TestStatus::Pass),
        ];
        let readme = "runs <!-- count: all -->9<!-- /count --> tests: \
            <!-- count: tests/concat.rs -->0<!-- /count --> in concat, \
            <!-- count: src/lib.rs -->0<!-- /count --> unit, \
            <!-- count: doc -->0<!-- /count --> doc.";
        assert_eq!(
            super::with_counts(readme, &tests).as_deref(),
            Ok("runs <!-- count: all -->4<!-- /count --> tests: \
            <!-- count: tests/concat.rs -->2<!-- /count --> in concat, \
            <!-- count: src/lib.rs -->1<!-- /count --> unit, \
            <!-- count: doc -->1<!-- /count --> doc.")
        );
    }

    #[test]
    fn a_bad_count_mark_is_an_error_that_says_what_is_wrong() {
        let unknown = super::with_counts("<!-- count: tests -->1<!-- /count -->", &[]);
        assert!(
            unknown
                .as_ref()
                .is_err_and(|e| e.contains("unknown count `tests`")),
            "{unknown:?}"
        );
        let open = super::with_counts("<!-- count: all -->1", &[]);
        assert!(
            open.as_ref()
                .is_err_and(|e| e.contains("no `<!-- /count -->`")),
            "{open:?}"
        );
        assert_eq!(
            super::with_counts("no marks", &[]).as_deref(),
            Ok("no marks")
        );
    }

    use super::*;

    #[test]
    fn civil_dates_are_right_around_leap_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_783), (2026, 11, 26));
    }

    #[test]
    fn timestamps_are_rfc3339_utc_to_the_second() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // 2026-12-02 21:05:09 UTC
        assert_eq!(rfc3339(1_796_245_509), "2026-12-02T21:05:09Z");
        assert_eq!(rfc3339(86_399), "1970-01-01T23:59:59Z");
    }

    #[test]
    fn the_lab_table_is_replaced_between_its_marks_only() {
        let readme = format!("intro\n{TABLE_BEGIN}\nold\n{TABLE_END}\nafter\n");
        let new = with_lab_table(&readme, "| new |\n").unwrap();
        assert_eq!(
            new,
            format!("intro\n{TABLE_BEGIN}\n| new |\n{TABLE_END}\nafter\n")
        );
        assert_eq!(with_lab_table("no marks", "x"), None);
    }

    #[test]
    fn long_messages_are_cut_to_one_line() {
        assert_eq!(first_line("\n  abc\ndef", 10), "abc");
        assert_eq!(first_line("abcdefghijk", 5), "abcd…");
    }
}
