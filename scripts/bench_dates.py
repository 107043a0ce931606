"""The date stage alone: its scores on a gold set and its speed in ms/doc.

Runs only what the date stage needs (reading, the gold language, the
publication date and the dates), so a change to ``pipeline/dates.py`` can be
measured in seconds instead of a full ``pressx evaluate``.

    python scripts/bench_dates.py [GOLD_DIR] [--other N] [--repeat 5] [--errors]

``--other N`` also times N pseudo-documents of about 2,000 characters built
from the news sentences of ``../shared/ner-data`` (text pressx has not been
tuned on). Speed is the median of ``--repeat`` rounds, with every cache of the
date stage warm (as in a long batch).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.stages.dates import find_dates, publication_date  # noqa: E402
from pipeline.review.evaluate import _date_key  # noqa: E402
from pipeline.run.reading import read_document  # noqa: E402

OTHER = {"ru": "ru-collection5/collection5.bio", "tr": "tr-milliyet/test.bio", "en": "en-wikiann/test.bio"}


def date_stage(text: str, clean: str, lang: str) -> tuple[str | None, list]:
    """What the dates component (``pipeline.stages.components``) runs."""
    pub = publication_date(clean, lang)
    base = dt.date.fromisoformat(pub) if pub else None
    return pub, find_dates(text, lang, base)


def other_docs(folder: Path, n: int) -> list[tuple[str, str]]:
    """(lang, text) pseudo-documents from the IOB files' sentences."""
    out: list[tuple[str, str]] = []
    per = max(1, n // len(OTHER))
    for lang, rel in OTHER.items():
        path = folder / rel
        if not path.exists():
            continue
        sent: list[str] = []
        doc: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            if not line.strip():
                if sent:
                    doc.append(" ".join(sent))
                    sent = []
                if sum(map(len, doc)) > 2000:
                    out.append((lang, " ".join(doc)))
                    doc = []
                    if sum(1 for l, _ in out if l == lang) >= per:
                        break
                continue
            sent.append(line.split("\t")[0].split(" ")[0])
    return out


def timed(docs: list[tuple[str, str, str]], repeat: int) -> float:
    """Median ms/doc over ``repeat`` rounds (the first round warms the caches)."""
    for text, clean, lang in docs:
        date_stage(text, clean, lang)
    rounds = []
    for _ in range(repeat):
        t0 = time.process_time()
        for text, clean, lang in docs:
            date_stage(text, clean, lang)
        rounds.append((time.process_time() - t0) * 1000 / len(docs))
    return statistics.median(rounds)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default=str(ROOT.parent.parent / "shared" / "devset"))
    ap.add_argument("--other", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    gold_dir = Path(args.gold)
    if not (gold_dir / "gold.jsonl").exists():
        gold_dir = Path("/work/shared/devset")
    golds = [json.loads(l) for l in (gold_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    docs = []
    stats: dict[str, list[int]] = {}
    for g in golds:
        doc = read_document(gold_dir / "raw" / f"{g['doc_id']}.txt")
        lang = g["language"]
        docs.append((doc.text, doc.clean_text, lang))
        pub, found = date_stage(doc.text, doc.clean_text, lang)
        gd = {_date_key(d): d.get("text") for d in g.get("dates", []) if _date_key(d) is not None}
        pd = {(d.value or (d.range_start, d.range_end)): d.text for d in found}
        s = stats.setdefault(lang, [0, 0, 0, 0, 0])
        tp = len(gd.keys() & pd.keys())
        s[0] += tp
        s[1] += len(pd) - tp
        s[2] += len(gd) - tp
        s[3] += pub == g.get("publication_date")
        s[4] += 1
        if args.errors:
            lines = [f"  missed {gd[k]!r} = {k}" for k in gd if k not in pd]
            lines += [f"  spurious {pd[k]!r} = {k}" for k in pd if k not in gd]
            if pub != g.get("publication_date"):
                lines.append(f"  publication date: gold {g.get('publication_date')}, got {pub}")
            if lines:
                print(g["doc_id"], *lines, sep="\n")
    tot = [sum(s[i] for s in stats.values()) for i in range(5)]
    for lang, s in sorted(stats.items()) + [("all", tot)]:
        tp, fp, fn, ok, n = s
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{lang:4} dates P {p:.3f} R {r:.3f} F1 {f:.3f}  publication_date {ok / n:.3f}  ({n} docs)")
    if args.no_speed:
        return
    print(f"date stage, devset: {timed(docs, args.repeat):.2f} ms/doc")
    if args.other:
        other = [(t, t, lang) for lang, t in other_docs(ROOT.parent.parent / "shared" / "ner-data", args.other)]
        if not other:
            other = [(t, t, lang) for lang, t in other_docs(Path("/work/shared/ner-data"), args.other)]
        print(f"date stage, {len(other)} other docs: {timed(other, args.repeat):.2f} ms/doc")


if __name__ == "__main__":
    main()
