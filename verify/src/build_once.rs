//! `verify build-once`: after a warm workspace build, building any one
//! package compiles no registry crate again.
//!
//! Cargo resolves features per invocation: `cargo test -p lab01` turns on
//! only the features lab 01's dependency tree asks for, so a crate that
//! `cargo test --workspace` built with more features is compiled a second
//! time, under another hash. The workspace-hack crate (`cargo hakari`,
//! support/workspace-hack) makes every member ask for the union. This check
//! catches it going stale: a dependency added with new features and no
//! `cargo hakari generate` run.

use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use cargo_metadata::{Message, MetadataCommand};

use crate::labs::Workspace;

/// The workspace-wide commands `make test` runs, each followed by the ones
/// a learner, `make verify` and the Makefile run on one package (`P`: each
/// workspace member in turn) or on one named package. A lab's library
/// alone (`cargo build -p LAB`) is not among them: the labs take the
/// workspace-hack as a dev-dependency, so that C, Go or another lab can
/// link a lab's library without building the whole workspace's crates.
const GROUPS: [(&[&str], &[&[&str]]); 2] = [
    (
        &["test", "--workspace", "--no-run"],
        &[
            &["test", "-p", "P", "--no-run"],
            // `cargo run -p verify` (make verify) and what Go and C link.
            &["build", "-p", "verify"],
            &["build", "-p", "lab04-safe-ffi", "--lib"],
        ],
    ),
    (
        &["clippy", "--workspace", "--all-targets"],
        &[&["clippy", "-p", "P", "--all-targets"]],
    ),
];

/// Runs each group's workspace-wide command, then its other commands (the
/// `P` ones once per workspace member), and reports the registry crates
/// each of those compiled. Returns false when any did.
pub fn check(ws: &Workspace) -> Result<bool> {
    let md = MetadataCommand::new()
        .manifest_path(ws.root.join("Cargo.toml"))
        .no_deps()
        .exec()?;
    let mut ok = true;
    for (warm, each) in GROUPS {
        println!("warm: cargo {}", warm.join(" "));
        compiled(ws, warm)?;
        let mut commands: Vec<Vec<&str>> = Vec::new();
        for args in each {
            if args.contains(&"P") {
                for pkg in md.workspace_packages() {
                    let name = pkg.name.as_str();
                    commands.push(
                        args.iter()
                            .map(|a| if *a == "P" { name } else { a })
                            .collect(),
                    );
                }
            } else {
                commands.push(args.to_vec());
            }
        }
        for args in commands {
            let again = compiled(ws, &args)?;
            if again.is_empty() {
                println!("ok   cargo {}", args.join(" "));
            } else {
                ok = false;
                println!(
                    "FAIL cargo {}: compiled {} registry crate(s) again: {}",
                    args.join(" "),
                    again.len(),
                    again.join(", ")
                );
            }
        }
    }
    if !ok {
        println!(
            "\nfeatures differ between builds: run `cargo hakari generate && cargo hakari manage-deps` \
             (cargo install cargo-hakari; then move the workspace-hack line of each lab back to its \
             [dev-dependencies]), then this check again"
        );
    }
    Ok(ok)
}

/// Runs `cargo ARGS --message-format json` and returns the registry crates
/// it compiled (artifacts that were not fresh), as `name version`.
fn compiled(ws: &Workspace, args: &[&str]) -> Result<Vec<String>> {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(program)
        .current_dir(&ws.root)
        .args(args)
        .args(["--locked", "--message-format", "json"])
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
    if !output.status.success() {
        bail!("`cargo {}` failed (its errors are above)", args.join(" "));
    }
    let mut again = Vec::new();
    for message in Message::parse_stream(output.stdout.as_slice()) {
        if let Message::CompilerArtifact(a) = message?
            && !a.fresh
            && !a.package_id.repr.starts_with("path+")
        {
            // `registry+https://…#serde@1.0.228` → `serde@1.0.228`
            let repr = &a.package_id.repr;
            let short = repr.rsplit('#').next().unwrap_or(repr).to_string();
            if !again.contains(&short) {
                again.push(short);
            }
        }
    }
    Ok(again)
}
