//! Helpers the labs' tests share. Labs take this crate as a
//! dev-dependency only: nothing here is part of a lab's solution.
//!
//! - [`example`]: the path of an example program `cargo test` built.
//! - [`CountingAllocator`] and [`allocations`]: how often code calls the
//!   allocator, counted per thread (labs 01 and 05).
//! - [`nested_build`]: a `cargo build` from inside a test, into a target dir
//!   of its own (lab 04's static library for the C harness, lab 07's guest).
//! - [`rounds`] and [`Quartiles`]: the benches' ratio tables, from
//!   interleaved rounds (labs 06, 07 and 08), and [`write_ratios`]: the
//!   same ratios as the lab's machine-readable ratio file.
//!
//! The same folder holds `checkout.rs`, every lab's build script (it is not
//! part of this crate): see its own docs.

mod counting;

pub use counting::{CountingAllocator, allocations};

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The path of the package's example `name`, as `cargo test` built it.
///
/// `cargo test` builds a package's examples before its integration tests
/// (unless a `--test` filter is given) and copies each to
/// `<target dir>/<profile>/examples/<name>`. A test binary runs from
/// `<build dir>/<profile>/deps/`: the same place unless `build.build-dir`
/// moves the intermediate outputs elsewhere, as `verify check-starters`
/// does, and then an absolute `CARGO_TARGET_DIR` names the target dir.
///
/// Panics, saying how to build it, when the example is missing.
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("a test binary runs from <build dir>/<profile>/deps/");
    let dir = match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(target) if target.is_absolute() => match profile_dir.file_name() {
            Some(profile) => target.join(profile),
            None => profile_dir.to_path_buf(),
        },
        _ => profile_dir.to_path_buf(),
    };
    let path = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "<package>".into());
    assert!(
        path.exists(),
        "{} is missing: run `cargo test -p {package}` without a --test filter (it builds the \
         examples), or `cargo build -p {package} --example {name}` first",
        path.display()
    );
    path
}

/// Runs `cargo build ARGS --manifest-path MANIFEST` from inside a test, and
/// returns the target dir it built into with cargo's output.
///
/// The target dir is a private one: `label-<hash of MANIFEST's path>` under
/// `tmp_dir` (pass your `env!("CARGO_TARGET_TMPDIR")`). Private, because the
/// outer `cargo test` holds the lock on the shared target dir, so a nested
/// cargo there would wait forever. One per source location, because cargo
/// names a static library or a `.wasm` without a hash and judges freshness
/// by mtime: two copies of a lab (check-starters' scratch copy, a learner's
/// second clone) must not share one. The outer build's `CARGO_TARGET_DIR`
/// and `RUSTFLAGS` are not passed on: they are the outer build's.
///
/// The cargo is the one running the tests (`CARGO`), else `cargo`.
pub fn nested_build(
    manifest: &Path,
    tmp_dir: &Path,
    label: &str,
    args: &[&str],
) -> std::io::Result<(PathBuf, Output)> {
    let mut hasher = DefaultHasher::new();
    manifest.hash(&mut hasher);
    let target_dir = tmp_dir.join(format!("{label}-{:016x}", hasher.finish()));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .arg("build")
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(&target_dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .output()?;
    Ok((target_dir, output))
}

/// Times `cases` cases in interleaved rounds: case 0, 1, …, then again,
/// `rounds` times; `time(i)` runs case `i` once and returns its time.
/// Returns each case's times, in round order.
///
/// Interleaved, because this VM's speed drifts by up to 2× over the
/// seconds a sequential benchmark spends on each case: the per-round
/// ratio of two cases measured side by side is what stays stable.
pub fn rounds(rounds: usize, cases: usize, mut time: impl FnMut(usize) -> f64) -> Vec<Vec<f64>> {
    let mut times = vec![Vec::with_capacity(rounds); cases];
    for _ in 0..rounds {
        for (i, case) in times.iter_mut().enumerate() {
            case.push(time(i));
        }
    }
    times
}

/// The median and the quartiles of some measurements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quartiles {
    pub median: f64,
    /// The first quartile.
    pub low: f64,
    /// The third quartile.
    pub high: f64,
}

impl Quartiles {
    /// Of `values` (NaN sorts last); all zero when there are none.
    pub fn of(values: &[f64]) -> Quartiles {
        Quartiles::of_owned(values.to_vec())
    }

    /// Of the per-round ratios `times[i] / reference[i]`.
    pub fn of_ratios(times: &[f64], reference: &[f64]) -> Quartiles {
        Quartiles::of_owned(times.iter().zip(reference).map(|(t, r)| t / r).collect())
    }

    fn of_owned(mut v: Vec<f64>) -> Quartiles {
        v.sort_by(f64::total_cmp);
        let at = |q: usize| v.get(v.len() * q / 4).copied().unwrap_or(0.0);
        Quartiles {
            median: at(2),
            low: at(1),
            high: at(3),
        }
    }
}

