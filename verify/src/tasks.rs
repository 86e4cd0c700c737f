//! Tasks, the unit of work and of grading.
//!
//! Each solution region (`// lab:begin(ID)` … `// lab:end`) is one task,
//! declared in the lab's `[[package.metadata.lab.tasks]]` with the tests
//! that prove it. Grading is a pure function of the test outcomes
//! ([`score`]): a task earns its points when every one of its tests passed.
//! Tests no task claims are `given` (they must pass, and earn nothing).

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use crate::labs::{LabMeta, Task, pattern_matches};
use crate::libtest::{TestOutcome, TestStatus};
use crate::starter::Marked;

/// The test binary name of the clippy gate (labs whose tasks hold `unsafe`).
pub const CLIPPY_BINARY: &str = "clippy";

/// The prefix of a check's outcomes' binary: `check go-caller`.
pub const CHECK_PREFIX: &str = "check ";

/// One task as graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskResult {
    pub id: String,
    pub title: String,
    pub points: u32,
    pub points_earned: u32,
    pub tests_passed: usize,
    pub tests_total: usize,
    /// Every test of the task passed (and it has at least one).
    pub done: bool,
    /// The first of its tests that did not pass: `name: message`.
    pub first_failure: Option<String>,
    /// Hints the learner has seen for it (`make hint`).
    #[serde(default)]
    pub hints_used: usize,
    /// Why it is likely wrong: the catalogued wrong answers whose failure
    /// this one matches ([`crate::catalog::diagnose`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub likely_mistakes: Vec<String>,
}

/// What the grader needs to know of a lab's tasks besides the metadata.
#[derive(Debug, Clone, Default)]
pub struct TaskFacts {
    /// Tasks whose region holds `unsafe`: the clippy gate is one of their tests.
    pub with_unsafe: BTreeSet<String>,
}

impl TaskFacts {
    pub fn from_regions(marked: &[Marked]) -> TaskFacts {
        let with_unsafe = marked
            .iter()
            .flat_map(|m| &m.regions)
            .filter(|r| r.body_contains("unsafe"))
            .map(|r| r.id.clone())
            .collect();
        TaskFacts { with_unsafe }
    }
}

/// The tasks that own `test`: by name pattern for cargo tests, by the
/// check's `task` for a check's outcomes, by `unsafe` for the clippy gate.
pub fn owners<'m>(meta: &'m LabMeta, facts: &TaskFacts, test: &TestOutcome) -> Vec<&'m Task> {
    if test.binary == CLIPPY_BINARY {
        return meta
            .tasks
            .iter()
            .filter(|t| facts.with_unsafe.contains(&t.id))
            .collect();
    }
    if let Some(check) = test.binary.strip_prefix(CHECK_PREFIX) {
        let task = meta
            .checks
            .iter()
            .find(|c| c.name == check)
            .and_then(|c| c.task.as_deref());
        return meta
            .tasks
            .iter()
            .filter(|t| Some(t.id.as_str()) == task)
            .collect();
    }
    meta.tasks.iter().filter(|t| t.claims(&test.name)).collect()
}

/// True when `test` is declared `given` by name (checks without a task and
/// the clippy gate of a lab without `unsafe` tasks are given without that).
pub fn is_declared_given(meta: &LabMeta, test: &TestOutcome) -> bool {
    meta.given.iter().any(|p| pattern_matches(p, &test.name))
}

/// Grades each task from the lab's test outcomes, in the lab's task order.
pub fn score(meta: &LabMeta, facts: &TaskFacts, tests: &[TestOutcome]) -> Vec<TaskResult> {
    meta.tasks
        .iter()
        .map(|task| {
            let mine: Vec<&TestOutcome> = tests
                .iter()
                .filter(|t| t.status != TestStatus::Ignored)
                .filter(|t| owners(meta, facts, t).iter().any(|o| o.id == task.id))
                .collect();
            let passed = mine.iter().filter(|t| t.status == TestStatus::Pass).count();
            let done = !mine.is_empty() && passed == mine.len();
            let first_failure = mine
                .iter()
                .find(|t| t.status != TestStatus::Pass)
                .map(|t| {
                    format!(
                        "{}: {}",
                        t.name,
                        t.message.as_deref().unwrap_or("failed (no message)")
                    )
                })
                .or_else(|| mine.is_empty().then(|| "none of its tests ran".to_string()));
            TaskResult {
                id: task.id.clone(),
                title: task.title.clone(),
                points: task.points,
                points_earned: if done { task.points } else { 0 },
                tests_passed: passed,
                tests_total: mine.len(),
                done,
                first_failure,
                hints_used: 0,
                likely_mistakes: Vec::new(),
            }
        })
        .collect()
}

/// Every region has a task and every task a region; region ids are unique
/// across the lab (not just per file), since a task id names one region.
pub fn check_regions(meta: &LabMeta, marked: &[Marked]) -> Result<()> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for m in marked {
        for r in &m.regions {
            let at = format!("{}:{}", m.rel.display(), r.line);
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == r.id) {
                bail!(
                    "region `{}` at {at} has the same id as the one at {first}",
                    r.id
                );
            }
            if meta.task(&r.id).is_none() {
                bail!(
                    "region `{}` at {at} has no [[package.metadata.lab.tasks]] entry with id = \"{}\"",
                    r.id,
                    r.id
                );
            }
            seen.push((r.id.clone(), at));
        }
    }
    for t in &meta.tasks {
        if !seen.iter().any(|(id, _)| *id == t.id) {
            bail!(
                "task `{}` has no region: mark its code with `// lab:begin({}) …` and `// lab:end`",
                t.id,
                t.id
            );
        }
    }
    Ok(())
}

