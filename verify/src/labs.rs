//! The labs of a workspace, read from `[package.metadata.lab]` through
//! `cargo metadata`.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::tools;

/// The article's career path, as three levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Junior,
    Senior,
    Architect,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Junior, Level::Senior, Level::Architect];
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Junior => "junior",
            Level::Senior => "senior",
            Level::Architect => "architect",
        })
    }
}

impl std::str::FromStr for Level {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "junior" => Ok(Level::Junior),
            "senior" => Ok(Level::Senior),
            "architect" => Ok(Level::Architect),
            _ => bail!("unknown level `{s}`: use junior, senior or architect"),
        }
    }
}

/// `[package.metadata.lab]`, as documented in the README.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabMeta {
    pub order: u32,
    pub title: String,
    pub level: Level,
    /// The article section the lab builds, e.g. "4.2".
    pub article: String,
    /// One line: what the lab builds (the README table's last column).
    pub summary: String,
    /// Tools beyond Rust that the tests need (see `verify doctor`).
    #[serde(default)]
    pub requires: Vec<String>,
    /// The allow-list of the lab's normal (and build) dependencies: a
    /// learner who adds another (say `httparse` to the header lab) gets no
    /// grade for it. Dev-dependencies are the authors' and are not listed.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// Time limit for the lab's test run; the grader's default otherwise.
    pub time_limit_secs: Option<u64>,
    /// The command that runs the lab's benchmark and writes its ratio file
    /// (`make bench-ffi`); none for a lab whose benchmark writes none (or
    /// that has none). The portfolio page names it when the file is missing.
    pub bench: Option<String>,
    /// Tests that pass in the starter on purpose (compile-fail tests, checks
    /// of code that is not a task). They must pass for the lab to pass,
    /// but earn nothing. Names or name prefixes, like a task's `tests`.
    #[serde(default)]
    pub given: Vec<String>,
    /// The unit of work and of grading, in the order a learner does them.
    pub tasks: Vec<Task>,
    /// Commands beyond `cargo test` that are part of the grade (a C harness
    /// under valgrind, Go tests), run by `verify` after the Rust tests.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Surviving mutants of `make mutants` that no test can kill, each with
    /// the reason it behaves like the original.
    #[serde(default)]
    pub equivalent_mutants: Vec<EquivalentMutant>,
}

impl LabMeta {
    /// The lab's points: the sum of its tasks' points.
    pub fn points(&self) -> u32 {
        self.tasks.iter().map(|t| t.points).sum()
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }
}

/// `[[package.metadata.lab.tasks]]`: one solution region (`// lab:begin(ID)`)
/// with the tests that prove it, its hints and its points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// The region id.
    pub id: String,
    pub title: String,
    /// Test names or name prefixes (`concat_owned` matches
    /// `concat_owned_returns_the_joined_text`). The task is done when every
    /// test they match passes.
    pub tests: Vec<String>,
    /// From a nudge to nearly the answer; `make hint` shows one at a time.
    pub hints: Vec<String>,
    pub points: u32,
}

impl Task {
    /// True when `test` (a libtest name) is one of this task's tests.
    pub fn claims(&self, test: &str) -> bool {
        self.tests.iter().any(|p| pattern_matches(p, test))
    }
}

/// A `tests`/`given` entry matches a test named like it, or starting with it.
pub fn pattern_matches(pattern: &str, test: &str) -> bool {
    test.starts_with(pattern)
}

/// `[[package.metadata.lab.checks]]`: one command, run with `sh -c` from the
/// workspace root. Its exit status is the result; when it prints `go test
/// -json` events, each Go test (and subtest) is reported on its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub name: String,
    pub run: String,
    /// Tools the command needs; a missing one skips the check (with the
    /// install command), which `--require-all` counts as a failure.
    #[serde(default)]
    pub requires: Vec<String>,
    /// The task whose work the check grades (its results join that task's
    /// tests); without one the check is `given`: it must pass, and earns
    /// nothing.
    pub task: Option<String>,
    /// Files and folders outside the lab (from the workspace root) that the
    /// check's verdict relies on, e.g. the C harness: the tamper check
    /// covers them like the lab's own tests.
    #[serde(default)]
    pub files: Vec<String>,
}

