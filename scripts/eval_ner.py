"""Entity-level strict P/R/F1 (conlleval rules) of each language's NER
backend on the public sets in ../shared/ner-data, per type and overall.

Each sentence's tokens are joined with spaces and given to the backend as
text, as pressx does with a press release; predicted character spans are
mapped back to tokens. Tags are mapped to PER / LOC / ORG as in
``nerdata.TAG_MAPS`` (Collection5 GEOPOLIT -> LOC and MEDIA -> ORG; Wiki NER
GPE -> LOC; other types ignored). Milliyet's split suffixes are re-attached.

    python scripts/eval_ner.py [--sets tr-milliyet:test ...] [--limit N] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nerdata import TAG_MAPS, TYPES, Counts, Sentence, read_bio, reattach_suffixes, spans  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "tr-milliyet:test": ("tr", "tr-milliyet/test.bio"),
    "tr-starlang:test": ("tr", "tr-starlang/tr_starlang.test.bio"),
    "tr-wiki-ner:test": ("tr", "tr-wiki-ner/test.conll"),
    "tr-wikiann:test": ("tr", "tr-wikiann/test.bio"),
    "ru-factrueval:test": ("ru", "ru-factrueval/test.bio"),
    "ru-collection5": ("ru", "ru-collection5/collection5.bio"),
    "en-wikiann:test": ("en", "en-wikiann/test.bio"),
}
PUBLISHED = {
    "tr-milliyet:test": "BERT+CRF ~96, CRF systems 91-92 (trained on Milliyet)",
    "tr-starlang:test": "Stanza tr 81.65",
    "tr-wiki-ner:test": "tr_core_news_md 88.9",
    "ru-factrueval:test": "natasha slovnet PER 95.9 / LOC 91.5 / ORG 82.5",
    "ru-collection5": "-",
    "tr-wikiann:test": "-",
    "en-wikiann:test": "en_core_web_sm 84.6 on OntoNotes (a different set)",
}


def predict(backend, sents: list[Sentence], batch: int = 256) -> list[set]:
    out = []
    for k in range(0, len(sents), batch):
        chunk = sents[k:k + batch]
        texts, starts = [], []
        for s in chunk:
            offs, pos = [], 0
            for w in s.words:
                offs.append(pos)
                pos += len(w) + 1
            texts.append(" ".join(s.words))
            starts.append(offs)
        for s, offs, ents in zip(chunk, starts, backend(texts)):
            ends = [o + len(w) for o, w in zip(offs, s.words)]
            pred = set()
            for e in ents:
                first = max((i for i, o in enumerate(offs) if o <= e.start), default=0)
                last = min((i for i, end in enumerate(ends) if end >= e.end), default=len(ends) - 1)
                pred.add((first, last + 1, e.label))
            out.append(pred)
    return out


def evaluate(name: str, ner_data: Path, limit: int | None, backend=None) -> dict:
    """Scores of ``backend`` (default: pressx's backend for the set's language) on a set."""
    from pipeline.stages.ner import ner_for

    lang, rel = SETS[name]
    backend = backend or ner_for(lang)
    sents = read_bio(ner_data / rel, TAG_MAPS[name.split(":")[0]])
    if lang == "tr":
        sents = [reattach_suffixes(s) for s in sents]
    if limit:
        sents = sents[:limit]
    t0 = time.time()
    preds = predict(backend, sents)
    counts = Counts.new()
    for s, p in zip(sents, preds):
        counts.add(spans(s.tags), p)
    res = {"set": name, "backend": backend.name, "sentences": len(sents),
           "seconds": round(time.time() - t0, 1)}
    for typ in (*TYPES, None):
        p, r, f = counts.prf(typ)
        res[typ or "overall"] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ner-data", type=Path, default=ROOT.parent / "shared" / "ner-data")
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--limit", type=int, default=None, help="first N sentences of each set")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    rows = []
    print("| set | backend | PER F1 | LOC F1 | ORG F1 | overall P / R / F1 | published |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in args.sets:
        res = evaluate(name, args.ner_data, args.limit)
        rows.append(res)
        o = res["overall"]
        print(f"| {name} | {res['backend']} | {res['PER']['f1']:.3f} | {res['LOC']['f1']:.3f} | {res['ORG']['f1']:.3f} "
              f"| {o['p']:.3f} / {o['r']:.3f} / {o['f1']:.3f} | {PUBLISHED[name]} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