impl std::fmt::Display for Quartiles {
    /// A ratio as the README tables write it: `1.12× (1.10–1.15)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2}× ({:.2}–{:.2})", self.median, self.low, self.high)
    }
}

/// One figure of a lab's ratio file: this code against `peer`, measured
/// in the same sitting ([`rounds`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// `lab06/req-vs-httparse`: a name kept across commits.
    pub figure: String,
    pub peer: String,
    pub ratio: Quartiles,
    pub rounds: usize,
    /// A speed ratio (ours over the peer's throughput), where higher is
    /// better, rather than a time ratio.
    pub higher_is_better: bool,
}

/// Writes `figures` as `<target dir>/bench-ratios/lab<lab>.json` (what
/// `verify report --html` charts) and returns its path: a JSON list of
/// `{"figure", "peer", "median", "q1", "q3", "rounds", "commit",
/// "higher_is_better"}`. The target dir is the bench binary's (or an
/// absolute `CARGO_TARGET_DIR`, as in [`example`]); `commit` is
/// `git rev-parse HEAD` of the current folder, `unknown` without git.
pub fn write_ratios(lab: &str, figures: &[Figure]) -> std::io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let target = match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        // <target>/<profile>/deps/<bench>
        _ => exe
            .ancestors()
            .nth(3)
            .map(Path::to_path_buf)
            .ok_or_else(|| {
                std::io::Error::other("the bench binary is not in <target>/<profile>/deps/")
            })?,
    };
    let commit = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let rows: Vec<String> = figures
        .iter()
        .map(|f| {
            format!(
                "  {{\"figure\": {}, \"peer\": {}, \"median\": {:.4}, \"q1\": {:.4}, \"q3\": {:.4}, \"rounds\": {}, \"commit\": {}, \"higher_is_better\": {}}}",
                json_string(&f.figure),
                json_string(&f.peer),
                f.ratio.median,
                f.ratio.low,
                f.ratio.high,
                f.rounds,
                json_string(&commit),
                f.higher_is_better
            )
        })
        .collect();
    let dir = target.join("bench-ratios");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("lab{lab}.json"));
    std::fs::write(&path, format!("[\n{}\n]\n", rows.join(",\n")))?;
    Ok(path)
}

/// [`write_ratios`], saying where the file went (or why it could not be
/// written: the bench's tables are printed either way).
pub fn save_ratios(lab: &str, figures: &[Figure]) {
    match write_ratios(lab, figures) {
        Ok(path) => println!("ratios written to {}", path.display()),
        Err(e) => eprintln!("could not write lab {lab}'s ratio file: {e}"),
    }
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::{Quartiles, json_string, rounds};

    #[test]
    fn a_ratio_file_lands_in_the_target_dir_with_every_field() {
        let figure = super::Figure {
            figure: "support/x-vs-y".into(),
            peer: "y".into(),
            ratio: Quartiles::of(&[1.0, 2.0, 3.0, 4.0]),
            rounds: 4,
            higher_is_better: false,
        };
        let path = super::write_ratios("-support-test", &[figure]).expect("written");
        let text = std::fs::read_to_string(&path).expect("read back");
        let _ = std::fs::remove_file(&path);
        assert!(
            path.ends_with("bench-ratios/lab-support-test.json"),
            "{}",
            path.display()
        );
        assert!(
            text.starts_with("[\n  {\"figure\": \"support/x-vs-y\", \"peer\": \"y\", \"median\": 3.0000, \"q1\": 2.0000, \"q3\": 4.0000, \"rounds\": 4, \"commit\": \""),
            "{text}"
        );
        assert!(
            text.ends_with("\"higher_is_better\": false}\n]\n"),
            "{text}"
        );
    }

    #[test]
    fn strings_are_json_escaped() {
        assert_eq!(json_string("a\"b\\c\n"), r#""a\"b\\c\u000a""#);
    }

    #[test]
    fn rounds_interleave_the_cases() {
        let mut order = Vec::new();
        let times = rounds(2, 3, |i| {
            order.push(i);
            i as f64
        });
        assert_eq!(order, [0, 1, 2, 0, 1, 2]);
        assert_eq!(times, [vec![0.0, 0.0], vec![1.0, 1.0], vec![2.0, 2.0]]);
    }

    #[test]
    fn quartiles_are_read_from_the_sorted_values() {
        let q = Quartiles::of(&[5.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!((q.median, q.low, q.high), (3.0, 2.0, 4.0));
        let r = Quartiles::of_ratios(&[2.0, 4.0, 6.0], &[1.0, 2.0, 2.0]);
        assert_eq!((r.median, r.low, r.high), (2.0, 2.0, 3.0));
        assert_eq!(r.to_string(), "2.00× (2.00–3.00)");
        assert_eq!(Quartiles::of(&[]).median, 0.0);
    }
}
