"""Title recall of the role lexicon on Turkish Wiki NER (MIT), whose TITLE
tag marks titles and occupations: how many TITLE spans end in a word that
``roles.find_roles`` reads as an office head, and the most frequent head
words it misses (to find office heads the data files lack; occupations such
as "futbolcu" are no offices and stay out).

    python scripts/title_recall.py [../shared/ner-data/tr-wiki-ner] [--top 40]
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pipeline.stages.roles import find_roles
from pipeline.knowledge.textnorm import fold, tokenize


def title_spans(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """(sentence text, word index spans of its TITLE entities) per sentence."""
    out, words, spans, start = [], [], [], None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if start is not None:
                spans.append((start, len(words) - 1))
            if words:
                out.append((" ".join(words), spans))
            words, spans, start = [], [], None
            continue
        word, tag = line.split("\t")[0], line.split("\t")[-1].strip()
        if start is not None and not tag.endswith("TITLE") or tag.startswith("B-"):
            if start is not None:
                spans.append((start, len(words) - 1))
            start = None
        if tag.endswith("TITLE") and start is None:
            start = len(words)
        words.append(word)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default="../shared/ner-data/tr-wiki-ner")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    found = total = 0
    missed: Counter[str] = Counter()
    for split in ("dev.conll", "test.conll"):
        for text, spans in title_spans(Path(args.folder) / split):
            tokens = tokenize(text)
            # words are joined by one space: word i starts where the i-th space-free run does
            word_tok = [i for i, t in enumerate(tokens) if i == 0 or text[tokens[i - 1].end:t.start] == " "]
            heads = {k for r in find_roles(tokens, "tr") for k in range(r.first, r.last + 1)}
            for a, b in spans:
                if b >= len(word_tok):
                    continue
                total += 1
                head_tok = word_tok[b]
                if head_tok in heads:
                    found += 1
                else:
                    missed[fold(tokens[head_tok].stem)] += 1
    print(f"TITLE spans whose head is read as an office: {found}/{total} = {found / max(total, 1):.2f}")
    print("most frequent heads not read:", ", ".join(f"{w} {n}" for w, n in missed.most_common(args.top)))


if __name__ == "__main__":
    main()
