//! `verify wrong-answers [LAB]` (`make wrong-answers LAB=NN`): every wrong
//! answer of a lab's catalog ([`crate::catalog`]) must fail a test of its
//! own task.
//!
//! Mutation testing (`make mutants`) swaps operators and empties bodies; it
//! does not move a boundary by one, reorder two checks or split an atomic
//! step, which is what a learner who almost has it writes. The catalog
//! lists those, and this command proves the tests reject each one: it
//! applies each wrong answer alone to a scratch copy of the workspace, runs
//! its task's tests there (the whole suite when they all pass, to tell
//! whether another task's would fail), and records the tests of its task it
//! fails (its signature). A wrong answer that fails only another task's
//! tests is reported too: a learner doing the tasks in order would pass its
//! task with it.
//!
//! The scratch copy follows `check-starters`: `.labs/wrong-answers/`, the
//! lab's version salted so its build never replaces the checkout's in the
//! shared build dir, and a target dir of its own for the unhashed outputs.
//! The learner's files are never touched.
//!
//! When every wrong answer is caught, the lab's [`catalog::Checked`] record
//! is written beside the catalog; `--check` (run by `make test`) only
//! compares the lab's digest with it, so a change to a lab's code, tests or
//! catalog without a new run fails CI, naming the command that refreshes it.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::catalog::{self, Checked, WrongAnswer};
use crate::grade::{self, LabStatus, Options};
use crate::labs::{Lab, Workspace};
use crate::libtest::TestStatus;
use crate::starter::{self, Marked};
use crate::ui::Progress;

/// The salt of the scratch labs' versions (see [`starter::salt_version`]).
const SALT: &str = "wrong";

/// What one wrong answer did to the lab's tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It fails these tests of its own task (and maybe others).
    Caught { own: Vec<String> },
    /// It fails only tests of other tasks: these.
    Elsewhere { failing: Vec<String> },
    /// Every test passes with it.
    Passes,
    /// The lab did not build or run with it.
    Broken(String),
}

/// The wrong answers of a lab, each applied: the file it changes (relative
/// to the lab) and that file's text with it. Fails on the first that cannot
/// be applied to the reference.
fn prepare(lab: &Lab, catalog: &[WrongAnswer]) -> Result<Vec<(PathBuf, String)>> {
    let marked = starter::scan(&lab.dir)?;
    catalog
        .iter()
        .map(|answer| {
            let file = match &answer.file {
                Some(f) => marked.iter().find(|m| m.rel == *f).with_context(|| {
                    format!("`{}`: {} has no task regions", answer.id, f.display())
                })?,
                None => only_file_of(&marked, answer)?,
            };
            let text = catalog::apply(&file.text, &file.rel.display().to_string(), answer)?;
            Ok((file.rel.clone(), text))
        })
        .collect()
}

/// The one file holding `answer.task`'s region.
fn only_file_of<'m>(marked: &'m [Marked], answer: &WrongAnswer) -> Result<&'m Marked> {
    let mut files = marked
        .iter()
        .filter(|m| m.regions.iter().any(|r| r.id == answer.task));
    match (files.next(), files.next()) {
        (Some(m), None) => Ok(m),
        (None, _) => bail!("`{}`: no region `{}` in the lab", answer.id, answer.task),
        (Some(_), Some(_)) => bail!(
            "`{}`: task `{}` has regions in several files; say which with `file = \"…\"`",
            answer.id,
            answer.task
        ),
    }
}

