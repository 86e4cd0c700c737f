//! The tamper check: the tests a lab is graded on are the ones its authors
//! wrote.
//!
//! Learners commit their own work, so git's HEAD is no reference. Instead
//! the authors keep a manifest, [`MANIFEST`], of SHA-256 hashes of every
//! file of each lab that grading relies on (`verify manifest --write`; the
//! workspace test checks it is current). `verify` compares a lab's files
//! with it before grading; a lab whose tests changed gets 0 points and a
//! message naming the file.
//!
//! What is covered: every (git-tracked) file of the lab folder (tests, their `.stderr`
//! snapshots, `Cargo.toml` with the task list, src, benches, examples)
//! except its README and files tools rewrite (`*.proptest-regressions`,
//! lock files), plus the files a graded check names (`files = [...]`, e.g.
//! the C harness). A `.rs` file is hashed with its task regions emptied
//! (only their marker lines kept): everything inside a region, a starter
//! section included, is the learner's; everything around them is not.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::labs::{Lab, Workspace};
use crate::markers;

/// The manifest's place, from the workspace root.
pub const MANIFEST: &str = "verify/lab-tests.sha256";

/// File names that are the learner's or a tool's to rewrite, or that no
/// grade depends on (the wrong-answer catalog only feeds the diagnosis).
fn is_exempt(name: &str) -> bool {
    matches!(
        name,
        "README.md" | "BENCHMARKS.md" | "Cargo.lock" | ".gitignore"
    ) || name == crate::catalog::CATALOG
        || name == crate::catalog::CHECKED
        || name.ends_with(".proptest-regressions")
        || name.ends_with(".pyc")
}

/// Folders never covered: build output, fuzz corpora, caches.
fn is_exempt_dir(name: &str) -> bool {
    matches!(
        name,
        "target" | ".git" | ".labs" | "corpus" | "artifacts" | "__pycache__" | "mutants.out"
    )
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if dir.is_file() {
        out.push(dir.strip_prefix(root).unwrap_or(dir).to_path_buf());
        return Ok(());
    }
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if !is_exempt_dir(&name) {
                walk(root, &path, out)?;
            }
        } else if !is_exempt(&name) {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

/// The files of `lab` the manifest covers, relative to the workspace root:
/// the lab folder and its checks' `files`. In a git checkout these are the
/// tracked files (build output such as `ffi-c/build/` never counts);
/// elsewhere every file found.
pub fn covered(ws: &Workspace, lab: &Lab) -> Result<Vec<PathBuf>> {
    let mut roots = vec![lab.dir.clone()];
    for check in &lab.meta.checks {
        for f in &check.files {
            let path = ws.root.join(f);
            if !path.exists() {
                bail!(
                    "check `{}` of lab {} names `{f}` in `files`, which does not exist",
                    check.name,
                    lab.id()
                );
            }
            roots.push(path);
        }
    }
    let mut files = Vec::new();
    for root in &roots {
        match tracked(ws, root) {
            Some(list) => files.extend(list.into_iter().filter(|rel| {
                let name = rel
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                !is_exempt(&name)
                    && !rel
                        .iter()
                        .any(|part| is_exempt_dir(&part.to_string_lossy()))
            })),
            None => walk(&ws.root, root, &mut files)?,
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// `git ls-files` under `root`, relative to the workspace root; `None`
/// outside a git checkout, or when git tracks nothing there (a copy of the
/// workspace inside another repository's ignored folder).
fn tracked(ws: &Workspace, root: &Path) -> Option<Vec<PathBuf>> {
    git_ls_files(ws, root, &[]).filter(|list| !list.is_empty())
}

/// Files of the labs that git neither tracks nor ignores: the manifest
/// does not cover them until they are added (`git add`), so a new test
/// file written before `manifest --write` would go unchecked. Empty
/// outside a git checkout.
pub fn untracked(ws: &Workspace) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ws
        .labs
        .iter()
        .filter_map(|lab| git_ls_files(ws, &lab.dir, &["--others", "--exclude-standard"]))
        .flatten()
        .filter(|rel| {
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            !is_exempt(&name) && !rel.iter().any(|p| is_exempt_dir(&p.to_string_lossy()))
        })
        .collect();
    out.sort();
    out
}

fn git_ls_files(ws: &Workspace, root: &Path, extra: &[&str]) -> Option<Vec<PathBuf>> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(&ws.root)
            .args(args)
            .arg(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| o.stdout)
    };
    let top = git(&["rev-parse", "--show-toplevel", "--"])?;
    let top = PathBuf::from(
        String::from_utf8_lossy(&top)
            .lines()
            .next()
            .unwrap_or("")
            .trim(),
    );
    let mut args = vec!["ls-files", "-z", "--full-name"];
    args.extend_from_slice(extra);
    args.push("--");
    let list = git(&args)?
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let full = top.join(String::from_utf8_lossy(p).as_ref());
            full.strip_prefix(&ws.root).ok().map(Path::to_path_buf)
        })
        .collect();
    Some(list)
}

