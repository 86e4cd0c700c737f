//! `verify watch [LAB]`: the lab is graded again each time one of its
//! source files is saved, and one screen shows where you are.
//!
//! The loop: a file watcher (notify; polling where file events are not to
//! be trusted) and, on a terminal, a key reader send [`Input`]s down one
//! channel; saves are debounced (an editor writes a file in several steps),
//! then the lab's cargo tests are built and run as `verify` grades them
//! (without the external checks, which are slow), the result is recorded in
//! `.labs/progress.json`, and [`screen`] draws the checklist, the open task
//! and its first failure, or the first compiler error. Keys: `h` the next
//! hint, `r` run again, `n` the next lab once every task passes, `q` quit.
//! Without a terminal (a pipe, CI) it prints each screen as plain lines.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::grade::{self, LabResult, LabStatus, Options};
use crate::labs::{Lab, Workspace};
use crate::progress_file::ProgressFile;
use crate::ui::{self, Observer, Stage};
use crate::{starter, tasks};

/// How long the files must stay quiet after a save before the lab runs.
const DEBOUNCE: Duration = Duration::from_millis(300);
/// How often the polling watcher looks at the files.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// Files whose change makes the lab run again.
const SOURCE_EXTENSIONS: [&str; 7] = ["rs", "toml", "c", "h", "go", "wat", "wit"];
/// Lines of a failure or compiler error shown on the screen.
const DETAIL_LINES: usize = 14;

enum Input {
    Changed,
    Key(Key),
    WatchFailed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Hint,
    Rerun,
    Next,
    Quit,
}

/// Whether a changed path is one of the lab's sources (not a build output,
/// not verify's own state, not a file its tests write).
fn is_source(lab_dir: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(lab_dir) else {
        return false;
    };
    let skipped = rel
        .components()
        .any(|c| matches!(c.as_os_str().to_str(), Some("target" | ".labs" | ".git")));
    !skipped
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e))
}

/// WSL's file events miss changes made from Windows: poll there.
fn events_unreliable() -> bool {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .is_ok_and(|r| r.to_ascii_lowercase().contains("microsoft"))
}

/// Starts watching `dir`; the returned watcher must be kept alive. Falls
/// back to polling when file events cannot be had, and says so.
fn watch_files(
    dir: &Path,
    poll: bool,
    tx: Sender<Input>,
) -> Result<(Box<dyn Watcher>, Option<String>)> {
    let lab_dir = dir.to_path_buf();
    let handler = move |event: notify::Result<notify::Event>| {
        let input = match event {
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => return,
            Ok(e) if e.paths.iter().any(|p| is_source(&lab_dir, p)) => Input::Changed,
            Ok(_) => return,
            Err(e) => Input::WatchFailed(e.to_string()),
        };
        let _ = tx.send(input);
    };
    if poll {
        return poll_watcher(dir, handler, Some("polling the files (--poll)".into()));
    }
    if events_unreliable() {
        return poll_watcher(dir, handler, Some("polling the files (WSL)".into()));
    }
    // The handler moves into the first watcher that takes it; a clone of
    // it is kept for the fallback.
    let fallback = handler.clone();
    match notify::recommended_watcher(handler).and_then(|mut w| {
        w.watch(dir, RecursiveMode::Recursive)?;
        Ok(w)
    }) {
        Ok(w) => Ok((Box::new(w), None)),
        Err(e) => poll_watcher(
            dir,
            fallback,
            Some(format!("file events unavailable ({e}): polling the files")),
        ),
    }
}

fn poll_watcher(
    dir: &Path,
    handler: impl notify::EventHandler,
    why: Option<String>,
) -> Result<(Box<dyn Watcher>, Option<String>)> {
    // Contents too: notify's poller keeps mtimes in whole seconds, so two
    // saves within one second would look like one.
    let config = notify::Config::default()
        .with_poll_interval(POLL_EVERY)
        .with_compare_contents(true);
    let mut watcher = notify::PollWatcher::new(handler, config)?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", dir.display()))?;
    Ok((Box::new(watcher), why))
}

