//! Term co-occurrence: how often B appears in an ad that has A.
//!
//! Counts are of *documents*, not occurrences: an ad that says "Docker"
//! five times is one ad with Docker. For an ordered pair (A, B):
//!
//! - P(B | A) = n(A and B) / n(A): "92% of the ads with Docker also ask
//!   for Kubernetes" is P(kubernetes | docker) = 0.92;
//! - lift = P(B | A) / P(B) = n(A and B) × n / (n(A) × n(B)): above 1, B is
//!   more common with A than without it; 1 is what independence gives. A
//!   high P(B | A) alone says little when B is in most ads anyway.
//!
//! P(B | A) and P(A | B) differ, so both orders are reported.

use std::collections::{BTreeMap, BTreeSet};

/// One ordered pair of terms found together in at least one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub a: String,
    pub b: String,
    /// Documents that contain `a`.
    pub count_a: usize,
    /// Documents that contain `b`.
    pub count_b: usize,
    /// Documents that contain both.
    pub count_ab: usize,
    /// `count_ab / count_a`.
    pub p_b_given_a: f64,
    /// `p_b_given_a / (count_b / n)`.
    pub lift: f64,
}

/// Every ordered pair (A, B), A ≠ B, found together in at least
/// `min_count` documents (and at least one), sorted by `count_ab`
/// (highest first), then `a`, then `b` (each compared as a string of its
/// own: `c` before `c#`). n in the lift is `docs.len()`, empty documents
/// included.
pub fn cooccurrence<D: AsRef<[S]>, S: AsRef<str>>(docs: &[D], min_count: usize) -> Vec<Pair> {
    // lab:begin(cooc) count documents per term and per pair, then P(B | A) and lift
    let n = docs.len() as f64;
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    let mut together: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for doc in docs {
        let present: BTreeSet<&str> = doc.as_ref().iter().map(AsRef::as_ref).collect();
        for &a in &present {
            *count.entry(a).or_insert(0) += 1;
            for &b in &present {
                if a != b {
                    *together.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
    }
    let mut pairs: Vec<Pair> = together
        .into_iter()
        .filter(|&(_, ab)| ab >= min_count)
        .map(|((a, b), count_ab)| {
            let (count_a, count_b) = (count[a], count[b]);
            let p_b_given_a = count_ab as f64 / count_a as f64;
            Pair {
                a: a.to_owned(),
                b: b.to_owned(),
                count_a,
                count_b,
                count_ab,
                p_b_given_a,
                lift: p_b_given_a / (count_b as f64 / n),
            }
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.count_ab
            .cmp(&x.count_ab)
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    pairs
    // lab:end
}
