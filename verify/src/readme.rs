//! One template for every lab's README, and the command that runs one
//! task's tests.
//!
//! A learner opens a lab's README and must find the first command at once,
//! so every README opens with the same "Start here" block (generated from
//! the lab's metadata by `verify table --write`, checked by the workspace
//! test) and then the same sections in the same order, [`HEADINGS`]. Other
//! material goes in `###` subsections of those, long benchmark write-ups in
//! the lab's BENCHMARKS.md.

use std::fmt::Write as _;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::labs::{Lab, Task, Workspace};
use crate::progress_file::ProgressFile;

/// The `##` headings of a lab README, in order; no other `##` heading.
pub const HEADINGS: [&str; 7] = [
    "Start here",
    "What you build",
    "Tasks",
    "What the article got wrong",
    "How it is graded",
    "Measured",
    "Non-goals",
];

/// The "Start here" block must end within this many lines of the top.
pub const START_HERE_LINES: usize = 12;

/// The `cargo test` arguments that run `names` (from a listing of the
/// lab's tests, those `task` claims), doc tests left out (see
/// [`is_doc_test`]). A task claims the tests whose names start with its
/// patterns, but libtest matches a filter anywhere in a name (`title_`
/// would also run `words_and_title_outlive_…`), so the filters are the full
/// names; check-starters makes sure no other test's name contains one.
pub fn cargo_test_args(lab: &Lab, names: &[String]) -> Vec<String> {
    // --tests: every target's tests but the doc tests; --no-fail-fast: every
    // test binary runs, not only up to the first failing one.
    let mut args = vec![
        "test".to_string(),
        "--no-fail-fast".into(),
        "-p".into(),
        lab.package.clone(),
        "--tests".into(),
        "--".into(),
    ];
    args.extend(names.iter().filter(|n| !is_doc_test(n)).cloned());
    args
}

/// A doc test's name (`src/a.rs - a::f (line 3)`). Filters do not select
/// doc tests reliably: rustdoc runs the merged ones (edition 2024) under
/// other names and compile-fail ones whatever the filter, so
/// `make test-task` names them and leaves them to `cargo test --doc`.
pub fn is_doc_test(name: &str) -> bool {
    name.contains(" - ") && name.ends_with(')') && name.contains(" (line ")
}

/// `verify test-task LAB [TASK]`: lists the lab's tests, then runs
/// `cargo test` on the task's (`task`: its number or id; default the
/// first task not done at the last grading, else task 1), printing the
/// command first. True when they all pass.
pub fn test_task(ws: &Workspace, lab: &Lab, task: Option<&str>) -> Result<bool> {
    let (number, task) = match task {
        Some(t) => find_task(lab, t)?,
        // Every task done (or no record): task 1.
        None => ProgressFile::load(ws)?
            .open_task(lab)
            .or_else(|| lab.meta.tasks.first().map(|t| (1, t)))
            .with_context(|| format!("lab {} has no tasks", lab.id()))?,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The compiler's messages go to the terminal, the listing is read.
    let listed = Command::new(&cargo)
        .args(["test", "-p", &lab.package, "--", "--list"])
        .current_dir(&ws.root)
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo")?;
    if !listed.status.success() {
        bail!("the lab's tests do not build (the compiler's messages are above)");
    }
    let names = task_tests(&String::from_utf8_lossy(&listed.stdout), task);
    if names.is_empty() {
        bail!("no test of lab {} belongs to task `{}`", lab.id(), task.id);
    }
    if names.iter().all(|n| is_doc_test(n)) {
        bail!(
            "task `{}` has only doc tests: `cargo test -p {} --doc` runs them",
            task.id,
            lab.package
        );
    }
    let args = cargo_test_args(lab, &names);
    println!(
        "task {number} of {}, `{}`: {} ({} tests)\n$ cargo {}",
        lab.meta.tasks.len(),
        task.id,
        task.title,
        names.len(),
        shell_line(&args)
    );
    let docs = names.iter().filter(|n| is_doc_test(n)).count();
    if docs > 0 {
        println!(
            "(and {docs} doc test(s), which this leaves out: `cargo test -p {} --doc` runs every doc test of the lab)",
            lab.package
        );
    }
    for check in lab
        .meta
        .checks
        .iter()
        .filter(|c| c.task.as_ref() == Some(&task.id))
    {
        println!(
            "(its check `{}` is not a cargo test: `make verify VERIFY_FLAGS=\"--lab {}\"` runs it)",
            check.name,
            lab.id()
        );
    }
    let status = Command::new(&cargo)
        .args(&args)
        .current_dir(&ws.root)
        .status()
        .context("cannot run cargo")?;
    Ok(status.success())
}

/// A task of `lab` by its number (from 1) or id, with its number.
pub fn find_task<'a>(lab: &'a Lab, name: &str) -> Result<(usize, &'a Task)> {
    let tasks = &lab.meta.tasks;
    let found = match name.parse::<usize>() {
        Ok(n) => n.checked_sub(1).and_then(|i| tasks.get(i)).map(|t| (n, t)),
        Err(_) => tasks
            .iter()
            .enumerate()
            .find(|(_, t)| t.id == name)
            .map(|(i, t)| (i + 1, t)),
    };
    found.with_context(|| {
        let known: Vec<String> = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {}", i + 1, t.id))
            .collect();
        format!(
            "lab {} has no task `{name}`; its tasks are: {}",
            lab.id(),
            known.join(", ")
        )
    })
}

