//! `verify report --html FILE`: the portfolio page.
//!
//! One static HTML file with its CSS inline and no script, so it opens
//! from disk, from a CI artifact or from a static host the same way: the
//! grade table, each lab's tasks, and each lab's benchmark ratios against
//! its peer as inline SVG bar charts. The ratios come from the files the
//! benches write, `$CARGO_TARGET_DIR/bench-ratios/labNN.json` ([`Ratio`]);
//! a lab without one says which command writes it. The evidence line
//! (commit, toolchain, hash of the tests) lets a reviewer grade the same
//! code again.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Deserialize;

use crate::grade::{LabResult, LabStatus, level_reached};
use crate::labs::Workspace;
use crate::report::Evidence;

/// One row of a bench's ratio file: a figure of this code against its
/// peer, measured in the same sitting as the median of per-round ratios
/// over interleaved rounds, with the quartiles of those ratios.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Ratio {
    /// `lab06/req-vs-httparse`: stable across commits.
    pub figure: String,
    /// What it is compared with (`httparse 1.10`, `Go goroutines`).
    pub peer: String,
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
    pub rounds: u32,
    /// The commit the bench ran at.
    pub commit: String,
    /// A speed ratio (ours / peer throughput) rather than a time ratio.
    #[serde(default)]
    pub higher_is_better: bool,
}

/// Where a lab's ratio file is.
pub fn ratio_file(ws: &Workspace, lab_id: &str) -> PathBuf {
    ws.target_dir
        .join("bench-ratios")
        .join(format!("lab{lab_id}.json"))
}

/// The lab's ratios: `Ok(None)` when it has no file, an error naming the
/// file when the file is not a list of [`Ratio`]s (never silently empty).
pub fn read_ratios(ws: &Workspace, lab_id: &str) -> Result<Option<Vec<Ratio>>, String> {
    let path = ratio_file(ws, lab_id);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let ratios: Vec<Ratio> = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a ratio file: {e}", path.display()))?;
    if let Some(bad) = ratios.iter().find(|r| {
        !(r.median > 0.0 && r.q1 > 0.0 && r.q3 >= r.q1 && r.median.is_finite() && r.q3.is_finite())
    }) {
        return Err(format!(
            "{}: `{}` has ratios that are not positive numbers with q1 <= q3",
            path.display(),
            bad.figure
        ));
    }
    Ok(Some(ratios))
}

