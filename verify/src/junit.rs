//! `verify --junit FILE`: the grade as JUnit XML, which every CI system
//! shows natively (GitHub through a reporter action, GitLab, Jenkins,
//! Azure, CircleCI).
//!
//! One `<testsuite>` per lab, one `<testcase>` per test. The schema CI
//! tools read (Jenkins' `junit-10.xsd`, the one pytest checks its own
//! output against) allows properties only on a suite, so a test's task is
//! its `classname`, `<package>.<task id>` (`<package>.given` for a test
//! declared to earn nothing, `<package>.no-task` for an ignored one), which is how CI groups the cases; the suite's
//! properties give each task's points. A lab that did not run (a compile
//! error, a missing tool, modified tests) is one `<testcase name="lab">`
//! with the reason as its `<error>` or `<skipped>`.

use std::fmt::Write as _;

use crate::grade::{LabResult, LabStatus};
use crate::labs::Workspace;
use crate::libtest::{TestOutcome, TestStatus};
use crate::tasks::{self, TaskFacts};

/// The results as a JUnit XML document; `ws` gives each test its task.
pub fn junit(results: &[LabResult], ws: Option<&Workspace>) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors, mut ms) = (0, 0, 0, 0u128);
    for r in results {
        let suite = Suite::of(r, ws);
        tests += suite.tests;
        failures += suite.failures;
        errors += suite.errors;
        ms += r.duration_ms;
        suites.push_str(&suite.xml);
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rust-job-labs\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{}\">\n{suites}</testsuites>\n",
        seconds(ms)
    )
}

struct Suite {
    xml: String,
    tests: usize,
    failures: usize,
    errors: usize,
}

impl Suite {
    fn of(r: &LabResult, ws: Option<&Workspace>) -> Suite {
        let lab = ws.and_then(|ws| ws.labs.iter().find(|l| l.package == r.package));
        let mut cases = String::new();
        let (mut failures, mut errors, mut skipped) = (0, 0, 0);
        let mut count = |status: TestStatus| match status {
            TestStatus::Pass => {}
            TestStatus::Fail => failures += 1,
            TestStatus::Timeout | TestStatus::Error => errors += 1,
            TestStatus::Ignored => skipped += 1,
        };
        for t in &r.tests {
            let task = lab.map_or_else(
                || "unknown".to_string(),
                |lab| match tasks::owners(&lab.meta, &TaskFacts::default(), t).first() {
                    Some(task) => task.id.clone(),
                    None if tasks::is_declared_given(&lab.meta, t) => "given".into(),
                    None => "no-task".into(),
                },
            );
            count(t.status);
            cases.push_str(&case(r, t, &task));
        }
        // A lab that stopped before its tests ran (or ran none) still shows
        // as one case, so CI does not report it as an empty green suite.
        let stopped = !matches!(
            r.status,
            LabStatus::Pass | LabStatus::Fail | LabStatus::Timeout
        );
        if stopped && r.tests.is_empty() {
            let message = r.message.as_deref().unwrap_or(r.status.word());
            let kind = r.status.word().to_lowercase();
            let tag = if r.status == LabStatus::Skip {
                skipped += 1;
                "skipped"
            } else {
                errors += 1;
                "error"
            };
            let _ = writeln!(
                cases,
                "    <testcase name=\"lab\" classname=\"{}\">\n      <{tag} type=\"{kind}\" message=\"{}\">{}</{tag}>\n    </testcase>",
                attr(&r.package),
                attr(first_line(message)),
                text(message)
            );
        }
        let tests = r
            .tests
            .len()
            .max(usize::from(stopped && r.tests.is_empty()));
        let mut props = String::new();
        let mut prop = |name: &str, value: &str| {
            let _ = writeln!(
                props,
                "      <property name=\"{}\" value=\"{}\"/>",
                attr(name),
                attr(value)
            );
        };
        prop("lab", &r.lab);
        prop("level", &r.level.to_string());
        prop("status", &r.status.word().to_lowercase());
        prop("points", &format!("{}/{}", r.points_earned, r.points));
        for (i, t) in r.tasks.iter().enumerate() {
            prop(
                &format!("task.{}.{}", i + 1, t.id),
                &format!(
                    "{}, {}/{} points, {}/{} tests",
                    if t.done { "done" } else { "open" },
                    t.points_earned,
                    t.points,
                    t.tests_passed,
                    t.tests_total
                ),
            );
        }
        let xml = format!(
            "  <testsuite name=\"{}\" package=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{}\">\n    <properties>\n{props}    </properties>\n{cases}  </testsuite>\n",
            attr(&r.package),
            attr(&r.lab),
            seconds(r.duration_ms),
        );
        Suite {
            xml,
            tests,
            failures,
            errors,
        }
    }
}

