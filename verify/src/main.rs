//! The `verify` command line. See the crate docs (`lib.rs`) for the map.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use verify::grade::{self, LabResult, Options};
use verify::labs::{Lab, Level, Workspace};
use verify::progress_file::ProgressFile;
use verify::tools::{self, Probe};
use verify::ui::Progress;
use verify::{build_once, integrity, mutants, readme, report, starter, ui, wrong_answers};

/// Grades the rust-job-labs labs, and turns a lab into an exercise and back.
///
/// With no command, runs every lab's tests and prints the grade table.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// The workspace's Cargo.toml (default: the workspace around the current folder).
    #[arg(long, global = true, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Only this lab: 01, 1, ownership, 01-ownership or the package name.
    #[arg(long, value_name = "LAB")]
    lab: Option<String>,
    /// Only the labs of this level: junior, senior or architect.
    #[arg(long, value_name = "LEVEL")]
    level: Option<Level>,
    /// Also write the results as JSON (exercism results.json-like) to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the results as JUnit XML (one testsuite per lab, one
    /// testcase per test, its task as the classname) to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Count a lab skipped for a missing tool as a failure (CI uses this).
    #[arg(long)]
    require_all: bool,
    #[command(flatten)]
    test: TestArgs,
}

/// How one lab's tests are built and run: grading, and `hint` (which
/// grades the lab to find the task you are on).
#[derive(Debug, Args)]
struct TestArgs {
    /// Time limit in seconds for each lab's test run (default: the lab's
    /// `time_limit_secs`, else 300).
    #[arg(long, value_name = "SECS")]
    timeout: Option<u64>,
    /// Time limit in seconds for building each lab's tests.
    #[arg(long, value_name = "SECS", default_value_t = 1800)]
    build_timeout: u64,
    /// No progress lines, only the results.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Check the toolchain the labs need, and say how to install what is missing.
    Doctor,
    /// Turn a lab into its exercise, in place (your files are backed up first).
    Start {
        #[arg(required_unless_present = "all")]
        lab: Option<String>,
        /// Every lab (refused, before any lab changes, when one that would
        /// change has uncommitted changes).
        #[arg(long, conflicts_with = "lab")]
        all: bool,
        /// Go ahead even though the lab has uncommitted changes.
        #[arg(long)]
        force: bool,
    },
    /// Bring back a lab's reference solution (your files are backed up first).
    Restore {
        #[arg(required_unless_present = "all")]
        lab: Option<String>,
        /// Every lab that was started: reset-all (refused, before any lab
        /// changes, when a lab holds work of yours).
        #[arg(long, conflicts_with = "lab")]
        all: bool,
        /// With --all: go ahead even though a lab holds work of yours.
        #[arg(long, requires = "all")]
        force: bool,
    },
    /// Print the next hint of the task you are on (the first whose tests fail).
    Hint {
        lab: String,
        /// A hint for this task instead (its id, as `make start` lists them).
        #[arg(long)]
        task: Option<String>,
        /// Start again from the first hint of every task.
        #[arg(long)]
        reset: bool,
        #[command(flatten)]
        test: TestArgs,
    },
    /// Run one task's tests with cargo test (default: the first task not
    /// done at the last grading, else task 1); prints the command first.
    TestTask {
        lab: String,
        /// The task's number (1, 2, …) or id, as `make start` lists them.
        task: Option<String>,
    },
    /// Grade a lab again on every save and show its tasks, the open one's
    /// first failure or the compiler error (keys: h hint, r run again, n
    /// next lab, q quit).
    Watch {
        /// Where to start (default: the lab of the first open task).
        lab: Option<String>,
        /// Poll the files every second instead of using file events
        /// (network mounts, containers; WSL is detected).
        #[arg(long)]
        poll: bool,
        #[command(flatten)]
        test: TestArgs,
    },
    /// Author side: write (or check) the manifest of the tests each lab is graded on.
    Manifest {
        /// Rewrite verify/lab-tests.sha256 instead of checking it.
        #[arg(long)]
        write: bool,
    },
    /// Author side: cargo-mutants on a lab's task regions; fails on a
    /// surviving mutant that the lab does not declare equivalent.
    Mutants {
        lab: String,
        /// Only list the mutants, do not run them.
        #[arg(long)]
        list: bool,
    },
    /// Author side: apply each wrong answer of a lab's catalog
    /// (wrong-answers.toml) alone to a scratch copy and run the lab's tests;
    /// fails on one that no test of its own task rejects.
    WrongAnswers {
        /// One lab (default: every lab with a catalog).
        lab: Option<String>,
        /// Build nothing: fail when a lab changed since its catalog was
        /// checked (what `make test` runs).
        #[arg(long)]
        check: bool,
        /// Try the wrong answers in FILE (the catalog's format) instead of
        /// the lab's catalog, and record nothing: candidates, or a held-out
        /// set written without looking at the catalog.
        #[arg(
            long = "try",
            value_name = "FILE",
            requires = "lab",
            conflicts_with = "check"
        )]
        trial: Option<PathBuf>,
        #[command(flatten)]
        test: TestArgs,
    },
    /// Grade, then print a Markdown summary for a portfolio README (and,
    /// with --html, write a portfolio page).
    Report {
        #[command(flatten)]
        run: RunArgs,
        /// Render a report saved earlier with --json instead of grading now.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["lab", "level", "json", "junit"])]
        from: Option<PathBuf>,
        /// Write the Markdown to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Write the portfolio page to FILE: one self-contained HTML file
        /// (grades, tasks, benchmark ratios as SVG charts); the Markdown is
        /// then written only with --out.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// List the labs.
    List,
    /// Print the README's lab table from the labs' metadata.
    Table {
        /// Rewrite the table in README.md, and the "Start here" block of
        /// every lab's README.
        #[arg(long)]
        write: bool,
    },
    /// Author side: after a warm workspace build, building any one package
    /// compiles no registry crate again (the workspace-hack is current).
    BuildOnce,
    /// Author side: each lab's reference passes and its starter compiles and fails.
    CheckStarters {
        #[command(flatten)]
        run: RunArgs,
        /// Also grade each lab once per task, with only the tasks up to it
        /// done: exactly those must pass (slow: a build and test run per task).
        #[arg(long)]
        order: bool,
        /// Check every lab, also those unchanged since they last passed.
        #[arg(long)]
        no_cache: bool,
        /// Rewrite the test counts in the labs' READMEs (`<!-- count: … -->`)
        /// from the references' tests instead of failing on a wrong one.
        #[arg(long)]
        write_counts: bool,
    },
}

