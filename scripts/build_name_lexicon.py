"""Build ``pipeline/data/given_names.txt`` from the clean-licence Turkish NER
sets in ../shared/ner-data (tr-wiki-ner, MIT; tr-starlang, CC BY-SA 4.0):
first tokens of multi-word person names, seen at least twice as a name start
and more often capitalised inside names than outside them.

    python scripts/build_name_lexicon.py [--ner-data ../shared/ner-data]
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pipeline.textnorm import strip_tr_suffix

SOURCES = ["tr-wiki-ner/train.conll", "tr-starlang/tr_starlang.train.bio"]


def sentences(path: Path):
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if sent:
                yield sent
            sent = []
            continue
        tok, _, tag = line.partition("\t")
        sent.append((tok, tag.strip() or "O"))
    if sent:
        yield sent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ner-data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "ner-data"))
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "pipeline" / "data" / "given_names.txt"))
    args = ap.parse_args()
    starts: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    for rel in SOURCES:
        for sent in sentences(Path(args.ner_data) / rel):
            for i, (tok, tag) in enumerate(sent):
                word = strip_tr_suffix(tok)
                nxt = sent[i + 1][1] if i + 1 < len(sent) else "O"
                if tag in ("B-PERSON",) and nxt == "I-PERSON":
                    starts[word] += 1
                elif not tag.endswith("PERSON"):
                    elsewhere[word] += 1
    names = sorted(w for w, n in starts.items()
                   if n >= 2 and w[:1].isupper() and w.isalpha() and len(w) > 2 and n > elsewhere[w])
    header = ("# Given names: first tokens of multi-word person names in tr-wiki-ner (MIT)\n"
              "# and tr-starlang (CC BY-SA 4.0) training data. Built by scripts/build_name_lexicon.py.\n")
    Path(args.out).write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(names)} given names -> {args.out}")


if __name__ == "__main__":
    main()
