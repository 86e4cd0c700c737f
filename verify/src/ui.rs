//! What verify prints for a learner: the one status line ([`Progress`]),
//! which is also how grading reports where it is ([`Observer`], [`Stage`]),
//! and the answers of `start`, `restore` and `hint`. Grading and those
//! commands print nothing themselves: they return what happened.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::labs::{Lab, Workspace};
use crate::progress_file::Next;
use crate::starter::{self, HintAnswer, Hints, Restored, Started, TaskLine};

/// Where the grading of one lab is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage<'a> {
    /// Building its tests; `ready` crates are built so far.
    Compiling { ready: usize },
    /// Built; asking the test binaries for their tests.
    Listing,
    /// Running the tests: `done` of `total` have finished.
    Running { done: usize, total: usize },
    /// Running the check (an external command) of this name.
    Check(&'a str),
    /// Running clippy on the lab (its tasks hold `unsafe`).
    Clippy,
}

/// Told where grading is; the grader calls it, and never prints itself.
pub trait Observer {
    /// Lab `tag` (id and package) reached `stage`.
    fn stage(&mut self, tag: &str, stage: Stage<'_>);
}

impl Observer for Progress {
    fn stage(&mut self, tag: &str, stage: Stage<'_>) {
        let (text, minor) = match stage {
            Stage::Compiling { ready: 0 } => ("compiling".to_string(), false),
            Stage::Compiling { ready } => (format!("compiling ({ready} crates ready)"), true),
            Stage::Listing => ("listing tests".to_string(), false),
            Stage::Running { done: 0, total } => (format!("running {total} tests"), false),
            Stage::Running { done, total } => (format!("tests {done}/{total} done"), true),
            Stage::Check(name) => (format!("check {name}"), false),
            Stage::Clippy => ("clippy (tasks with unsafe)".to_string(), false),
        };
        self.show(&format!("{tag}: {text}"), minor);
    }
}

/// One status line on stderr: rewritten in place on a terminal, printed only
/// when it changes otherwise (CI logs stay short but still show progress).
#[derive(Debug)]
pub struct Progress {
    tty: bool,
    quiet: bool,
    last: String,
    last_line_at: Instant,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        Progress {
            tty: std::io::stderr().is_terminal(),
            quiet,
            last: String::new(),
            last_line_at: Instant::now(),
        }
    }

    /// Shows `msg`. `minor` updates (a test count) are throttled on a
    /// non-terminal so logs get a line every few seconds, not one per test.
    pub fn show(&mut self, msg: &str, minor: bool) {
        if self.quiet || msg == self.last {
            return;
        }
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r\x1b[2K{msg}");
        } else if !minor || self.last_line_at.elapsed() >= Duration::from_secs(5) {
            let _ = writeln!(err, "{msg}");
            self.last_line_at = Instant::now();
        } else {
            return;
        }
        let _ = err.flush();
        self.last = msg.to_string();
    }

    /// Ends the status line and prints `msg` as a permanent line (even
    /// when quiet: it is a result, not progress).
    pub fn done(&mut self, msg: &str) {
        let mut err = std::io::stderr().lock();
        if self.tty && !self.quiet {
            let _ = writeln!(err, "\r\x1b[2K{msg}");
        } else {
            let _ = writeln!(err, "{msg}");
        }
        self.last.clear();
    }
}

/// The checklist: `[ ]`/`[x]`, number, id, where, title, points.
pub fn print_tasks(tasks: &[TaskLine]) {
    print!("{}", tasks_text(tasks));
}

fn tasks_text(tasks: &[TaskLine]) -> String {
    // Right-aligned numbers keep the columns straight past task 9.
    let width = tasks.len().to_string().len();
    let mut out = String::new();
    for (i, task) in tasks.iter().enumerate() {
        let mark = if task.done { "[x]" } else { "[ ]" };
        out.push_str(&format!(
            "  {mark} {:>width$}. {:<18} {:<26} {} ({} point{})\n",
            i + 1,
            task.id,
            task.at,
            task.title,
            task.points,
            if task.points == 1 { "" } else { "s" },
        ));
    }
    out
}