/// The hash of one covered file (a `.rs` file with its task regions
/// emptied: [`markers::skeleton`]).
pub fn digest(ws: &Workspace, rel: &Path) -> Result<String> {
    let path = ws.root.join(rel);
    let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let hashed = if rel.extension().is_some_and(|e| e == "rs") {
        match String::from_utf8(bytes) {
            Ok(text) => markers::skeleton(&text, &rel.display().to_string())?.into_bytes(),
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    Ok(hex(&Sha256::digest(&hashed)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest text for every lab of `ws`: `<sha256>  <path>` lines, sorted.
pub fn render(ws: &Workspace) -> Result<String> {
    let mut out = String::from(
        "# SHA-256 of every file each lab is graded on (.rs files with task regions emptied).\n\
         # Written by `cargo run -p verify -- manifest --write`; verify compares against it.\n",
    );
    let mut all = Vec::new();
    for lab in &ws.labs {
        all.extend(covered(ws, lab)?);
    }
    all.sort();
    all.dedup();
    for rel in all {
        out.push_str(&format!("{}  {}\n", digest(ws, &rel)?, rel.display()));
    }
    Ok(out)
}

/// The manifest as written, or `None` when the workspace has none.
pub fn load(ws: &Workspace) -> Result<Option<BTreeMap<PathBuf, String>>> {
    let path = ws.root.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut map = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((hash, rel)) = line.split_once("  ") else {
            bail!("{MANIFEST}:{}: expected `<sha256>  <path>`", i + 1);
        };
        map.insert(PathBuf::from(rel), hash.to_string());
    }
    Ok(Some(map))
}

/// How a lab's files compare with the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every covered file matches.
    Matches,
    /// These files differ from the manifest, or are missing.
    Modified(Vec<String>),
    /// The workspace has no manifest, so nothing could be compared.
    Unchecked,
}

/// Compares `lab`'s covered files (as the manifest lists them) with the manifest.
pub fn check(ws: &Workspace, lab: &Lab, manifest: Option<&BTreeMap<PathBuf, String>>) -> Verdict {
    let Some(manifest) = manifest else {
        return Verdict::Unchecked;
    };
    let rel_dir = lab.rel_dir(&ws.root);
    let extra: Vec<PathBuf> = lab
        .meta
        .checks
        .iter()
        .flat_map(|c| c.files.iter().map(PathBuf::from))
        .collect();
    let mine = manifest
        .iter()
        .filter(|(rel, _)| rel.starts_with(&rel_dir) || extra.iter().any(|e| rel.starts_with(e)));
    let mut changed = Vec::new();
    let mut any = false;
    for (rel, want) in mine {
        any = true;
        if digest(ws, rel).ok().as_ref() != Some(want) {
            changed.push(rel.display().to_string());
        }
    }
    if !any {
        changed.push(format!("{} (not in {MANIFEST})", rel_dir.display()));
    }
    if changed.is_empty() {
        Verdict::Matches
    } else {
        Verdict::Modified(changed)
    }
}

/// A short hash of the manifest: the "tests graded on" of the evidence line.
pub fn manifest_hash(ws: &Workspace) -> Option<String> {
    let bytes = fs::read(ws.root.join(MANIFEST)).ok()?;
    Some(hex(&Sha256::digest(&bytes))[..12].to_string())
}
