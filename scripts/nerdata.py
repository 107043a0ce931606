"""Reading the public NER sets of ../shared/ner-data and scoring against them
(entity-level strict P/R/F1 by the conlleval rules). Shared by
train_tr_ner.py and eval_ner.py."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

APOSTROPHES = "'’`"
# Each set's tag types mapped to PER / LOC / ORG; types not named are ignored.
TAG_MAPS: dict[str, dict[str, str]] = {
    "tr-wiki-ner": {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"},
    "tr-starlang": {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"},
    "tr-milliyet": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
    "tr-wikiann": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
    "ru-factrueval": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
    "ru-collection5": {"PER": "PER", "LOC": "LOC", "GEOPOLIT": "LOC", "ORG": "ORG", "MEDIA": "ORG"},
    "en-wikiann": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
}
TYPES = ("PER", "LOC", "ORG")


@dataclass
class Sentence:
    words: list[str]
    tags: list[str]  # IOB2 over PER/LOC/ORG


def read_bio(path: Path, tag_map: dict[str, str]) -> list[Sentence]:
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") or line == "#":
            continue
        if not line.strip():
            if words:
                out.append(Sentence(words, tags))
            words, tags = [], []
            continue
        parts = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
        word, tag = parts[0], (parts[1].strip() if len(parts) > 1 else "O")
        prefix, _, typ = tag.partition("-")
        mapped = tag_map.get(typ)
        words.append(word)
        tags.append(f"{prefix}-{mapped}" if mapped and prefix in ("B", "I") else "O")
    if words:
        out.append(Sentence(words, tags))
    return [repair(s) for s in out]


def repair(s: Sentence) -> Sentence:
    """IOB2 with every entity opened by B- (an I- after O or another type starts one)."""
    tags = []
    prev = "O"
    for t in s.tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        tags.append(t)
        prev = t
    return Sentence(s.words, tags)


def reattach_suffixes(s: Sentence) -> Sentence:
    """``Almanya`` ``'nın`` → ``Almanya'nın``, as press releases write it."""
    words: list[str] = []
    tags: list[str] = []
    for w, t in zip(s.words, s.tags):
        if words and w[:1] in APOSTROPHES and len(w) > 1 and w[1:].isalpha() and t == "O":
            words[-1] += w
        else:
            words.append(w)
            tags.append(t)
    return Sentence(words, tags)


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, type) entities of an IOB2 sequence, scored and predicted alike."""
    from pipeline.stages.crf_ner import iob_spans

    return set(iob_spans(tags))


@dataclass
class Counts:
    tp: Counter
    fp: Counter
    fn: Counter

    @classmethod
    def new(cls) -> "Counts":
        return cls(Counter(), Counter(), Counter())

    def add(self, gold: set, pred: set) -> None:
        for s in gold & pred:
            self.tp[s[2]] += 1
        for s in pred - gold:
            self.fp[s[2]] += 1
        for s in gold - pred:
            self.fn[s[2]] += 1

    def prf(self, typ: str | None = None) -> tuple[float, float, float]:
        pick = (lambda c: c[typ]) if typ else (lambda c: sum(c.values()))
        tp, fp, fn = pick(self.tp), pick(self.fp), pick(self.fn)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)
