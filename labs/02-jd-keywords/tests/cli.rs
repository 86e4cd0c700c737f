//! `jd-keywords` end to end: the output formats, and every kind of bad
//! input (a clear message naming the line, exit status 2).
//!
//! The error cases read pre-tokenized input or fail before any term is
//! computed, so they pass in the starter (`given`); the others belong to
//! the task whose code they need (`normalize_cli_`, `top_cli_`, ...).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

fn file(contents: &[u8]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lab02-cli");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join(format!(
        "{}-{}.jsonl",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, contents).expect("write input");
    path
}

fn run(args: &[&str], input: &[u8]) -> Output {
    let path = file(input);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--input", path.to_str().expect("utf-8 path")]);
    Command::new(env!("CARGO_BIN_EXE_jd-keywords"))
        .args(&all)
        .output()
        .expect("run jd-keywords")
}

fn ok_lines(args: &[&str], input: &[u8]) -> Vec<Value> {
    let out = run(args, input);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {:?}: {stderr}", out.status);
    assert!(
        stderr.is_empty(),
        "no progress or warnings when stderr is not a terminal: {stderr}"
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// A JSON number within 1e-15 of `expected`: an exact comparison would
/// fail a correct solution that sums or divides in another order.
fn approx(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-15)
}

fn fails(args: &[&str], input: &[u8]) -> String {
    let out = run(args, input);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should exit 2; stdout {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "nothing on stdout after an error");
    String::from_utf8(out.stderr).expect("utf-8")
}

const PRE: &[u8] = br#"{"id": "a", "city": "x", "tokens": ["rust", "go", "rust"]}
{"id": "b", "city": "x", "tokens": ["rust", "docker"]}
{"id": "c", "city": "y", "tokens": ["go", "docker", "kubernetes"]}
"#;

#[test]
fn cli_rejects_invalid_json_naming_the_line() {
    let e = fails(
        &["tfidf", "--pretokenized"],
        b"{\"id\": \"a\", \"tokens\": []}\n{\"id\": \"b\", \"tokens\": [}\n",
    );
    assert!(e.contains("line 2: invalid JSON"), "{e}");
}

#[test]
fn cli_rejects_a_missing_text_field_and_suggests_pretokenized() {
    let e = fails(&["tfidf"], b"{\"id\": \"a\", \"tokens\": [\"rust\"]}\n");
    assert!(
        e.contains("line 1: no \"text\" field") && e.contains("--pretokenized"),
        "{e}"
    );
}

#[test]
fn cli_rejects_a_missing_tokens_field_with_pretokenized() {
    let e = fails(
        &["cooc", "--pretokenized"],
        b"{\"id\": \"a\", \"tokens\": []}\n\n{\"id\": \"b\", \"text\": \"x\"}\n",
    );
    assert!(
        e.contains("line 3: no \"tokens\" field"),
        "blank lines count: {e}"
    );
}

#[test]
fn cli_rejects_a_missing_or_non_string_id() {
    assert!(
        fails(&["tfidf", "--pretokenized"], b"{\"tokens\": []}\n")
            .contains("line 1: no \"id\" field")
    );
    let e = fails(
        &["tfidf", "--pretokenized"],
        b"{\"id\": 7, \"tokens\": []}\n",
    );
    assert!(e.contains("line 1: \"id\" must be a string"), "{e}");
}

#[test]
fn cli_rejects_tokens_that_are_not_strings_and_lines_that_are_not_objects() {
    let e = fails(
        &["tfidf", "--pretokenized"],
        b"{\"id\": \"a\", \"tokens\": [\"rust\", 3]}\n",
    );
    assert!(
        e.contains("line 1: \"tokens\" must be an array of strings"),
        "{e}"
    );
    let e = fails(
        &["tfidf", "--pretokenized"],
        b"{\"id\": \"a\", \"tokens\": \"rust go\"}\n",
    );
    assert!(e.contains("must be an array of strings"), "{e}");
    let e = fails(&["tfidf"], b"{\"id\": \"a\", \"text\": [\"rust\"]}\n");
    assert!(e.contains("line 1: \"text\" must be a string"), "{e}");
    assert!(fails(&["tfidf"], b"[1, 2]\n").contains("line 1: expected a JSON object"));
}

#[test]
fn cli_rejects_a_duplicate_id_naming_both_lines() {
    let e = fails(
        &["tfidf", "--pretokenized"],
        b"{\"id\": \"a\", \"tokens\": []}\n{\"id\": \"a\", \"tokens\": []}\n",
    );
    assert!(
        e.contains("line 2: id \"a\" was already used on line 1"),
        "{e}"
    );
}

#[test]
fn cli_rejects_non_utf8_naming_the_line_and_column() {
    let e = fails(
        &["tfidf", "--pretokenized"],
        b"{\"id\": \"a\", \"tokens\": []}\n{\"id\": \"\xff\"}\n",
    );
    assert!(
        e.contains("line 2: not UTF-8 (invalid byte at column 9)"),
        "{e}"
    );
}

#[test]
fn cli_rejects_an_empty_corpus() {
    assert!(fails(&["tfidf"], b"").contains("the input has no ads"));
    assert!(fails(&["cooc"], b"\n  \n").contains("the input has no ads"));
}

#[test]
fn cli_rejects_a_missing_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_jd-keywords"))
        .args(["tfidf", "--input", "/nonexistent/ads.jsonl"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("/nonexistent/ads.jsonl: No such file"), "{e}");
}

#[test]
fn cli_rejects_bad_options() {
    assert!(
        fails(&["tfidf", "--min-weight", "1.5"], PRE).contains("--min-weight 1.5 is outside 0..=1")
    );
    assert!(fails(&["tfidf", "--synonym", "k8s"], PRE).contains("is not FROM=TO"));
    let e = fails(
        &["tfidf", "--pretokenized", "--synonym", "k8s=kubernetes"],
        PRE,
    );
    assert!(
        e.contains("with --pretokenized the tokens are used as they are"),
        "{e}"
    );
    assert!(
        fails(
            &["assoc", "--pretokenized", "--by", "city", "--compare", "x"],
            PRE
        )
        .contains("is not A,B")
    );
}

#[test]
fn cli_rejects_a_group_field_missing_on_a_line_or_with_one_value() {
    let e = fails(&["assoc", "--pretokenized", "--by", "tier"], PRE);
    assert!(e.contains("line 1: no \"tier\" field to group by"), "{e}");
    let one = b"{\"id\": \"a\", \"city\": \"x\", \"tokens\": [\"a\"]}\n{\"id\": \"b\", \"city\": \"x\", \"tokens\": [\"b\"]}\n";
    let e = fails(&["assoc", "--pretokenized", "--by", "city"], one);
    assert!(e.contains("every ad has the same value (\"x\")"), "{e}");
    let e = fails(
        &[
            "assoc",
            "--pretokenized",
            "--by",
            "city",
            "--compare",
            "x,z",
        ],
        PRE,
    );
    assert!(
        e.contains("no ad has the value \"z\"; the values are: x, y"),
        "{e}"
    );
    let nested = b"{\"id\": \"a\", \"city\": {\"n\": 1}, \"tokens\": []}\n";
    assert!(
        fails(&["assoc", "--pretokenized", "--by", "city"], nested)
            .contains("\"city\" must be a string, a number or a boolean")
    );
}

#[test]
fn cli_synth_is_reproducible_and_labelled_synthetic() {
    let synth = |seed: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_jd-keywords"))
            .args(["synth", "--seed", seed, "--ads", "20"])
            .output();
        String::from_utf8(out.expect("run").stdout).expect("utf-8")
    };
    assert_eq!(synth("5"), synth("5"));
    assert_ne!(synth("5"), synth("6"));
    for line in synth("5").lines() {
        let ad: Value = serde_json::from_str(line).expect("json");
        assert_eq!(ad["synthetic"], true);
        assert!(ad["id"].as_str().is_some_and(|id| id.starts_with("syn-")));
    }
}

