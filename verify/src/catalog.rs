//! A lab's wrong answers: `wrong-answers.toml` beside its Cargo.toml, and
//! what `verify wrong-answers` recorded of them.
//!
//! A wrong answer is what a learner who almost has a task writes: a change
//! to the reference inside that task's region, and why it is wrong.
//!
//! ```toml
//! [[wrong]]
//! id = "put-keeps-above-max"      # unique in the lab
//! task = "put"                    # the task whose region it changes
//! why = """You keep a buffer that grew past `max_capacity` ..."""
//! old = '''..contains(&buf.capacity())'''   # exactly once in the region
//! new = '''..=self.config.max_capacity + 1'''
//! # file = "src/pool.rs"          # only when the task has regions in two files
//! ```
//!
//! The catalog is checked like the tests (`make wrong-answers LAB=NN`):
//! each wrong answer must fail a test of its own task. What the run saw is
//! kept in `wrong-answers.checked.json`: the [`digest`] of the lab it was
//! checked against (so `make test` can tell when the lab changed since)
//! and each wrong answer's *signature*, the tests it fails. When a
//! learner's task fails exactly as a catalogued wrong answer did,
//! [`diagnose`] names it as the likely cause.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::labs::LabMeta;
use crate::libtest::{TestOutcome, TestStatus};
use crate::markers;
use crate::tasks::TaskResult;

/// The catalog's file name, beside the lab's Cargo.toml.
pub const CATALOG: &str = "wrong-answers.toml";
/// What `verify wrong-answers` recorded, beside the catalog.
pub const CHECKED: &str = "wrong-answers.checked.json";
/// Wrong answers each task needs at least.
pub const MIN_PER_TASK: usize = 3;

/// One `[[wrong]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongAnswer {
    pub id: String,
    pub task: String,
    /// Why it is wrong, addressed to the learner.
    pub why: String,
    /// The file to change, relative to the lab (default: the one file that
    /// holds the task's region).
    pub file: Option<PathBuf>,
    pub old: String,
    pub new: String,
}

/// The catalog of the lab in `lab_dir`; `None` when it has none yet.
pub fn load(lab_dir: &Path) -> Result<Option<Vec<WrongAnswer>>> {
    let path = lab_dir.join(CATALOG);
    if !path.is_file() {
        return Ok(None);
    }
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text)
        .map(Some)
        .with_context(|| path.display().to_string())
}

/// Reads a catalog's text; every error names the entry and the key.
pub fn parse(text: &str) -> Result<Vec<WrongAnswer>> {
    let doc: toml_edit::DocumentMut = text.parse().context("not valid TOML")?;
    if let Some((key, _)) = doc.iter().find(|(k, _)| *k != "wrong") {
        bail!("unknown key `{key}`: a catalog holds only `[[wrong]]` entries");
    }
    let Some(item) = doc.get("wrong") else {
        bail!("no `[[wrong]]` entries");
    };
    let Some(entries) = item.as_array_of_tables() else {
        bail!("`wrong` must be an array of tables: write each entry as `[[wrong]]`");
    };
    let mut out: Vec<WrongAnswer> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let n = i + 1;
        let text = |key: &str| -> Result<String> {
            match entry.get(key) {
                Some(v) => v
                    .as_str()
                    .map(str::to_string)
                    .with_context(|| format!("[[wrong]] #{n}: `{key}` must be a string")),
                None => bail!("[[wrong]] #{n}: `{key}` is missing"),
            }
        };
        if let Some((key, _)) = entry
            .iter()
            .find(|(k, _)| !matches!(*k, "id" | "task" | "why" | "file" | "old" | "new"))
        {
            bail!(
                "[[wrong]] #{n}: unknown key `{key}` (the keys are id, task, why, file, old, new)"
            );
        }
        let answer = WrongAnswer {
            id: text("id")?,
            task: text("task")?,
            why: text("why")?.trim().to_string(),
            file: entry
                .contains_key("file")
                .then(|| text("file"))
                .transpose()?
                .map(PathBuf::from),
            old: text("old")?,
            new: text("new")?,
        };
        if answer.why.is_empty() {
            bail!("[[wrong]] `{}`: `why` is empty", answer.id);
        }
        if answer.old == answer.new {
            bail!("[[wrong]] `{}`: `new` is the same as `old`", answer.id);
        }
        if out.iter().any(|a| a.id == answer.id) {
            bail!("[[wrong]] `{}` appears twice: ids are unique", answer.id);
        }
        out.push(answer);
    }
    Ok(out)
}

