//! TF-IDF as scikit-learn's `TfidfVectorizer` defines it, on a corpus small
//! enough to compute by hand:
//!
//! d0 = rust go rust, d1 = rust docker, d2 = go docker kubernetes
//!
//! n = 3; df: docker 2, go 2, kubernetes 1, rust 2;
//! idf(df 2) = ln(4/3) + 1 = 1.2876820724517808, idf(df 1) = ln 2 + 1 = 1.6931471805599454;
//! d0 = (rust 2 × 1.2877, go 1.2877) / norm = (2/√5, 1/√5);
//! d1 = (1/√2, 1/√2); d2 = (1.2877, 1.2877, 1.6931) / 2.4865 = (0.5179, 0.5179, 0.6809).
//! (scikit-learn 1.9.1 prints these same values.)

use lab02_jd_keywords::tfidf::{Tfidf, Weighted, smooth_idf, weigh};

const IDF2: f64 = 1.287_682_072_451_780_8;
const IDF1: f64 = 1.693_147_180_559_945_4;

fn corpus() -> Tfidf {
    Tfidf::fit(&[
        vec!["rust", "go", "rust"],
        vec!["rust", "docker"],
        vec!["go", "docker", "kubernetes"],
    ])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-15
}

fn weight_of(model: &Tfidf, doc: usize, term: &str) -> f64 {
    let i = model
        .vocabulary
        .iter()
        .position(|t| t == term)
        .expect("term in vocabulary");
    model.docs[doc]
        .iter()
        .find(|&&(j, _)| j == i)
        .map_or(0.0, |&(_, w)| w)
}

#[test]
fn idf_is_sklearns_smoothed_formula() {
    assert!(close(smooth_idf(3, 2), IDF2), "{}", smooth_idf(3, 2));
    assert!(close(smooth_idf(3, 1), IDF1), "{}", smooth_idf(3, 1));
    // ln((1 + 1) / (1 + 0)) + 1: smoothing keeps an unseen term finite.
    assert!(close(smooth_idf(1, 0), 1.0 + 2f64.ln()));
}

#[test]
fn idf_of_a_term_in_every_document_is_exactly_one() {
    for n in [1, 2, 10, 8742] {
        assert_eq!(smooth_idf(n, n), 1.0, "n = {n}");
    }
}

/// The counts are `usize`: the formula converts them to `f64` and adds the
/// smoothing 1 there, so no count overflows or is truncated.
#[test]
fn idf_stays_exact_for_the_largest_counts() {
    assert_eq!(smooth_idf(usize::MAX, usize::MAX), 1.0);
    let half = smooth_idf(usize::MAX, usize::MAX / 2);
    assert!(close(half, 1.0 + 2f64.ln()), "{half}");
}

#[test]
fn idf_falls_as_document_frequency_rises() {
    let idfs: Vec<f64> = (1..=50).map(|df| smooth_idf(50, df)).collect();
    assert!(idfs.windows(2).all(|w| w[0] > w[1]));
}

#[test]
fn weights_multiply_raw_counts_by_idf_then_l2_normalise() {
    let w = weigh(&[(0, 2), (1, 1)], &[IDF2, IDF2]);
    let s5 = 5f64.sqrt();
    assert_eq!(w.len(), 2);
    assert!(close(w[0].1, 2.0 / s5) && close(w[1].1, 1.0 / s5), "{w:?}");
    assert_eq!((w[0].0, w[1].0), (0, 1));
}

/// Each term takes its own idf, `idf[i]` for term index `i`, and the pairs
/// stay in the order of `counts` (by term index), not by weight.
#[test]
fn weights_take_each_terms_own_idf_in_term_order() {
    let w = weigh(&[(1, 1), (3, 1)], &[1.0, 3.0, 1.0, 4.0]);
    assert_eq!(w.len(), 2);
    assert_eq!((w[0].0, w[1].0), (1, 3), "{w:?}");
    // (3, 4) / 5
    assert!(close(w[0].1, 0.6) && close(w[1].1, 0.8), "{w:?}");
}