/// On a terminal: raw mode (keys without Enter) and the alternate screen,
/// both undone on drop, also when watch fails or panics.
struct Terminal;

impl Terminal {
    fn enter() -> Result<Terminal> {
        crossterm::terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
        let _ = crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen);
        Ok(Terminal)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::terminal::LeaveAlternateScreen);
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

fn read_keys(tx: Sender<Input>) {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    while let Ok(event) = read() {
        let Event::Key(k) = event else { continue };
        if k.kind != KeyEventKind::Press {
            continue;
        }
        let key = match k.code {
            KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Key::Quit,
            KeyCode::Char('q') | KeyCode::Esc => Key::Quit,
            KeyCode::Char('h') => Key::Hint,
            KeyCode::Char('r') | KeyCode::Enter => Key::Rerun,
            KeyCode::Char('n') => Key::Next,
            _ => continue,
        };
        if tx.send(Input::Key(key)).is_err() || key == Key::Quit {
            return;
        }
    }
}

/// Where the screen goes: cleared and redrawn on a terminal, appended as
/// plain lines elsewhere.
struct Output {
    terminal: Option<Terminal>,
}

impl Output {
    fn show(&mut self, text: &str) {
        let mut out = std::io::stdout().lock();
        if self.terminal.is_some() {
            let _ = crossterm::queue!(
                out,
                crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
                crossterm::cursor::MoveTo(0, 0)
            );
            let _ = write!(out, "{}", text.replace('\n', "\r\n"));
        } else {
            let _ = writeln!(out, "{text}\n----");
        }
        let _ = out.flush();
    }
}

/// What the screen shows besides the result.
#[derive(Debug, Default)]
pub struct Notes {
    /// Set while the lab builds and runs: what it is doing.
    pub running: Option<String>,
    /// A hint, or an answer to a key.
    pub footer: Option<String>,
    /// How files are watched, when it is not by file events.
    pub watching: Option<String>,
    pub keys: bool,
}

/// Says, through the screen, what grading is doing.
struct Status<'a> {
    lab: &'a Lab,
    last: Option<&'a LabResult>,
    notes: &'a mut Notes,
    out: &'a mut Output,
    shown: String,
}

impl Observer for Status<'_> {
    fn stage(&mut self, _tag: &str, stage: Stage<'_>) {
        let text = match stage {
            Stage::Compiling { .. } => "compiling…".to_string(),
            Stage::Listing => "listing the tests…".to_string(),
            Stage::Running { done, total } => format!("running the tests ({done}/{total})…"),
            Stage::Check(name) => format!("running the check {name}…"),
            Stage::Clippy => "running clippy…".to_string(),
        };
        // Only a new stage redraws (the test count would redraw per test).
        let kind = text.split(' ').next().unwrap_or("").to_string();
        if kind != self.shown {
            self.shown = kind;
            self.notes.running = Some(text);
            self.out.show(&screen(self.lab, self.last, self.notes));
        }
    }
}