/// `[[package.metadata.lab.equivalent_mutants]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EquivalentMutant {
    /// cargo-mutants' name without the line and column:
    /// `labs/04-safe-ffi/src/normalize.rs: replace < with <= in chunk_is_normal`.
    pub mutant: String,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct Lab {
    pub package: String,
    /// The folder holding the lab's Cargo.toml.
    pub dir: PathBuf,
    pub meta: LabMeta,
    /// Names of its normal and build dependencies, from its Cargo.toml.
    pub dependencies: Vec<String>,
}

impl Lab {
    /// The two-digit id learners type: `01`.
    pub fn id(&self) -> String {
        format!("{:02}", self.meta.order)
    }

    /// The lab's folder relative to the workspace root, e.g. `labs/01-ownership`.
    pub fn rel_dir(&self, root: &Path) -> PathBuf {
        self.dir
            .strip_prefix(root)
            .unwrap_or(&self.dir)
            .to_path_buf()
    }
}

/// The workspace-hack crate `cargo hakari` manages (support/workspace-hack):
/// every member depends on it so that a dependency is built with the same
/// features whichever packages one builds, and so is compiled once.
pub const WORKSPACE_HACK: &str = "workspace-hack";

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub target_dir: PathBuf,
    /// Where cargo keeps intermediate outputs (`build.build-dir`; the
    /// target dir unless configured).
    pub build_dir: PathBuf,
    /// Sorted by `order`.
    pub labs: Vec<Lab>,
}

impl Workspace {
    /// Reads the workspace of `manifest_path` (or of the current folder).
    pub fn load(manifest_path: Option<&Path>) -> Result<Workspace> {
        let mut cmd = cargo_metadata::MetadataCommand::new();
        cmd.no_deps();
        if let Some(p) = manifest_path {
            cmd.manifest_path(p);
        }
        let md = cmd
            .exec()
            .context("`cargo metadata` failed: run verify from inside the rust-job-labs workspace, or pass --manifest-path")?;
        let root = PathBuf::from(md.workspace_root.as_std_path());
        let labs_dir = root.join("labs");
        let mut labs = Vec::new();
        for pkg in md.workspace_packages() {
            let dir = PathBuf::from(
                pkg.manifest_path
                    .parent()
                    .map(|p| p.as_std_path())
                    .unwrap_or(Path::new(".")),
            );
            let manifest = pkg.manifest_path.as_std_path().display().to_string();
            let Some(raw) = pkg.metadata.get("lab") else {
                if dir.starts_with(&labs_dir) {
                    bail!(
                        "{manifest}: a crate under labs/ needs a [package.metadata.lab] table (see README.md, \"The lab format\")"
                    );
                }
                continue;
            };
            let meta: LabMeta = serde_json::from_value(raw.clone())
                .with_context(|| format!("{manifest}: bad [package.metadata.lab]"))?;
            validate(&meta).with_context(|| format!("{manifest}: bad [package.metadata.lab]"))?;
            let dependencies = pkg
                .dependencies
                .iter()
                .filter(|d| d.kind != cargo_metadata::DependencyKind::Development)
                // The feature-unification crate (`cargo hakari`): it turns on
                // features of crates that labs already use, and re-exports
                // nothing, so a lab cannot use a crate through it.
                .filter(|d| d.name != WORKSPACE_HACK)
                .map(|d| d.name.clone())
                .collect();
            labs.push(Lab {
                package: pkg.name.to_string(),
                dir,
                meta,
                dependencies,
            });
        }
        labs.sort_by_key(|l| l.meta.order);
        for pair in labs.windows(2) {
            if pair[0].meta.order == pair[1].meta.order {
                bail!(
                    "labs `{}` and `{}` both have order = {}",
                    pair[0].package,
                    pair[1].package,
                    pair[0].meta.order
                );
            }
        }
        Ok(Workspace {
            root,
            target_dir: PathBuf::from(md.target_directory.as_std_path()),
            build_dir: PathBuf::from(
                md.build_directory
                    .as_ref()
                    .unwrap_or(&md.target_directory)
                    .as_std_path(),
            ),
            labs,
        })
    }