fn main() -> ExitCode {
    let cli = parse_cli(std::env::args_os());
    match real_main(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("verify: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Parses the command line; exits with clap's usage error when a grading
/// option comes before a command (`verify --lab 01 report`): only the
/// command's own options apply then, so it would be silently ignored.
/// (clap's `args_conflicts_with_subcommands` would refuse `--manifest-path`
/// there too.)
fn parse_cli(args: impl IntoIterator<Item = std::ffi::OsString>) -> Cli {
    use clap::{CommandFactory, FromArgMatches, parser::ValueSource};
    let mut cmd = Cli::command();
    let matches = cmd
        .try_get_matches_from_mut(args)
        .unwrap_or_else(|e| e.exit());
    if let Some((name, _)) = matches.subcommand() {
        let before: Vec<String> = cmd
            .get_arguments()
            .filter(|a| !a.is_global_set())
            .filter(|a| matches.value_source(a.get_id().as_str()) == Some(ValueSource::CommandLine))
            .map(|a| format!("--{}", a.get_long().unwrap_or(a.get_id().as_str())))
            .collect();
        if !before.is_empty() {
            cmd.error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "{} before `{name}` would be ignored: options go after the command (`verify {name} --help` lists them)",
                    before.join(", ")
                ),
            )
            .exit();
        }
    }
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn options(test: &TestArgs) -> Options {
    Options {
        timeout: test.timeout.map(Duration::from_secs),
        build_timeout: Duration::from_secs(test.build_timeout),
        target_dir: None,
        build_dir: None,
        run_checks: true,
        quiet: test.quiet,
        only_task: None,
    }
}

fn grade_all(ws: &Workspace, run: &RunArgs) -> Result<(Vec<LabResult>, report::Evidence)> {
    let labs = ws.select(run.lab.as_deref(), run.level)?;
    if labs.is_empty() {
        bail!("no lab matches --lab/--level");
    }
    // Before grading: the code and tests as they are graded.
    let evidence = report::Evidence::collect(ws);
    let opts = options(&run.test);
    let mut progress = Progress::new(run.test.quiet);
    let mut results = Vec::new();
    for (i, lab) in labs.iter().enumerate() {
        progress.show(
            &format!("[{}/{}] {} {}", i + 1, labs.len(), lab.id(), lab.package),
            false,
        );
        let r = grade::grade_lab(ws, lab, &opts, &mut progress);
        progress.done(&format!(
            "[{}/{}] {} {}: {} ({}/{} tasks, {}/{} tests)",
            i + 1,
            labs.len(),
            r.lab,
            r.package,
            r.status.word(),
            r.tasks_done(),
            r.tasks.len(),
            r.tests_passed,
            r.tests_total
        ));
        if let Err(e) = starter::save_result(ws, lab, &r) {
            eprintln!("verify: could not save the result for `make hint`: {e:#}");
        }
        results.push(r);
    }
    if let Some(path) = &run.json {
        std::fs::write(path, report::json(&results, Some(ws), Some(&evidence)))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &run.junit {
        std::fs::write(path, verify::junit::junit(&results, Some(ws)))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok((results, evidence))
}

fn real_main(cli: Cli) -> Result<bool> {
    if matches!(cli.command, Some(Cmd::Doctor)) {
        return Ok(doctor());
    }
    let ws = Workspace::load(cli.manifest_path.as_deref())?;
    match cli.command {
        None => {
            let (results, _) = grade_all(&ws, &cli.run)?;
            println!();
            print!("{}", report::table(&results));
            match ProgressFile::load(&ws) {
                Ok(progress) => ui::print_next(progress.next(&ws)),
                Err(e) => eprintln!("verify: {e:#}"),
            }
            Ok(!grade::failed(&results, cli.run.require_all))
        }
        Some(Cmd::Doctor) => Ok(doctor()),
        Some(Cmd::Start { lab, all, force }) => {
            match lab {
                Some(lab) => {
                    let lab = ws.find(&lab)?;
                    ui::print_started(&ws, lab, &starter::start(&ws, lab, force)?);
                }
                None if all => {
                    for (lab, started) in starter::start_all(&ws, force)? {
                        ui::print_started(&ws, lab, &started);
                    }
                }
                None => bail!("name a lab, or --all"),
            }
            Ok(true)
        }
        Some(Cmd::Restore { lab, all, force }) => {
            match lab {
                Some(lab) => {
                    let lab = ws.find(&lab)?;
                    ui::print_restored(lab, &starter::restore(&ws, lab)?);
                }
                None if all => {
                    for (lab, restored) in starter::restore_all(&ws, force)? {
                        ui::print_restored(lab, &restored);
                    }
                }
                None => bail!("name a lab, or --all"),
            }
            Ok(true)
        }
        Some(Cmd::Hint {
            lab,
            task,
            reset,
            test,
        }) => {
            let lab = ws.find(&lab)?;
            let answer = starter::hint(&ws, lab, task.as_deref(), reset, &options(&test))?;
            ui::print_hint(lab, &answer);
            Ok(true)
        }
        Some(Cmd::TestTask { lab, task }) => {
            readme::test_task(&ws, ws.find(&lab)?, task.as_deref())
        }
        Some(Cmd::Watch { lab, poll, test }) => {
            let lab = lab.map(|l| ws.find(&l)).transpose()?;
            verify::watch::run(&ws, lab, &options(&test), poll)
        }
        Some(Cmd::Manifest { write }) => {
            for rel in integrity::untracked(&ws) {
                eprintln!(
                    "verify: warning: {} is not tracked by git, so the manifest does not cover it: `git add` it, then write the manifest again",
                    rel.display()
                );
            }
            let text = integrity::render(&ws)?;
            let path = ws.root.join(integrity::MANIFEST);
            if write {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                println!(
                    "{} written ({} files).",
                    integrity::MANIFEST,
                    text.lines().filter(|l| !l.starts_with('#')).count()
                );
                Ok(true)
            } else if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
                println!("{} is current.", integrity::MANIFEST);
                Ok(true)
            } else {
                println!(
                    "{} is out of date: a graded file changed. Run `cargo run -p verify -- manifest --write` and commit it.",
                    integrity::MANIFEST
                );
                Ok(false)
            }
        }
        Some(Cmd::Mutants { lab, list }) => mutants::run(&ws, ws.find(&lab)?, list),
        Some(Cmd::BuildOnce) => build_once::check(&ws),
        Some(Cmd::WrongAnswers {
            lab,
            check,
            trial,
            test,
        }) => {
            let ws = match &lab {
                Some(name) => Workspace {
                    labs: vec![ws.find(name)?.clone()],
                    ..ws.clone()
                },
                None => ws,
            };
            if check {
                Ok(wrong_answers::check(&ws))
            } else {
                wrong_answers::run(&ws, lab.is_some(), trial.as_deref(), &options(&test))
            }
        }
        Some(Cmd::Report {
            run,
            from,
            out,
            html,
        }) => {
            let (results, evidence) = match from {
                Some(path) => results_from_json(&path)?,
                None => {
                    let (results, evidence) = grade_all(&ws, &run)?;
                    (results, Some(evidence))
                }
            };
            let md = report::markdown(&results, evidence.as_ref());
            match (out, &html) {
                (Some(path), _) => std::fs::write(&path, md)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                (None, None) => print!("{md}"),
                (None, Some(_)) => {}
            }
            if let Some(path) = html {
                let page = verify::html::page(&ws, &results, evidence.as_ref());
                std::fs::write(&path, page)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                println!("portfolio page written: {}", path.display());
            }
            Ok(true)
        }
        Some(Cmd::List) => {
            let progress = ProgressFile::load(&ws).unwrap_or_else(|e| {
                eprintln!("verify: {e:#}");
                ProgressFile::default()
            });
            for lab in &ws.labs {
                let done = match progress.tasks_done(lab) {
                    Some((done, total)) => format!("{done}/{total} tasks"),
                    None => "not graded".into(),
                };
                println!(
                    "{}  {:<10} {:<28} {:<11} {}",
                    lab.id(),
                    lab.meta.level.to_string(),
                    lab.package,
                    done,
                    lab.meta.title
                );
            }
            ui::print_next(progress.next(&ws));
            Ok(true)
        }
        Some(Cmd::Table { write }) => {
            let table = report::lab_table(&ws);
            if write {
                let path = ws.root.join("README.md");
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let Some(new) = report::with_lab_table(&text, &table) else {
                    bail!(
                        "README.md has no lab table marks; add\n{}\n{}",
                        report::TABLE_BEGIN,
                        report::TABLE_END
                    );
                };
                std::fs::write(&path, new)?;
                println!("README.md lab table updated ({} labs).", ws.labs.len());
                for lab in &ws.labs {
                    let Some(block) = readme::start_here(lab) else {
                        continue;
                    };
                    let path = lab.dir.join("README.md");
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    let new = readme::with_start_here(&text, &block);
                    if new != text {
                        std::fs::write(&path, new)?;
                        println!("{}: Start here block written.", path.display());
                    }
                }
            } else {
                print!("{table}");
            }
            Ok(true)
        }
        Some(Cmd::CheckStarters {
            run,
            order,
            no_cache,
            write_counts,
        }) => {
            // Honour --lab/--level by checking only the selected labs.
            let selected: Vec<Lab> = ws
                .select(run.lab.as_deref(), run.level)?
                .into_iter()
                .cloned()
                .collect();
            if selected.is_empty() {
                bail!("no lab matches --lab/--level");
            }
            let ws = Workspace {
                labs: selected,
                ..ws.clone()
            };
            let checks = starter::StarterChecks {
                order,
                cache: !no_cache,
                write_counts,
            };
            starter::check_starters(&ws, &options(&run.test), &checks)
        }
    }
}

/// Reads back the `labs` array of a report written with --json.
/// The labs and the evidence (`None` in a report of an older verify) of a
/// report saved with `--json`.
fn results_from_json(path: &std::path::Path) -> Result<(Vec<LabResult>, Option<report::Evidence>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let labs = serde_json::from_value(value["labs"].clone()).with_context(|| {
        format!(
            "{} is not a report written by `verify --json`",
            path.display()
        )
    })?;
    let evidence = serde_json::from_value(value["evidence"].clone()).ok();
    Ok((labs, evidence))
}

/// Prints one line per tool; false when a tool some lab needs is missing.
fn doctor() -> bool {
    let mut ok = true;
    println!("Checking the toolchain the labs need:\n");
    for tool in tools::all() {
        match tool.probe() {
            Probe::Found(version) => println!("  ok       {:<14} {version}", tool.name),
            Probe::Missing { why, install } => {
                let tag = if tool.optional { "optional" } else { "MISSING" };
                ok &= tool.optional;
                println!("  {tag:<8} {:<14} {}: {why}", tool.name, tool.what);
                println!("           {:<14} install: {install}", "");
            }
        }
    }
    println!();
    if ok {
        println!("Everything the labs need is here. Next: `make verify`.");
    } else {
        println!(
            "Install what is MISSING (the commands above; `make setup` does the Rust parts), then run `verify doctor` again."
        );
    }
    ok
}