/// What is wrong with a catalog for the lab `meta` describes, before
/// anything runs: unknown tasks, and tasks with fewer than `min` entries
/// ([`MIN_PER_TASK`] for a lab's catalog).
pub fn problems(meta: &LabMeta, catalog: &[WrongAnswer], min: usize) -> Vec<String> {
    let mut out = Vec::new();
    for a in catalog {
        if meta.task(&a.task).is_none() {
            out.push(format!("`{}`: the lab has no task `{}`", a.id, a.task));
        }
    }
    for task in &meta.tasks {
        let n = catalog.iter().filter(|a| a.task == task.id).count();
        if n < min {
            out.push(format!(
                "task `{}` has {n} wrong answer(s); every task needs at least {min}",
                task.id
            ));
        }
    }
    out
}

/// `src` with `answer` applied: its `old` text, which must occur exactly
/// once in the body of the region `answer.task`, replaced by `new`.
/// `path` names the file in errors.
pub fn apply(src: &str, path: &str, answer: &WrongAnswer) -> Result<String> {
    let region = markers::regions(src, path)?
        .into_iter()
        .find(|r| r.id == answer.task)
        .with_context(|| format!("`{}`: {path} has no region `{}`", answer.id, answer.task))?;
    let lines = region.body_lines();
    // Byte offsets of the body: from the start of its first line to the
    // end of its last (the file's own line endings kept).
    let mut offset = 0;
    let (mut start, mut end) = (None, None);
    for (i, line) in src.split_inclusive('\n').enumerate() {
        if i == lines.start {
            start = Some(offset);
        }
        offset += line.len();
        if i + 1 == lines.end {
            end = Some(offset);
        }
    }
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        // An empty body: there is nothing to replace.
        _ => (0, 0),
    };
    let body = &src[start..end];
    match body.matches(answer.old.as_str()).count() {
        1 => {}
        0 => bail!(
            "`{}`: its `old` text is not in the region `{}` of {path} (did the reference change?)",
            answer.id,
            answer.task
        ),
        n => bail!(
            "`{}`: its `old` text occurs {n} times in the region `{}` of {path}; make it longer so it names one place",
            answer.id,
            answer.task
        ),
    }
    Ok(format!(
        "{}{}{}",
        &src[..start],
        body.replacen(answer.old.as_str(), &answer.new, 1),
        &src[end..]
    ))
}

/// What `verify wrong-answers` recorded: `wrong-answers.checked.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// The lab's [`digest`] when it was checked.
    pub digest: String,
    /// Per wrong answer (by id): the tests of its own task it failed, sorted
    /// (what [`diagnose`] compares; other tasks' tests are not run for it).
    pub signatures: BTreeMap<String, Vec<String>>,
}

/// The record of the lab in `lab_dir`, if it has one that can be read.
pub fn load_checked(lab_dir: &Path) -> Option<Checked> {
    serde_json::from_str(&fs::read_to_string(lab_dir.join(CHECKED)).ok()?).ok()
}

