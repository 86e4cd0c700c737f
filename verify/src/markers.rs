//! The solution-marker scheme: one source file holds both the reference
//! solution and the exercise.
//!
//! ```text
//! pub fn add(a: i32, b: i32) -> i32 {
//!     // lab:begin(add) return the sum of `a` and `b`
//!     a + b
//!     // lab:end
//! }
//! ```
//!
//! In the starter, the lines between `lab:begin` and `lab:end` become
//! `todo!("add: return the sum of `a` and `b`")`, indented like the marker.
//! Where `todo!()` cannot stand (an item list, a type, `impl Trait` return
//! position, a loop that must still compile), the region carries its own
//! starter after a `// lab:starter` line, written as line comments:
//!
//! ```text
//!     // lab:begin(words) yield each word of the text
//!     self.text.split_whitespace()
//!     // lab:starter
//!     // std::iter::empty()
//!     // lab:end
//! ```
//!
//! The markers stay in the starter, so the learner sees where each task is,
//! and the grader can tell a starter (every region still its stub) from a
//! reference. Markers are whole lines, do not nest, and ids are unique per file.

use anyhow::{Result, bail};

const BEGIN: &str = "// lab:begin(";
const STARTER: &str = "// lab:starter";
const END: &str = "// lab:end";

/// One marked task in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub id: String,
    pub description: String,
    /// 1-based line of the `lab:begin` marker.
    pub line: usize,
    indent: String,
    /// The lines between `lab:begin` and `lab:starter` (or `lab:end`).
    body: Vec<String>,
    /// The comment lines of the `lab:starter` section, as written.
    starter_section: Option<Vec<String>>,
}

impl Region {
    /// The lines the starter puts in place of the reference body.
    pub fn stub(&self) -> Vec<String> {
        match &self.starter_section {
            Some(lines) => lines
                .iter()
                .map(|l| {
                    let code = l.trim_start();
                    let code = code
                        .strip_prefix("// ")
                        .or_else(|| code.strip_prefix("//"))
                        .unwrap_or(code);
                    if code.is_empty() {
                        String::new()
                    } else {
                        format!("{}{code}", self.indent)
                    }
                })
                .collect(),
            None => vec![format!(
                "{}todo!(\"{}\")",
                self.indent,
                escape_format_literal(&format!("{}: {}", self.id, self.description))
            )],
        }
    }

    /// The 0-based numbers of the body's lines in the file (the reference
    /// code, without the markers and the `lab:starter` section).
    pub fn body_lines(&self) -> std::ops::Range<usize> {
        self.line..self.line + self.body.len()
    }

    /// True when a line of the body (the code between the markers) holds `needle`.
    pub fn body_contains(&self, needle: &str) -> bool {
        self.body.iter().any(|l| l.contains(needle))
    }

    /// True when the body is the stub: the task has not been done.
    pub fn is_stub(&self) -> bool {
        let trim = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|l| l.trim_end().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        };
        trim(&self.body) == trim(&self.stub())
    }
}

/// Escapes text for a string literal that is also a format string.
fn escape_format_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            c => out.push(c),
        }
    }
    out
}

/// A file split into plain lines and regions.
enum Piece {
    Line(String),
    Region(Region),
}

