//! TF-IDF, defined exactly as scikit-learn's `TfidfVectorizer` defaults
//! (`smooth_idf=True`, `sublinear_tf=False`, `norm="l2"`), so any result
//! can be checked against it:
//!
//! - tf(t, d) = the number of times term t occurs in document d;
//! - idf(t) = ln((1 + n) / (1 + df(t))) + 1, with n documents of which
//!   df(t) contain t (the "+1"s act as if one extra document held every
//!   term once, so no idf is infinite and no weight is 0);
//! - w(t, d) = tf × idf, then each document's vector is divided by its
//!   Euclidean (L2) norm, so every weight is in [0, 1] and a long ad does
//!   not outweigh a short one.
//!
//! The vocabulary is sorted, as scikit-learn's is, so term indices agree.

// rustc's Fx hash: several times faster than the default SipHash on short
// strings. Its weakness, inputs chosen to collide (HashDoS), would only
// slow one local run here.
use rustc_hash::FxHashMap;

/// A fitted corpus: the vocabulary, document frequencies, idf, and each
/// document's normalised weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Tfidf {
    /// Every term, sorted (byte order of the UTF-8, as Python sorts str).
    pub vocabulary: Vec<String>,
    /// `df[i]`: the number of documents that contain `vocabulary[i]`.
    pub df: Vec<usize>,
    /// `idf[i]`: [`smooth_idf`] of `df[i]`.
    pub idf: Vec<f64>,
    /// Per document, `(term index, weight)` sorted by term index, L2-normalised.
    pub docs: Vec<Vec<(usize, f64)>>,
}

/// A term and its weight, as the CLI prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighted<'a> {
    pub term: &'a str,
    pub weight: f64,
}

/// scikit-learn's smoothed inverse document frequency:
/// ln((1 + n_docs) / (1 + df)) + 1, computed in `f64` for any `usize`
/// counts (no integer overflow or truncation, even at `usize::MAX`).
pub fn smooth_idf(n_docs: usize, df: usize) -> f64 {
    // lab:begin(idf) the smoothed idf of a term found in `df` of `n_docs` documents
    ((1.0 + n_docs as f64) / (1.0 + df as f64)).ln() + 1.0
    // lab:end
}

/// Turns raw counts into tf × idf, then divides by the vector's L2 norm.
/// `counts` holds `(term index, tf)`, and term `i`'s idf is `idf[i]`; the
/// result keeps the order of `counts` (by term index), one pair per count.
/// A document with no terms stays empty.
pub fn weigh(counts: &[(usize, usize)], idf: &[f64]) -> Vec<(usize, f64)> {
    // lab:begin(weights) tf × idf per term, then divide by the vector's Euclidean norm
    let mut weights: Vec<(usize, f64)> = counts
        .iter()
        .map(|&(i, tf)| (i, tf as f64 * idf[i]))
        .collect();
    let norm = weights.iter().map(|&(_, w)| w * w).sum::<f64>().sqrt();
    // Every idf is at least 1 and every tf at least 1, so the norm is
    // positive; an empty document has no weight to divide.
    for (_, w) in &mut weights {
        *w /= norm;
    }
    weights
    // lab:end
}

