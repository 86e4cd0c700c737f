//! Turning a lab into its exercise and back: `verify start`, `restore`,
//! `hint`, and the author-side `check-starters`.
//!
//! State lives in `.labs/` at the workspace root (git-ignored):
//!
//! ```text
//! .labs/reference/<package>/…   the reference files, saved by `start`
//! .labs/backups/<package>/<time>-<action>/…   every file start/restore replaced
//! .labs/progress.json          per task: done, first passed, hints shown ([`crate::progress_file`])
//! .labs/results/<package>.json  the lab's last graded result (for `hint`)
//! .labs/check-starters/workspace/   check-starters' scratch copy of the workspace
//! ```
//!
//! Nothing a learner wrote is ever deleted: before `start` or `restore`
//! rewrites a file, the file as it was goes to a backup folder, and the
//! command prints where.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use std::collections::BTreeMap;

use crate::grade::{self, LabResult, LabStatus, Options};
use crate::labs::{Lab, Task, Workspace};
use crate::libtest::{TestOutcome, TestStatus};
use crate::markers::{self, Region};
use crate::progress_file::ProgressFile;
use crate::report;
use crate::tasks;
use crate::ui::Progress;

/// A lab source file with its regions.
#[derive(Debug)]
pub struct Marked {
    /// Relative to the lab's folder.
    pub rel: PathBuf,
    pub text: String,
    pub regions: Vec<Region>,
}

/// Every `.rs` file of the lab (outside `target/`) that has regions.
pub fn scan(lab_dir: &Path) -> Result<Vec<Marked>> {
    let mut files = Vec::new();
    walk(lab_dir, &mut |p| {
        if p.extension().is_some_and(|e| e == "rs") {
            files.push(p.to_path_buf());
        }
    })?;
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel = path.strip_prefix(lab_dir).unwrap_or(&path).to_path_buf();
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let regions = markers::regions(&text, &path.display().to_string())?;
        if !regions.is_empty() {
            out.push(Marked { rel, text, regions });
        }
    }
    Ok(out)
}

/// Calls `f` on every file below `dir`, skipping build output and VCS folders.
pub(crate) fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let ty = entry.file_type()?;
        if ty.is_dir() {
            if matches!(name.to_str(), Some("target" | ".git" | ".labs")) {
                continue;
            }
            walk(&path, f)?;
        } else if ty.is_file() {
            f(&path);
        }
    }
    Ok(())
}

pub(crate) fn state_dir(ws: &Workspace) -> PathBuf {
    ws.root.join(".labs")
}

fn stamp() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}-{:03}", now.as_secs(), now.subsec_millis())
}

/// Copies the lab's current version of `files` into a new backup folder.
fn backup(ws: &Workspace, lab: &Lab, action: &str, files: &[PathBuf]) -> Result<PathBuf> {
    let dest = state_dir(ws)
        .join("backups")
        .join(&lab.package)
        .join(format!("{}-{action}", stamp()));
    for rel in files {
        let from = lab.dir.join(rel);
        if !from.exists() {
            continue;
        }
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(&from, &to).with_context(|| format!("cannot back up {}", from.display()))?;
    }
    Ok(dest)
}

/// Files of the lab with uncommitted changes, or `None` outside a git checkout.
fn uncommitted(ws: &Workspace, lab: &Lab) -> Option<Vec<String>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(&ws.root)
        .args(["status", "--porcelain", "--"])
        .arg(lab.rel_dir(&ws.root))
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.get(3..).unwrap_or(l).to_string())
            .collect(),
    )
}

fn shown(ws: &Workspace, lab: &Lab, path: &Path) -> String {
    path.strip_prefix(&ws.root)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace(&format!("{}/", lab.rel_dir(&ws.root).display()), "")
}

/// What `start` did.
#[derive(Debug)]
pub enum Started {
    /// Every region already was the stub: nothing changed.
    AlreadyAnExercise { tasks: usize },
    /// The lab is now its exercise; the files it replaced are in `saved`.
    Now {
        tasks: Vec<TaskLine>,
        saved: PathBuf,
        /// How to run the first task's tests alone.
        first_task_command: Option<String>,
    },
}

/// `verify start`: the lab becomes its exercise, in place.
pub fn start(ws: &Workspace, lab: &Lab, force: bool) -> Result<Started> {
    let marked = scan(&lab.dir)?;
    if marked.is_empty() {
        bail!(
            "lab {} has no `// lab:begin` regions, so it has no exercise",
            lab.id()
        );
    }
    tasks::check_regions(&lab.meta, &marked)?;
    if !has_solutions(&marked) {
        return Ok(Started::AlreadyAnExercise {
            tasks: marked.iter().map(|m| m.regions.len()).sum(),
        });
    }
    if !force {
        refuse(
            &[(lab, uncommitted(ws, lab).unwrap_or_default())],
            "uncommitted changes",
            &format!("make start LAB={} FORCE=1", lab.id()),
        )?;
    }
    make_exercise(ws, lab, &marked)
}