#[test]
fn normalize_cli_tokenize_prints_each_ads_terms() {
    let lines = ok_lines(
        &["tokenize", "--synonym", "Tokio=tokio-rs", "--stop-word", "Go"],
        "{\"id\": \"a\", \"text\": \"熟悉Rust、Go和K8s\"}\n{\"id\": \"b\", \"text\": \"Tokio，C++\"}\n".as_bytes(),
    );
    assert_eq!(
        lines[0],
        serde_json::json!({"id": "a", "tokens": ["rust", "kubernetes"]})
    );
    assert_eq!(
        lines[1],
        serde_json::json!({"id": "b", "tokens": ["tokio-rs", "c++"]})
    );
}

#[test]
fn top_cli_tfidf_prints_each_ads_terms_by_weight() {
    let lines = ok_lines(&["tfidf", "--pretokenized", "--top", "0"], PRE);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["id"], "c");
    let terms: Vec<&str> = lines[2]["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .map(|t| t["term"].as_str().expect("term"))
        .collect();
    assert_eq!(terms, ["kubernetes", "docker", "go"]);
    assert!(approx(
        &lines[2]["terms"][0]["weight"],
        0.680_918_560_398_684
    ));
    let top1 = ok_lines(
        &[
            "tfidf",
            "--pretokenized",
            "--top",
            "1",
            "--min-weight",
            "0.6",
        ],
        PRE,
    );
    for (line, term, weight) in [
        (0, "rust", 2.0 / 5f64.sqrt()),
        (1, "docker", 1.0 / 2f64.sqrt()),
    ] {
        let terms = top1[line]["terms"].as_array().expect("terms");
        assert_eq!(terms.len(), 1, "{terms:?}");
        assert_eq!(terms[0]["term"], term);
        assert!(approx(&terms[0]["weight"], weight), "{terms:?}");
    }
}

