//! Pearson's chi-square without continuity correction, as SciPy's
//! `chi2_contingency(table, correction=False)` computes it.

use lab02_jd_keywords::assoc::{AssocError, StatError, associate, chi_square};

/// Agresti, *An Introduction to Categorical Data Analysis* (2nd ed.),
/// Table 2.5: party identification by gender (GSS). The book gives
/// X² = 30.1 with df = 2; SciPy 1.17.1 gives the digits below.
#[test]
fn chi2_of_the_textbook_gender_by_party_table() {
    let t = chi_square(&[vec![762, 327, 468], vec![484, 239, 477]]).expect("testable");
    assert!(
        (t.statistic - 30.070_149_095_754_672).abs() < 1e-9,
        "{}",
        t.statistic
    );
    assert_eq!(t.dof, 2);
    assert!(
        (t.p_value - 2.953_589_183_211_759_5e-7).abs() < 1e-12,
        "{}",
        t.p_value
    );
}

/// A 2 × 2 table: SciPy's default would apply Yates' correction (0.446);
/// without it X² is 0.794.
#[test]
fn chi2_of_a_two_by_two_table_has_no_continuity_correction() {
    let t = chi_square(&[vec![10, 20], vec![30, 40]]).expect("testable");
    assert!(
        (t.statistic - 0.793_650_793_650_793_6).abs() < 1e-12,
        "{}",
        t.statistic
    );
    assert_eq!(t.dof, 1);
    assert!(
        (t.p_value - 0.372_998_483_613_486_86).abs() < 1e-9,
        "{}",
        t.p_value
    );
    let t = chi_square(&[vec![12, 5], vec![7, 9]]).expect("testable");
    assert!(
        (t.statistic - 2.430_575_519_681_557_5).abs() < 1e-12,
        "{}",
        t.statistic
    );
}

#[test]
fn chi2_of_independent_counts_is_zero_with_p_one() {
    let t = chi_square(&[vec![10, 20, 30], vec![20, 40, 60]]).expect("testable");
    assert!(t.statistic.abs() < 1e-12);
    assert_eq!(t.dof, 2);
    assert!((t.p_value - 1.0).abs() < 1e-12);
}

#[test]
fn chi2_dof_is_rows_minus_one_times_columns_minus_one() {
    let t = chi_square(&[vec![1, 2, 3, 4], vec![4, 3, 2, 1], vec![2, 2, 2, 2]]).expect("testable");
    assert_eq!(t.dof, 6);
}

#[test]
fn chi2_refuses_a_zero_row_or_column() {
    assert_eq!(
        chi_square(&[vec![0, 0], vec![3, 4]]),
        Err(StatError::ZeroExpected { row: 0, column: 0 })
    );
    assert_eq!(
        chi_square(&[vec![1, 0], vec![3, 0]]),
        Err(StatError::ZeroExpected { row: 0, column: 1 })
    );
    // A zero row and a zero column: the first zero cell in row-major
    // order, (0, 1), before row 1's (1, 0).
    assert_eq!(
        chi_square(&[vec![1, 0], vec![0, 0]]),
        Err(StatError::ZeroExpected { row: 0, column: 1 })
    );
}

/// The p-value is the survival function, not 1 − cdf, which cancels to 0
/// below about 1e-16. X² = 200 with 1 dof: p = erfc(10) = 2.0885e-45.
#[test]
fn chi2_p_value_keeps_tiny_probabilities() {
    let t = chi_square(&[vec![100, 0], vec![0, 100]]).expect("testable");
    assert!((t.statistic - 200.0).abs() < 1e-12, "{}", t.statistic);
    assert_eq!(t.dof, 1);
    assert!(
        (t.p_value / 2.088_487_583_762_545e-45 - 1.0).abs() < 1e-9,
        "{:e}",
        t.p_value
    );
}

#[test]
fn a_table_with_fewer_than_two_rows_or_columns_is_refused() {
    assert_eq!(
        chi_square(&[vec![1, 2, 3]]),
        Err(StatError::TooFewCategories {
            rows: 1,
            columns: 3
        })
    );
    assert_eq!(
        chi_square(&[vec![1], vec![2]]),
        Err(StatError::TooFewCategories {
            rows: 2,
            columns: 1
        })
    );
    assert_eq!(
        chi_square(&[]),
        Err(StatError::TooFewCategories {
            rows: 0,
            columns: 0
        })
    );
    assert_eq!(
        chi_square(&[vec![1, 2], vec![3]]),
        Err(StatError::Ragged {
            row: 1,
            len: 1,
            expected: 2
        })
    );
}

fn groups(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn chi2_per_term_with_counts_and_the_rate_ratio() {
    // no_std in 3 of 4 东莞 ads and 1 of 4 北京 ads: rate ratio 3.
    let docs = vec![
        vec!["no_std", "rust"],
        vec!["no_std"],
        vec!["no_std", "rust"],
        vec!["rust"],
        vec!["no_std"],
        vec!["go"],
        vec!["go", "rust"],
        vec!["go"],
    ];
    let g = groups(&[
        "东莞", "东莞", "东莞", "东莞", "北京", "北京", "北京", "北京",
    ]);
    let r = associate(&docs, &g, Some(("东莞", "北京"))).expect("two groups");
    let no_std = r
        .iter()
        .find(|a| a.term == "no_std")
        .expect("no_std tested");
    assert_eq!(no_std.counts["东莞"], (3, 1));
    assert_eq!(no_std.counts["北京"], (1, 3));
    assert_eq!(no_std.rate_ratio, Some(3.0));
    // [[3, 1], [1, 3]]: every expected count is 2, X² = 4 × 1/2 = 2.
    assert!((no_std.test.statistic - 2.0).abs() < 1e-12);
    assert_eq!(no_std.test.dof, 1);
    // go is in no 东莞 ad: its ratio to 北京 is 0; 北京 to 东莞 would be infinite.
    let go = r.iter().find(|a| a.term == "go").expect("go tested");
    assert_eq!(go.rate_ratio, Some(0.0));
    let r = associate(&docs, &g, Some(("北京", "东莞"))).expect("two groups");
    assert_eq!(
        r.iter().find(|a| a.term == "go").expect("go").rate_ratio,
        None
    );
}

#[test]
fn chi2_results_sorted_by_statistic_and_constant_terms_left_out() {
    let docs = vec![
        vec!["a", "all", "b"],
        vec!["a", "all"],
        vec!["all"],
        vec!["all", "b"],
    ];
    let g = groups(&["x", "x", "y", "y"]);
    let r = associate(&docs, &g, None).expect("two groups");
    let terms: Vec<&str> = r.iter().map(|a| a.term.as_str()).collect();
    assert_eq!(terms, ["a", "b"]);
    assert!(r[0].test.statistic > r[1].test.statistic);
    assert!(r.iter().all(|a| a.rate_ratio.is_none()));
}

#[test]
fn one_group_or_an_unknown_comparison_group_is_an_error() {
    let docs = vec![vec!["a"], vec!["b"]];
    assert_eq!(
        associate(&docs, &groups(&["x", "x"]), None),
        Err(AssocError::OneGroup { value: "x".into() })
    );
    let e = associate(&docs, &groups(&["x", "y"]), Some(("x", "z"))).expect_err("z unknown");
    assert_eq!(
        e,
        AssocError::UnknownGroup {
            value: "z".into(),
            known: vec!["x".into(), "y".into()]
        }
    );
    assert_eq!(
        e.to_string(),
        "no ad has the value \"z\"; the values are: x, y"
    );
}