/// The screen for `lab` after `result` (`None`: not run yet).
pub fn screen(lab: &Lab, result: Option<&LabResult>, notes: &Notes) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let marked = starter::scan(&lab.dir).unwrap_or_default();
    let done = |id: &str| result.is_some_and(|r| r.tasks.iter().any(|t| t.id == id && t.done));
    let open = lab.meta.tasks.iter().position(|t| !done(&t.id));
    let _ = write!(s, "verify watch · lab {} {}", lab.id(), lab.meta.title);
    if let Some(r) = result {
        let _ = write!(
            s,
            " · {}/{} tasks · {}/{} points",
            r.tasks_done(),
            lab.meta.tasks.len(),
            r.points_earned,
            r.points
        );
    }
    s.push_str("\n\n");
    let width = lab.meta.tasks.len().to_string().len();
    for (i, task) in lab.meta.tasks.iter().enumerate() {
        let mark = match result {
            None => "·",
            Some(_) if done(&task.id) => "✓",
            Some(_) => "✗",
        };
        let at = tasks::locate(&marked, &task.id).unwrap_or_else(|| "?".into());
        let arrow = if open == Some(i) { "  ← open" } else { "" };
        let _ = writeln!(
            s,
            "  {mark} {:>width$}. {:<18} {:<26} {}{arrow}",
            i + 1,
            task.id,
            at,
            task.title
        );
    }
    s.push('\n');
    if let Some(running) = &notes.running {
        let _ = writeln!(s, "{running}");
    } else if let Some(r) = result {
        s.push_str(&detail(lab, r, open));
    } else {
        s.push_str("waiting for the first run…\n");
    }
    if let Some(footer) = &notes.footer {
        let _ = write!(s, "\n{}\n", footer.trim_end());
    }
    s.push('\n');
    if let Some(how) = &notes.watching {
        let _ = writeln!(s, "({how})");
    }
    if notes.keys {
        s.push_str("Save a file to run again · h hint · r run again · n next lab · q quit\n");
    } else {
        s.push_str("Save a file to run again (Ctrl-C stops)\n");
    }
    s
}

/// Below the checklist: the compiler error, the open task's first failure,
/// or what to do once everything passes.
fn detail(lab: &Lab, r: &LabResult, open: Option<usize>) -> String {
    let cut = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().collect();
        let mut out: String = lines
            .iter()
            .take(DETAIL_LINES)
            .map(|l| format!("  {l}\n"))
            .collect();
        if lines.len() > DETAIL_LINES {
            out.push_str(&format!(
                "  … ({} more lines)\n",
                lines.len() - DETAIL_LINES
            ));
        }
        out
    };
    let message = r.message.as_deref().unwrap_or("");
    if r.status == LabStatus::Error || r.status == LabStatus::Modified || r.tasks.is_empty() {
        let text = message
            .strip_prefix("does not compile: ")
            .unwrap_or(message);
        let head = if message.starts_with("does not compile") {
            "Does not compile:"
        } else {
            "Not graded:"
        };
        return format!("{head}\n{}", cut(text));
    }
    let Some(i) = open else {
        let next = "`n` goes on to the next lab; `make verify` grades everything, checks included.";
        return format!("Every task passes its tests. {next}\n");
    };
    let task = &lab.meta.tasks[i];
    let mut s = format!(
        "Task {} of {}: {} ({})\n",
        i + 1,
        lab.meta.tasks.len(),
        task.id,
        task.title
    );
    match r
        .tasks
        .iter()
        .find(|t| t.id == task.id)
        .and_then(|t| t.first_failure.as_deref())
    {
        Some(failure) => {
            s.push_str("First failure:\n");
            s.push_str(&cut(failure));
            for m in r
                .tasks
                .iter()
                .filter(|t| t.id == task.id)
                .flat_map(|t| &t.likely_mistakes)
            {
                s.push_str(&format!("{}\n", crate::catalog::likely(m)));
            }
        }
        None if r.status == LabStatus::Timeout => {
            s.push_str(&format!("Timed out: {message}\n"));
        }
        None => {}
    }
    s.push_str(&format!(
        "Its tests alone: {}\n",
        starter::task_test_command(lab, task)
    ));
    s
}

