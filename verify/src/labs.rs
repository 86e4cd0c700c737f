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
    pub points: u32,
    /// The article section the lab builds, e.g. "4.2".
    pub article: String,
    /// One line: what the lab builds (the README table's last column).
    pub summary: String,
    /// Tools beyond Rust that the tests need (see `verify doctor`).
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub hints: Vec<String>,
    /// Time limit for the lab's test run; the grader's default otherwise.
    pub time_limit_secs: Option<u64>,
    /// Commands beyond `cargo test` that are part of the grade (a C harness
    /// under valgrind, Go tests), run by `verify` after the Rust tests.
    #[serde(default)]
    pub checks: Vec<Check>,
}

/// `[[package.metadata.lab.checks]]`: one command, run with `sh -c` from the
/// workspace root. Its exit status is the result; when it prints `go test
/// -v` lines (`--- PASS: Name`), each Go test is reported on its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub name: String,
    pub run: String,
    /// Tools the command needs; a missing one skips the check (with the
    /// install command), which `--require-all` counts as a failure.
    #[serde(default)]
    pub requires: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Lab {
    pub package: String,
    /// The folder holding the lab's Cargo.toml.
    pub dir: PathBuf,
    pub meta: LabMeta,
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

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub target_dir: PathBuf,
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
            labs.push(Lab {
                package: pkg.name.to_string(),
                dir,
                meta,
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
    if m.points == 0 {
        bail!("points must be above 0");
    }
    if m.title.trim().is_empty() || m.summary.trim().is_empty() {
        bail!("title and summary must not be empty");
    }
    for c in &m.checks {
        if c.name.trim().is_empty() || c.run.trim().is_empty() {
            bail!("every check needs a name and a run command");
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
    Ok(())
}
