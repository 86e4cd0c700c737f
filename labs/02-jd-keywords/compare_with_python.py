#!/usr/bin/env python3
"""Lab 02 against scikit-learn and Python jieba, in one sitting, interleaved
across processes (A B A B): each round runs examples/bench_keywords.rs
(release) and then scripts/bench_python.py, each timing REPS runs on the
same 10 000 synthetic ads and reporting its median; the per-round ratio
Rust / Python is what is reported (median and quartiles over the rounds),
because this VM's speed drifts by up to 2x between sequential runs. The
figures go to the lab's ratio file ($CARGO_TARGET_DIR/bench-ratios/lab02.json).

    make bench-keywords            # 7 rounds: 5 TF-IDF fits, 1 segmentation pass
    ROUNDS=3 make bench-keywords   # fewer (make bench-ratios)

TF-IDF is timed on pre-tokenized input on both sides (tokens → vocabulary,
document frequencies, idf, normalised sparse vectors), so the two do the
same work; segmentation is jieba-rs `cut(text, true)` against Python
jieba's `lcut(text)` over every ad's whole text.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAB = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "support"))
from benchtools import add_ratios, commit, quartiles, run, target_dir  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "7"))
REPS = 5
# Python jieba takes about 4.6 s per pass over the 10 000 ads.
JIEBA_REPS = 1
ADS = 10_000


def measure(cmd):
    out = run(cmd, ROOT)
    return json.loads(out.strip().splitlines()[-1])


def main():
    env = subprocess.run([str(LAB / "scripts" / "python-env.sh")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if env.returncode != 0:
        # No scikit-learn to compare with (no PyPI, no venv): say so, do not fail.
        print("SKIP: no Python with scikit-learn and jieba (scripts/python-env.sh failed; its message is above)")
        return
    python = env.stdout.strip()
    run(["cargo", "build", "-q", "--release", "-p", "lab02-jd-keywords", "--bin", "jd-keywords",
         "--example", "bench_keywords"], ROOT)
    release = target_dir(ROOT) / "release"
    work = target_dir(ROOT) / "lab02-bench"
    work.mkdir(parents=True, exist_ok=True)
    text, pre = work / "ads-10k.jsonl", work / "ads-10k-tokens.jsonl"
    text.write_text(run([str(release / "jd-keywords"), "synth", "--seed", "2024", "--ads", str(ADS)], ROOT),
                    encoding="utf-8")
    pre.write_text(run([str(release / "jd-keywords"), "tokenize", "--input", str(text)], ROOT), encoding="utf-8")
    rust_cmd = [str(release / "examples" / "bench_keywords"), str(pre), str(text), str(REPS), str(JIEBA_REPS)]
    py_cmd = [python, str(LAB / "scripts" / "bench_python.py"), str(pre), str(text), str(REPS), str(JIEBA_REPS)]
    rounds = []
    for i in range(ROUNDS):
        # Alternate which side goes first, so neither always follows the other.
        if i % 2 == 0:
            pair = measure(rust_cmd), measure(py_cmd)
        else:
            py_first = measure(py_cmd)
            pair = measure(rust_cmd), py_first
        rounds.append(pair)
        print(f"round {i + 1}/{ROUNDS}: tfidf {pair[0]['tfidf_ns'] / 1e6:.1f} ms vs {pair[1]['tfidf_ns'] / 1e6:.1f} ms, "
              f"jieba {pair[0]['jieba_ns'] / 1e6:.0f} ms vs {pair[1]['jieba_ns'] / 1e6:.0f} ms", file=sys.stderr)
    rust, py = rounds[0]
    if (rust["docs"], rust["terms"]) != (py["docs"], py["terms"]):
        sys.exit(f"the two sides fitted different corpora: {rust} vs {py}")
    figures = []
    print(f"{ADS} synthetic ads, {rust['terms']} terms; {ROUNDS} interleaved rounds; per round the median of "
          f"{REPS} TF-IDF fits and {JIEBA_REPS} segmentation pass(es)\n")
    print("| figure | Rust (median ms) | Python (median ms) | Rust / Python (IQR) | speed-up |")
    print("|---|---:|---:|---:|---:|")
    for key, name, peer in [("tfidf_ns", "lab02/tfidf-vs-sklearn", "scikit-learn TfidfVectorizer"),
                            ("jieba_ns", "lab02/jieba-rs-vs-python-jieba", "Python jieba lcut")]:
        ratio = [r[key] / p[key] for r, p in rounds]
        med, q1, q3 = quartiles(ratio)
        r_ms = quartiles([r[key] for r, _ in rounds])[0] / 1e6
        p_ms = quartiles([p[key] for _, p in rounds])[0] / 1e6
        print(f"| {name} | {r_ms:.1f} | {p_ms:.1f} | {med:.3f} ({q1:.3f}–{q3:.3f}) | {1 / med:.1f}× |")
        figures.append({"figure": name, "peer": peer, "median": round(med, 4), "q1": round(q1, 4),
                        "q3": round(q3, 4), "rounds": ROUNDS, "commit": commit(ROOT), "higher_is_better": False})
    tok_ms = quartiles([r["tokenize_ns"] for r, _ in rounds])[0] / 1e6
    print(f"\nRust whole tokenizer (runs split, jieba on Han runs, normalise): {tok_ms:.1f} ms for {ADS} ads")
    print(f"words segmented: jieba-rs {rust['jieba_words']}, Python jieba {py['jieba_words']}")
    hwm_r = quartiles([r["fit_peak_kib"] for r, _ in rounds])[0] / 1024
    hwm_p = quartiles([p["fit_peak_kib"] for _, p in rounds])[0] / 1024
    print(f"memory added at the peak of the fits (VmHWM after − VmRSS before, median of the rounds): "
          f"Rust {hwm_r:.1f} MiB, Python {hwm_p:.1f} MiB")
    print(f"ratios added to {add_ratios(ROOT, '02', figures)}")


if __name__ == "__main__":
    main()
