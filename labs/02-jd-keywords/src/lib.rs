//! # jd-keywords: what do job ads ask for?
//!
//! The article (§2.3–2.4) extracts keywords from 8,742 job ads with TF-IDF
//! at a "threshold of 0.08, calibrated by a chi-square test", and quotes
//! co-occurrence rates (Docker + K8s 92%) and city ratios (`no_std` 3.2×
//! more often in 东莞 than in 北京). Its code is a `vec!` of keywords. This
//! crate is the pipeline those numbers would need, each step checkable:
//!
//! | module | step | checked against |
//! |--------|------|-----------------|
//! | [`tokenize`] | mixed Chinese/English text → terms (jieba for Han runs, tech tokens like `C++` and `async/.await` whole, synonyms, stop words) | hand-written cases |
//! | [`tfidf`] | TF-IDF weights, top terms per ad, a corpus ranking | scikit-learn's `TfidfVectorizer`, to 1e-9 |
//! | [`cooc`] | P(B \| A) and lift for term pairs | hand-computed counts |
//! | [`assoc`] | Pearson's chi-square of a term's presence × a field, p-value, rate ratio | SciPy's `chi2_contingency(correction=False)`, to 1e-6 |
//! | [`corpus`] | JSON Lines input, every error with its line number | the CLI tests |
//! | [`synth`] | a seeded generator of *synthetic* ads with the article's claims planted | `data/synthetic-ads.jsonl` |
//!
//! The binary `jd-keywords` (`src/main.rs`) puts them behind the
//! subcommands `tokenize`, `tfidf`, `cooc`, `assoc` and `synth`.

pub mod assoc;
pub mod cooc;
pub mod corpus;
pub mod synth;
pub mod tfidf;
pub mod tokenize;
