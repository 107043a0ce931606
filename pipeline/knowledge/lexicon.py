"""Phrase lexicons matched on tokens, for any of the three languages.

A phrase matches a run of tokens when each of its words equals one of the
*variants* of the text's word: Turkish words also by their stem before a
title suffix (``Bakanı`` → ``bakan``), English words also without a plural
``s``, Russian words by their lemmas (``секретарем`` → ``секретарь``)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Iterable, TypeVar

from .morph import ru_lemmas
from .resources import data_groups, data_lines
from .textnorm import Token, fold

T = TypeVar("T")


@lru_cache(maxsize=1)
def _tr_suffixes() -> tuple[str, ...]:
    return tuple(sorted({fold(s) for s in data_lines("tr_title_suffixes.txt")}, key=len, reverse=True))


_RU_VOWELS = frozenset("аеиоуыэюя")


@lru_cache(maxsize=200_000)
def word_variants(word: str, lang: str) -> frozenset[str]:
    """The forms under which a folded text word can match a lexicon word."""
    out = {word}
    if lang == "tr":
        out.update(word[: -len(s)] for s in _tr_suffixes() if word.endswith(s) and len(word) - len(s) >= 3)
    elif lang == "en":
        if word.endswith("s") and len(word) > 3:
            out.add(word[:-1])
    elif lang == "ru":
        out.update(fold(lemma) for lemma in ru_lemmas(word))
        if len(word) > 2 and word[-1] == "и" and word[-2] in _RU_VOWELS:
            # folding wrote й as и ("коллегой" → "коллегои"): a final и after a vowel was й
            out.update(fold(lemma) for lemma in ru_lemmas(word[:-1] + "й"))
    return frozenset(out)


def lexicon_words(phrase: str, lang: str) -> tuple[str, ...]:
    """A lexicon phrase as the folded words text variants are compared with."""
    words = fold(phrase).split()
    if lang == "ru":
        words = [fold(ru_lemmas(w)[0]) if ru_lemmas(w) else w for w in words]
    return tuple(words)


@dataclass(slots=True)  # not frozen: built for every word of every document (as Token)
class Word:
    text: str
    token: int  # index of the token the word is part of


def token_words(tokens: list[Token]) -> list[Word]:
    """Folded words of the tokens (a hyphenated token gives several)."""
    return [Word(w, i) for i, t in enumerate(tokens) if t.is_word for w in fold(t.stem).split()]


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[T]):
    first: int  # first token index
    last: int  # last token index (inclusive)
    value: T


class PhraseLexicon(Generic[T]):
    """Longest-match lookup of word phrases; each phrase carries a value."""

    def __init__(self, lang: str, entries: Iterable[tuple[str, T]]):
        self.lang = lang
        self._by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        for phrase, value in entries:
            words = lexicon_words(phrase, lang)
            if words:
                self._by_first.setdefault(words[0], []).append((words, value))
        for bucket in self._by_first.values():
            bucket.sort(key=lambda e: len(e[0]), reverse=True)

    def match_at(self, words: list[Word], p: int) -> tuple[int, T] | None:
        """The longest phrase starting at word ``p``: (number of words, value)."""
        for v in word_variants(words[p].text, self.lang):
            for phrase, value in self._by_first.get(v, ()):
                n = len(phrase)
                if self.lang == "en" and n > 1 and v != words[p].text:
                    continue  # English inflects a phrase's last word only ("States Secretary" is no "State Secretary")
                if p + n <= len(words) and all(
                    words[p + k].token - words[p + k - 1].token <= 1  # no punctuation in between
                    and (phrase[k] == words[p + k].text if self.lang == "en" and k < n - 1
                         else phrase[k] in word_variants(words[p + k].text, self.lang)) for k in range(1, n)
                ):
                    return n, value
        return None

    def find(self, tokens: list[Token], words: list[Word] | None = None) -> list[PhraseMatch[T]]:
        words = token_words(tokens) if words is None else words
        out: list[PhraseMatch[T]] = []
        p = 0
        while p < len(words):
            # most words start no phrase: rejected on the first word alone
            hit = self.match_at(words, p) if self.contains_folded(words[p].text) else None
            if hit:
                n, value = hit
                out.append(PhraseMatch(words[p].token, words[p + n - 1].token, value))
                p += n
            else:
                p += 1
        return out

    def contains(self, word: str) -> bool:
        return self.contains_folded(fold(word))

    def contains_folded(self, word: str) -> bool:
        """A phrase starts with the (already folded) word."""
        return not self._by_first.keys().isdisjoint(word_variants(word, self.lang))


def honorific_words(lang: str, kinds: tuple[str, ...] = ("honorific", "rank")) -> frozenset[str]:
    """Folded honorific and rank phrases of a language."""
    h = data_groups("honorifics.tsv")
    return frozenset().union(*(h.get((l, k), frozenset()) for l in ("*", lang) for k in kinds))


# Every word of every honorific, in any language: titles' complements and
# organisation names stop at them.
HONORIFIC_WORDS = frozenset(w for lang in ("tr", "en", "ru") for form in honorific_words(lang) for w in form.split())


@lru_cache(maxsize=None)
def byline_words(lang: str) -> frozenset[str]:
    return data_groups("bylines.tsv", key_columns=1).get((lang,), frozenset())


def byline_starts(tokens: list[Token], text: str, lang: str) -> list[int]:
    """Token indices right after a byline word that opens a line ("By", "Автор:")."""
    words = byline_words(lang)
    out = []
    for i, t in enumerate(tokens[:-1]):
        # first on its line: every mark is a token, so none stands between the line's start and it
        # (searching back for the line's start was quadratic on one long line)
        if t.is_word and fold(t.text) in words and (i == 0 and not text[:t.start].strip()
                                                     or i > 0 and "\n" in text[tokens[i - 1].end:t.start]):
            out.append(i + 2 if tokens[i + 1].text == ":" else i + 1)
    return out
