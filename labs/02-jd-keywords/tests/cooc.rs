//! Co-occurrence counts documents, reports both orders of a pair.

use lab02_jd_keywords::cooc::{Pair, cooccurrence};

fn docs() -> Vec<Vec<&'static str>> {
    vec![
        vec!["docker", "kubernetes", "docker"],
        vec!["docker", "kubernetes"],
        vec!["docker", "rust"],
        vec!["kubernetes"],
        vec!["rust"],
    ]
}

fn find<'a>(pairs: &'a [Pair], a: &str, b: &str) -> &'a Pair {
    pairs
        .iter()
        .find(|p| p.a == a && p.b == b)
        .expect("pair present")
}

#[test]
fn cooc_counts_documents_not_occurrences() {
    let pairs = cooccurrence(&docs(), 1);
    let p = find(&pairs, "docker", "kubernetes");
    assert_eq!((p.count_a, p.count_b, p.count_ab), (3, 3, 2));
}

#[test]
fn cooc_conditional_probability_differs_by_direction() {
    let pairs = cooccurrence(&docs(), 1);
    let dr = find(&pairs, "docker", "rust");
    let rd = find(&pairs, "rust", "docker");
    assert_eq!((dr.count_a, dr.count_b, dr.count_ab), (3, 2, 1));
    assert_eq!(dr.p_b_given_a, 1.0 / 3.0);
    assert_eq!(rd.p_b_given_a, 0.5);
}

#[test]
fn cooc_lift_is_conditional_over_marginal() {
    let pairs = cooccurrence(&docs(), 1);
    // P(kubernetes | docker) = 2/3, P(kubernetes) = 3/5: lift 10/9.
    assert!((find(&pairs, "docker", "kubernetes").lift - 10.0 / 9.0).abs() < 1e-15);
    // P(rust | docker) = 1/3, P(rust) = 2/5: lift 5/6.
    assert!((find(&pairs, "docker", "rust").lift - 5.0 / 6.0).abs() < 1e-15);
}

/// n in P(B) = count_b / n is the number of documents, empty ones included.
#[test]
fn cooc_lift_counts_every_document_even_empty_ones() {
    let docs = vec![vec!["a", "b"], vec!["a"], vec!["b"], vec![]];
    let pairs = cooccurrence(&docs, 1);
    // P(b | a) = 1/2, P(b) = 2/4: lift 1, independence.
    let ab = find(&pairs, "a", "b");
    assert_eq!(ab.p_b_given_a, 0.5);
    assert!((ab.lift - 1.0).abs() < 1e-15, "{}", ab.lift);
}

#[test]
fn cooc_never_pairs_a_term_with_itself() {
    assert!(cooccurrence(&docs(), 1).iter().all(|p| p.a != p.b));
}

#[test]
fn cooc_lists_only_pairs_found_together_sorted_by_count_then_terms() {
    let pairs = cooccurrence(&docs(), 1);
    let order: Vec<(&str, &str, usize)> =
        pairs.iter().map(|p| (&*p.a, &*p.b, p.count_ab)).collect();
    assert_eq!(
        order,
        [
            ("docker", "kubernetes", 2),
            ("kubernetes", "docker", 2),
            ("docker", "rust", 1),
            ("rust", "docker", 1)
        ]
    );
}

#[test]
fn cooc_ties_in_count_and_a_are_ordered_by_b() {
    let pairs = cooccurrence(&[vec!["rust", "go", "c"]], 1);
    let order: Vec<(&str, &str)> = pairs.iter().map(|p| (&*p.a, &*p.b)).collect();
    assert_eq!(
        order,
        [
            ("c", "go"),
            ("c", "rust"),
            ("go", "c"),
            ("go", "rust"),
            ("rust", "c"),
            ("rust", "go")
        ]
    );
}

