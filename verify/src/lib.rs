//! `verify`, the grader of rust-job-labs.
//!
//! A map of the crate, in the order a run goes through it:
//!
//! - [`labs`]: finds the labs of the workspace through `cargo metadata` and
//!   reads each one's `[package.metadata.lab]` table.
//! - [`tools`]: the tools beyond Rust that labs need (`cc`, `go`, …), how to
//!   detect each, and the one command that installs it (`verify doctor`).
//! - [`integrity`]: the tamper check: a lab's tests against the manifest of
//!   the shipped ones, before anything is graded.
//! - [`grade`]: grades one lab: build, list, run under a time limit.
//! - [`tasks`]: tasks, the unit of grading: which tests prove which task,
//!   and the points each earns (a pure function of the outcomes).
//! - [`process`]: the child-process plumbing under `grade`: merged output
//!   read line by line, a deadline, the whole process group killed at it.
//! - [`libtest`]: reads cargo's and libtest's human output on stable Rust.
//! - [`ui`]: the status line, and the [`ui::Observer`] through which grading
//!   says where it is (grading itself prints nothing).
//! - [`html`]: `verify report --html`, the portfolio page (grades, tasks,
//!   benchmark ratios as SVG charts).
//! - [`junit`]: the grade as JUnit XML (`--junit`), for a learner's CI.
//! - [`report`]: the terminal table, the JSON report, the Markdown summary
//!   and the README's lab table.
//! - [`readme`]: the one template of every lab's README (its "Start here"
//!   block, its headings) and the `cargo test` that runs one task.
//! - [`markers`]: the `// lab:begin(ID) … // lab:end` scheme that lets one
//!   file hold both the reference and the exercise.
//! - [`starter`]: `start`, `restore`, `hint` and `check-starters`, built on
//!   [`markers`].
//! - [`progress_file`]: `.labs/progress.json`, the learner's record across
//!   runs (tasks done, when each first passed, hints used) and where to go
//!   next.
//! - [`watch`]: `verify watch`, the lab graded again on every save, one
//!   screen with the checklist and the first failure.
//! - [`mutants`]: `verify mutants`, cargo-mutants on a lab's task regions.
//! - [`catalog`]: a lab's wrong answers (`wrong-answers.toml`), what was
//!   recorded of them, and the diagnosis of a learner's failure.
//! - [`wrong_answers`]: `verify wrong-answers`, every catalogued wrong
//!   answer run against the lab's tests in a scratch copy.
//! - [`build_once`]: `verify build-once`, no registry crate is compiled
//!   twice whichever package one builds (the workspace-hack is current).

pub mod build_once;
pub mod catalog;
pub mod grade;
pub mod html;
pub mod integrity;
pub mod junit;
pub mod labs;
pub mod libtest;
pub mod markers;
pub mod mutants;
pub mod process;
pub mod progress_file;
pub mod readme;
pub mod report;
pub mod starter;
pub mod tasks;
pub mod tools;
pub mod ui;
pub mod watch;
pub mod wrong_answers;
