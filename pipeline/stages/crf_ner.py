"""A linear-chain CRF entity recogniser (PER / LOC / ORG) as a spaCy component.

The Turkish model in ``models/tr_pressx_ner`` is a blank Turkish spaCy
pipeline with a sentencizer and this component (``pressx_crf_ner``,
registered as a spaCy factory through the package's entry points, so
``spacy.load`` finds it on any install of pressx). Nothing is downloaded:
the CRF weights and the gazetteers it reads are files of the model folder.

Why a CRF: with no pretrained Turkish embeddings to be had here, a CRF over
hand-made features plus gazetteers beat a spaCy tok2vec+ner trained on the
same data (Milliyet overall 0.62 → 0.75, see ``docs/accuracy.md``), trains in
minutes on two cores and tags about as fast as the rules run.

Features of a word: its lower form and affixes, its shape, the case suffix
after an apostrophe (``Amreyev'in``), membership in each gazetteer (given
names, surnames, places, proper nouns, acronyms, common words, organisation
heads, titles), its frequency band; and the same, fewer, for two words
either side. ``sentence_features`` is shared with ``scripts/train_tr_ner.py``
so training and tagging see the same features.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Span

from ..knowledge.textnorm import APOSTROPHES, turkish_lower

# Gazetteer names, each a set of lower-cased words in gazetteers.json.
GAZETTEERS = ("given", "surname", "place", "proper", "acronym", "common", "org_head", "title")
# The flags a neighbouring word contributes (its own full set would only dilute the weights).
CONTEXT_FLAGS = ("given", "surname", "place", "org_head", "title", "is_title", "upper", "apo", "common", "proper")
MODEL_FILE = "model.crfsuite"
GAZ_FILE = "gazetteers.json"
_MAX_CACHE = 300_000

_UPPER = re.compile(r"[A-ZÇĞİÖŞÜÂÎÛ]")
_LOWER = re.compile(r"[a-zçğıöşüâîû]")
_DIGIT = re.compile(r"\d")
_REPEAT = re.compile(r"(.)\1{2,}")


@dataclass
class Gazetteers:
    """Word lists the features look words up in, and a frequency band per word."""

    sets: dict[str, frozenset[str]] = field(default_factory=dict)
    zipf: dict[str, int] = field(default_factory=dict)  # lower form -> int(Zipf frequency)

    def to_json(self) -> str:
        return json.dumps({"sets": {k: sorted(v) for k, v in self.sets.items()}, "zipf": self.zipf},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Gazetteers":
        data = json.loads(text)
        return cls({k: frozenset(v) for k, v in data["sets"].items()}, data["zipf"])


def split_suffix(word: str) -> tuple[str, str]:
    """``Amreyev'in`` → (``Amreyev``, ``in``); a word without one → (word, "")."""
    for i in range(1, len(word)):
        if word[i] in APOSTROPHES:
            return word[:i], word[i + 1:]
    return word, ""


def shape(word: str) -> str:
    s = _DIGIT.sub("d", _LOWER.sub("x", _UPPER.sub("X", word)))
    return _REPEAT.sub(r"\1\1", s)


@dataclass(frozen=True, slots=True)
class WordAttributes:
    """A word's CRF attributes, built once per distinct word: its own, and what it
    tells a neighbour at each offset."""

    low: str
    own: list[str]
    context: dict[int, list[str]]


def word_attributes(word: str, gaz: Gazetteers) -> WordAttributes:
    """Attributes are python-crfsuite's "name:value" strings (weight 1); a flag is
    its name alone, present only when true."""
    stem, suffix = split_suffix(word)
    low = turkish_lower(stem)
    sh, s3, zipf = shape(stem), low[-3:], str(gaz.zipf.get(low, 0))
    values = {"l": low, "sh": sh, "p3": low[:3], "s2": low[-2:], "s3": s3, "s4": low[-4:],
              "suf": turkish_lower(suffix)[:4], "zipf": zipf, "len": str(min(len(stem), 8))}
    flags = {"apo": bool(suffix), "is_title": stem[:1].isupper() and not stem.isupper(),
             "upper": stem.isupper() and len(stem) > 1, "punct": not any(ch.isalnum() for ch in stem)}
    flags.update((name, low in gaz.sets.get(name, ())) for name in GAZETTEERS)
    own = [f"{k}:{v}" for k, v in values.items()] + [k for k, on in flags.items() if on]
    context = {}
    for d in (-2, -1, 1, 2):
        ctx = [f"{d}:l:{low}", f"{d}:sh:{sh}"] + [f"{d}:{k}" for k in CONTEXT_FLAGS if flags[k]]
        if abs(d) == 1:
            ctx += [f"{d}:s3:{s3}", f"{d}:zipf:{zipf}"]
        context[d] = ctx
    return WordAttributes(low, own, context)