#[test]
fn weights_of_the_hand_computed_corpus() {
    let m = corpus();
    assert_eq!(m.vocabulary, ["docker", "go", "kubernetes", "rust"]);
    assert_eq!(m.df, [2, 2, 1, 2]);
    assert!(close(m.idf[2], IDF1) && close(m.idf[0], IDF2));
    let s2 = 2f64.sqrt();
    let s5 = 5f64.sqrt();
    let expected = [
        (0, "rust", 2.0 / s5),
        (0, "go", 1.0 / s5),
        (1, "rust", 1.0 / s2),
        (1, "docker", 1.0 / s2),
        (2, "go", 0.517_856_116_167_697_4),
        (2, "docker", 0.517_856_116_167_697_4),
        (2, "kubernetes", 0.680_918_560_398_684),
    ];
    for (doc, term, w) in expected {
        assert!(
            close(weight_of(&m, doc, term), w),
            "d{doc} {term}: {} vs {w}",
            weight_of(&m, doc, term)
        );
    }
    assert_eq!(weight_of(&m, 0, "docker"), 0.0);
    assert_eq!(m.docs.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 3]);
    // Each document's pairs sorted by term index, whatever their weights.
    let indices: Vec<Vec<usize>> = m
        .docs
        .iter()
        .map(|d| d.iter().map(|&(i, _)| i).collect())
        .collect();
    assert_eq!(indices, [vec![1, 3], vec![0, 3], vec![0, 1, 2]]);
}

#[test]
fn weights_have_unit_norm_and_lie_in_zero_one() {
    let docs: Vec<Vec<String>> = (0..40)
        .map(|i| {
            (0..(i % 7 + 1))
                .map(|j| format!("t{}", (i * j + j) % 11))
                .collect()
        })
        .collect();
    let m = Tfidf::fit(&docs);
    for (i, doc) in m.docs.iter().enumerate() {
        let norm: f64 = doc.iter().map(|&(_, w)| w * w).sum::<f64>().sqrt();
        assert!((norm - 1.0).abs() < 1e-12, "doc {i}: norm {norm}");
        assert!(
            doc.iter().all(|&(_, w)| w > 0.0 && w <= 1.0),
            "doc {i}: {doc:?}"
        );
    }
}

#[test]
fn weights_give_a_term_in_every_document_the_lowest_idf() {
    let m = Tfidf::fit(&[vec!["rust", "go"], vec!["rust"], vec!["rust", "c"]]);
    let rust = m.vocabulary.iter().position(|t| t == "rust").expect("rust");
    assert_eq!(m.idf[rust], 1.0);
    assert!(m.idf.iter().enumerate().all(|(i, &x)| i == rust || x > 1.0));
    // Alone in its document it still weighs 1: the norm divides it out.
    assert_eq!(m.docs[1], [(rust, 1.0)]);
}

#[test]
fn weights_of_an_empty_document_are_empty() {
    let m = Tfidf::fit(&[vec!["rust"], vec![], vec!["go"]]);
    assert!(m.docs[1].is_empty());
    assert_eq!(m.len(), 3);
    assert_eq!(m.docs[0].len(), 1);
}