    /// The lab a learner names: `1`, `01`, `01-ownership`, `ownership` or the package name.
    pub fn find(&self, name: &str) -> Result<&Lab> {
        let name = name.trim();
        let found = self.labs.iter().find(|l| {
            let dir = l.dir.file_name().and_then(|d| d.to_str()).unwrap_or("");
            name.parse::<u32>().ok() == Some(l.meta.order)
                || name == l.package
                || name == dir
                || dir.split_once('-').map(|(_, short)| short) == Some(name)
        });
        match found {
            Some(lab) => Ok(lab),
            None => {
                let known: Vec<String> = self
                    .labs
                    .iter()
                    .map(|l| format!("{} ({})", l.id(), l.package))
                    .collect();
                bail!("no lab `{name}`; the labs are: {}", known.join(", "))
            }
        }
    }

    /// Labs chosen by `--lab` and `--level`; all labs when neither is given.
    pub fn select(&self, lab: Option<&str>, level: Option<Level>) -> Result<Vec<&Lab>> {
        let mut chosen: Vec<&Lab> = match lab {
            Some(name) => vec![self.find(name)?],
            None => self.labs.iter().collect(),
        };
        if let Some(level) = level {
            chosen.retain(|l| l.meta.level == level);
        }
        Ok(chosen)
    }
}

fn validate(m: &LabMeta) -> Result<()> {
    if m.order == 0 || m.order > 99 {
        bail!("order must be 1..=99, got {}", m.order);
    }
    if m.title.trim().is_empty() || m.summary.trim().is_empty() {
        bail!("title and summary must not be empty");
    }
    if m.tasks.is_empty() {
        bail!("a lab needs at least one [[package.metadata.lab.tasks]]");
    }
    let mut ids = std::collections::BTreeSet::new();
    for t in &m.tasks {
        if !ids.insert(t.id.as_str()) {
            bail!("task `{}` is declared twice", t.id);
        }
        if t.points == 0 {
            bail!("task `{}`: points must be above 0", t.id);
        }
        if t.title.trim().is_empty() {
            bail!("task `{}` needs a title", t.id);
        }
        let checked = m.checks.iter().any(|c| c.task.as_deref() == Some(&t.id));
        if (t.tests.is_empty() && !checked) || t.tests.iter().any(|p| p.trim().is_empty()) {
            bail!(
                "task `{}` needs `tests`: the names (or name prefixes) of the tests that prove it",
                t.id
            );
        }
        if t.hints.is_empty() || t.hints.len() > 3 {
            bail!(
                "task `{}` needs 1 to 3 hints, from a nudge to nearly the answer (it has {})",
                t.id,
                t.hints.len()
            );
        }
    }
    for c in &m.checks {
        if c.name.trim().is_empty() || c.run.trim().is_empty() {
            bail!("every check needs a name and a run command");
        }
        if let Some(task) = &c.task
            && m.task(task).is_none()
        {
            bail!(
                "check `{}` names task `{task}`, which is not declared",
                c.name
            );
        }
    }
    let check_tools = m.checks.iter().flat_map(|c| &c.requires);
    for r in m.requires.iter().chain(check_tools) {
        if tools::find(r).is_none() {
            bail!(
                "requires names unknown tool `{r}`; known tools: {}",
                tools::names().join(", ")
            );
        }
    }
    if m.time_limit_secs == Some(0) {
        bail!("time_limit_secs must be above 0");
    }
    for e in &m.equivalent_mutants {
        if e.why.trim().is_empty() {
            bail!("equivalent mutant `{}` needs a `why`", e.mutant);
        }
    }
    Ok(())
}
