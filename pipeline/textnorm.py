"""Text primitives shared by the stages: tokens with offsets, folding and
suffix splitting."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHES = "'’`´ʼ‘"
# A word: letters/digits, inner hyphens and dots of initials kept out; an
# apostrophe followed by letters is a Turkish case suffix attached to it.
# a Latin initialism with its dots is one word ("U.S.", "U.K."): its dots end no sentence
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}(?![A-Za-z])|\w+(?:-\w+)*(?:[" + APOSTROPHES + r"]\w+)?|[^\w\s]", re.U)
_APOSTROPHE = re.compile("[" + APOSTROPHES + "]")
_FOLD_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss"})


@dataclass(slots=True)  # not frozen: a document makes hundreds, and frozen ones build 5x slower
class Token:
    start: int
    end: int
    text: str
    stem_end: int  # end of the word before an apostrophe suffix
    # derived once here: the stages ask these of every token many times over
    stem: str
    is_word: bool
    is_cap: bool

    @property
    def suffix(self) -> str:
        return self.text[self.stem_end - self.start + 1:] if self.stem_end < self.end else ""


@lru_cache(maxsize=None)
def function_words(lang: str, kind: str) -> frozenset[str]:
    """Closed-class words of a kind (``data/function_words.tsv``), lower-case."""
    from .resources import data_tsv

    return frozenset(turkish_lower(w) for l, k, w in data_tsv("function_words.tsv") if k == kind and l in ("*", lang))


def is_function_word(tok: Token, lang: str, kind: str) -> bool:
    return turkish_lower(tok.text) in function_words(lang, kind)


def is_list_joiner(tok: Token) -> bool:
    """A word or mark joining the items of a list, in any of the languages."""
    return any(is_function_word(tok, lang, "list_joiner") for lang in ("tr", "en", "ru"))


def token_span(tokens: list[Token], starts: list[int], start: int, end: int) -> range:
    """Indices of the tokens that overlap characters [start, end); ``starts``
    holds the tokens' start offsets (for bisection)."""
    from bisect import bisect_left, bisect_right

    lo = bisect_right(starts, start) - 1
    if lo < 0 or tokens[lo].end <= start:
        lo += 1
    return range(lo, bisect_left(starts, end))


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        s = m.group()
        apo = _APOSTROPHE.search(s)
        cut = apo.start() if apo else len(s)
        out.append(Token(m.start(), m.end(), s, m.start() + cut, s[:cut], s[0].isalnum(), s[0].isupper()))
    return out


def turkish_lower(s: str) -> str:
    return s.replace("I", "ı").replace("İ", "i").lower()


def turkish_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


@lru_cache(maxsize=500_000)
def fold(s: str) -> str:
    """Case- and diacritic-insensitive form, Turkish İ/ı aware; punctuation to spaces."""
    s = _strip_marks(turkish_lower(_strip_marks(s)).translate(_FOLD_EXTRA))
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


def _strip_marks(s: str) -> str:
    """Compatibility decomposition without combining marks ("℠" → "SM", "ç" → "c")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def strip_tr_suffix(word: str) -> str:
    """``Amreyev'in`` → ``Amreyev``; ``O'Brien`` (one letter before it) is kept."""
    for i, ch in enumerate(word):
        if ch in APOSTROPHES and i > 1:
            rest = word[i + 1:]
            if rest and rest.isalpha():
                return word[:i]
    return word