const STYLE: &str = "
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;background:#f6f8fa;margin:0}
main{max-width:980px;margin:0 auto;padding:24px 32px 48px;background:#fff}
h1{font-size:28px;margin:8px 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 4px}.lead{font-size:17px;margin:4px 0}
.evidence{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;color:#57606a;background:#f6f8fa;padding:8px;border-radius:6px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;white-space:nowrap}
.badge{font-size:12px;padding:1px 8px;border-radius:10px;color:#fff;vertical-align:middle;white-space:nowrap}
.pass{background:#1a7f37}.fail,.error,.modified{background:#cf222e}.timeout{background:#9a6700}.skip{background:#6e7781}
ul.tasks{list-style:none;padding:0;margin:4px 0;columns:2}ul.tasks li{break-inside:avoid}
.done{color:#1a7f37}.open{color:#57606a}.note{color:#57606a;font-style:italic}
svg text{font:12px system-ui,sans-serif;fill:#1f2328}svg .axis{fill:#57606a}
";

/// The whole page.
pub fn page(ws: &Workspace, results: &[LabResult], evidence: Option<&Evidence>) -> String {
    let earned: u32 = results.iter().map(|r| r.points_earned).sum();
    let total: u32 = results.iter().map(|r| r.points).sum();
    let passed = results
        .iter()
        .filter(|r| r.status == LabStatus::Pass)
        .count();
    let reached = level_reached(results).map_or("none yet".to_string(), |l| l.to_string());
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Rust systems labs: portfolio</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>Rust systems labs</h1>\n<p class=\"lead\">Level reached: <b>{}</b> · {earned}/{total} points · {passed} of {} labs pass</p>\n<p class=\"evidence\">Evidence: {}</p>\n",
        esc(&reached),
        results.len(),
        esc(&evidence.map_or(
            "not recorded (a report saved by an older verify)".to_string(),
            Evidence::line
        ))
    );
    out.push_str("<h2>Grades</h2>\n<table>\n<tr><th>#</th><th>Lab</th><th>Level</th><th>What it builds</th><th>Tasks</th><th>Tests</th><th>Status</th></tr>\n");
    for r in results {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#lab-{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}/{}</td><td class=\"n\">{}/{}</td><td>{}</td></tr>",
            esc(&r.title),
            r.level,
            inline_code(&r.summary),
            r.tasks_done(),
            r.tasks.len(),
            r.tests_passed,
            r.tests_total,
            badge(r.status),
            id = esc(&r.lab),
        );
    }
    out.push_str("</table>\n");
    out.push_str(&points_chart(results));
    for r in results {
        out.push_str(&lab_section(ws, r));
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn badge(status: LabStatus) -> String {
    let word = status.word().to_lowercase();
    let shown = match status {
        LabStatus::Error => "does not build",
        LabStatus::Modified => "tests modified",
        LabStatus::Timeout => "timed out",
        LabStatus::Skip => "skipped",
        _ => word.as_str(),
    };
    format!("<span class=\"badge {word}\">{shown}</span>")
}

fn lab_section(ws: &Workspace, r: &LabResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<h2 id=\"lab-{id}\">Lab {id}: {} {}</h2>\n<p>{} · {}/{} points</p>",
        esc(&r.title),
        badge(r.status),
        inline_code(&r.summary),
        r.points_earned,
        r.points,
        id = esc(&r.lab),
    );
    if let Some(message) = r.message.as_deref().filter(|_| r.status != LabStatus::Pass) {
        let first = message.lines().next().unwrap_or("");
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(first));
    }
    out.push_str("<ul class=\"tasks\">\n");
    for (i, t) in r.tasks.iter().enumerate() {
        let (class, mark) = if t.done {
            ("done", "✓")
        } else {
            ("open", "✗")
        };
        let _ = writeln!(
            out,
            "<li class=\"{class}\">{mark} {}. <code>{}</code> {} ({}/{})</li>",
            i + 1,
            esc(&t.id),
            esc(&t.title),
            t.points_earned,
            t.points
        );
    }
    out.push_str("</ul>\n<h3>Benchmarks</h3>\n");
    let lab = ws.labs.iter().find(|l| l.package == r.package);
    let bench = lab.and_then(|l| l.meta.bench.as_deref());
    match read_ratios(ws, &r.lab) {
        Ok(Some(ratios)) if !ratios.is_empty() => out.push_str(&ratio_chart(&ratios)),
        Err(e) => {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(&e));
        }
        Ok(_) => {
            let _ = match bench {
                Some(cmd) => writeln!(
                    out,
                    "<p class=\"note\">No benchmark ratios yet: run <code>{}</code>, which writes <code>bench-ratios/lab{}.json</code> in the target dir.</p>",
                    esc(cmd),
                    esc(&r.lab)
                ),
                None if lab.is_some_and(|l| l.dir.join("benches").is_dir()) => writeln!(
                    out,
                    "<p class=\"note\">Its benchmark writes no ratio file yet: see the lab's README, Measured.</p>"
                ),
                None => writeln!(out, "<p class=\"note\">This lab has no benchmark.</p>"),
            };
        }
    }
    out
}

/// A horizontal bar per lab: points earned of its points.
fn points_chart(results: &[LabResult]) -> String {
    const LABEL: f64 = 230.0;
    const BAR: f64 = 560.0;
    const ROW: f64 = 26.0;
    let height = ROW * results.len() as f64 + 8.0;
    let mut out = svg_open("points per lab", LABEL + BAR + 90.0, height);
    for (i, r) in results.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let share = if r.points == 0 {
            0.0
        } else {
            f64::from(r.points_earned) / f64::from(r.points)
        };
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{ty}\">{} {}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{BAR}\" height=\"18\" rx=\"3\" fill=\"#eaeef2\"/><rect x=\"{LABEL}\" y=\"{y}\" width=\"{:.1}\" height=\"18\" rx=\"3\" fill=\"#1a7f37\"/><text x=\"{tx}\" y=\"{ty}\">{}/{} points</text>",
            esc(&r.lab),
            esc(&shorten(&r.title, 30)),
            BAR * share,
            r.points_earned,
            r.points,
            ty = y + 13.0,
            tx = LABEL + BAR + 8.0,
        );
    }
    out.push_str("</svg>\n");
    out
}

/// A bar per figure from the 1× line (as fast as the peer) to its median,
/// on a log scale so 0.5× and 2× are as far from parity; the thin line is
/// the interquartile range of the per-round ratios.
pub fn ratio_chart(ratios: &[Ratio]) -> String {
    const LABEL: f64 = 290.0;
    const BAR: f64 = 360.0;
    const ROW: f64 = 30.0;
    const NOTE: f64 = 430.0;
    let lo = ratios
        .iter()
        .map(|r| r.q1.min(r.median))
        .fold(0.5, f64::min)
        .log2()
        .floor();
    let hi = ratios
        .iter()
        .map(|r| r.q3.max(r.median))
        .fold(2.0, f64::max)
        .log2()
        .ceil();
    let x = |r: f64| LABEL + (r.log2() - lo) / (hi - lo) * BAR;
    let height = ROW * ratios.len() as f64 + 40.0;
    let mut out = svg_open(
        "benchmark ratios against the peer",
        LABEL + BAR + NOTE,
        height,
    );
    let bottom = ROW * ratios.len() as f64 + 4.0;
    let mut p = lo;
    while p <= hi {
        let r = 2f64.powf(p);
        let _ = writeln!(
            out,
            "<line x1=\"{gx:.1}\" y1=\"0\" x2=\"{gx:.1}\" y2=\"{bottom}\" stroke=\"{}\" stroke-width=\"{}\"/><text class=\"axis\" x=\"{gx:.1}\" y=\"{}\" text-anchor=\"middle\">{}×</text>",
            if p == 0.0 { "#57606a" } else { "#d0d7de" },
            if p == 0.0 { 1.5 } else { 1.0 },
            bottom + 14.0,
            trim_ratio(r),
            gx = x(r),
        );
        p += 1.0;
    }
    for (i, r) in ratios.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let (a, b) = (x(1.0).min(x(r.median)), x(1.0).max(x(r.median)));
        let better = if r.higher_is_better {
            r.median >= 1.0
        } else {
            r.median <= 1.0
        };
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"{ty}\">{}</text><rect x=\"{a:.1}\" y=\"{y}\" width=\"{:.1}\" height=\"16\" fill=\"{}\"/><line x1=\"{:.1}\" y1=\"{my}\" x2=\"{:.1}\" y2=\"{my}\" stroke=\"#1f2328\" stroke-width=\"1.5\"/><text x=\"{tx}\" y=\"{ty}\">{:.2}× {} (IQR {:.2}–{:.2}, {} rounds)</text>",
            esc(&r.figure),
            (b - a).max(1.0),
            if better { "#2da44e" } else { "#bf8700" },
            x(r.q1),
            x(r.q3),
            r.median,
            esc(&r.peer),
            r.q1,
            r.q3,
            r.rounds,
            ty = y + 12.0,
            my = y + 8.0,
            tx = LABEL + BAR + 8.0,
        );
    }
    let _ = writeln!(
        out,
        "<text class=\"axis\" x=\"0\" y=\"{}\">× the peer, same sitting (median of interleaved rounds, line: IQR; green: at least as good)</text>\n</svg>",
        bottom + 32.0
    );
    out
}

