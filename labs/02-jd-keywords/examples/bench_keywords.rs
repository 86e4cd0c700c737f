//! One process's measurement for `make bench-keywords`
//! (compare_with_python.py runs it in rounds, alternating with
//! scripts/bench_python.py on the same files).
//!
//! Usage: bench_keywords PRETOKENIZED.jsonl TEXT.jsonl REPS JIEBA_REPS
//!
//! Prints one JSON object: the median nanoseconds of REPS runs of
//! `Tfidf::fit` over the pre-tokenized corpus, of JIEBA_REPS runs of
//! jieba-rs segmentation of every ad's text (`cut(text, hmm = true)`, as
//! Python's `jieba.lcut`) and of the whole tokenizer (+ normalisation), and
//! the memory the fits added at their peak: the peak RSS is reset (`5` to
//! /proc/self/clear_refs) just before them, and VmHWM − VmRSS read after
//! (Linux).

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;
use std::time::Instant;

use lab02_jd_keywords::corpus::{Body, Mode, read_ads};
use lab02_jd_keywords::tfidf::Tfidf;
use lab02_jd_keywords::tokenize::{Tokenizer, jieba_cut};

fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median_ns(reps: usize, mut f: impl FnMut()) -> u128 {
    let mut times: Vec<u128> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_nanos()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

fn load(path: &str, mode: Mode) -> Result<Vec<Body>, String> {
    let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let ads = read_ads(BufReader::new(file), mode, |_| {}).map_err(|e| format!("{path}: {e}"))?;
    Ok(ads.into_iter().map(|ad| ad.body).collect())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let count = |i: usize| {
        args.get(i)
            .and_then(|r| r.parse::<usize>().ok())
            .filter(|&n| n > 0)
    };
    let (Some(pre), Some(text), Some(reps), Some(jieba_reps)) =
        (args.get(1), args.get(2), count(3), count(4))
    else {
        eprintln!(
            "usage: bench_keywords PRETOKENIZED.jsonl TEXT.jsonl REPS JIEBA_REPS (counts ≥ 1)"
        );
        return ExitCode::from(2);
    };
    let (docs, texts) = match (load(pre, Mode::Pretokenized), load(text, Mode::Text)) {
        (Ok(d), Ok(t)) => (d, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("bench_keywords: {e}");
            return ExitCode::from(2);
        }
    };
    let docs: Vec<Vec<String>> = docs
        .into_iter()
        .filter_map(|b| {
            if let Body::Tokens(t) = b {
                Some(t)
            } else {
                None
            }
        })
        .collect();
    let texts: Vec<String> = texts
        .into_iter()
        .filter_map(|b| if let Body::Text(t) = b { Some(t) } else { None })
        .collect();
    let tokenizer = Tokenizer::new();
    // Load jieba's dictionary before any timing, as the Python side does.
    tokenizer.raw_tokens("预热");
    // Resets VmHWM to the current RSS, so the reading after the fits is
    // their peak, not the corpus loading's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = status_kib("VmRSS:").unwrap_or(0);
    let mut terms = 0;
    let tfidf = median_ns(reps, || {
        terms = std::hint::black_box(Tfidf::fit(&docs)).vocabulary.len()
    });
    let fit_peak_kib = status_kib("VmHWM:").unwrap_or(0).saturating_sub(rss_before);
    let mut words = 0;
    let jieba = median_ns(jieba_reps, || {
        words = texts.iter().map(|t| jieba_cut(t).len()).sum::<usize>();
    });
    let tokenize = median_ns(jieba_reps, || {
        std::hint::black_box(
            texts
                .iter()
                .map(|t| tokenizer.tokenize(t))
                .collect::<Vec<_>>(),
        );
    });
    println!(
        "{{\"docs\": {}, \"terms\": {terms}, \"tfidf_ns\": {tfidf}, \"fit_peak_kib\": {fit_peak_kib}, \"jieba_ns\": {jieba}, \"jieba_words\": {words}, \"tokenize_ns\": {tokenize}}}",
        docs.len()
    );
    ExitCode::SUCCESS
}
