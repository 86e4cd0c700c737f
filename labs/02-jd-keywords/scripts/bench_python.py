"""One process's measurement for `make bench-keywords`: the Python side of
examples/bench_keywords.rs, on the same files, printing the same JSON keys.

Usage: python bench_python.py PRETOKENIZED.jsonl TEXT.jsonl REPS JIEBA_REPS

scikit-learn's TfidfVectorizer with the tokens given as they are (a
callable analyzer: its defaults otherwise, the definition the lab
matches), and Python jieba's `lcut(text)` (HMM on, its default) with the
lab's extra words added, as jieba-rs has them.
"""
import json
import statistics
import sys
import time

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer

EXTRA_WORDS = ["后端", "前端", "微服务", "云原生", "高并发", "嵌入式"]


def status_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def median_ns(reps, f):
    times = []
    for _ in range(reps):
        start = time.perf_counter_ns()
        f()
        times.append(time.perf_counter_ns() - start)
    return int(statistics.median_low(times))


def main():
    pre, text, reps, jieba_reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(pre, encoding="utf-8") as f:
        docs = [json.loads(line)["tokens"] for line in f if line.strip()]
    with open(text, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    jieba.setLogLevel(60)
    jieba.initialize()
    for w in EXTRA_WORDS:
        jieba.add_word(w)
    # Reset VmHWM to the current RSS (Linux), as the Rust side does.
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    rss_before = status_kib("VmRSS:")
    result = {}

    def fit():
        v = TfidfVectorizer(analyzer=lambda tokens: tokens)
        v.fit_transform(docs)
        result["terms"] = len(v.vocabulary_)

    tfidf = median_ns(reps, fit)
    fit_peak = max(0, status_kib("VmHWM:") - rss_before)

    def cut():
        result["words"] = sum(len(jieba.lcut(t)) for t in texts)

    jieba_ns = median_ns(jieba_reps, cut)
    print(json.dumps({"docs": len(docs), "terms": result["terms"], "tfidf_ns": tfidf, "fit_peak_kib": fit_peak,
                      "jieba_ns": jieba_ns, "jieba_words": result["words"]}))


if __name__ == "__main__":
    main()