pub fn print_started(ws: &Workspace, lab: &Lab, started: &Started) {
    let id = lab.id();
    match started {
        Started::AlreadyAnExercise { tasks } => println!(
            "Lab {id} is already an exercise ({tasks} tasks). `make restore LAB={id}` brings back the reference."
        ),
        Started::Now {
            tasks,
            saved,
            first_task_command,
        } => {
            println!(
                "Lab {id} ({}) is now an exercise: {} tasks, {} points.",
                lab.meta.title,
                tasks.len(),
                lab.meta.points()
            );
            print_tasks(tasks);
            println!("\nYour files as they were: {}", saved.display());
            if let Some(command) = first_task_command {
                println!(
                    "\nNext: read {}/README.md, then do task 1 until its tests pass:\n  {command}\nStuck? `make hint LAB={id}`. Grade the lab: `make verify` (or `cargo test -p {}`). Back to the reference: `make restore LAB={id}`.",
                    lab.rel_dir(&ws.root).display(),
                    lab.package,
                );
            }
        }
    }
}

pub fn print_restored(lab: &Lab, restored: &Restored) {
    match restored {
        Restored::AlreadyTheReference => println!("Lab {} already holds the reference.", lab.id()),
        Restored::NeverStarted => println!(
            "Lab {} was never started here (no saved reference): left as it is.",
            lab.id()
        ),
        Restored::Now { files, saved } => {
            println!(
                "Lab {} holds the reference again ({} files). Your version is in {}",
                lab.id(),
                files.len(),
                saved.display()
            );
            for file in files {
                println!("  {file}");
            }
        }
    }
}

pub fn print_hint(lab: &Lab, answer: &HintAnswer) {
    print!("{}", hint_text(lab, answer));
}

/// What `make hint` prints (also shown by `verify watch` on `h`).
pub fn hint_text(lab: &Lab, answer: &HintAnswer) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let id = lab.id();
    match answer {
        HintAnswer::Reset => {
            let _ = writeln!(out, "Hints for lab {id} start again from the first.");
        }
        HintAnswer::AllDone { tasks } => {
            let _ = writeln!(
                out,
                "Every task of lab {id} passes its tests. `make verify` grades the whole lab."
            );
            out.push_str(&tasks_text(tasks));
        }
        HintAnswer::Hint {
            number,
            of,
            task,
            failing,
            likely,
            shown,
            command,
        } => {
            let _ = writeln!(
                out,
                "Lab {id}, task {number} of {of}: {} ({}), {}",
                task.id, task.title, task.at
            );
            if let Some(failure) = failing {
                let _ = writeln!(out, "  failing: {failure}");
            }
            for m in likely {
                let _ = writeln!(out, "  {}", crate::catalog::likely(m));
            }
            match shown {
                Hints::Next { index, total, text } => {
                    let _ = writeln!(out, "\nHint {} of {total}:", index + 1);
                    for line in text.lines() {
                        let _ = writeln!(out, "  {line}");
                    }
                    if index + 1 < *total {
                        let _ = writeln!(out, "\n(`make hint LAB={id}` again for the next one)");
                    }
                }
                Hints::All(hints) => {
                    let _ = writeln!(
                        out,
                        "\nAll {} hints of this task are shown (`make hint LAB={id} RESET=1` starts over):",
                        hints.len()
                    );
                    for (i, h) in hints.iter().enumerate() {
                        let _ = writeln!(out, "  {}. {}", i + 1, h.replace('\n', "\n     "));
                    }
                }
            }
            let _ = writeln!(out, "\nIts tests alone: {command}");
        }
    }
    out
}

/// Where the learner is: the first task not done, from `.labs/progress.json`.
pub fn print_next(next: Option<Next<'_>>) {
    let Some(next) = next else {
        println!("\nEvery task of every lab passes.");
        return;
    };
    let id = next.lab.id();
    println!(
        "\nnext: lab {id}, task {} of {}: {} ({})",
        next.number,
        next.lab.meta.tasks.len(),
        next.task.id,
        next.task.title
    );
    if next.never_graded {
        println!(
            "  not graded yet: `make start LAB={id}` makes it an exercise, `make verify VERIFY_FLAGS=\"--lab {id}\"` grades it"
        );
    }
    println!(
        "  its tests alone: {}\n  graded on every save: make watch LAB={id}\n  a hint: make hint LAB={id}",
        starter::task_test_command(next.lab, next.task)
    );
}