/// Ties compare `a`, then `b`, as separate strings: `c` before `c#`, though
/// a joined "c#:x" would sort before "c:y".
#[test]
fn cooc_ties_compare_a_then_b_as_separate_terms() {
    let pairs = cooccurrence(&[vec!["c", "y"], vec!["c#", "x"]], 1);
    let order: Vec<(&str, &str)> = pairs.iter().map(|p| (&*p.a, &*p.b)).collect();
    assert_eq!(order, [("c", "y"), ("c#", "x"), ("x", "c#"), ("y", "c")]);
    let pairs = cooccurrence(&[vec!["node", "rust"], vec!["node.js", "go"]], 1);
    let order: Vec<(&str, &str)> = pairs.iter().map(|p| (&*p.a, &*p.b)).collect();
    assert_eq!(
        order,
        [
            ("go", "node.js"),
            ("node", "rust"),
            ("node.js", "go"),
            ("rust", "node")
        ]
    );
}

fn order_key(p: &Pair) -> (std::cmp::Reverse<usize>, &str, &str) {
    (std::cmp::Reverse(p.count_ab), p.a.as_str(), p.b.as_str())
}

/// 42 pairs, most of them tied: more than the standard library's unstable
/// sort keeps in their incoming order, so the order must be the comparison's.
#[test]
fn cooc_order_holds_on_a_long_list_of_ties() {
    let docs = vec![
        vec!["docker", "kubernetes", "rust", "go", "c", "python", "tokio"],
        vec!["docker", "kubernetes", "go"],
        vec!["rust", "c"],
    ];
    let pairs = cooccurrence(&docs, 1);
    assert_eq!(pairs.len(), 42);
    let head: Vec<(&str, &str, usize)> = pairs
        .iter()
        .take(9)
        .map(|p| (&*p.a, &*p.b, p.count_ab))
        .collect();
    assert_eq!(
        head,
        [
            ("c", "rust", 2),
            ("docker", "go", 2),
            ("docker", "kubernetes", 2),
            ("go", "docker", 2),
            ("go", "kubernetes", 2),
            ("kubernetes", "docker", 2),
            ("kubernetes", "go", 2),
            ("rust", "c", 2),
            ("c", "docker", 1)
        ]
    );
    for w in pairs.windows(2) {
        assert!(
            order_key(&w[0]) < order_key(&w[1]),
            "{:?} before {:?}",
            order_key(&w[0]),
            order_key(&w[1])
        );
    }
}

#[test]
fn cooc_min_count_is_inclusive() {
    let pairs = cooccurrence(&docs(), 2);
    assert_eq!(pairs.len(), 2);
    assert!(pairs.iter().all(|p| p.count_ab == 2));
    assert!(cooccurrence(&docs(), 3).is_empty());
}

#[test]
fn cooc_of_single_term_documents_is_empty() {
    assert!(cooccurrence(&[vec!["a"], vec!["b"], vec![]], 1).is_empty());
}

/// The whole pipeline on the shipped synthetic ads finds exactly what
/// counting the raw text finds: Docker and its Kubernetes spellings
/// (`K8s`, `k8s`, `Kubernetes`, one term after the synonym table).
#[test]
fn cooc_of_the_shipped_corpus_matches_counting_the_text() {
    let text = include_str!("../data/synthetic-ads.jsonl");
    let tokenizer = lab02_jd_keywords::tokenize::Tokenizer::new();
    let docs: Vec<Vec<String>> = text.lines().map(|l| tokenizer.tokenize(l)).collect();
    let pairs = cooccurrence(&docs, 1);
    let p = find(&pairs, "docker", "kubernetes");
    let k8s = |l: &&str| l.contains("K8s") || l.contains("k8s") || l.contains("Kubernetes");
    let docker = text.lines().filter(|l| l.contains("Docker")).count();
    let both = text
        .lines()
        .filter(|l| l.contains("Docker"))
        .filter(k8s)
        .count();
    assert_eq!(
        (p.count_a, p.count_b, p.count_ab),
        (docker, text.lines().filter(k8s).count(), both)
    );
    assert!(
        docker > 100 && both > 90,
        "the shipped corpus plants the pair: {docker} {both}"
    );
}