/// Fails, naming every lab and file, when any lab in `found` has a file
/// listed: nothing has been touched yet. `what` says what was found;
/// `retry` is the command that goes ahead anyway.
fn refuse(found: &[(&Lab, Vec<String>)], what: &str, retry: &str) -> Result<()> {
    let listed: Vec<String> = found
        .iter()
        .filter(|(_, files)| !files.is_empty())
        .map(|(lab, files)| format!("lab {} has {what} ({})", lab.id(), files.join(", ")))
        .collect();
    if listed.is_empty() {
        return Ok(());
    }
    bail!(
        "{}.\nCommit or stash them first, or run `{retry}`: every file it replaces is backed up under .labs/backups/ first.",
        listed.join("; ")
    )
}

/// Whether `start` would change the lab: some task region is not its stub.
fn has_solutions(marked: &[Marked]) -> bool {
    marked.iter().flat_map(|m| &m.regions).any(|r| !r.is_stub())
}

/// `verify start --all`: every lab becomes its exercise. Refuses, before
/// changing any lab, when one that would change has uncommitted changes.
pub fn start_all(ws: &Workspace, force: bool) -> Result<Vec<(&Lab, Started)>> {
    let mut scanned = Vec::new();
    for lab in &ws.labs {
        let marked = scan(&lab.dir)?;
        tasks::check_regions(&lab.meta, &marked)?;
        scanned.push((lab, marked));
    }
    if !force {
        let dirty: Vec<(&Lab, Vec<String>)> = scanned
            .iter()
            .filter(|(_, marked)| has_solutions(marked))
            .map(|(lab, _)| (*lab, uncommitted(ws, lab).unwrap_or_default()))
            .collect();
        refuse(&dirty, "uncommitted changes", "make start-all FORCE=1")?;
    }
    let mut done = Vec::new();
    for (lab, marked) in scanned {
        let started = if has_solutions(&marked) {
            make_exercise(ws, lab, &marked)?
        } else {
            Started::AlreadyAnExercise {
                tasks: marked.iter().map(|m| m.regions.len()).sum(),
            }
        };
        done.push((lab, started));
    }
    Ok(done)
}

/// The lab's task regions become their stubs, after a backup (and after
/// saving the reference when no task was stubbed yet).
fn make_exercise(ws: &Workspace, lab: &Lab, marked: &[Marked]) -> Result<Started> {
    let regions: Vec<&Region> = marked.iter().flat_map(|m| &m.regions).collect();
    let rels: Vec<PathBuf> = marked.iter().map(|m| m.rel.clone()).collect();
    let saved = backup(ws, lab, "start", &rels)?;
    // Save the reference only from a lab with no stubbed task left, so a
    // half-done exercise never overwrites the real reference.
    if regions.iter().all(|r| !r.is_stub()) {
        let reference = reference_dir(ws, lab);
        if reference.exists() {
            fs::remove_dir_all(&reference)?;
        }
        for m in marked {
            let to = reference.join(&m.rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&to, &m.text)?;
        }
    }
    for m in marked {
        let path = lab.dir.join(&m.rel);
        let starter = markers::to_starter(&m.text, &path.display().to_string())?;
        fs::write(&path, starter).with_context(|| format!("cannot write {}", path.display()))?;
    }
    // Line numbers as they are now, in the stubbed files.
    let stubbed = scan(&lab.dir)?;
    Ok(Started::Now {
        tasks: task_lines(lab, &stubbed, None),
        saved,
        first_task_command: lab.meta.tasks.first().map(|t| task_test_command(lab, t)),
    })
}

/// The command that runs one task's tests alone: `verify test-task` lists
/// the lab's tests and runs exactly the task's (see [`crate::readme`]).
pub fn task_test_command(lab: &Lab, task: &Task) -> String {
    let n = lab
        .meta
        .tasks
        .iter()
        .position(|t| t.id == task.id)
        .map_or(1, |i| i + 1);
    format!("make test-task LAB={} TASK={n}", lab.id())
}

/// One task as the checklists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    pub id: String,
    pub title: String,
    pub points: u32,
    /// Where its region is: `src/lib.rs:12`, or `?`.
    pub at: String,
    pub done: bool,
}

/// The lab's tasks in their order. `done` comes from a graded result;
/// without one a task is open while its region is still the stub.
fn task_lines(lab: &Lab, marked: &[Marked], graded: Option<&LabResult>) -> Vec<TaskLine> {
    lab.meta
        .tasks
        .iter()
        .map(|task| TaskLine {
            id: task.id.clone(),
            title: task.title.clone(),
            points: task.points,
            at: tasks::locate(marked, &task.id).unwrap_or_else(|| "?".into()),
            done: match graded {
                Some(r) => r.tasks.iter().any(|t| t.id == task.id && t.done),
                None => marked
                    .iter()
                    .flat_map(|m| &m.regions)
                    .any(|r| r.id == task.id && !r.is_stub()),
            },
        })
        .collect()
}