fn split(src: &str, path: &str) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut open: Option<Region> = None;
    let mut in_starter = false;
    let mut ids = std::collections::BTreeSet::new();
    for (i, line) in src.lines().enumerate() {
        let n = i + 1;
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(BEGIN) {
            if let Some(r) = &open {
                bail!(
                    "{path}:{n}: `lab:begin` inside region `{}` opened at line {}; close it with `// lab:end` first",
                    r.id,
                    r.line
                );
            }
            let Some((id, description)) = rest.split_once(')') else {
                bail!("{path}:{n}: write the marker as `// lab:begin(ID) what to do`");
            };
            let (id, description) = (id.trim(), description.trim());
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                bail!("{path}:{n}: region id `{id}` must be letters, digits and `_`");
            }
            if description.is_empty() {
                bail!(
                    "{path}:{n}: region `{id}` needs a description: it is the learner's task text"
                );
            }
            if !ids.insert(id.to_string()) {
                bail!("{path}:{n}: region id `{id}` is used twice in this file");
            }
            open = Some(Region {
                id: id.to_string(),
                description: description.to_string(),
                line: n,
                indent: line[..line.len() - t.len()].to_string(),
                body: Vec::new(),
                starter_section: None,
            });
            in_starter = false;
        } else if t.starts_with(STARTER) && t.trim_end() == STARTER {
            match &mut open {
                Some(r) if !in_starter => r.starter_section = Some(Vec::new()),
                Some(_) => bail!("{path}:{n}: a second `lab:starter` in one region"),
                None => bail!("{path}:{n}: `lab:starter` outside a region"),
            }
            in_starter = true;
        } else if t.starts_with(END) && t.trim_end() == END {
            match open.take() {
                Some(r) => pieces.push(Piece::Region(r)),
                None => bail!("{path}:{n}: `lab:end` without a `lab:begin`"),
            }
            in_starter = false;
        } else if t.starts_with("// lab:") {
            bail!(
                "{path}:{n}: unknown marker `{}`; the markers are lab:begin(ID), lab:starter, lab:end",
                t.trim_end()
            );
        } else if let Some(r) = &mut open {
            if in_starter {
                if !(t.is_empty() || t.starts_with("//")) {
                    bail!(
                        "{path}:{n}: the `lab:starter` section of `{}` must be line comments (`// code`)",
                        r.id
                    );
                }
                r.starter_section
                    .get_or_insert_with(Vec::new)
                    .push(line.to_string());
            } else {
                r.body.push(line.to_string());
            }
        } else {
            pieces.push(Piece::Line(line.to_string()));
        }
    }
    if let Some(r) = open {
        bail!(
            "{path}:{}: region `{}` is never closed with `// lab:end`",
            r.line,
            r.id
        );
    }
    Ok(pieces)
}

/// The regions of a file, in order.
pub fn regions(src: &str, path: &str) -> Result<Vec<Region>> {
    Ok(split(src, path)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Region(r) => Some(r),
            Piece::Line(_) => None,
        })
        .collect())
}

/// The starter version of a file: every region's body replaced by its stub.
pub fn to_starter(src: &str, path: &str) -> Result<String> {
    to_starter_except(src, path, &|_| false)
}