#[test]
fn top_cli_tfidf_of_text_and_the_corpus_ranking() {
    let text =
        "{\"id\": \"a\", \"text\": \"Rust和Rust\"}\n{\"id\": \"b\", \"text\": \"Go\"}\n".as_bytes();
    let lines = ok_lines(&["tfidf"], text);
    assert_eq!(
        lines[0]["terms"],
        serde_json::json!([{"term": "rust", "weight": 1.0}])
    );
    let ranking = ok_lines(&["tfidf", "--pretokenized", "--corpus", "--top", "2"], PRE);
    assert_eq!(ranking.len(), 2);
    assert_eq!(ranking[0]["term"], "rust");
    let table = run(&["tfidf", "--pretokenized", "--format", "table"], PRE);
    let table = String::from_utf8(table.stdout).expect("utf-8");
    assert_eq!(
        table.lines().next(),
        Some("a            rust 0.894  go 0.447")
    );
}

#[test]
fn cooc_cli_prints_pairs_with_counts_probability_and_lift() {
    let lines = ok_lines(&["cooc", "--pretokenized", "--min-count", "1"], PRE);
    let first = &lines[0];
    assert_eq!(first["a"], "docker");
    assert_eq!(first["b"], "go");
    assert_eq!(
        (
            first["count_a"].as_u64(),
            first["count_b"].as_u64(),
            first["count_ab"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert!(
        approx(&first["p_b_given_a"], 0.5) && approx(&first["lift"], 0.75),
        "{first}"
    );
    assert!(
        ok_lines(&["cooc", "--pretokenized"], PRE).is_empty(),
        "the default --min-count is 2"
    );
}

#[test]
fn chi2_cli_assoc_prints_each_term_with_counts() {
    let lines = ok_lines(
        &[
            "assoc",
            "--pretokenized",
            "--by",
            "city",
            "--compare",
            "x,y",
        ],
        PRE,
    );
    let rust = lines
        .iter()
        .find(|l| l["term"] == "rust")
        .expect("rust line");
    assert_eq!(
        rust["counts"],
        serde_json::json!({"x": {"with": 2, "without": 0}, "y": {"with": 0, "without": 1}})
    );
    assert!(approx(&rust["chi2"], 3.0), "{rust}");
    assert_eq!(rust["dof"], 1);
    assert_eq!(
        rust["rate_ratio"],
        serde_json::json!({"a": "x", "b": "y", "value": null})
    );
    let table = run(
        &[
            "assoc",
            "--pretokenized",
            "--by",
            "city",
            "--compare",
            "x,y",
            "--format",
            "table",
        ],
        PRE,
    );
    let table = String::from_utf8(table.stdout).expect("utf-8");
    let rust = table
        .lines()
        .find(|l| l.starts_with("rust "))
        .expect("rust row");
    assert!(rust.ends_with("dof 1  p 8.326e-2  ratio inf"), "{rust}");
    let go = lines.iter().find(|l| l["term"] == "go").expect("go line");
    assert!(approx(&go["rate_ratio"]["value"], 0.5), "{go}");
}

#[test]
fn cli_a_closed_stdout_is_not_an_error() {
    // Pre-tokenized, so `tokenize` prints the tokens as they are: more
    // output than a pipe buffer holds, to a pipe already closed.
    let lines: String = (0..20_000)
        .map(|i| format!("{{\"id\": \"{i}\", \"tokens\": [\"rust\", \"go\"]}}\n"))
        .collect();
    let path = file(lines.as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_jd-keywords"))
        .args([
            "tokenize",
            "--pretokenized",
            "--input",
            path.to_str().expect("utf-8"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