/// An inline SVG that scales to the page's width.
fn svg_open(label: &str, width: f64, height: f64) -> String {
    format!(
        "<svg role=\"img\" aria-label=\"{label}\" width=\"100%\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    )
}

fn trim_ratio(r: f64) -> String {
    let s = format!("{r:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// Text for HTML content and attribute values.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Markdown's `code` spans (the labs' summaries use them) as `<code>`.
fn inline_code(s: &str) -> String {
    esc(s)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(figure: &str, median: f64) -> Ratio {
        Ratio {
            figure: figure.into(),
            peer: "httparse".into(),
            median,
            q1: median * 0.9,
            q3: median * 1.1,
            rounds: 101,
            commit: "abc".into(),
            higher_is_better: false,
        }
    }

    #[test]
    fn text_is_escaped_and_code_spans_become_code() {
        assert_eq!(esc("<a href=\"x\">&"), "&lt;a href=&quot;x&quot;&gt;&amp;");
        assert_eq!(
            inline_code("`bad_concat` fixed, `<T>`"),
            "<code>bad_concat</code> fixed, <code>&lt;T&gt;</code>"
        );
    }

    #[test]
    fn the_ratio_chart_has_a_bar_per_figure_and_the_parity_line_in_the_middle() {
        let svg = ratio_chart(&[ratio("lab06/req-vs-httparse", 1.12), ratio("lab06/x", 0.5)]);
        assert_eq!(svg.matches("<rect ").count(), 2, "{svg}");
        assert!(
            svg.contains("1.12× httparse (IQR 1.01–1.23, 101 rounds)"),
            "{svg}"
        );
        // The axis runs from 0.25× (the power of two below the lowest
        // quartile, 0.45) to 2×: the 1× line is two steps of three along.
        assert!(svg.contains(">0.25×<") && svg.contains(">2×<"), "{svg}");
        assert!(svg.contains("x1=\"530.0\""), "1× at 290 + 360 · 2/3: {svg}");
        // A time ratio above 1 is worse than the peer, below 1 better.
        assert!(svg.contains("fill=\"#bf8700\"") && svg.contains("fill=\"#2da44e\""));
    }

    #[test]
    fn a_ratio_file_that_is_not_a_list_of_ratios_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("ratios-{}", std::process::id()));
        let ws = Workspace {
            root: dir.clone(),
            target_dir: dir.clone(),
            build_dir: dir.clone(),
            labs: Vec::new(),
        };
        assert_eq!(read_ratios(&ws, "06"), Ok(None));
        let path = ratio_file(&ws, "06");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(&path, "{\"figure\": 1}").expect("write");
        let err = read_ratios(&ws, "06").expect_err("not a list");
        assert!(err.contains("lab06.json is not a ratio file"), "{err}");
        std::fs::write(
            &path,
            r#"[{"figure":"f","peer":"p","median":-1,"q1":1,"q3":2,"rounds":3,"commit":"c"}]"#,
        )
        .expect("write");
        let err = read_ratios(&ws, "06").expect_err("negative");
        assert!(
            err.contains("`f` has ratios that are not positive"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