/// The file with every region emptied: only its `lab:begin` and `lab:end`
/// lines stay. What the tamper check hashes: everything inside a region,
/// its starter section included, is the learner's to change.
pub fn skeleton(src: &str, path: &str) -> Result<String> {
    let mut out = String::with_capacity(src.len());
    for piece in split(src, path)? {
        match piece {
            Piece::Line(l) => out.push_str(&l),
            Piece::Region(r) => {
                out.push_str(&format!("{}{BEGIN}{}) {}\n", r.indent, r.id, r.description));
                out.push_str(&format!("{}{END}", r.indent));
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// The starter version of a file, except that the regions whose id `keep`
/// accepts keep their reference body (a learner who has done those tasks).
pub fn to_starter_except(src: &str, path: &str, keep: &dyn Fn(&str) -> bool) -> Result<String> {
    let mut out = String::with_capacity(src.len());
    for piece in split(src, path)? {
        match piece {
            Piece::Line(l) => {
                out.push_str(&l);
                out.push('\n');
            }
            Piece::Region(r) => {
                out.push_str(&format!("{}{BEGIN}{}) {}\n", r.indent, r.id, r.description));
                let body = if keep(&r.id) {
                    r.body.clone()
                } else {
                    r.stub()
                };
                for l in body {
                    out.push_str(&l);
                    out.push('\n');
                }
                if let Some(section) = &r.starter_section {
                    out.push_str(&format!("{}{STARTER}\n", r.indent));
                    for l in section {
                        out.push_str(l);
                        out.push('\n');
                    }
                }
                out.push_str(&format!("{}{END}\n", r.indent));
            }
        }
    }
    if !src.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

#[cfg(test)]
mod skeleton_tests {
    use super::skeleton;

    #[test]
    fn a_skeleton_keeps_the_markers_and_drops_every_body_and_starter_section() {
        let reference = "fn f() {\n    // lab:begin(f) do it\n    1\n    // lab:starter\n    // 0\n    // lab:end\n}\n";
        let learner =
            "fn f() {\n    // lab:begin(f) do it\n    let x = 1;\n    x\n    // lab:end\n}\n";
        let want = "fn f() {\n    // lab:begin(f) do it\n    // lab:end\n}\n";
        assert_eq!(skeleton(reference, "a.rs").ok().as_deref(), Some(want));
        assert_eq!(skeleton(learner, "a.rs").ok().as_deref(), Some(want));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "\
pub fn add(a: i32, b: i32) -> i32 {
    // lab:begin(add) return the sum of `a` and `b` as {a + b}
    a + b
    // lab:end
}

pub fn words(s: &str) -> impl Iterator<Item = &str> {
    // lab:begin(words) yield each word
    s.split_whitespace()
    // lab:starter
    // let _ = s;
    //
    // std::iter::empty()
    // lab:end
}
";

    #[test]
    fn a_kept_region_stays_the_reference_and_the_others_become_stubs() {
        let partly = to_starter_except(REFERENCE, "x.rs", &|id| id == "words").unwrap();
        assert!(partly.contains("todo!(\"add: "), "{partly}");
        assert!(!partly.contains("    a + b\n"), "{partly}");
        assert!(partly.contains("    s.split_whitespace()\n"), "{partly}");
        assert!(
            !partly.contains("    std::iter::empty()\n    // lab:starter"),
            "{partly}"
        );
        // Keeping every region gives the reference back.
        assert_eq!(
            to_starter_except(REFERENCE, "x.rs", &|_| true).unwrap(),
            REFERENCE
        );
    }

    #[test]
    fn starter_replaces_bodies_and_keeps_markers() {
        let starter = to_starter(REFERENCE, "x.rs").unwrap();
        assert_eq!(
            starter,
            "\
pub fn add(a: i32, b: i32) -> i32 {
    // lab:begin(add) return the sum of `a` and `b` as {a + b}
    todo!(\"add: return the sum of `a` and `b` as {{a + b}}\")
    // lab:end
}

pub fn words(s: &str) -> impl Iterator<Item = &str> {
    // lab:begin(words) yield each word
    let _ = s;

    std::iter::empty()
    // lab:starter
    // let _ = s;
    //
    // std::iter::empty()
    // lab:end
}
"
        );
    }

    #[test]
    fn starter_is_idempotent_and_detected_as_stub() {
        let once = to_starter(REFERENCE, "x.rs").unwrap();
        assert_eq!(to_starter(&once, "x.rs").unwrap(), once);
        assert!(regions(&once, "x.rs").unwrap().iter().all(Region::is_stub));
        assert!(
            regions(REFERENCE, "x.rs")
                .unwrap()
                .iter()
                .all(|r| !r.is_stub())
        );
    }

    #[test]
    fn regions_report_id_description_and_line() {
        let r = regions(REFERENCE, "x.rs").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[1].id.as_str(), r[1].description.as_str(), r[1].line),
            ("words", "yield each word", 8)
        );
    }

    #[test]
    fn malformed_markers_are_errors_with_file_and_line() {
        let cases = [
            (
                "// lab:begin(a) x\n// lab:begin(b) y\n",
                "x.rs:2:",
                "inside region",
            ),
            ("// lab:end\n", "x.rs:1:", "without a `lab:begin`"),
            ("// lab:begin(a) x\nfoo\n", "x.rs:1:", "never closed"),
            (
                "// lab:begin(a)\n// lab:end\n",
                "x.rs:1:",
                "needs a description",
            ),
            (
                "// lab:begin(a b) x\n// lab:end\n",
                "x.rs:1:",
                "must be letters",
            ),
            (
                "// lab:begin(a) x\n// lab:end\n// lab:begin(a) y\n// lab:end\n",
                "x.rs:3:",
                "used twice",
            ),
            ("// lab:solution\n", "x.rs:1:", "unknown marker"),
            (
                "// lab:begin(a) x\n// lab:starter\nlet y = 1;\n// lab:end\n",
                "x.rs:3:",
                "must be line comments",
            ),
        ];
        for (src, place, what) in cases {
            let err = to_starter(src, "x.rs").unwrap_err().to_string();
            assert!(
                err.starts_with(place) && err.contains(what),
                "{src:?} gave {err:?}"
            );
        }
    }

    #[test]
    fn a_file_without_markers_is_unchanged() {
        let src = "fn main() {}\n// a normal comment\n";
        assert_eq!(to_starter(src, "x.rs").unwrap(), src);
        assert!(regions(src, "x.rs").unwrap().is_empty());
    }
}
