"""Russian morphology (pymorphy2 via natasha): lemmas for gazetteer and
lexicon lookups of case-inflected words."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def morph_vocab():
    from natasha import MorphVocab

    return MorphVocab()


@lru_cache(maxsize=100_000)
def ru_lemmas(word: str) -> tuple[str, ...]:
    """Distinct normal forms of a Russian word, most probable first, lower-case."""
    out: list[str] = []
    for parse in morph_vocab().parse(word.lower())[:4]:
        if parse.normal_form not in out:
            out.append(parse.normal_form)
    return tuple(out)
