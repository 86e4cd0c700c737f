//! `verify mutants LAB` (`make mutants LAB=NN`): mutation testing of a lab's
//! task regions with cargo-mutants.
//!
//! A test suite that passes a wrong solution grades nothing. cargo-mutants
//! makes small wrong solutions (`<` for `<=`, a body replaced by
//! `Default::default()`, a `&&` for `||`) and runs the lab's tests on each;
//! a mutant no test fails is a gap in the spec. Only the task regions are
//! mutated: the diff from the starter to the reference is handed to
//! `cargo mutants --in-diff`. The run is in place (`--in-place`), so it
//! reuses the workspace's build instead of building a copy from nothing.
//!
//! A survivor is fine only when the lab declares it equivalent
//! (`[[package.metadata.lab.equivalent_mutants]]`, with the reason).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::labs::{Lab, Workspace};
use crate::markers;
use crate::starter;

/// The output folder of a lab's run: `<target>/mutants/<package>`.
pub fn out_dir(ws: &Workspace, lab: &Lab) -> PathBuf {
    ws.target_dir.join("mutants").join(&lab.package)
}

/// The unified diff from the lab's starter to its reference, with paths
/// from the workspace root (what `--in-diff` reads).
fn regions_diff(ws: &Workspace, lab: &Lab, scratch: &Path) -> Result<String> {
    let mut diff = String::new();
    for m in starter::scan(&lab.dir)? {
        let rel = lab.rel_dir(&ws.root).join(&m.rel);
        let shown = rel.display().to_string();
        let starter_file = scratch.join("starter.rs");
        fs::write(&starter_file, markers::to_starter(&m.text, &shown)?)?;
        let out = Command::new("diff")
            .args(["-u", "--label", &format!("a/{shown}"), "--label"])
            .arg(format!("b/{shown}"))
            .arg(&starter_file)
            .arg(ws.root.join(&rel))
            .output()
            .context("cannot run `diff` (from diffutils)")?;
        // diff exits 1 when the files differ, which is the point.
        if out.status.code() == Some(2) {
            bail!("diff failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        diff.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    Ok(diff)
}

#[derive(Debug, Deserialize)]
struct Outcomes {
    outcomes: Vec<Outcome>,
}

#[derive(Debug, Deserialize)]
struct Outcome {
    scenario: serde_json::Value,
    summary: String,
}

/// A mutant's name without its line and column, so declarations survive
/// edits elsewhere in the file: `src/a.rs: replace < with <= in f`.
pub fn stable_name(name: &str) -> String {
    let mut parts = name.splitn(4, ':');
    let file = parts.next().unwrap_or("");
    let (line, col) = (parts.next(), parts.next());
    match (line, col, parts.next()) {
        (Some(l), Some(c), Some(rest))
            if l.chars().all(|ch| ch.is_ascii_digit())
                && c.chars().all(|ch| ch.is_ascii_digit()) =>
        {
            format!("{file}:{rest}")
        }
        (Some(l), Some(rest), None) if l.chars().all(|ch| ch.is_ascii_digit()) => {
            format!("{file}:{rest}")
        }
        _ => name.to_string(),
    }
}

/// The lab's proptest regression files and their contents. proptest
/// appends the seed of every failing case to `<test>.proptest-regressions`
/// next to the test file; in an in-place run every mutant a property test
/// catches would add one to the checkout.
fn proptest_regressions(lab_dir: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    starter::walk(lab_dir, &mut |p| {
        if p.extension().is_some_and(|e| e == "proptest-regressions") {
            files.insert(p.to_path_buf(), fs::read(p).unwrap_or_default());
        }
    })?;
    Ok(files)
}

/// Puts the regression files back as they were before the run: changed ones
/// rewritten, new ones removed.
fn put_back(lab_dir: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) -> Result<()> {
    for (path, now) in proptest_regressions(lab_dir)? {
        match before.get(&path) {
            Some(was) if *was == now => {}
            Some(was) => fs::write(&path, was)?,
            None => fs::remove_file(&path)?,
        }
    }
    Ok(())
}

/// Runs cargo-mutants on the lab's regions and compares the survivors with
/// the lab's declared equivalents. False when one is unexplained.
pub fn run(ws: &Workspace, lab: &Lab, list_only: bool) -> Result<bool> {
    let probe = Command::new("cargo")
        .args(["mutants", "--version"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        bail!("cargo-mutants is missing: `cargo install cargo-mutants --locked` installs it");
    }
    let out = out_dir(ws, lab);
    fs::create_dir_all(&out)?;
    let diff = regions_diff(ws, lab, &out)?;
    let diff_file = out.join("regions.diff");
    fs::write(&diff_file, &diff)?;
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&ws.root)
        .args(["mutants", "--package", &lab.package, "--in-diff"])
        .arg(&diff_file)
        .args(["--in-place", "--no-shuffle", "--output"])
        .arg(&out);
    if list_only {
        cmd.arg("--list");
    }
    let started = std::time::Instant::now();
    let regressions = proptest_regressions(&lab.dir)?;
    let status = cmd.status().context("cannot run cargo mutants");
    put_back(&lab.dir, &regressions)?;
    let status = status?;
    if list_only {
        return Ok(status.success());
    }
    let outcomes_path = out.join("mutants.out").join("outcomes.json");
    let text = fs::read_to_string(&outcomes_path).with_context(|| {
        format!(
            "cargo mutants wrote no {} (exit {status})",
            outcomes_path.display()
        )
    })?;
    let outcomes: Outcomes = serde_json::from_str(&text)
        .with_context(|| format!("{} is not cargo-mutants' outcomes", outcomes_path.display()))?;
    let mut caught = 0;
    let mut unviable = 0;
    let mut timeouts = Vec::new();
    let mut missed = Vec::new();
    for o in &outcomes.outcomes {
        let name = o.scenario["Mutant"]["name"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| o.scenario.to_string());
        match o.summary.as_str() {
            "CaughtMutant" => caught += 1,
            "Unviable" => unviable += 1,
            "MissedMutant" => missed.push(name),
            "Timeout" => timeouts.push(name),
            _ => {}
        }
    }
    let declared: Vec<String> = lab
        .meta
        .equivalent_mutants
        .iter()
        .map(|e| e.mutant.clone())
        .collect();
    let (explained, unexplained): (Vec<String>, Vec<String>) = missed
        .iter()
        .cloned()
        .partition(|m| declared.contains(&stable_name(m)));
    let viable = caught + missed.len() + timeouts.len();
    println!(
        "\nlab {} mutants: {caught} caught of {viable} viable ({} timed out, {} equivalent, {} unviable) in {}s",
        lab.id(),
        timeouts.len(),
        explained.len(),
        unviable,
        started.elapsed().as_secs()
    );
    for m in &explained {
        println!("  equivalent: {m}");
    }
    for m in &timeouts {
        println!("  timed out (the tests hang on it: detected): {m}");
    }
    for m in &unexplained {
        println!("  SURVIVED:   {m}");
    }
    for d in &declared {
        if !missed.iter().any(|m| stable_name(m) == *d) {
            println!(
                "  note: declared equivalent `{d}` did not survive (or was not generated): remove it"
            );
        }
    }
    if !unexplained.is_empty() {
        println!(
            "\n{} mutants survived: add a test that fails on each, or declare it in [[package.metadata.lab.equivalent_mutants]] with `mutant = \"{}\"` and the reason.",
            unexplained.len(),
            stable_name(&unexplained[0])
        );
    }
    Ok(unexplained.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{proptest_regressions, put_back, stable_name};

    #[test]
    fn proptest_regression_files_written_by_a_run_are_put_back() {
        let dir = std::env::temp_dir().join(format!("verify-mutants-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        let kept = dir.join("tests/head.proptest-regressions");
        std::fs::write(&kept, "cc 1\n").unwrap();
        let before = proptest_regressions(&dir).unwrap();

        // What proptest does when a mutant fails a property.
        std::fs::write(&kept, "cc 1\ncc 2\n").unwrap();
        let new = dir.join("tests/roundtrip.proptest-regressions");
        std::fs::write(&new, "cc 3\n").unwrap();
        std::fs::write(dir.join("tests/other.rs"), "// not touched").unwrap();
        put_back(&dir, &before).unwrap();

        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "cc 1\n");
        assert!(!new.exists());
        assert!(dir.join("tests/other.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_stable_name_drops_line_and_column_only() {
        assert_eq!(
            stable_name("src/a.rs:30:5: replace < with <= in f"),
            "src/a.rs: replace < with <= in f"
        );
        assert_eq!(
            stable_name("src/a.rs:30: replace f -> bool with true"),
            "src/a.rs: replace f -> bool with true"
        );
        assert_eq!(stable_name("odd name"), "odd name");
    }
}
