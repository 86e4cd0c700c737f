//! Is a term's presence associated with a field of the ad (its city, say)?
//!
//! For one term, each ad is "has it" or "has it not", and the field splits
//! the ads into groups: a 2 × k contingency table of counts. Pearson's
//! chi-square statistic compares each cell's observed count O with the
//! count E expected if presence and group were independent (row total ×
//! column total / n):
//!
//! X² = Σ (O − E)² / E, with (rows − 1) × (columns − 1) degrees of freedom,
//!
//! and the p-value is the chance of an X² at least this large under
//! independence: the chi-square distribution's survival function. No
//! continuity (Yates) correction, so the numbers match SciPy's
//! `chi2_contingency(table, correction=False)`.
//!
//! What it does *not* tell: how strong the association is (with enough ads
//! a tiny difference is "significant"), which group differs, or anything
//! about a TF-IDF weight threshold (see the README).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// A chi-square test's result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChiSquare {
    pub statistic: f64,
    pub dof: usize,
    pub p_value: f64,
}

/// Why a table cannot be tested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatError {
    /// Fewer than two rows or two columns: nothing to compare.
    TooFewCategories { rows: usize, columns: usize },
    /// Rows of different lengths.
    Ragged {
        row: usize,
        len: usize,
        expected: usize,
    },
    /// A row or column of zeros makes an expected count 0 (X² undefined).
    ZeroExpected { row: usize, column: usize },
}

impl fmt::Display for StatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatError::TooFewCategories { rows, columns } => write!(
                f,
                "a {rows} × {columns} table has nothing to compare: it needs at least 2 rows and 2 columns"
            ),
            StatError::Ragged { row, len, expected } => {
                write!(f, "row {row} has {len} cells, row 0 has {expected}")
            }
            StatError::ZeroExpected { row, column } => write!(
                f,
                "the expected count of cell ({row}, {column}) is 0 (a row or column of zeros): the statistic is undefined"
            ),
        }
    }
}

impl std::error::Error for StatError {}

/// Pearson's chi-square test of independence on a table of counts. The
/// p-value is the survival function (exact far below 1e-16, not 1 − cdf).
/// A zero expected count is [`StatError::ZeroExpected`] naming the first
/// such cell in row-major order.
pub fn chi_square(table: &[Vec<u64>]) -> Result<ChiSquare, StatError> {
    let rows = table.len();
    let columns = table.first().map_or(0, Vec::len);
    if rows < 2 || columns < 2 {
        return Err(StatError::TooFewCategories { rows, columns });
    }
    if let Some((row, r)) = table.iter().enumerate().find(|(_, r)| r.len() != columns) {
        return Err(StatError::Ragged {
            row,
            len: r.len(),
            expected: columns,
        });
    }
    let row_totals: Vec<f64> = table.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let column_totals: Vec<f64> = (0..columns)
        .map(|j| table.iter().map(|r| r[j]).sum::<u64>() as f64)
        .collect();
    let n: f64 = row_totals.iter().sum();
    // lab:begin(chi2) X² = Σ (O − E)² / E with E = row total × column total / n; dof = (rows − 1)(columns − 1)
    let mut statistic = 0.0;
    for (i, r) in table.iter().enumerate() {
        for (j, &observed) in r.iter().enumerate() {
            let expected = row_totals[i] * column_totals[j] / n;
            if expected == 0.0 {
                return Err(StatError::ZeroExpected { row: i, column: j });
            }
            statistic += (observed as f64 - expected).powi(2) / expected;
        }
    }
    let dof = (rows - 1) * (columns - 1);
    Ok(ChiSquare {
        statistic,
        dof,
        p_value: p_value(statistic, dof),
    })
    // lab:end
}

/// The chi-square distribution's survival function, P(X ≥ statistic).
fn p_value(statistic: f64, dof: usize) -> f64 {
    // `dof` is at least 1 here, so the distribution exists.
    ChiSquared::new(dof as f64).map_or(f64::NAN, |d| d.sf(statistic))
}

