//! The synthetic corpus: reproducible, and carrying the planted rates.

use lab02_jd_keywords::synth::{SplitMix64, generate};

#[test]
fn synthetic_file_shipped_is_the_generators_output() {
    let shipped = include_str!("../data/synthetic-ads.jsonl");
    assert!(
        shipped == generate(2024, 300),
        "regenerate: jd-keywords synth --seed 2024 --ads 300 > data/synthetic-ads.jsonl"
    );
}

#[test]
fn synthetic_random_numbers_are_splitmix64() {
    // The first outputs for seed 0 from the reference implementation
    // (Vigna's splitmix64.c).
    let mut r = SplitMix64::new(0);
    assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
}

#[test]
fn synthetic_ads_carry_the_planted_rates() {
    let ads = generate(99, 20_000);
    let lines: Vec<&str> = ads.lines().collect();
    let share = |with: &dyn Fn(&str) -> bool, of: &dyn Fn(&str) -> bool| {
        let group: Vec<&&str> = lines.iter().filter(|l| of(l)).collect();
        group.iter().filter(|l| with(l)).count() as f64 / group.len() as f64
    };
    let k8s = |l: &str| l.contains("K8s") || l.contains("k8s") || l.contains("Kubernetes");
    let p = share(&k8s, &|l| l.contains("Docker"));
    assert!((p - 0.92).abs() < 0.02, "P(k8s | docker) = {p}");
    let p = share(&|l| l.contains("FFI"), &|l| l.contains("unsafe"));
    assert!((p - 0.76).abs() < 0.03, "P(ffi | unsafe) = {p}");
    let dg = share(&|l| l.contains("no_std"), &|l| {
        l.contains("\"city\":\"东莞\"")
    });
    let bj = share(&|l| l.contains("no_std"), &|l| {
        l.contains("\"city\":\"北京\"")
    });
    assert!(
        (dg / bj - 3.2).abs() < 0.5,
        "no_std 东莞/北京 = {}",
        dg / bj
    );
}
