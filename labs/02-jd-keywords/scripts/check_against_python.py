"""Lab 02's reference check: `jd-keywords` against scikit-learn and SciPy.

Usage: python check_against_python.py JD_KEYWORDS_BINARY
(run by `verify` as the checks `sklearn-agrees` and `scipy-agrees`, with
the Python that scripts/python-env.sh makes).

Corpora, all generated here: the synthetic ads of three seeds at three
sizes (tokenized by `jd-keywords tokenize`), plus random token lists drawn
from a skewed vocabulary with repeats, upper case, non-ASCII terms and an
empty document, which the ads do not have. For each:

- `tfidf --pretokenized --top 0 --format json` must give every document
  exactly scikit-learn's non-zero terms, each weight within 1e-9 of
  `TfidfVectorizer(analyzer=<the tokens as given>)` (its defaults:
  smooth_idf, raw tf, l2 norm), in the order weight-then-term;
- `assoc --pretokenized --by city --compare 东莞,北京` must give every term
  in some but not all ads, with the counts Python computes from the same
  file, and chi2 (relative 1e-9), dof (equal) and p-value (within 1e-6) of
  `scipy.stats.chi2_contingency(table, correction=False)`, and the rate
  ratio (relative 1e-12).
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.stats import chi2_contingency
from sklearn.feature_extraction.text import TfidfVectorizer

TFIDF_TOL = 1e-9
P_TOL = 1e-6


def run(binary, *args, stdin=None):
    done = subprocess.run([binary, *args], input=stdin, capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"check: {binary} {' '.join(args)} exited {done.returncode}: {done.stderr.decode()}")
    return done.stdout.decode()


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def synthetic_corpus(binary, seed, ads, folder):
    """The generator's ads, tokenized by the binary, as a pretokenized file."""
    raw = folder / f"ads-{seed}-{ads}.jsonl"
    raw.write_text(run(binary, "synth", "--seed", str(seed), "--ads", str(ads)), encoding="utf-8")
    tokens = {d["id"]: d["tokens"] for d in jsonl(run(binary, "tokenize", "--input", str(raw)))}
    rows = [dict(a, tokens=tokens[a["id"]]) for a in jsonl(raw.read_text(encoding="utf-8"))]
    for r in rows:
        del r["text"]
    return rows


def random_corpus(seed, docs):
    """Token lists the ads do not produce: repeats, case, scripts, an empty doc."""
    rng = random.Random(seed)
    vocab = ["Rust", "rust", "Go", "C++", "C#", "no_std", "東京", "北京", "Ünïcode", "a", "z"]
    vocab += [f"t{i}" for i in range(200)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    cities = ["东莞", "北京", "上海"]
    rows = []
    for i in range(docs):
        n = 0 if i == 3 else rng.randint(1, 40)
        rows.append({"id": f"r{i}", "city": cities[i % 3], "tokens": rng.choices(vocab, weights, k=n)})
    return rows


def check_tfidf(binary, rows, path):
    ours = jsonl(run(binary, "tfidf", "--input", str(path), "--pretokenized", "--top", "0", "--format", "json"))
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens)
    matrix = vectorizer.fit_transform([r["tokens"] for r in rows]).tocsr()
    terms = vectorizer.get_feature_names_out()
    worst = 0.0
    assert len(ours) == len(rows), f"{len(ours)} lines for {len(rows)} documents"
    for i, (row, line) in enumerate(zip(rows, ours)):
        assert line["id"] == row["id"], f"line {i + 1}: id {line['id']} for {row['id']}"
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        theirs = {terms[j]: matrix.data[k] for k, j in zip(range(start, end), matrix.indices[start:end])}
        mine = {t["term"]: t["weight"] for t in line["terms"]}
        assert set(mine) == set(theirs), f"{row['id']}: terms differ: {sorted(set(mine) ^ set(theirs))}"
        for term, weight in theirs.items():
            worst = max(worst, abs(mine[term] - weight))
        order = [(-t["weight"], t["term"]) for t in line["terms"]]
        assert order == sorted(order), f"{row['id']}: not sorted by weight then term"
    assert worst <= TFIDF_TOL, f"largest weight difference {worst:.3e} > {TFIDF_TOL}"
    return matrix.nnz, worst


def check_assoc(binary, rows, path):
    ours = jsonl(run(binary, "assoc", "--input", str(path), "--pretokenized", "--by", "city",
                     "--compare", "东莞,北京"))
    groups = sorted({r["city"] for r in rows})
    size = {g: sum(r["city"] == g for r in rows) for g in groups}
    present = {}
    for r in rows:
        for t in set(r["tokens"]):
            present.setdefault(t, dict.fromkeys(groups, 0))[r["city"]] += 1
    expected = {t: c for t, c in present.items() if 0 < sum(c.values()) < len(rows)}
    assert {line["term"] for line in ours} == set(expected), "the terms tested differ"
    worst_p = worst_chi2 = 0.0
    for line in ours:
        with_term = expected[line["term"]]
        counts = {g: {"with": with_term[g], "without": size[g] - with_term[g]} for g in groups}
        assert line["counts"] == counts, f"{line['term']}: counts {line['counts']} != {counts}"
        table = np.array([[with_term[g] for g in groups], [size[g] - with_term[g] for g in groups]])
        chi2, p, dof, _ = chi2_contingency(table, correction=False)
        assert line["dof"] == dof, f"{line['term']}: dof {line['dof']} != {dof}"
        worst_chi2 = max(worst_chi2, abs(line["chi2"] - chi2) / max(chi2, 1e-300))
        worst_p = max(worst_p, abs(line["p_value"] - p))
        rate = {g: with_term[g] / size[g] for g in ("东莞", "北京")}
        ratio = rate["东莞"] / rate["北京"] if rate["北京"] > 0 else None
        got = line["rate_ratio"]["value"]
        assert (got is None) == (ratio is None), f"{line['term']}: rate ratio {got} != {ratio}"
        assert ratio is None or abs(got - ratio) <= 1e-12 * ratio, f"{line['term']}: rate ratio {got} != {ratio}"
    assert worst_chi2 <= 1e-9, f"largest relative chi2 difference {worst_chi2:.3e}"
    assert worst_p <= P_TOL, f"largest p-value difference {worst_p:.3e} > {P_TOL}"
    return len(ours), worst_chi2, worst_p


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--only", choices=["tfidf", "assoc"])
    args = parser.parse_args()
    import sklearn
    import scipy
    print(f"check: scikit-learn {sklearn.__version__}, SciPy {scipy.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpora = [(f"synthetic seed {s}, {n} ads", synthetic_corpus(args.binary, s, n, folder))
                   for s, n in [(1, 50), (2, 500), (3, 3000)]]
        corpora.append(("random tokens, 400 docs", random_corpus(7, 400)))
        for name, rows in corpora:
            path = folder / "corpus.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
            try:
                if args.only in (None, "tfidf"):
                    nnz, worst = check_tfidf(args.binary, rows, path)
                    print(f"check: {name}: tfidf {nnz} weights agree with scikit-learn, max |diff| {worst:.1e}")
                if args.only in (None, "assoc"):
                    terms, chi2, p = check_assoc(args.binary, rows, path)
                    print(f"check: {name}: assoc {terms} terms agree with SciPy, "
                          f"max relative chi2 diff {chi2:.1e}, max |p diff| {p:.1e}")
            except AssertionError as e:
                sys.exit(f"check: {name}: {e}")


if __name__ == "__main__":
    main()