/// What `restore` did.
#[derive(Debug)]
pub enum Restored {
    /// The lab's files already were the reference.
    AlreadyTheReference,
    /// `restore --all` only: the lab was never started, so it has no saved
    /// reference and is left as it is.
    NeverStarted,
    /// These files (relative to the lab) are the reference again; the
    /// learner's versions are in `saved`.
    Now { files: Vec<String>, saved: PathBuf },
}

fn reference_dir(ws: &Workspace, lab: &Lab) -> PathBuf {
    state_dir(ws).join("reference").join(&lab.package)
}

/// The files `start` saved, relative to the lab, sorted.
fn reference_files(reference: &Path) -> Result<Vec<PathBuf>> {
    let mut rels = Vec::new();
    walk(reference, &mut |p| {
        rels.push(p.strip_prefix(reference).unwrap_or(p).to_path_buf());
    })?;
    rels.sort();
    Ok(rels)
}

/// The lab's files that hold the learner's own work: neither the saved
/// reference nor the starter `start` makes of it. (A git status would not
/// do: a lab just started differs from its commit in every task file.)
fn own_work(ws: &Workspace, lab: &Lab) -> Result<Vec<String>> {
    let reference = reference_dir(ws, lab);
    let mut mine = Vec::new();
    for rel in reference_files(&reference)? {
        let Ok(now) = fs::read_to_string(lab.dir.join(&rel)) else {
            continue; // deleted (nothing to lose) or not text (not a task file)
        };
        let saved = fs::read_to_string(reference.join(&rel))?;
        let path = lab.dir.join(&rel);
        if now != saved && now != markers::to_starter(&saved, &path.display().to_string())? {
            mine.push(shown(ws, lab, &path));
        }
    }
    Ok(mine)
}

/// `verify restore --all`: every lab that was started gets its reference
/// back. Refuses, before changing any lab, when one holds work of the
/// learner's (see [`own_work`]).
pub fn restore_all(ws: &Workspace, force: bool) -> Result<Vec<(&Lab, Restored)>> {
    let started: Vec<&Lab> = ws
        .labs
        .iter()
        .filter(|lab| reference_dir(ws, lab).is_dir())
        .collect();
    if !force {
        let mut work = Vec::new();
        for lab in &started {
            work.push((*lab, own_work(ws, lab)?));
        }
        refuse(&work, "work of yours", "make restore-all FORCE=1")?;
    }
    ws.labs
        .iter()
        .map(|lab| {
            if started.iter().any(|s| s.package == lab.package) {
                Ok((lab, restore(ws, lab)?))
            } else {
                Ok((lab, Restored::NeverStarted))
            }
        })
        .collect()
}

/// `verify restore`: the saved reference comes back; the learner's files go
/// to a backup first.
pub fn restore(ws: &Workspace, lab: &Lab) -> Result<Restored> {
    let reference = reference_dir(ws, lab);
    if !reference.is_dir() {
        bail!(
            "no saved reference for lab {} (`verify start` saves it). If the lab is in git, `git checkout -- {}` brings back the committed version.",
            lab.id(),
            lab.rel_dir(&ws.root).display()
        );
    }
    let changed: Vec<PathBuf> = reference_files(&reference)?
        .iter()
        .filter(|rel| fs::read(lab.dir.join(rel)).ok() != fs::read(reference.join(rel)).ok())
        .cloned()
        .collect();
    if changed.is_empty() {
        return Ok(Restored::AlreadyTheReference);
    }
    let saved = backup(ws, lab, "restore", &changed)?;
    for rel in &changed {
        let to = lab.dir.join(rel);
        fs::copy(reference.join(rel), &to)
            .with_context(|| format!("cannot restore {}", to.display()))?;
    }
    Ok(Restored::Now {
        files: changed
            .iter()
            .map(|rel| shown(ws, lab, &lab.dir.join(rel)))
            .collect(),
        saved,
    })
}

fn results_path(ws: &Workspace, lab: &Lab) -> PathBuf {
    state_dir(ws)
        .join("results")
        .join(format!("{}.json", lab.package))
}

/// Keeps a graded result, so `hint` knows which task the learner is on,
/// and records it in `.labs/progress.json`.
pub fn save_result(ws: &Workspace, lab: &Lab, result: &LabResult) -> Result<()> {
    let path = results_path(ws, lab);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&path, serde_json::to_string_pretty(result)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    ProgressFile::update(ws, |p| p.record(lab, result, &crate::report::utc_now()))
}

/// The last graded result, if no file of the lab changed since.
fn fresh_result(ws: &Workspace, lab: &Lab) -> Option<LabResult> {
    let path = results_path(ws, lab);
    let graded_at = fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    let mut newer = false;
    walk(&lab.dir, &mut |p| {
        newer |= fs::metadata(p)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t > graded_at);
    })
    .ok()?;
    if newer {
        return None;
    }
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// What `hint` has to say.
#[derive(Debug)]
pub enum HintAnswer {
    /// `--reset`: every task starts again from its first hint.
    Reset,
    /// Every task passes its tests.
    AllDone { tasks: Vec<TaskLine> },
    /// A hint for `task` (number `number` of `of`).
    Hint {
        number: usize,
        of: usize,
        task: TaskLine,
        /// The first line of its first failing test's message.
        failing: Option<String>,
        /// Why its failure is likely wrong (catalogued wrong answers it matches).
        likely: Vec<String>,
        shown: Hints,
        /// How to run the task's tests alone.
        command: String,
    },
}