/// The tests that did not pass (a wrong answer's signature): sorted, each once.
fn failing(result: &grade::LabResult) -> Vec<String> {
    let mut names: Vec<String> = result
        .tests
        .iter()
        .filter(|t| !matches!(t.status, TestStatus::Pass | TestStatus::Ignored))
        .map(|t| t.name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Judges one run of the lab's tests with a wrong answer applied.
fn judge(lab: &Lab, answer: &WrongAnswer, result: &grade::LabResult) -> Verdict {
    if matches!(
        result.status,
        LabStatus::Error | LabStatus::Skip | LabStatus::Modified
    ) {
        let why = result.message.as_deref().unwrap_or("no message");
        return Verdict::Broken(why.lines().take(3).collect::<Vec<_>>().join(" "));
    }
    let failing = failing(result);
    let task = lab.meta.task(&answer.task);
    let own: Vec<String> = failing
        .iter()
        .filter(|name| task.is_some_and(|t| t.claims(name)))
        .cloned()
        .collect();
    match (failing.is_empty(), own.is_empty()) {
        (true, _) => Verdict::Passes,
        (false, true) => Verdict::Elsewhere { failing },
        (false, false) => Verdict::Caught { own },
    }
}

/// `verify wrong-answers`: checks the catalog of each of `ws.labs` (all of
/// them, or the one named). False when a wrong answer is not caught by its
/// own task's tests, a catalog is invalid, or a named lab has none.
///
/// With `trial`, the wrong answers in that file are tried instead of the
/// catalog (`--try FILE`: candidates, or a held-out set written without
/// reading the catalog), with no minimum per task, and nothing is recorded.
pub fn run(ws: &Workspace, named: bool, trial: Option<&Path>, opts: &Options) -> Result<bool> {
    let opts = &Options {
        run_checks: false,
        ..opts.clone()
    };
    let mut progress = Progress::new(opts.quiet);
    let scratch = scratch_dir(ws);
    fs::create_dir_all(&scratch)?;
    starter::sync_tree(&ws.root, &scratch, &ws.target_dir)?;
    // Salted Cargo.toml files cannot match the tamper manifest.
    let _ = fs::remove_file(scratch.join(crate::integrity::MANIFEST));
    let shared = Options {
        target_dir: Some(ws.target_dir.join("wrong-answers")),
        build_dir: Some(ws.build_dir.clone()),
        ..opts.clone()
    };
    let mut ok = true;
    for lab in &ws.labs {
        let loaded = match trial {
            Some(file) => {
                let text = fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let answers = catalog::parse(&text).with_context(|| file.display().to_string())?;
                Some(answers)
            }
            None => catalog::load(&lab.dir)?,
        };
        let Some(catalog) = loaded else {
            progress.done(&format!(
                "{}  {} {}: no {} yet",
                if named { "FAIL" } else { "--  " },
                lab.id(),
                lab.package,
                catalog::CATALOG
            ));
            ok &= !named;
            continue;
        };
        let scratch_lab = Lab {
            dir: scratch.join(lab.rel_dir(&ws.root)),
            ..lab.clone()
        };
        let scratch_ws = Workspace {
            root: scratch.clone(),
            labs: vec![scratch_lab.clone()],
            ..ws.clone()
        };
        starter::salt_version(&scratch_lab.dir.join("Cargo.toml"), SALT)?;
        ok &= check_lab(
            lab,
            &scratch_ws,
            &scratch_lab,
            &catalog,
            trial.is_none(),
            &shared,
            &mut progress,
        )?;
    }
    Ok(ok)
}

/// One lab's run; see [`run`]. `record`: the lab's own catalog, whose
/// result is written when every wrong answer is caught.
fn check_lab(
    lab: &Lab,
    scratch_ws: &Workspace,
    scratch_lab: &Lab,
    catalog: &[WrongAnswer],
    record: bool,
    opts: &Options,
    progress: &mut Progress,
) -> Result<bool> {
    let started = Instant::now();
    let tag = format!("{} {}", lab.id(), lab.package);
    let min = if record { catalog::MIN_PER_TASK } else { 0 };
    let mut problems = catalog::problems(&lab.meta, catalog, min);
    let applied = match prepare(lab, catalog) {
        Ok(applied) => applied,
        Err(e) => {
            problems.push(format!("{e:#}"));
            Vec::new()
        }
    };
    if !problems.is_empty() {
        progress.done(&format!("FAIL {tag}: {}", catalog::CATALOG));
        for p in problems {
            progress.done(&format!("     - {p}"));
        }
        return Ok(false);
    }
    // Computed before the runs: the checkout may change meanwhile.
    let digest = catalog::digest(&lab.dir)?;
    let reference = grade::grade_lab(scratch_ws, scratch_lab, opts, progress);
    if reference.status != LabStatus::Pass {
        progress.done(&format!(
            "FAIL {tag}: the reference does not pass ({}), so no wrong answer can be judged: {}",
            reference.status.word(),
            reference.message.as_deref().unwrap_or("")
        ));
        return Ok(false);
    }
    let mut checked = Checked {
        digest,
        ..Checked::default()
    };
    let mut missed = 0;
    for (i, (answer, (rel, text))) in catalog.iter().zip(&applied).enumerate() {
        progress.show(
            &format!("{tag}: [{}/{}] {}", i + 1, catalog.len(), answer.id),
            false,
        );
        let path = scratch_lab.dir.join(rel);
        let (verdict, signature) =
            try_one(scratch_ws, scratch_lab, answer, &path, text, opts, progress)?;
        if matches!(verdict, Verdict::Caught { .. }) {
            checked.signatures.insert(answer.id.clone(), signature);
        } else {
            missed += 1;
        }
        progress.done(&line(answer, &verdict));
    }
    let secs = started.elapsed().as_secs();
    let caught = catalog.len() - missed;
    if missed == 0 {
        let written = if record {
            catalog::save_checked(&lab.dir, &checked)?;
            format!(" ({} written)", catalog::CHECKED)
        } else {
            " (a trial: nothing written)".to_string()
        };
        progress.done(&format!(
            "ok   {tag}: {caught} of {} wrong answers caught by their own task's tests in {secs} s{written}",
            catalog.len()
        ));
    } else {
        progress.done(&format!(
            "FAIL {tag}: {caught} of {} wrong answers caught by their own task's tests in {secs} s; {missed} not (above)",
            catalog.len()
        ));
    }
    Ok(missed == 0)
}

/// Runs the lab's tests with `answer` applied (`text` written to `path`,
/// which is put back after): its own task's tests first, since the verdict
/// and the diagnosis need only those and on a lab with many tasks they are
/// a fraction of the run; the whole suite only when they miss it, to say
/// whether another task's tests would catch it. Returns the verdict and the
/// tests that failed (the signature, when caught).
fn try_one(
    ws: &Workspace,
    lab: &Lab,
    answer: &WrongAnswer,
    path: &Path,
    text: &str,
    opts: &Options,
    progress: &mut Progress,
) -> Result<(Verdict, Vec<String>)> {
    let original =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    fs::write(path, text)?;
    let own = Options {
        only_task: Some(answer.task.clone()),
        ..opts.clone()
    };
    let mut result = grade::grade_lab(ws, lab, &own, progress);
    let mut verdict = judge(lab, answer, &result);
    if matches!(verdict, Verdict::Passes | Verdict::Elsewhere { .. }) {
        result = grade::grade_lab(ws, lab, opts, progress);
        verdict = judge(lab, answer, &result);
    }
    fs::write(path, original)?;
    Ok((verdict, failing(&result)))
}

/// The line a wrong answer's verdict gets on screen.
fn line(answer: &WrongAnswer, verdict: &Verdict) -> String {
    let head = format!("{} ({})", answer.id, answer.task);
    match verdict {
        Verdict::Caught { own } => format!("  caught   {head}: {}", names(own)),
        Verdict::Elsewhere { failing } => format!(
            "  MISSED   {head}: only other tasks' tests fail ({}): a learner doing the tasks in order passes `{}` with it; add a test to it",
            names(failing),
            answer.task
        ),
        Verdict::Passes => format!(
            "  MISSED   {head}: every test passes with it; add a test to task `{}` that fails on it",
            answer.task
        ),
        Verdict::Broken(why) => format!(
            "  BROKEN   {head}: the lab does not build or run with it ({why}); a wrong answer must compile"
        ),
    }
}

/// Test names for one line: the first three, then how many more.
fn names(tests: &[String]) -> String {
    let mut shown = tests.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if tests.len() > 3 {
        shown.push_str(&format!(" and {} more", tests.len() - 3));
    }
    shown
}

/// How a lab's catalog stands against the lab as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// No catalog yet.
    Missing,
    /// Checked against exactly this lab.
    Current { answers: usize },
    /// Invalid, never checked, or checked against another version of the lab.
    Stale(String),
}

/// `verify wrong-answers --check`: each lab's catalog, read and applied to
/// the reference (nothing is built), and its record compared with the
/// lab's digest.
pub fn standing(lab: &Lab) -> Standing {
    let stale = |why: String| {
        Standing::Stale(format!(
            "{why}: `make wrong-answers LAB={}` checks it again",
            lab.id()
        ))
    };
    let catalog = match catalog::load(&lab.dir) {
        Ok(Some(c)) => c,
        Ok(None) => return Standing::Missing,
        Err(e) => return stale(format!("{e:#}")),
    };
    if let Some(p) = catalog::problems(&lab.meta, &catalog, catalog::MIN_PER_TASK)
        .into_iter()
        .next()
    {
        return stale(p);
    }
    if let Err(e) = prepare(lab, &catalog) {
        return stale(format!("{e:#}"));
    }
    let Some(checked) = catalog::load_checked(&lab.dir) else {
        return stale(format!("{} is missing (never checked)", catalog::CHECKED));
    };
    match catalog::digest(&lab.dir) {
        Ok(d) if d == checked.digest => Standing::Current {
            answers: catalog.len(),
        },
        Ok(_) => stale(
            "the lab's code, tests or catalog changed since its wrong answers were checked".into(),
        ),
        Err(e) => stale(format!("{e:#}")),
    }
}

/// Prints each lab's [`standing`]; false when one is stale.
pub fn check(ws: &Workspace) -> bool {
    let mut ok = true;
    let mut missing = Vec::new();
    for lab in &ws.labs {
        match standing(lab) {
            Standing::Missing => missing.push(lab.id()),
            Standing::Current { answers } => println!(
                "ok    {} {}: {answers} wrong answers, checked against the lab as it is",
                lab.id(),
                lab.package
            ),
            Standing::Stale(why) => {
                ok = false;
                println!("STALE {} {}: {why}", lab.id(), lab.package);
            }
        }
    }
    if !missing.is_empty() {
        println!(
            "not yet catalogued (listed, not failed): lab {}",
            missing.join(", ")
        );
    }
    ok
}

/// The scratch copy of the workspace the wrong answers are applied in.
pub fn scratch_dir(ws: &Workspace) -> PathBuf {
    starter::state_dir(ws)
        .join("wrong-answers")
        .join("workspace")
}