/// Writes the record beside the catalog (pretty, one test a line, so a
/// change reads well in a diff).
pub fn save_checked(lab_dir: &Path, checked: &Checked) -> Result<()> {
    let path = lab_dir.join(CHECKED);
    let text = serde_json::to_string_pretty(checked)? + "\n";
    fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A digest of what a lab's wrong answers are checked against: every file
/// of the lab (its sources, tests, manifest and catalog) but its prose
/// (`*.md`) and the record itself. It changes when a test, the reference
/// or the catalog does, and then the catalog must be checked again.
pub fn digest(lab_dir: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    crate::starter::walk(lab_dir, &mut |p| {
        let prose = p.extension().is_some_and(|e| e == "md");
        if !prose && p.file_name().is_some_and(|n| n != CHECKED) {
            files.push(p.to_path_buf());
        }
    })?;
    files.sort();
    let mut hash = Sha256::new();
    for f in files {
        let bytes = fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let rel = f.strip_prefix(lab_dir).unwrap_or(&f);
        // '/' on every system, so the digest is the same everywhere.
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        hash.update(rel.join("/").as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    Ok(format!("{:x}", hash.finalize()))
}

/// How a likely mistake is shown to the learner, after the first failure:
/// a likely cause, never a certainty.
pub fn likely(why: &str) -> String {
    format!("This failure matches a common mistake: {why}")
}

/// The learner's likely mistakes, per task: fills each failing task's
/// `likely_mistakes` with the `why` of every catalogued wrong answer of
/// that task whose signature, narrowed to the task's own tests, is exactly
/// the set of the task's tests that fail now.
///
/// Only the task's own tests are compared: a learner part way through
/// fails the later tasks' tests anyway. A task still holding its `todo!()` (a test
/// failed with "not yet implemented") is not diagnosed: it is not done,
/// not done wrong.
pub fn diagnose(
    tasks: &mut [TaskResult],
    meta: &LabMeta,
    tests: &[TestOutcome],
    catalog: &[WrongAnswer],
    checked: &Checked,
) {
    for result in tasks.iter_mut().filter(|t| !t.done) {
        let Some(task) = meta.task(&result.id) else {
            continue;
        };
        let failing: Vec<&TestOutcome> = tests
            .iter()
            .filter(|t| task.claims(&t.name))
            .filter(|t| !matches!(t.status, TestStatus::Pass | TestStatus::Ignored))
            .collect();
        let not_started = failing.iter().any(|t| {
            t.message
                .as_deref()
                .is_some_and(|m| m.contains("not yet implemented"))
        });
        if failing.is_empty() || not_started {
            continue;
        }
        let mut now: Vec<&str> = failing.iter().map(|t| t.name.as_str()).collect();
        now.sort_unstable();
        now.dedup();
        result.likely_mistakes = catalog
            .iter()
            .filter(|a| a.task == result.id)
            .filter(|a| {
                checked.signatures.get(&a.id).is_some_and(|sig| {
                    let mut own: Vec<&str> = sig
                        .iter()
                        .map(String::as_str)
                        .filter(|name| task.claims(name))
                        .collect();
                    own.sort_unstable();
                    own.dedup();
                    own == now
                })
            })
            .map(|a| a.why.clone())
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::tests::meta;

    const SRC: &str = "\
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    // lab:begin(percent) the share in percent, capped at 100
    if whole == 0 {
        return None;
    }
    Some((part * 100 / whole).min(100))
    // lab:end
}
// outside: .min(100)
";

    fn answer(old: &str, new: &str) -> WrongAnswer {
        WrongAnswer {
            id: "no-cap".into(),
            task: "percent".into(),
            why: "w".into(),
            file: None,
            old: old.into(),
            new: new.into(),
        }
    }

    #[test]
    fn apply_replaces_the_old_text_inside_the_region_only() {
        let out = apply(SRC, "lib.rs", &answer(".min(100)", "")).unwrap();
        assert_eq!(
            out,
            SRC.replacen(
                "Some((part * 100 / whole).min(100))",
                "Some((part * 100 / whole))",
                1
            )
        );
        // The same text outside the region is neither counted nor touched.
        assert!(out.ends_with("// outside: .min(100)\n"));
    }

    #[test]
    fn apply_refuses_old_text_missing_from_the_region_or_found_twice() {
        let missing = apply(SRC, "lib.rs", &answer("whole == 1", "x")).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "`no-cap`: its `old` text is not in the region `percent` of lib.rs (did the reference change?)"
        );
        let twice = apply(SRC, "lib.rs", &answer("whole", "x")).unwrap_err();
        assert!(twice.to_string().contains("occurs 2 times"), "{twice}");
        let marker = apply(SRC, "lib.rs", &answer("lab:end", "x")).unwrap_err();
        assert!(
            marker.to_string().contains("is not in the region"),
            "{marker}"
        );
        let mut other = answer("x", "y");
        other.task = "bar".into();
        let no_region = apply(SRC, "lib.rs", &other).unwrap_err();
        assert_eq!(
            no_region.to_string(),
            "`no-cap`: lib.rs has no region `bar`"
        );
    }

    #[test]
    fn parse_reads_entries_and_names_the_entry_and_key_of_each_error() {
        let good = "[[wrong]]\nid = \"a\"\ntask = \"t\"\nwhy = \"\"\"\nBecause.\n\"\"\"\nold = '''x < 3'''\nnew = '''x <= 3'''\n";
        let parsed = parse(good).unwrap();
        assert_eq!(
            parsed,
            vec![WrongAnswer {
                id: "a".into(),
                task: "t".into(),
                why: "Because.".into(),
                file: None,
                old: "x < 3".into(),
                new: "x <= 3".into(),
            }]
        );
        let err = |text: &str| format!("{:#}", parse(text).unwrap_err());
        assert_eq!(
            err(&good.replace("task = \"t\"\n", "")),
            "[[wrong]] #1: `task` is missing"
        );
        assert_eq!(
            err(&good.replace("id = \"a\"", "id = 1")),
            "[[wrong]] #1: `id` must be a string"
        );
        assert!(err(&good.replace("old =", "olde =")).contains("unknown key `olde`"));
        assert_eq!(
            err(&format!("{good}{good}")),
            "[[wrong]] `a` appears twice: ids are unique"
        );
        assert_eq!(
            err(&good.replace("x <= 3", "x < 3")),
            "[[wrong]] `a`: `new` is the same as `old`"
        );
        assert_eq!(
            err("[wrong]\nid = 1\n"),
            "`wrong` must be an array of tables: write each entry as `[[wrong]]`"
        );
        assert!(err("wrong = [").starts_with("not valid TOML"));
    }

    #[test]
    fn problems_name_unknown_tasks_and_tasks_with_too_few_entries() {
        let m = meta(&[("a", &["a_"], 1), ("b", &["b_"], 1)]);
        let mut catalog: Vec<WrongAnswer> = (0..3)
            .map(|i| WrongAnswer {
                id: format!("a{i}"),
                task: "a".into(),
                ..answer("x", "y")
            })
            .collect();
        catalog.push(WrongAnswer {
            id: "c0".into(),
            task: "c".into(),
            ..answer("x", "y")
        });
        assert_eq!(
            problems(&m, &catalog, MIN_PER_TASK),
            vec![
                "`c0`: the lab has no task `c`".to_string(),
                "task `b` has 0 wrong answer(s); every task needs at least 3".to_string(),
            ]
        );
    }

    fn outcome(name: &str, status: TestStatus, message: &str) -> TestOutcome {
        TestOutcome {
            binary: "tests/t.rs".into(),
            name: name.into(),
            status,
            message: Some(message.into()).filter(|m: &String| !m.is_empty()),
        }
    }

    #[test]
    fn diagnose_names_the_wrong_answers_whose_own_task_signature_is_the_failure() {
        let m = meta(&[("a", &["a_"], 1), ("b", &["b_"], 1)]);
        let catalog = vec![
            WrongAnswer {
                id: "one".into(),
                task: "a".into(),
                why: "why one".into(),
                ..answer("x", "y")
            },
            WrongAnswer {
                id: "two".into(),
                task: "a".into(),
                why: "why two".into(),
                ..answer("x", "y")
            },
            WrongAnswer {
                id: "three".into(),
                task: "a".into(),
                why: "why three".into(),
                ..answer("x", "y")
            },
        ];
        let checked = Checked {
            digest: String::new(),
            signatures: BTreeMap::from([
                // Also fails task b's test: compared on task a's tests only.
                (
                    "one".to_string(),
                    vec!["a_caps".to_string(), "b_bar".to_string()],
                ),
                (
                    "two".to_string(),
                    vec!["a_caps".to_string(), "a_zero".to_string()],
                ),
                ("three".to_string(), vec!["a_caps".to_string()]),
            ]),
        };
        let tests = vec![
            outcome("a_caps", TestStatus::Fail, "left: 150 right: 100"),
            outcome("a_zero", TestStatus::Pass, ""),
            outcome("b_bar", TestStatus::Fail, "not yet implemented: b"),
        ];
        let facts = crate::tasks::TaskFacts::default();
        let mut tasks = crate::tasks::score(&m, &facts, &tests);
        diagnose(&mut tasks, &m, &tests, &catalog, &checked);
        assert_eq!(tasks[0].likely_mistakes, vec!["why one", "why three"]);
        // Task b still holds its todo!(): no diagnosis.
        assert!(tasks[1].likely_mistakes.is_empty());

        // Another failure set matches no entry; a passing task gets none.
        let tests = vec![
            outcome("a_caps", TestStatus::Pass, ""),
            outcome("a_zero", TestStatus::Fail, "boom"),
        ];
        let mut tasks = crate::tasks::score(&m, &facts, &tests);
        diagnose(&mut tasks, &m, &tests, &catalog, &checked);
        assert!(tasks[0].likely_mistakes.is_empty());
    }

    #[test]
    fn the_digest_covers_code_tests_and_catalog_but_not_prose_or_the_record() {
        let dir = std::env::temp_dir().join(format!("verify-catalog-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("tests")).unwrap();
        fs::write(dir.join("tests/t.rs"), "#[test] fn a() {}").unwrap();
        fs::write(dir.join(CATALOG), "[[wrong]]").unwrap();
        let first = digest(&dir).unwrap();
        fs::write(dir.join("README.md"), "prose").unwrap();
        fs::write(dir.join(CHECKED), "{}").unwrap();
        assert_eq!(digest(&dir).unwrap(), first);
        fs::write(dir.join("tests/t.rs"), "#[test] fn a() { panic!() }").unwrap();
        let second = digest(&dir).unwrap();
        assert_ne!(second, first);
        fs::write(dir.join(CATALOG), "[[wrong]]\n").unwrap();
        assert_ne!(digest(&dir).unwrap(), second);
        fs::remove_dir_all(&dir).unwrap();
    }
}