/// `verify watch`: runs until `q` (or Ctrl-C). `lab`: where to start; else
/// the lab of the first open task in `.labs/progress.json`.
pub fn run(ws: &Workspace, lab: Option<&Lab>, opts: &Options, poll: bool) -> Result<bool> {
    let progress = ProgressFile::load(ws)?;
    let Some(first) = lab
        .or_else(|| progress.next(ws).map(|n| n.lab))
        .or(ws.labs.first())
    else {
        anyhow::bail!("the workspace has no labs");
    };
    let mut index = ws
        .labs
        .iter()
        .position(|l| l.package == first.package)
        .unwrap_or(0);
    let opts = Options {
        run_checks: false,
        quiet: true,
        ..opts.clone()
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let (tx, rx) = mpsc::channel();
    let mut out = Output {
        terminal: if interactive {
            Some(Terminal::enter()?)
        } else {
            None
        },
    };
    if interactive {
        let keys = tx.clone();
        std::thread::spawn(move || read_keys(keys));
    }
    loop {
        let lab = &ws.labs[index];
        let (watcher, watching) = watch_files(&lab.dir, poll, tx.clone())?;
        let mut notes = Notes {
            watching,
            keys: interactive,
            ..Notes::default()
        };
        match watch_lab(ws, lab, &opts, &rx, &mut out, &mut notes)? {
            Leave::Quit => return Ok(true),
            Leave::Next => {
                drop(watcher);
                index = (index + 1) % ws.labs.len();
            }
        }
    }
}

enum Leave {
    Quit,
    Next,
}

/// The last full result with task `id`'s outcome (and the first failure,
/// the status) from `quick`, a run of that task's tests alone. A build
/// that failed is shown as it is: nothing else is known then.
fn with_task_from(last: Option<&LabResult>, quick: LabResult, id: &str) -> LabResult {
    let Some(last) = last.filter(|_| quick.status == LabStatus::Fail) else {
        return quick;
    };
    let mut merged = last.clone();
    let Some(task) = quick.tasks.iter().find(|t| t.id == id) else {
        return quick;
    };
    for t in merged.tasks.iter_mut().filter(|t| t.id == id) {
        *t = task.clone();
    }
    merged.points_earned = merged.tasks.iter().map(|t| t.points_earned).sum();
    merged.status = quick.status;
    merged.message = quick.message;
    merged
}

fn watch_lab(
    ws: &Workspace,
    lab: &Lab,
    opts: &Options,
    rx: &Receiver<Input>,
    out: &mut Output,
    notes: &mut Notes,
) -> Result<Leave> {
    let mut result: Option<LabResult> = None;
    let mut run = true;
    loop {
        if run {
            run = false;
            notes.footer = None;
            let mut status = Status {
                lab,
                last: result.as_ref(),
                notes,
                out,
                shown: String::new(),
            };
            // The open task's tests first (the first task not done at the
            // last run that built): they are what the learner is working
            // on, and the rest of a slow lab waits until they pass.
            let open = result
                .as_ref()
                .filter(|r| matches!(r.status, LabStatus::Pass | LabStatus::Fail))
                .and_then(|r| r.tasks.iter().find(|t| !t.done))
                .map(|t| t.id.clone());
            let mut graded = None;
            if let Some(id) = &open {
                let only = Options {
                    only_task: Some(id.clone()),
                    ..opts.clone()
                };
                let quick = grade::grade_lab(ws, lab, &only, &mut status);
                if !quick.tasks.iter().any(|t| &t.id == id && t.done) {
                    graded = Some(with_task_from(status.last, quick, id));
                }
            }
            let graded = match graded {
                Some(partial) => {
                    notes.footer = Some(
                        "(only the open task's tests ran; the whole lab runs once they pass)"
                            .into(),
                    );
                    partial
                }
                None => {
                    let full = grade::grade_lab(ws, lab, opts, &mut status);
                    if let Err(e) = starter::save_result(ws, lab, &full) {
                        notes.footer = Some(format!("could not record progress: {e:#}"));
                    }
                    full
                }
            };
            notes.running = None;
            result = Some(graded);
            out.show(&screen(lab, result.as_ref(), notes));
            // Saves made while the lab ran are in the channel: they make it
            // run again below, after the debounce.
        }
        let input = rx.recv().context("the watcher stopped")?;
        match input {
            Input::Changed => {
                // Debounce: wait until the files are quiet.
                loop {
                    match rx.recv_timeout(DEBOUNCE) {
                        Ok(Input::Changed) => continue,
                        Ok(Input::Key(Key::Quit)) => return Ok(Leave::Quit),
                        Ok(_) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return Ok(Leave::Quit),
                    }
                }
                run = true;
            }
            Input::Key(Key::Quit) => return Ok(Leave::Quit),
            Input::Key(Key::Rerun) => run = true,
            Input::Key(Key::Next) => {
                let all_done = result
                    .as_ref()
                    .is_some_and(|r| r.tasks_done() == lab.meta.tasks.len());
                if all_done {
                    return Ok(Leave::Next);
                }
                notes.footer = Some("`n` moves on once every task of this lab passes.".into());
                out.show(&screen(lab, result.as_ref(), notes));
            }
            Input::Key(Key::Hint) => {
                notes.footer = Some(match starter::hint(ws, lab, None, false, opts) {
                    Ok(answer) => ui::hint_text(lab, &answer),
                    Err(e) => format!("no hint: {e:#}"),
                });
                out.show(&screen(lab, result.as_ref(), notes));
            }
            Input::WatchFailed(e) => {
                notes.footer = Some(format!("watching the files failed: {e}"));
                out.show(&screen(lab, result.as_ref(), notes));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_source, with_task_from};
    use crate::grade::{LabResult, LabStatus};
    use crate::tasks::TaskResult;
    use std::path::Path;

    fn result(status: LabStatus, done: &[(&str, bool)]) -> LabResult {
        let meta = crate::tasks::tests::meta(&[("a", &["a_"], 2), ("b", &["b_"], 3)]);
        let mut r = LabResult::blank("01".into(), "lab01-x".into(), &meta);
        r.status = status;
        r.tasks = done
            .iter()
            .map(|(id, done)| TaskResult {
                id: (*id).into(),
                title: String::new(),
                points: if *id == "a" { 2 } else { 3 },
                points_earned: if *done {
                    if *id == "a" { 2 } else { 3 }
                } else {
                    0
                },
                tests_passed: 0,
                tests_total: 1,
                done: *done,
                first_failure: (!done).then(|| format!("{id} failed")),
                hints_used: 0,
                likely_mistakes: Vec::new(),
            })
            .collect();
        r.points_earned = r.tasks.iter().map(|t| t.points_earned).sum();
        r
    }

    #[test]
    fn a_run_of_the_open_task_alone_updates_only_that_task_of_the_last_result() {
        let last = result(LabStatus::Fail, &[("a", true), ("b", false)]);
        let mut quick = result(LabStatus::Fail, &[("a", false), ("b", false)]);
        quick.message = Some("b_x: still wrong".into());
        let merged = with_task_from(Some(&last), quick, "b");
        let done: Vec<bool> = merged.tasks.iter().map(|t| t.done).collect();
        assert_eq!(done, [true, false], "task a keeps its last full result");
        assert_eq!(merged.points_earned, 2);
        assert_eq!(merged.message.as_deref(), Some("b_x: still wrong"));
        // A build error is shown as it is.
        let broken = result(LabStatus::Error, &[]);
        assert_eq!(
            with_task_from(Some(&last), broken, "b").status,
            LabStatus::Error
        );
    }

    #[test]
    fn only_the_labs_sources_make_it_run_again() {
        let lab = Path::new("/ws/labs/01-ownership");
        assert!(is_source(lab, &lab.join("src/concat.rs")));
        assert!(is_source(lab, &lab.join("Cargo.toml")));
        assert!(is_source(lab, &lab.join("tests/ui/borrow.rs")));
        assert!(!is_source(lab, &lab.join("target/debug/x.rs")));
        assert!(!is_source(
            lab,
            &lab.join("tests/head.proptest-regressions")
        ));
        assert!(!is_source(lab, &lab.join("src/concat.rs.swp")));
        assert!(!is_source(lab, &lab.join(".labs/results/x.toml")));
        assert!(!is_source(
            Path::new("/ws/labs/03"),
            &lab.join("src/lib.rs")
        ));
    }
}