/// The tests of `task` in the stdout of `cargo test -- --list` (libtest's
/// `NAME: test` lines; cargo's `Running …` lines go to stderr).
pub fn task_tests(listing: &str, task: &Task) -> Vec<String> {
    let mut names: Vec<String> = listing
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter(|name| task.claims(name))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `args` as one line a POSIX shell reads back as the same words.
pub fn shell_line(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
            if plain {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The message a starter's task panics with (what `markers` writes).
pub fn todo_message(task: &Task) -> String {
    format!("not yet implemented: {}", task.id)
}

/// The "Start here" block of `lab`'s README: from its heading to the blank
/// line before the next section. `None` for a lab without tasks.
pub fn start_here(lab: &Lab) -> Option<String> {
    let first = lab.meta.tasks.first()?;
    let n = lab.id();
    let rows = [
        (
            format!("make start LAB={n}"),
            "the task regions become todo!(); it lists where each starts",
        ),
        (
            format!("make test-task LAB={n} TASK=1"),
            "task 1's tests alone (it prints the cargo test it runs)",
        ),
        (
            format!("make watch LAB={n}"),
            "graded on every save: ✓/✗ per task, the first failure",
        ),
        (
            format!("make hint LAB={n}"),
            "the next hint of the task you are on",
        ),
    ];
    let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut out = String::from("## Start here\n\n```sh\n");
    for (cmd, why) in &rows {
        let _ = writeln!(out, "{cmd:width$}  # {why}");
    }
    out.push_str("```\n\n");
    let _ = writeln!(
        out,
        "Task 1 is `{}`: before you write it, each of its tests fails with `{}: …`.",
        first.id,
        todo_message(first)
    );
    Some(out)
}

/// `text` with its "Start here" block replaced by `block` (or inserted
/// after the title line when it has none).
pub fn with_start_here(text: &str, block: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == "## Start here");
    let (before, after) = match start {
        Some(s) => {
            let end = lines[s + 1..]
                .iter()
                .position(|l| l.starts_with("## "))
                .map_or(lines.len(), |i| s + 1 + i);
            (&lines[..s], &lines[end..])
        }
        None => {
            let title = lines.iter().take_while(|l| !l.starts_with("# ")).count() + 1;
            let title = title.min(lines.len());
            (&lines[..title], &lines[title..])
        }
    };
    let mut out = String::new();
    for l in before {
        out.push_str(l);
        out.push('\n');
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(block);
    out.push('\n');
    let after: Vec<&str> = after.iter().skip_while(|l| l.is_empty()).copied().collect();
    for l in after {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// What is wrong with `text` as `lab`'s README; empty when it follows the
/// template.
pub fn template_problems(lab: &Lab, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(block) = start_here(lab) else {
        return vec!["the lab has no tasks".into()];
    };
    let lines: Vec<&str> = text.lines().collect();
    match lines.iter().position(|l| *l == "## Start here") {
        None => problems.push("it has no `## Start here`".into()),
        Some(s) => {
            let wanted: Vec<&str> = block.lines().collect();
            let found = lines.get(s..s + wanted.len());
            if found != Some(&wanted[..]) {
                problems.push(format!(
                    "its Start here block is not the current one: run `cargo run -p verify -- table --write`, it should read\n{block}"
                ));
            }
            if s + wanted.len() > START_HERE_LINES {
                problems.push(format!(
                    "its Start here block ends at line {}, after line {START_HERE_LINES}: only the title may come before it",
                    s + wanted.len()
                ));
            }
        }
    }
    let headings: Vec<&str> = outside_code(&lines)
        .filter_map(|l| l.strip_prefix("## "))
        .collect();
    if headings != HEADINGS {
        problems.push(format!(
            "its `##` headings are {headings:?}; the template's are {HEADINGS:?}, in that order (other sections are `###` under one of them)"
        ));
    }
    if outside_code(&lines).filter(|l| l.starts_with("# ")).count() != 1 {
        problems.push("it needs exactly one `# ` title line".into());
    }
    problems
}

/// The lines not inside a fenced code block (a shell comment or a program's
/// output there is not a heading).
fn outside_code<'a>(lines: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
    let mut fenced = false;
    lines.iter().copied().filter(move |l| {
        if l.starts_with("```") {
            fenced = !fenced;
            return false;
        }
        !fenced
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::tasks::tests::meta;

    fn lab() -> Lab {
        let mut m = meta(&[("concat", &["owned_", "src/a.rs - a (line"], 3)]);
        m.order = 1;
        Lab {
            package: "lab01-x".into(),
            dir: PathBuf::from("/ws/labs/01-x"),
            meta: m,
            dependencies: Vec::new(),
        }
    }

    fn readme(block: &str) -> String {
        let mut text = format!("# Lab 01: x\n\n{block}\n");
        for h in &HEADINGS[1..] {
            text.push_str(&format!("## {h}\n\ntext\n\n"));
        }
        text
    }

    #[test]
    fn a_task_runs_the_listed_tests_it_claims_by_full_name_and_leaves_doc_tests_to_rustdoc() {
        let lab = lab();
        let listing = "     Running tests/a.rs (target/debug/deps/a-1)\nowned_one: test\nnot_owned_two: test\n   Doc-tests lab01_x\nsrc/a.rs - a (line 3): test\n";
        let names = task_tests(listing, &lab.meta.tasks[0]);
        assert_eq!(names, ["owned_one", "src/a.rs - a (line 3)"]);
        assert_eq!(
            shell_line(&cargo_test_args(&lab, &names)),
            "test --no-fail-fast -p lab01-x --tests -- owned_one"
        );
        assert_eq!(
            shell_line(&["it's".into(), "a b".into()]),
            r"'it'\''s' 'a b'"
        );
    }

    #[test]
    fn a_task_is_found_by_number_or_id_and_an_unknown_one_lists_them() {
        let lab = lab();
        assert_eq!(
            find_task(&lab, "1").map(|(n, t)| (n, t.id.as_str())).ok(),
            Some((1, "concat"))
        );
        assert_eq!(find_task(&lab, "concat").map(|(n, _)| n).ok(), Some(1));
        for bad in ["0", "2", "nope"] {
            let err = find_task(&lab, bad).expect_err(bad).to_string();
            assert!(err.ends_with("its tasks are: 1 concat"), "{err}");
        }
    }

    #[test]
    fn the_start_here_block_names_the_lab_and_its_first_task() {
        let block = start_here(&lab()).expect("a lab with a task");
        assert!(block.starts_with("## Start here\n"), "{block}");
        for cmd in [
            "make start LAB=01 ",
            "make test-task LAB=01 TASK=1 ",
            "make watch LAB=01 ",
            "make hint LAB=01 ",
            "`not yet implemented: concat: …`",
        ] {
            assert!(block.contains(cmd), "{cmd} missing from\n{block}");
        }
        assert!(2 + block.lines().count() <= START_HERE_LINES);
    }

    #[test]
    fn a_readme_that_follows_the_template_has_no_problems() {
        let lab = lab();
        let text = readme(&start_here(&lab).unwrap_or_default());
        assert_eq!(template_problems(&lab, &text), Vec::<String>::new());
    }

    #[test]
    fn a_stale_block_a_missing_or_misordered_heading_is_a_problem() {
        let lab = lab();
        let good = readme(&start_here(&lab).unwrap_or_default());
        let stale = good.replace("make hint LAB=01", "make hint LAB=02");
        assert!(template_problems(&lab, &stale)[0].contains("not the current one"));
        let swapped = good
            .replace("## Tasks", "## TMP")
            .replace("## What you build", "## Tasks")
            .replace("## TMP", "## What you build");
        assert!(template_problems(&lab, &swapped)[0].contains("headings"));
        let late = good.replace("# Lab 01: x\n", "# Lab 01: x\n\nintro\n\nmore\n\n");
        assert!(template_problems(&lab, &late)[0].contains("after line 12"));
        let none = good.replace("## Start here", "## Begin");
        assert_eq!(template_problems(&lab, &none).len(), 2);
    }

    #[test]
    fn writing_the_block_replaces_the_old_one_or_goes_under_the_title() {
        let lab = lab();
        let block = start_here(&lab).unwrap_or_default();
        let good = readme(&block);
        let old = good.replace("make hint LAB=01", "make hint LAB=09");
        assert_eq!(with_start_here(&old, &block), good);
        let without = good.replace(&format!("{block}\n"), "");
        assert_eq!(with_start_here(&without, &block), good);
    }
}
