//! Running a child command with a time limit, reading its merged output line
//! by line, and killing its whole process group when the limit hits.
//!
//! `cargo test` starts test binaries, which may start processes of their own
//! (a hanging test's `sleep`, a server). Killing only cargo would leave them
//! running and holding our pipe open, so the child is made the leader of a
//! new process group and the group is killed as a whole.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rustix::process::{Pid, Signal, kill_process_group};

#[derive(Debug)]
pub enum Finished {
    Exited(ExitStatus),
    TimedOut,
}

/// Runs `cmd` (consumed, so its copy of the pipe closes) with stdout and
/// stderr merged, calling `on_line` for each line as it arrives.
pub fn run_streaming(
    mut cmd: Command,
    limit: Duration,
    mut on_line: impl FnMut(&str),
) -> Result<Finished> {
    let (reader, writer) = std::io::pipe().context("cannot create a pipe")?;
    cmd.stdin(Stdio::null())
        .stdout(writer.try_clone().context("cannot clone a pipe")?)
        .stderr(writer)
        .process_group(0);
    let program = format!("{cmd:?}");
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    drop(cmd); // closes our copies of the pipe's write end

    let (tx, rx) = mpsc::channel::<String>();
    let pump = std::thread::spawn(move || {
        for line in BufReader::new(reader).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line)
                .trim_end_matches('\r')
                .to_string();
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    let deadline = Instant::now() + limit;
    let pgid = Pid::from_child(&child);
    let mut exited: Option<ExitStatus> = None;
    let mut timed_out = false;
    let mut grace_until: Option<Instant> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(line) => on_line(&line),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if exited.is_none() && !timed_out {
            if let Some(status) = child.try_wait().context("cannot wait for the child")? {
                exited = Some(status);
                // Stragglers the child left behind would keep the pipe open.
                kill_group(pgid);
                grace_until = Some(Instant::now() + Duration::from_secs(2));
            } else if Instant::now() >= deadline {
                kill_group(pgid);
                timed_out = true;
                grace_until = Some(Instant::now() + Duration::from_secs(2));
            }
        }
        if grace_until.is_some_and(|g| Instant::now() >= g) {
            break; // a process outside the group still holds the pipe
        }
    }
    drop(rx);
    let status = match exited {
        Some(s) => s,
        None => child.wait().context("cannot wait for the child")?,
    };
    if pump.is_finished() {
        let _ = pump.join();
    }
    Ok(if timed_out {
        Finished::TimedOut
    } else {
        Finished::Exited(status)
    })
}

/// Kills the process group led by our child. The group id stays ours while
/// any member lives; only after every member has exited could the id be
/// recycled, and then kill fails with ESRCH in practice. Failure (the
/// group is gone) needs no handling.
fn kill_group(pgid: Pid) {
    let _ = kill_process_group(pgid, Signal::KILL);
}