/// One term's association with the field.
#[derive(Debug, Clone, PartialEq)]
pub struct TermAssoc {
    pub term: String,
    pub test: ChiSquare,
    /// Per group value: (ads with the term, ads without it).
    pub counts: BTreeMap<String, (u64, u64)>,
    /// Share of group A's ads with the term over group B's; `None` when no
    /// ad of B has it (the ratio is infinite).
    pub rate_ratio: Option<f64>,
}

/// Why the association cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssocError {
    /// One group value only: nothing to compare.
    OneGroup { value: String },
    /// `--compare` names a value no ad has.
    UnknownGroup { value: String, known: Vec<String> },
    /// A term's table could not be tested (cannot happen when every group
    /// has an ad and the term is in some but not all; kept, not hidden).
    Stat { term: String, error: StatError },
}

impl fmt::Display for AssocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssocError::OneGroup { value } => {
                write!(
                    f,
                    "every ad has the same value ({value:?}): a test needs at least two groups"
                )
            }
            AssocError::UnknownGroup { value, known } => {
                write!(
                    f,
                    "no ad has the value {value:?}; the values are: {}",
                    known.join(", ")
                )
            }
            AssocError::Stat { term, error } => write!(f, "term {term:?}: {error}"),
        }
    }
}

impl std::error::Error for AssocError {}

/// Tests every term found in some but not all documents against the
/// documents' `groups` (one value per document), sorted by X² (highest
/// first), then term. With `compare = Some((a, b))`, each result also has
/// the ratio of the term's rate in group `a` to its rate in group `b`.
/// A term in every document or none has no variation and is left out.
pub fn associate<D: AsRef<[S]>, S: AsRef<str>>(
    docs: &[D],
    groups: &[String],
    compare: Option<(&str, &str)>,
) -> Result<Vec<TermAssoc>, AssocError> {
    let mut group_size: BTreeMap<&str, u64> = BTreeMap::new();
    for g in groups {
        *group_size.entry(g).or_insert(0) += 1;
    }
    let values: Vec<&str> = group_size.keys().copied().collect();
    if values.len() < 2 {
        let value = values.first().map_or_else(String::new, |v| (*v).to_owned());
        return Err(AssocError::OneGroup { value });
    }
    if let Some((a, b)) = compare {
        for v in [a, b] {
            if !group_size.contains_key(v) {
                let known = values.iter().map(|v| (*v).to_owned()).collect();
                return Err(AssocError::UnknownGroup {
                    value: v.to_owned(),
                    known,
                });
            }
        }
    }
    // present[term][group] = documents of that group with the term.
    let mut present: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for (doc, group) in docs.iter().zip(groups) {
        let terms: BTreeSet<&str> = doc.as_ref().iter().map(AsRef::as_ref).collect();
        for term in terms {
            *present.entry(term).or_default().entry(group).or_insert(0) += 1;
        }
    }
    let n = groups.len() as u64;
    let mut out = Vec::new();
    for (term, by_group) in present {
        if by_group.values().sum::<u64>() == n {
            continue;
        }
        let with: Vec<u64> = values
            .iter()
            .map(|v| by_group.get(v).copied().unwrap_or(0))
            .collect();
        let without: Vec<u64> = values
            .iter()
            .zip(&with)
            .map(|(v, w)| group_size[v] - w)
            .collect();
        let test =
            chi_square(&[with.clone(), without.clone()]).map_err(|error| AssocError::Stat {
                term: term.to_owned(),
                error,
            })?;
        let counts = values
            .iter()
            .zip(with.iter().zip(&without))
            .map(|(v, (&w, &wo))| ((*v).to_owned(), (w, wo)))
            .collect();
        let rate = |v: &str| by_group.get(v).copied().unwrap_or(0) as f64 / group_size[v] as f64;
        let rate_ratio = compare.and_then(|(a, b)| (rate(b) > 0.0).then(|| rate(a) / rate(b)));
        out.push(TermAssoc {
            term: term.to_owned(),
            test,
            counts,
            rate_ratio,
        });
    }
    out.sort_by(|x, y| {
        y.test
            .statistic
            .total_cmp(&x.test.statistic)
            .then_with(|| x.term.cmp(&y.term))
    });
    Ok(out)
}