/// The hints shown for a task.
#[derive(Debug)]
pub enum Hints {
    /// Hint `index` (from 0) of `total`, seen now for the first time.
    Next {
        index: usize,
        total: usize,
        text: String,
    },
    /// Every hint was seen before: all of them again.
    All(Vec<String>),
}

/// `verify hint`: the next hint of the task the learner is on (the first
/// whose tests do not all pass), or of `task`.
pub fn hint(
    ws: &Workspace,
    lab: &Lab,
    task: Option<&str>,
    reset: bool,
    opts: &Options,
) -> Result<HintAnswer> {
    if reset {
        ProgressFile::update(ws, |p| p.reset_hints(lab))?;
        return Ok(HintAnswer::Reset);
    }
    let marked = scan(&lab.dir)?;
    let result = match fresh_result(ws, lab) {
        Some(r) => r,
        None => {
            let quick = Options {
                run_checks: false,
                ..opts.clone()
            };
            let r = grade::grade_lab(ws, lab, &quick, &mut Progress::new(opts.quiet));
            save_result(ws, lab, &r)?;
            r
        }
    };
    let chosen = match task {
        Some(id) => match lab.meta.task(id) {
            Some(t) => Some(t),
            None => bail!(
                "lab {} has no task `{id}`; its tasks are: {}",
                lab.id(),
                lab.meta
                    .tasks
                    .iter()
                    .map(|t| t.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        None => lab
            .meta
            .tasks
            .iter()
            .find(|t| !result.tasks.iter().any(|r| r.id == t.id && r.done)),
    };
    let lines = task_lines(lab, &marked, Some(&result));
    let Some(chosen) = chosen else {
        return Ok(HintAnswer::AllDone { tasks: lines });
    };
    let number = lab
        .meta
        .tasks
        .iter()
        .position(|t| t.id == chosen.id)
        .unwrap_or(0);
    let failing = result
        .tasks
        .iter()
        .find(|t| t.id == chosen.id)
        .and_then(|t| t.first_failure.as_deref())
        .map(|f| f.lines().next().unwrap_or("").to_string());
    let mut progress = ProgressFile::load(ws)?;
    let count = progress
        .hints_seen(lab)
        .get(&chosen.id)
        .copied()
        .unwrap_or(0);
    let hints = &chosen.hints;
    let shown = if count < hints.len() {
        let index = count;
        progress.hint_shown(lab, &chosen.id);
        progress.save(ws)?;
        Hints::Next {
            index,
            total: hints.len(),
            text: hints[index].trim().to_string(),
        }
    } else {
        Hints::All(hints.iter().map(|h| h.trim().to_string()).collect())
    };
    Ok(HintAnswer::Hint {
        number: number + 1,
        of: lab.meta.tasks.len(),
        task: lines
            .into_iter()
            .nth(number)
            .context("a task line per task")?,
        failing,
        likely: result
            .tasks
            .iter()
            .find(|t| t.id == chosen.id)
            .map(|t| t.likely_mistakes.clone())
            .unwrap_or_default(),
        shown,
        command: task_test_command(lab, chosen),
    })
}

/// Makes `to` a copy of the workspace source at `from`, rewriting only files
/// that differ so cargo's fingerprints of unchanged files stay valid.
pub(crate) fn sync_tree(from: &Path, to: &Path, skip: &Path) -> Result<()> {
    let mut wanted = std::collections::BTreeSet::new();
    let mut err = None;
    walk(from, &mut |p| {
        if p.starts_with(skip) {
            return;
        }
        let rel = p.strip_prefix(from).unwrap_or(p).to_path_buf();
        let dest = to.join(&rel);
        let same = fs::read(&dest).ok() == fs::read(p).ok();
        if !same {
            let r = dest
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::copy(p, &dest).map(|_| ()));
            if let Err(e) = r {
                err.get_or_insert(anyhow::anyhow!("cannot copy {}: {e}", p.display()));
            }
        }
        wanted.insert(rel);
    })?;
    if let Some(e) = err {
        return Err(e);
    }
    let mut stale = Vec::new();
    walk(to, &mut |p| {
        if !wanted.contains(p.strip_prefix(to).unwrap_or(p)) {
            stale.push(p.to_path_buf());
        }
    })?;
    for p in stale {
        fs::remove_file(&p)?;
    }
    Ok(())
}

/// Checks the test counts in the lab's README against the reference's
/// tests (see [`report::with_counts`]): a problem when one is wrong, unless
/// `write`, which rewrites them.
fn readme_counts(lab: &Lab, tests: &[TestOutcome], write: bool) -> Result<Option<String>> {
    let path = lab.dir.join("README.md");
    if !path.is_file() {
        return Ok(None); // the workspace tests require one of every real lab
    }
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let counted = match report::with_counts(&text, tests) {
        Ok(counted) => counted,
        Err(why) => return Ok(Some(format!("README.md: {why}"))),
    };
    if counted == text {
        return Ok(None);
    }
    if write {
        fs::write(&path, counted).with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(None);
    }
    Ok(Some(format!(
        "README.md's test counts (`<!-- count: … -->`) differ from the reference's tests: `cargo run -p verify -- check-starters --lab {} --write-counts` rewrites them",
        lab.id()
    )))
}

/// Gives the scratch copy of a lab another version (`0.1.0-starter`, with
/// `salt` "starter"; each kind of scratch copy has a salt of its own).
///
/// Cargo hashes a path package relative to its workspace root, so the
/// scratch copy and the real lab would have the same package id, share
/// every intermediate output in the shared build dir, and be judged fresh
/// by mtime: one could run the other's code. The version is part of the
/// id: changing it keeps the two builds apart, including those that tools
/// make of the lab as a dependency (trybuild's `tests/trybuild/`).
///
/// It also drops `cdylib` and `dylib` from the lab's `crate-type`: cargo
/// gives those intermediate outputs of a path package no hash
/// (`deps/liblab04_safe_ffi.rlib`), so in the shared build dir the starter
/// would overwrite the real lab's library and the real tests would link the
/// starter. The starters' tests build the `rlib` (and a `staticlib`, which
/// is hashed); the real lab's shared libraries are graded with it.
pub(crate) fn salt_version(manifest: &Path, salt: &str) -> Result<()> {
    let text = fs::read_to_string(manifest)?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", manifest.display()))?;
    let package = doc
        .get_mut("package")
        .and_then(|p| p.as_table_like_mut())
        .with_context(|| format!("{}: no [package] table", manifest.display()))?;
    // An inherited version (`version.workspace = true`) is a table: any
    // version of ours differs from the real lab's, and that is all it needs.
    let version = package
        .get("version")
        .and_then(|v| v.as_str())
        .unwrap_or("0.0.0");
    let salted = toml_edit::value(format!("{version}-{salt}"));
    package.insert("version", salted);
    if let Some(types) = doc
        .get_mut("lib")
        .and_then(|lib| lib.get_mut("crate-type"))
        .and_then(|t| t.as_array_mut())
    {
        types.retain(|t| !matches!(t.as_str(), Some("cdylib" | "dylib")));
    }
    fs::write(manifest, doc.to_string())?;
    Ok(())
}

/// Where check-starters puts the starters' final outputs (uplifted
/// binaries, static libraries, examples): `starter/` in the target dir.
pub fn starter_target_dir(ws: &Workspace) -> PathBuf {
    ws.target_dir.join("starter")
}

/// A digest of everything a lab's starter check depends on: the lab's own
/// files, every file of the workspace outside `labs/` (verify, support,
/// the harnesses, Cargo.lock, the toolchain pin) and the verify binary
/// (`verify_exe`, its bytes).
/// Other labs' files are left out, so editing one lab re-checks only it.
fn inputs_digest(ws: &Workspace, lab: &Lab, verify_exe: &[u8]) -> Result<String> {
    use sha2::{Digest, Sha256};
    let labs_dir = ws.root.join("labs");
    // The check removes the tamper manifest from its copy, so it is no
    // input; with it, rewriting it after editing one lab would re-check all.
    let manifest = ws.root.join(crate::integrity::MANIFEST);
    let mut files = Vec::new();
    walk(&ws.root, &mut |p| {
        let other_lab = p.starts_with(&labs_dir) && !p.starts_with(&lab.dir);
        if !other_lab && p != manifest && !p.starts_with(&ws.target_dir) {
            files.push(p.to_path_buf());
        }
    })?;
    files.sort();
    let mut hash = Sha256::new();
    hash.update(verify_exe);
    for f in files {
        let text = fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
        hash.update(
            f.strip_prefix(&ws.root)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(&text);
    }
    Ok(format!("{:x}", hash.finalize()))
}

/// `verify check-starters`: for every lab, the reference passes, and its
/// starter (built in a scratch copy of the workspace that shares the target
/// dir) compiles and fails its tests. Returns false when any lab breaks this.
///
/// With `order`, it also grades each lab once per task with only the tasks
/// before it and itself done (the path a learner takes): each time, exactly
/// those tasks must pass. A task that needs a later task's code cannot be
/// done in order; one that passes before its own turn is not tested by its
/// tests. It costs one lab build and test run per task.
///
/// With `cache`, a lab whose inputs ([`inputs_digest`]) are those of its
/// last passing check is not checked again (`--order` is never cached).
/// What `check-starters` checks beyond every lab's reference and starter.
#[derive(Debug, Clone, Default)]
pub struct StarterChecks {
    /// Also the path a learner takes, task by task (see [`check_starters`]).
    pub order: bool,
    /// Skip a lab unchanged since it last passed.
    pub cache: bool,
    /// Rewrite a README's wrong test counts instead of failing on them.
    pub write_counts: bool,
}

pub fn check_starters(ws: &Workspace, opts: &Options, checks: &StarterChecks) -> Result<bool> {
    let StarterChecks {
        order,
        cache,
        write_counts,
    } = *checks;
    // The spec of a starter is its cargo tests. The labs' external checks
    // are left out: they build into the real target dir, and `make test`
    // runs them anyway.
    let opts = &Options {
        run_checks: false,
        ..opts.clone()
    };
    // Not under the target dir: trybuild treats paths there as generated
    // code and would not normalise them in compiler output.
    let scratch = state_dir(ws).join("check-starters").join("workspace");
    fs::create_dir_all(&scratch)?;
    sync_tree(&ws.root, &scratch, &ws.target_dir)?;
    // The scratch labs' versions are salted (below), so their Cargo.toml
    // cannot match the tamper manifest: the copy is graded without it.
    let _ = fs::remove_file(scratch.join(crate::integrity::MANIFEST));
    let mut progress = Progress::new(opts.quiet);
    let mut ok = true;
    let mut no_regions = std::collections::BTreeSet::new();
    // The reference text of each lab's marked files, as synced: `--order`
    // rebuilds partial starters from it (the real tree may change meanwhile).
    let mut references = BTreeMap::new();
    for lab in &ws.labs {
        let scratch_dir = scratch.join(lab.rel_dir(&ws.root));
        let marked = scan(&scratch_dir)?;
        if marked.is_empty() {
            no_regions.insert(lab.package.clone());
            println!(
                "FAIL {} {}: no `// lab:begin` regions, so the starter would be the reference",
                lab.id(),
                lab.package
            );
            ok = false;
            continue;
        }
        for m in &marked {
            let path = scratch_dir.join(&m.rel);
            fs::write(
                &path,
                markers::to_starter(&m.text, &path.display().to_string())?,
            )?;
        }
        salt_version(&scratch_dir.join("Cargo.toml"), "starter")?;
        references.insert(lab.package.clone(), marked);
    }
    let scratch_ws = Workspace {
        root: scratch.clone(),
        target_dir: ws.target_dir.clone(),
        build_dir: ws.build_dir.clone(),
        labs: ws
            .labs
            .iter()
            .map(|l| Lab {
                dir: scratch.join(l.rel_dir(&ws.root)),
                ..l.clone()
            })
            .collect(),
    };
    // The real build dir, so the registry crates the real build compiled
    // are reused (the salted labs get hashes of their own), and a target
    // dir of its own for the outputs cargo does not hash: no output of the
    // real build is touched.
    let shared = Options {
        target_dir: Some(starter_target_dir(ws)),
        build_dir: Some(ws.build_dir.clone()),
        ..opts.clone()
    };
    let passed_dir = state_dir(ws).join("check-starters").join("passed");
    // Read once: it is part of every lab's digest.
    let exe = std::env::current_exe().context("cannot find the verify binary")?;
    let verify_exe = fs::read(&exe).with_context(|| format!("cannot read {}", exe.display()))?;
    for (lab, scratch_lab) in ws.labs.iter().zip(&scratch_ws.labs) {
        if no_regions.contains(&lab.package) {
            continue; // already reported
        }
        // Computed before the check: the tree may change while it runs.
        let key = inputs_digest(ws, lab, &verify_exe)?;
        let stamp = passed_dir.join(&lab.package);
        if cache && !order && fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) {
            progress.done(&format!(
                "ok   {} {}: unchanged since it last passed (cached; --no-cache checks it again)",
                lab.id(),
                lab.package
            ));
            continue;
        }
        let reference = grade::grade_lab(ws, lab, opts, &mut progress);
        let starter = grade::grade_lab(&scratch_ws, scratch_lab, &shared, &mut progress);
        let mut problems = Vec::new();
        if reference.status != LabStatus::Pass {
            problems.push(format!(
                "the reference does not pass ({}): {}",
                reference.status.word(),
                reference.message.as_deref().unwrap_or("")
            ));
        }
        problems.extend(task_problems(lab, &reference, &starter));
        if reference.status == LabStatus::Pass {
            problems.extend(readme_counts(lab, &reference.tests, write_counts)?);
        }
        if order && reference.status == LabStatus::Pass {
            problems.extend(order_problems(
                references.get(&lab.package).map_or(&[][..], Vec::as_slice),
                scratch_lab,
                &scratch_ws,
                &shared,
                &mut progress,
            )?);
        }
        match starter.status {
            LabStatus::Fail | LabStatus::Timeout => {}
            LabStatus::Pass => problems.push(
                "the starter passes every test: a learner could pass by doing nothing".to_string(),
            ),
            other => problems.push(format!(
                "the starter must compile and run ({}): {}",
                other.word(),
                starter.message.as_deref().unwrap_or("")
            )),
        }
        let built = if starter.status == LabStatus::Error {
            "does not run"
        } else {
            "compiles"
        };
        let line = format!(
            "{} {}: reference {}/{} pass, {}/{} points; starter {built}, {}/{} pass, {}/{} points",
            lab.id(),
            lab.package,
            reference.tests_passed,
            reference.tests_total,
            reference.points_earned,
            reference.points,
            starter.tests_passed,
            starter.tests_total,
            starter.points_earned,
            starter.points
        );
        // Tests that pass without doing anything should be few and on
        // purpose (e.g. compile-fail tests); name them so authors can tell.
        let free: Vec<&str> = starter
            .tests
            .iter()
            .filter(|t| t.status == crate::libtest::TestStatus::Pass)
            .map(|t| t.name.as_str())
            .collect();
        let line = if free.is_empty() {
            line
        } else {
            format!("{line} ({})", free.join(", "))
        };
        if problems.is_empty() {
            progress.done(&format!("ok   {line}"));
            if !order {
                fs::create_dir_all(&passed_dir)?;
                fs::write(&stamp, &key)?;
            }
        } else {
            let _ = fs::remove_file(&stamp);
            ok = false;
            progress.done(&format!("FAIL {line}"));
            for p in problems {
                progress.done(&format!("     - {}", p.lines().next().unwrap_or("")));
            }
        }
    }
    Ok(ok)
}

/// `check-starters --order` for one lab: for k = 1..n-1, the scratch lab with
/// tasks 1..=k done (reference bodies) and the rest stubbed must pass
/// exactly tasks 1..=k. (k = 0 is the starter and k = n the reference,
/// which the caller grades.) `reference` is the lab's marked files as
/// synced; the scratch copy is left as the full starter.
fn order_problems(
    reference: &[Marked],
    lab: &Lab,
    ws: &Workspace,
    opts: &Options,
    progress: &mut Progress,
) -> Result<Vec<String>> {
    let ids: Vec<&str> = lab.meta.tasks.iter().map(|t| t.id.as_str()).collect();
    let write = |done: usize| -> Result<()> {
        for m in reference {
            let path = lab.dir.join(&m.rel);
            let keep = |id: &str| ids[..done].contains(&id);
            let text = markers::to_starter_except(&m.text, &path.display().to_string(), &keep)?;
            fs::write(&path, text)?;
        }
        Ok(())
    };
    let facts = tasks::TaskFacts::default();
    let mut problems = Vec::new();
    for done in 1..ids.len() {
        write(done)?;
        let result = grade::grade_lab(ws, lab, opts, progress);
        let passed: Vec<&str> = result
            .tasks
            .iter()
            .filter(|t| t.done)
            .map(|t| t.id.as_str())
            .collect();
        let task = ids[done - 1];
        for (i, id) in ids.iter().enumerate() {
            let expected = i < done;
            if passed.contains(id) == expected {
                continue;
            }
            let why = result
                .tasks
                .iter()
                .find(|t| t.id == *id)
                .and_then(|t| t.first_failure.clone())
                .or(result.message.clone())
                .unwrap_or_default();
            // Every failing test of the task, so one run shows all to move.
            let failing: Vec<&str> = result
                .tests
                .iter()
                .filter(|t| !matches!(t.status, TestStatus::Pass | TestStatus::Ignored))
                .filter(|t| {
                    tasks::owners(&lab.meta, &facts, t)
                        .iter()
                        .any(|o| o.id == *id)
                })
                .map(|t| t.name.as_str())
                .collect();
            problems.push(if expected {
                format!(
                    "in order: with tasks 1–{done} done (through `{task}`), task `{id}` fails; its tests need a later task's code: {} (failing: {})",
                    why.lines().next().unwrap_or(""),
                    failing.join(", ")
                )
            } else {
                format!(
                    "in order: with tasks 1–{done} done (through `{task}`), task `{id}` already passes; its tests do not need its own code"
                )
            });
        }
    }
    write(0)?;
    Ok(problems)
}

/// The task rules a lab must keep, from its reference's and its starter's
/// results: every test is a task's or `given`; every task pattern matches a
/// test; the reference earns every point and the starter none; a test that
/// passes in the starter is `given`, and a `given` test passes there.
pub fn task_problems(lab: &Lab, reference: &LabResult, starter: &LabResult) -> Vec<String> {
    let meta = &lab.meta;
    let facts = tasks::TaskFacts::default();
    let mut problems = Vec::new();
    let counted = |r: &LabResult| -> Vec<crate::libtest::TestOutcome> {
        r.tests
            .iter()
            .filter(|t| t.status != TestStatus::Ignored)
            .cloned()
            .collect()
    };
    let ref_tests = counted(reference);
    for t in &ref_tests {
        let owned = !tasks::owners(meta, &facts, t).is_empty();
        let given = tasks::is_declared_given(meta, t);
        if !owned && !given {
            problems.push(format!(
                "test `{}` ({}) belongs to no task and is not declared `given`",
                t.name, t.binary
            ));
        }
        if owned && given {
            problems.push(format!(
                "test `{}` is both a task's and `given`: it is one or the other",
                t.name
            ));
        }
    }
    // A reference that did not run (a compile error, a tamper verdict) has
    // no tests to match patterns against: its own problem says why.
    let ran = !ref_tests.is_empty();
    for task in meta.tasks.iter().filter(|_| ran) {
        for p in &task.tests {
            if !ref_tests
                .iter()
                .any(|t| crate::labs::pattern_matches(p, &t.name))
            {
                problems.push(format!(
                    "task `{}`: its test pattern `{p}` matches no test",
                    task.id
                ));
            }
        }
    }
    // `make test-task` passes a task's test names to libtest, which
    // matches them anywhere in a name: no other test may contain one.
    let cargo_tests: Vec<_> = ref_tests
        .iter()
        .filter(|t| !t.binary.starts_with(tasks::CHECK_PREFIX) && t.binary != tasks::CLIPPY_BINARY)
        .collect();
    for task in &meta.tasks {
        for mine in cargo_tests.iter().filter(|t| task.claims(&t.name)) {
            for other in cargo_tests.iter().filter(|t| !task.claims(&t.name)) {
                if other.name.contains(&mine.name) {
                    problems.push(format!(
                        "task `{}`: `make test-task` would also run `{}`, whose name contains its test's name `{}`: rename one of them",
                        task.id, other.name, mine.name
                    ));
                }
            }
        }
    }
    // The README's Start here says what the first run of task 1 shows
    // (a README without the block, like a fixture's, claims nothing).
    let readme = fs::read_to_string(lab.dir.join("README.md")).unwrap_or_default();
    if let Some(first) = meta
        .tasks
        .first()
        .filter(|_| readme.contains("## Start here"))
    {
        let todo = crate::readme::todo_message(first);
        for t in counted(starter)
            .iter()
            .filter(|t| first.claims(&t.name) && !t.binary.starts_with(tasks::CHECK_PREFIX))
        {
            if !t.message.as_deref().is_some_and(|m| m.contains(&todo)) {
                problems.push(format!(
                    "task 1's test `{}` does not fail in the starter with `{todo}`, as the README's Start here says; it gave: {}",
                    t.name,
                    t.message.as_deref().unwrap_or("no message")
                ));
            }
        }
    }
    for p in meta.given.iter().filter(|_| ran) {
        if !ref_tests
            .iter()
            .any(|t| crate::labs::pattern_matches(p, &t.name))
        {
            problems.push(format!("`given` pattern `{p}` matches no test"));
        }
    }
    if reference.status == LabStatus::Pass && reference.points_earned != reference.points {
        problems.push(format!(
            "the reference earns {}/{} points",
            reference.points_earned, reference.points
        ));
    }
    if starter.points_earned != 0 {
        let free: Vec<&str> = starter
            .tasks
            .iter()
            .filter(|t| t.done)
            .map(|t| t.id.as_str())
            .collect();
        problems.push(format!(
            "the starter earns {} points: task(s) {} pass without any work",
            starter.points_earned,
            free.join(", ")
        ));
    }
    for t in counted(starter) {
        let given = tasks::is_declared_given(meta, &t);
        if t.status == TestStatus::Pass && !given {
            problems.push(format!(
                "test `{}` passes in the starter: make it fail without the task's code, or declare it `given`",
                t.name
            ));
        }
        if t.status != TestStatus::Pass && given {
            problems.push(format!(
                "`given` test `{}` fails in the starter: it belongs to a task",
                t.name
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::salt_version;

    fn salted(manifest: &str) -> String {
        let dir = std::env::temp_dir().join(format!("salt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join(format!("{}.toml", manifest.len()));
        std::fs::write(&path, manifest).expect("write");
        salt_version(&path, "starter").expect("salt");
        let out = std::fs::read_to_string(&path).expect("read");
        let _ = std::fs::remove_file(&path);
        out
    }

    #[test]
    fn the_version_is_salted_and_shared_library_types_are_dropped() {
        let out = salted(
            "[package]\nname = \"lab\"\nversion = \"0.1.0\" # ours\n\n[lib]\ncrate-type = [\n    \"rlib\",\n    \"staticlib\",\n    \"cdylib\",\n    \"dylib\",\n]\n\n[dependencies]\nversion = { version = \"1\" }\n",
        );
        let doc: toml_edit::DocumentMut = out.parse().expect("TOML");
        assert_eq!(doc["package"]["version"].as_str(), Some("0.1.0-starter"));
        let types: Vec<_> = doc["lib"]["crate-type"]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|t| t.as_str())
            .collect();
        assert_eq!(types, ["rlib", "staticlib"]);
        assert_eq!(
            doc["dependencies"]["version"]["version"].as_str(),
            Some("1"),
            "a dependency called `version` is not the package's"
        );
    }

    #[test]
    fn an_inherited_version_is_replaced_by_a_salted_one() {
        let out = salted("[package]\nname = \"lab\"\nversion.workspace = true\n");
        let doc: toml_edit::DocumentMut = out.parse().expect("TOML");
        assert_eq!(doc["package"]["version"].as_str(), Some("0.0.0-starter"));
    }
}