impl Tfidf {
    /// Fits the corpus: one document per item, each a list of terms.
    pub fn fit<D: AsRef<[S]>, S: AsRef<str>>(docs: &[D]) -> Tfidf {
        // Indices are u32 (half the memory of usize): a vocabulary of more
        // than 4 billion distinct terms is not a job-ad corpus.
        // Pass 1: a provisional index per term, in order of first
        // appearance (one hash lookup per token), and every document's
        // indices in one flat list: no map or vector per document.
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        let mut order: Vec<&str> = Vec::new();
        let mut flat: Vec<u32> = Vec::with_capacity(docs.iter().map(|d| d.as_ref().len()).sum());
        let mut ends: Vec<usize> = Vec::with_capacity(docs.len());
        for doc in docs {
            for term in doc.as_ref() {
                let term = term.as_ref();
                // `get` first: most tokens are terms already seen, and a
                // hit then costs one lookup and no entry bookkeeping.
                let i = match index.get(term) {
                    Some(&i) => i,
                    None => {
                        let i = order.len() as u32;
                        index.insert(term, i);
                        order.push(term);
                        i
                    }
                };
                flat.push(i);
            }
            ends.push(flat.len());
        }
        // Sort the vocabulary, as scikit-learn does, and renumber.
        let mut sorted: Vec<u32> = (0..order.len() as u32).collect();
        sorted.sort_unstable_by_key(|&i| order[i as usize]);
        let mut rank = vec![0u32; order.len()];
        for (final_i, &provisional) in sorted.iter().enumerate() {
            rank[provisional as usize] = final_i as u32;
        }
        for i in &mut flat {
            *i = rank[*i as usize];
        }
        // Pass 2: per document, sort its indices and count the runs, all
        // into one list (`runs`), which also gives every df.
        let mut df = vec![0; order.len()];
        let mut runs: Vec<(usize, usize)> = Vec::with_capacity(flat.len());
        let mut run_ends: Vec<usize> = Vec::with_capacity(docs.len());
        let mut start = 0;
        for &end in &ends {
            let terms = &mut flat[start..end];
            start = end;
            terms.sort_unstable();
            let first = runs.len();
            for &i in terms.iter() {
                match runs[first..].last_mut() {
                    Some((last, tf)) if *last == i as usize => *tf += 1,
                    _ => {
                        runs.push((i as usize, 1));
                        df[i as usize] += 1;
                    }
                }
            }
            run_ends.push(runs.len());
        }
        // Pass 3: the idf needs every df; then each document's weights
        // (one allocation per document, at its exact size).
        let idf: Vec<f64> = df.iter().map(|&d| smooth_idf(docs.len(), d)).collect();
        let mut weights = Vec::with_capacity(docs.len());
        let mut start = 0;
        for &end in &run_ends {
            weights.push(weigh(&runs[start..end], &idf));
            start = end;
        }
        let vocabulary = sorted
            .iter()
            .map(|&i| order[i as usize].to_owned())
            .collect();
        Tfidf {
            vocabulary,
            df,
            idf,
            docs: weights,
        }
    }

    /// The number of documents fitted.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when no document was fitted.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Document `doc`'s terms with a weight of at least `min_weight` (exactly
    /// `>=`, no tolerance), by weight (highest first, compared as `f64`) then
    /// term (byte order, as the vocabulary), at most `top` of them (`0`: all).
    pub fn top_terms(&self, doc: usize, top: usize, min_weight: f64) -> Vec<Weighted<'_>> {
        let weights = self.docs.get(doc).map(Vec::as_slice).unwrap_or_default();
        // lab:begin(top) keep weights ≥ min_weight, sort by weight then term, take `top` (0: all)
        let mut terms: Vec<Weighted<'_>> = weights
            .iter()
            .filter(|&&(_, w)| w >= min_weight)
            .map(|&(i, weight)| Weighted {
                term: &self.vocabulary[i],
                weight,
            })
            .collect();
        terms.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.term.cmp(b.term))
        });
        if top > 0 {
            terms.truncate(top);
        }
        terms
        // lab:end
    }

    /// The corpus-level ranking: each term's mean weight over all
    /// documents (0 where it is absent), highest first, then by term.
    pub fn ranking(&self) -> Vec<Weighted<'_>> {
        let mut sums = vec![0.0; self.vocabulary.len()];
        for doc in &self.docs {
            for &(i, w) in doc {
                sums[i] += w;
            }
        }
        let n = self.docs.len().max(1) as f64;
        let mut ranked: Vec<Weighted<'_>> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| Weighted {
                term: &self.vocabulary[i],
                weight: s / n,
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.term.cmp(b.term))
        });
        ranked
    }
}