def sentence_features(words: list[str], gaz: Gazetteers,
                      cache: dict[str, WordAttributes] | None = None) -> list[list[str]]:
    """One attribute list per word of a sentence (python-crfsuite's item format):
    the word's own, two neighbours either side, and the word with the next."""
    cache = {} if cache is None else cache
    base = []
    for w in words:
        a = cache.get(w)
        if a is None:
            if len(cache) > _MAX_CACHE:
                cache.clear()
            a = cache[w] = word_attributes(w, gaz)
        base.append(a)
    n = len(words)
    out = []
    for i, own in enumerate(base):
        item = own.own + ["bias"]
        if i == 0:
            item.append("BOS")
        if i == n - 1:
            item.append("EOS")
        for d in (-2, -1, 1, 2):
            if 0 <= i + d < n:
                item += base[i + d].context[d]
        item.append(f"l|+1l:{own.low}|{base[i + 1].low if i + 1 < n else '</s>'}")
        out.append(item)
    return out


def iob_spans(tags: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, type) of each entity in an IOB2 tag sequence (a stray I- opens one)."""
    start, typ = None, None
    tags = list(tags)
    for i, t in enumerate(tags + ["O"]):
        if start is not None and (t == "O" or t.startswith("B-") or t[2:] != typ):
            yield start, i, typ
            start, typ = None, None
        if t != "O" and start is None:
            start, typ = i, t[2:]


class CRFEntityRecognizer:
    """spaCy component: tags each sentence (cut again at line breaks) with the CRF
    and sets ``doc.ents``."""

    def __init__(self, nlp, name: str = "pressx_crf_ner"):
        self.name = name
        self.gaz = Gazetteers()
        self.model_bytes: bytes | None = None
        self._tagger = None
        self._cache: dict[str, WordAttributes] = {}

    def set_model(self, model_bytes: bytes, gaz: Gazetteers) -> None:
        import pycrfsuite

        self.model_bytes, self.gaz = model_bytes, gaz
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model_bytes)
        self._cache.clear()

    def segments(self, doc) -> Iterator[tuple[list[int], list[str]]]:
        """Runs of non-space tokens within a sentence and a line, as (token
        indices, texts). Read from the doc's arrays: a spaCy Token object per
        word would cost more than tagging it."""
        from spacy.attrs import IS_SPACE, ORTH, SENT_START

        strings = doc.vocab.strings  # (doc.text would join a Token object per word)
        indices: list[int] = []
        words: list[str] = []
        # (a doc without sentence boundaries has SENT_START 0, unknown, past its first token)
        for i, (orth, space, sent_start) in enumerate(doc.to_array([ORTH, IS_SPACE, SENT_START]).tolist()):
            word = strings[orth]
            if indices and (sent_start == 1 or space and "\n" in word):
                yield indices, words
                indices, words = [], []
            if not space:
                indices.append(i)
                words.append(word)
        if indices:
            yield indices, words

    def __call__(self, doc):
        if self._tagger is None:
            raise ValueError(f"{self.name}: no model loaded (train it with scripts/train_tr_ner.py)")
        ents = []
        for indices, words in self.segments(doc):
            tags = self._tagger.tag(sentence_features(words, self.gaz, self._cache))
            for a, b, label in iob_spans(tags):
                ents.append(Span(doc, indices[a], indices[b - 1] + 1, label=label))
        doc.ents = ents
        return doc

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model_bytes is None:
            raise ValueError(f"{self.name}: nothing to save, no model loaded")
        (path / MODEL_FILE).write_bytes(self.model_bytes)
        (path / GAZ_FILE).write_text(self.gaz.to_json(), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> "CRFEntityRecognizer":
        path = Path(path)
        self.set_model((path / MODEL_FILE).read_bytes(), Gazetteers.from_json((path / GAZ_FILE).read_text("utf-8")))
        return self


def make_crf_ner(nlp, name: str) -> CRFEntityRecognizer:
    return CRFEntityRecognizer(nlp, name)


# Registered on import; spaCy imports this module through the ``spacy_factories``
# entry point when a pipeline names the factory.
if not Language.has_factory("pressx_crf_ner"):
    Language.factory("pressx_crf_ner", assigns=["doc.ents"], requires=["token.is_sent_start"], func=make_crf_ner)
