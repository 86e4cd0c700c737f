//! The tools the labs need beyond Rust, how to detect each, and the one
//! command that installs it. `verify doctor` prints this; labs name tools
//! in `requires`, and a lab whose tool is missing is skipped with a reason.

use std::path::Path;
use std::process::{Command, Stdio};

/// The oldest rustc the workspace builds with: `rust-version` in the
/// workspace's Cargo.toml, which verify inherits.
const MIN_RUSTC: &str = env!("CARGO_PKG_RUST_VERSION");

/// Set to a comma-separated list of tool names to make verify treat them as
/// missing: a way for authors (and the grader's own tests) to see exactly
/// what a learner without, say, Go sees.
pub const PRETEND_MISSING_ENV: &str = "VERIFY_PRETEND_MISSING";

#[derive(Debug)]
pub struct Tool {
    pub name: &'static str,
    pub what: &'static str,
    /// Needed by some lab (true) or only by optional targets like `make miri`.
    pub optional: bool,
    probe: fn() -> Result<String, String>,
    install: fn() -> String,
}

/// The result of probing one tool: its version line, or why it is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    Found(String),
    Missing { why: String, install: String },
}

impl Tool {
    pub fn probe(&self) -> Probe {
        let pretend = std::env::var(PRETEND_MISSING_ENV).unwrap_or_default();
        if pretend.split(',').any(|t| t.trim() == self.name) {
            return Probe::Missing {
                why: format!("treated as missing because {PRETEND_MISSING_ENV} names it"),
                install: (self.install)(),
            };
        }
        match (self.probe)() {
            Ok(v) => Probe::Found(v),
            Err(why) => Probe::Missing {
                why,
                install: (self.install)(),
            },
        }
    }
}

const TOOLS: &[Tool] = &[
    Tool {
        name: "rustc",
        what: "Rust compiler (the toolchain rust-toolchain.toml pins)",
        optional: false,
        probe: probe_rustc,
        // In the checkout, rustup reads rust-toolchain.toml: the pinned
        // toolchain with its components and targets.
        install: || "rustup toolchain install (in the checkout)".into(),
    },
    Tool {
        name: "wasm32-wasip1",
        what: "Rust standard library for the wasm32-wasip1 target (WASI guests)",
        optional: false,
        probe: probe_wasip1,
        install: || "rustup target add wasm32-wasip1".into(),
    },
    Tool {
        name: "cc",
        what: "C compiler (the FFI lab's C harness)",
        optional: false,
        probe: || version_of("cc", &["--version"]),
        install: || os_package("build-essential", "xcode-select --install"),
    },
    Tool {
        name: "go",
        what: "Go toolchain, 1.19 or newer (the Go callers and benchmarks)",
        optional: false,
        probe: || version_of("go", &["version"]),
        install: || os_package("golang-go", "brew install go"),
    },
    Tool {
        name: "valgrind",
        what: "valgrind memcheck (the C harness runs under it)",
        optional: false,
        probe: || version_of("valgrind", &["--version"]),
        install: || os_package("valgrind", "brew install valgrind"),
    },
    Tool {
        name: "qemu-system-arm",
        what: "QEMU for Arm (lab 09 runs its firmware on an emulated LM3S6965 board)",
        optional: false,
        probe: || version_of("qemu-system-arm", &["--version"]),
        install: || os_package("qemu-system-arm", "brew install qemu"),
    },
    Tool {
        name: "tmux",
        what: "tmux (the test of `verify watch` drives it like a person; optional for learners)",
        optional: true,
        probe: || version_of("tmux", &["-V"]),
        install: || os_package("tmux", "brew install tmux"),
    },
    Tool {
        name: "python3",
        what: "Python 3 (lab 02's scikit-learn and SciPy checks, `make bench-go-vs-tokio`, `make bench-ffi`)",
        optional: true,
        probe: || version_of("python3", &["--version"]),
        install: || os_package("python3", "brew install python"),
    },
    Tool {
        name: "miri",
        what: "nightly Rust with Miri (lab 05's Miri checks, `make miri`)",
        optional: false,
        probe: || version_of("cargo", &["+nightly", "miri", "--version"]),
        install: || {
            "rustup toolchain install nightly --profile minimal --component miri,rust-src".into()
        },
    },
];

pub fn all() -> &'static [Tool] {
    TOOLS
}

pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.name == name)
}

pub fn names() -> Vec<&'static str> {
    TOOLS.iter().map(|t| t.name).collect()
}

/// Runs `cmd args` and returns the first line it printed.
fn version_of(cmd: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("`{cmd}` could not be run: {e}"))?;
    let text = String::from_utf8_lossy(if out.stdout.is_empty() {
        &out.stderr
    } else {
        &out.stdout
    })
    .to_string();
    let first = text.lines().next().unwrap_or("").trim().to_string();
    if out.status.success() {
        Ok(first)
    } else {
        Err(format!("`{cmd} {}` failed: {first}", args.join(" ")))
    }
}

fn probe_rustc() -> Result<String, String> {
    let line = version_of("rustc", &["--version"])?;
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let found = line
        .split_whitespace()
        .nth(1)
        .and_then(major_minor)
        .ok_or_else(|| format!("cannot read the version in `{line}`"))?;
    match major_minor(MIN_RUSTC) {
        Some(min) if found < min => Err(format!("{line} is older than {MIN_RUSTC}")),
        _ => Ok(line),
    }
}

/// `1.95.0`, `1.95` or `1.96.0-nightly` as (1, 95).
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut it = version.split(['.', '-']);
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

fn probe_wasip1() -> Result<String, String> {
    let out = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("`rustc` could not be run: {e}"))?;
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let lib = Path::new(&sysroot).join("lib/rustlib/wasm32-wasip1/lib");
    if lib.is_dir() {
        Ok(format!("installed in {sysroot}"))
    } else {
        Err(format!("not installed for the toolchain at {sysroot}"))
    }
}

/// The install command for a system package, for the OS at hand.
fn os_package(debian: &str, macos: &str) -> String {
    if cfg!(target_os = "macos") {
        macos.to_string()
    } else if Path::new("/etc/debian_version").exists() {
        let root = rustix::process::geteuid().is_root();
        let sudo = if root { "" } else { "sudo " };
        format!("{sudo}apt-get install -y {debian}")
    } else {
        format!("install `{debian}` with your system's package manager")
    }
}

#[cfg(test)]
mod tests {
    use super::{MIN_RUSTC, major_minor};

    #[test]
    fn versions_are_read_as_major_and_minor() {
        assert_eq!(major_minor("1.95.0"), Some((1, 95)));
        assert_eq!(major_minor("1.96.0-nightly"), Some((1, 96)));
        assert_eq!(major_minor("1.95"), Some((1, 95)));
        assert_eq!(major_minor("one.two"), None);
        assert!(
            major_minor(MIN_RUSTC).is_some(),
            "the workspace's rust-version `{MIN_RUSTC}` is readable"
        );
    }
}