fn terms<'a>(w: &'a [Weighted<'a>]) -> Vec<&'a str> {
    w.iter().map(|w| w.term).collect()
}

#[test]
fn top_terms_sorted_by_weight_highest_first() {
    let m = corpus();
    assert_eq!(
        terms(&m.top_terms(2, 0, 0.0)),
        ["kubernetes", "docker", "go"]
    );
    assert_eq!(terms(&m.top_terms(0, 0, 0.0)), ["rust", "go"]);
}

#[test]
fn top_terms_break_ties_by_term() {
    let m = corpus();
    assert_eq!(terms(&m.top_terms(1, 0, 0.0)), ["docker", "rust"]);
    let m = Tfidf::fit(&[vec!["b", "c", "a", "d"]]);
    assert_eq!(terms(&m.top_terms(0, 0, 0.0)), ["a", "b", "c", "d"]);
    // Byte order, like the vocabulary: pre-tokenized terms keep their case,
    // and `R` (0x52) sorts before `g` (0x67).
    let m = Tfidf::fit(&[vec!["go", "Rust"]]);
    assert_eq!(terms(&m.top_terms(0, 0, 0.0)), ["Rust", "go"]);
}

/// Weights are compared as the `f64`s they are: two that differ by less
/// than `f32` can tell apart are still ordered by weight, not by term.
#[test]
fn top_terms_compare_weights_in_full_precision() {
    let m = Tfidf {
        vocabulary: vec!["a".into(), "b".into()],
        df: vec![1, 1],
        idf: vec![1.0, 1.0],
        docs: vec![vec![(0, 0.6), (1, 0.6 + 1e-12)]],
    };
    assert_eq!(terms(&m.top_terms(0, 0, 0.0)), ["b", "a"]);
}

/// Ties broken by term in a document long enough (60 terms) that the
/// standard library's unstable sort no longer keeps equal weights in the
/// order they came in: the term must be part of the comparison.
#[test]
fn top_terms_break_ties_by_term_in_a_long_document() {
    // t00 once, t01 twice, t02 three times, t03 once, ...: three weights,
    // twenty terms each, interleaved in term order.
    let doc: Vec<String> = (0..60)
        .flat_map(|i| std::iter::repeat_n(format!("t{i:02}"), 1 + i % 3))
        .collect();
    let m = Tfidf::fit(&[doc]);
    let expected: Vec<String> = [2, 1, 0]
        .into_iter()
        .flat_map(|r| (0..60).filter(move |i| i % 3 == r))
        .map(|i| format!("t{i:02}"))
        .collect();
    let top = m.top_terms(0, 0, 0.0);
    assert_eq!(terms(&top), expected);
    assert_eq!(terms(&m.top_terms(0, 25, 0.0)), expected[..25]);
}

#[test]
fn top_terms_take_k_and_zero_means_all() {
    let m = corpus();
    assert_eq!(terms(&m.top_terms(2, 1, 0.0)), ["kubernetes"]);
    assert_eq!(terms(&m.top_terms(2, 2, 0.0)), ["kubernetes", "docker"]);
    assert_eq!(m.top_terms(2, 0, 0.0).len(), 3);
    assert_eq!(m.top_terms(2, 10, 0.0).len(), 3);
}

#[test]
fn top_terms_keep_a_weight_equal_to_the_minimum() {
    let m = corpus();
    let kube = 0.680_918_560_398_684;
    assert_eq!(terms(&m.top_terms(2, 0, kube)), ["kubernetes"]);
    assert_eq!(terms(&m.top_terms(2, 0, 0.6)), ["kubernetes"]);
    assert!(m.top_terms(2, 0, 0.9).is_empty());
    // Exactly `>=`: no tolerance keeps a weight just below the minimum.
    assert!(m.top_terms(2, 0, kube + 1e-12).is_empty());
    assert_eq!(m.top_terms(2, 0, 0.5)[1].weight, 0.517_856_116_167_697_4);
}

#[test]
fn top_terms_of_a_document_out_of_range_are_empty() {
    assert!(corpus().top_terms(3, 0, 0.0).is_empty());
}

#[test]
fn top_terms_of_the_corpus_ranking_by_mean_weight() {
    let m = corpus();
    let r = m.ranking();
    assert_eq!(terms(&r), ["rust", "docker", "go", "kubernetes"]);
    let s2 = 2f64.sqrt();
    let s5 = 5f64.sqrt();
    assert!((r[0].weight - (2.0 / s5 + 1.0 / s2) / 3.0).abs() < 1e-15);
}