/// One `<testcase>`: named by its binary and name, as cargo shows them.
fn case(r: &LabResult, t: &TestOutcome, task: &str) -> String {
    let head = format!(
        "    <testcase name=\"{}\" classname=\"{}.{}\"",
        attr(&t.name),
        attr(&r.package),
        attr(task)
    );
    let message = t.message.as_deref().unwrap_or("");
    let body = match t.status {
        TestStatus::Pass => return format!("{head}/>\n"),
        TestStatus::Fail => ("failure", "fail", message),
        TestStatus::Timeout => ("error", "timeout", message),
        TestStatus::Error => ("error", "error", message),
        TestStatus::Ignored => ("skipped", "ignored", message),
    };
    let (tag, kind, message) = body;
    format!(
        "{head}>\n      <{tag} type=\"{kind}\" message=\"{}\">{}</{tag}>\n      <system-out>{}</system-out>\n    </testcase>\n",
        attr(first_line(message)),
        text(message),
        text(&t.binary)
    )
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// Seconds with three decimals, the form the schema's `time` allows.
fn seconds(ms: u128) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Text content: XML's special characters escaped, and the characters XML
/// 1.0 cannot hold at all (terminal escapes, NUL) dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: also quotes and line breaks escaped (a parser
/// would turn a raw line break into a space).
fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::tests::meta;

    fn outcome(name: &str, status: TestStatus, message: Option<&str>) -> TestOutcome {
        TestOutcome {
            binary: "tests/a.rs".into(),
            name: name.into(),
            status,
            message: message.map(str::to_string),
        }
    }

    #[test]
    fn special_characters_and_terminal_escapes_cannot_break_the_document() {
        assert_eq!(
            attr("a<b & \"c\"\n\u{1b}[31mred"),
            "a&lt;b &amp; &quot;c&quot;&#10;[31mred"
        );
        assert_eq!(text("x\0y\tz"), "xy\tz");
        assert_eq!(seconds(12_345), "12.345");
        assert_eq!(seconds(7), "0.007");
    }

    #[test]
    fn each_test_is_a_case_with_its_outcome_and_the_counts_add_up() {
        let m = meta(&[("a", &["a_"], 3)]);
        let mut r = LabResult::blank("01".into(), "lab01-x".into(), &m);
        r.status = LabStatus::Fail;
        r.duration_ms = 1500;
        r.tests = vec![
            outcome("a_passes", TestStatus::Pass, None),
            outcome("a_fails", TestStatus::Fail, Some("\npanicked at x: 1 != 2")),
            outcome("a_hangs", TestStatus::Timeout, Some("timed out")),
            outcome("a_later", TestStatus::Ignored, None),
        ];
        let xml = junit(&[r], None);
        assert!(xml.contains("<testsuites name=\"rust-job-labs\" tests=\"4\" failures=\"1\" errors=\"1\" time=\"1.500\">"), "{xml}");
        assert!(
            xml.contains("tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"1.500\""),
            "{xml}"
        );
        assert!(
            xml.contains("<testcase name=\"a_passes\" classname=\"lab01-x.unknown\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("<failure type=\"fail\" message=\"panicked at x: 1 != 2\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<error type=\"timeout\" message=\"timed out\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<skipped type=\"ignored\" message=\"\">"),
            "{xml}"
        );
    }

    #[test]
    fn a_lab_that_did_not_run_is_one_error_or_skipped_case() {
        let m = meta(&[("a", &["a_"], 3)]);
        let mut broken = LabResult::blank("01".into(), "lab01-x".into(), &m);
        broken.message = Some("error[E0308]: mismatched types".into());
        let mut skipped = LabResult::blank("02".into(), "lab02-y".into(), &m);
        skipped.status = LabStatus::Skip;
        skipped.message = Some("missing go".into());
        let xml = junit(&[broken, skipped], None);
        assert!(
            xml.contains("tests=\"2\" failures=\"0\" errors=\"1\""),
            "{xml}"
        );
        assert!(
            xml.contains("<error type=\"error\" message=\"error[E0308]: mismatched types\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<skipped type=\"skip\" message=\"missing go\">"),
            "{xml}"
        );
    }
}
