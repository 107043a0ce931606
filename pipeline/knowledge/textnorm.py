"""Text primitives shared by the stages: tokens with offsets, folding and
suffix splitting."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHES = "'’`´ʼ‘"
# A word: letters/digits, inner hyphens and dots of initials kept out; an
# apostrophe followed by letters is a Turkish case suffix attached to it.
# A run of more than 32 punctuation marks is one token (no stage reads inside
# one; a token per mark made a run of them cost as much as prose). A Latin
# initialism with its dots is one word ("U.S.", "U.K."): its dots end no sentence.
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}(?![A-Za-z])|[^\w\s]{33,}|\w+(?:-\w+)*(?:[" + APOSTROPHES + r"]\w+)?|[^\w\s]", re.U)
_APOSTROPHE = re.compile("[" + APOSTROPHES + "]")
_FOLD_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss"})


class Lines:
    """The lines of a text, found by bisection over its newline offsets: a
    ``rfind``/``find`` per position reads the whole line each time, which is
    quadratic in a text of one long line."""

    __slots__ = ("breaks", "length")

    def __init__(self, text: str):
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.length = len(text)

    def bounds(self, start: int, end: int | None = None) -> tuple[int, int]:
        """From the start of the line holding ``start`` to the newline (or the
        text's end) closing the line holding ``end``."""
        i = bisect_left(self.breaks, start)
        j = bisect_left(self.breaks, start if end is None else end)
        return (self.breaks[i - 1] + 1 if i else 0), (self.breaks[j] if j < len(self.breaks) else self.length)

    def same(self, start: int, end: int) -> bool:
        """No line break in ``[start, end)`` (without copying the stretch)."""
        return end <= start or bisect_left(self.breaks, start) == bisect_left(self.breaks, end)


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
    lo = bisect_right(starts, start) - 1
    if lo < 0 or tokens[lo].end <= start:
        lo += 1
    return range(lo, bisect_left(starts, end))


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``. A word's strings are shared by all its tokens (a
    long text repeats its words: a 10 MB one kept 1.7 million copies)."""
    out: list[Token] = []
    strings: dict[str, str] = {}
    for m in _TOKEN.finditer(text):
        s = m.group()
        s = strings.setdefault(s, s)
        start, end = m.span()
        apo = _APOSTROPHE.search(s)
        if apo:
            stem = s[:apo.start()]
            out.append(Token(start, end, s, start + apo.start(), strings.setdefault(stem, stem), s[0].isalnum(),
                             s[0].isupper()))
        else:
            out.append(Token(start, end, s, end, s, s[0].isalnum(), s[0].isupper()))
    return out


# What the models may not see as it is (same length, so the same offsets):
# spaCy's tokenizer splits a run of punctuation a character at a time,
# re-reading the rest each time (a 4,000-character run of apostrophes or
# brackets took 2.5 s, 20,000 over two minutes), and each of its characters
# would then be a token for the NER. No entity stands inside such runs.
MAX_PUNCT_RUN = 32  # longer runs of punctuation keep their ends, spaces between
MAX_RUN = 1_000  # a space every this many characters of a run without one
_PUNCT_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_PUNCT_RUN + 1))
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))


def model_text(text: str) -> str:
    """``text`` as the NER models see it: runs of over MAX_PUNCT_RUN punctuation
    marks blanked inside, every MAX_RUN-th character of a run without spaces a space.
    Normal text comes back unchanged (the same object)."""
    text = _PUNCT_RUN.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 2) + m.group()[-1], text)
    return _LONG_RUN.sub(lambda m: "".join(m.group()[k:k + MAX_RUN - 1] + " " for k in range(0, len(m.group()), MAX_RUN))
                         [:len(m.group())], text)


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