/// Where a region is, for the learner: `src/concat.rs:39`.
pub fn locate(marked: &[Marked], id: &str) -> Option<String> {
    marked.iter().find_map(|m| {
        m.regions
            .iter()
            .find(|r| r.id == id)
            .map(|r| format!("{}:{}", m.rel.display(), r.line + 1))
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::labs::Check;

    /// A lab with these tasks (id, test patterns, points), `compile_fail`
    /// given, and a check `go` that belongs to task `b`.
    pub(crate) fn meta(toml_tasks: &[(&str, &[&str], u32)]) -> LabMeta {
        LabMeta {
            order: 1,
            title: "t".into(),
            level: crate::labs::Level::Junior,
            article: "0".into(),
            summary: "s".into(),
            requires: vec![],
            dependencies: vec![],
            time_limit_secs: None,
            bench: None,
            given: vec!["compile_fail".into()],
            tasks: toml_tasks
                .iter()
                .map(|(id, tests, points)| Task {
                    id: id.to_string(),
                    title: id.to_string(),
                    tests: tests.iter().map(|s| s.to_string()).collect(),
                    hints: vec!["h".into()],
                    points: *points,
                })
                .collect(),
            checks: vec![Check {
                name: "go".into(),
                run: "true".into(),
                requires: vec![],
                task: Some("b".into()),
                files: vec![],
            }],
            equivalent_mutants: vec![],
        }
    }

    pub(crate) fn outcome(binary: &str, name: &str, status: TestStatus) -> TestOutcome {
        TestOutcome {
            binary: binary.into(),
            name: name.into(),
            status,
            message: (status != TestStatus::Pass).then(|| "boom".into()),
        }
    }

    #[test]
    fn a_task_earns_its_points_only_when_every_one_of_its_tests_passes() {
        let m = meta(&[("a", &["a_"], 3), ("b", &["b_"], 4)]);
        let tests = [
            outcome("tests/a.rs", "a_one", TestStatus::Pass),
            outcome("tests/a.rs", "a_two", TestStatus::Pass),
            outcome("tests/b.rs", "b_one", TestStatus::Pass),
            outcome("tests/b.rs", "b_two", TestStatus::Fail),
        ];
        let r = score(&m, &TaskFacts::default(), &tests);
        assert_eq!(
            (r[0].done, r[0].points_earned, r[0].tests_passed),
            (true, 3, 2)
        );
        assert_eq!(
            (r[1].done, r[1].points_earned, r[1].tests_passed),
            (false, 0, 1)
        );
        assert_eq!(r[1].first_failure.as_deref(), Some("b_two: boom"));
    }

    #[test]
    fn a_task_with_no_test_that_ran_is_not_done() {
        let m = meta(&[("a", &["a_"], 3)]);
        let r = score(&m, &TaskFacts::default(), &[]);
        assert!(!r[0].done);
        assert_eq!(r[0].points_earned, 0);
        assert_eq!(r[0].first_failure.as_deref(), Some("none of its tests ran"));
    }

    #[test]
    fn ignored_tests_neither_help_nor_hurt_a_task() {
        let m = meta(&[("a", &["a_"], 3)]);
        let tests = [
            outcome("t", "a_one", TestStatus::Pass),
            outcome("t", "a_slow", TestStatus::Ignored),
        ];
        let r = score(&m, &TaskFacts::default(), &tests);
        assert_eq!((r[0].done, r[0].tests_total), (true, 1));
    }

    #[test]
    fn a_test_shared_by_two_tasks_counts_for_both() {
        let m = meta(&[("a", &["end_to_end"], 1), ("b", &["end_to_end"], 1)]);
        let tests = [outcome("t", "end_to_end", TestStatus::Fail)];
        let r = score(&m, &TaskFacts::default(), &tests);
        assert!(!r[0].done && !r[1].done);
    }

    #[test]
    fn check_outcomes_belong_to_the_checks_task_and_clippy_to_unsafe_tasks() {
        let m = meta(&[("a", &["a_"], 1), ("b", &["b_"], 1)]);
        let facts = TaskFacts {
            with_unsafe: ["a".to_string()].into(),
        };
        let tests = [
            outcome("t", "a_one", TestStatus::Pass),
            outcome("t", "b_one", TestStatus::Pass),
            outcome("check go", "TestProcess", TestStatus::Fail),
            outcome(CLIPPY_BINARY, "clippy", TestStatus::Fail),
        ];
        let r = score(&m, &facts, &tests);
        assert_eq!((r[0].done, r[0].tests_total), (false, 2), "clippy is a's");
        assert_eq!(
            (r[1].done, r[1].tests_total),
            (false, 2),
            "the Go test is b's"
        );
        let given = outcome("t", "compile_fail", TestStatus::Pass);
        assert!(owners(&m, &facts, &given).is_empty() && is_declared_given(&m, &given));
    }

    #[test]
    fn a_name_pattern_is_an_exact_name_or_a_prefix() {
        assert!(pattern_matches("concat_owned", "concat_owned"));
        assert!(pattern_matches(
            "concat_owned",
            "concat_owned_has_exact_capacity"
        ));
        assert!(pattern_matches(
            "hpack::integer::",
            "hpack::integer::tests::x"
        ));
        assert!(!pattern_matches("concat_owned", "concat_cow"));
    }
}
