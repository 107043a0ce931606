"""Russian morphology (pymorphy2 via natasha): lemmas for gazetteer and
lexicon lookups of case-inflected words."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def morph_vocab():
    """natasha's MorphVocab on pymorphy2's Russian dictionary, named by its path.
    Left to find it, pymorphy2 imports pkg_resources and scans every installed
    package's entry points: 0.1-0.2 s of each process's start."""
    import pymorphy2_dicts_ru
    from natasha import MorphVocab
    from natasha.morph.vocab import MorphForm
    from pymorphy2 import MorphAnalyzer

    class _MorphVocab(MorphVocab):
        def __init__(self) -> None:  # MorphVocab's own, with the path given
            MorphAnalyzer.__init__(self, path=pymorphy2_dicts_ru.get_path(), result_type=MorphForm)

        # Inflecting (names to the nominative) builds the word's whole lexeme
        # each time; names recur, so inflections are kept as natasha keeps parses.
        def _inflect(self, form, required_grammemes):
            return self._inflect_cached(form, frozenset(required_grammemes))

        @lru_cache(maxsize=20_000)
        def _inflect_cached(self, form, required_grammemes: frozenset):
            return tuple(MorphAnalyzer._inflect(self, form, set(required_grammemes)))

    return _MorphVocab()


@lru_cache(maxsize=100_000)
def ru_parse(word: str) -> tuple:
    """pymorphy2's readings of a word; none for characters it cannot shape."""
    try:
        return tuple(morph_vocab().parse(word))
    except (KeyError, ValueError):
        return ()


@lru_cache(maxsize=100_000)
def ru_lemmas(word: str) -> tuple[str, ...]:
    """Distinct normal forms of a Russian word, most probable first, lower-case."""
    out: list[str] = []
    for parse in ru_parse(word.lower())[:4]:
        if parse.normal_form not in out:
            out.append(parse.normal_form)
    return tuple(out)


_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


@lru_cache(maxsize=100_000)
def ru_name_like(word: str) -> bool:
    """Could be part of a person's name: a name reading, or a word the
    dictionary does not know (most foreign names)."""
    try:
        known = morph_vocab().word_is_known(word.lower())
    except (KeyError, ValueError):
        return False
    return not known or any(_NAME_TAGS & set(p.tag.grammemes) for p in ru_parse(word)[:3])


@lru_cache(maxsize=100_000)
def ru_genitive(word: str) -> bool:
    """Has a genitive reading (a title's complement: "министр иностранных дел")."""
    parses = ru_parse(word)
    if not parses or parses[0].tag.POS in _NOT_COMPLEMENT:
        return False
    return any("gent" in p.tag.grammemes for p in parses[:3])


_NOT_COMPLEMENT = frozenset({"PREP", "CONJ", "PRCL", "VERB", "INFN", "ADVB", "INTJ", "PRED"})


@lru_cache(maxsize=100_000)
def ru_name_tagged(word: str) -> bool:
    """The dictionary reads the word as a given name, surname or patronymic."""
    return any(_NAME_TAGS & set(p.tag.grammemes) for p in ru_parse(word)[:3])


@lru_cache(maxsize=100_000)
def ru_common_word(word: str) -> bool:
    """A word the dictionary knows, with no name reading among its likely ones:
    a capitalised common noun or adjective before a name ("Представителей Чжан
    Дэцзян", "Императору Нарухито") is no word of it. Short words ("Си") are
    left alone: too many foreign names are short common words."""
    if len(word) < 4:
        return False
    try:
        known = morph_vocab().word_is_known(word.lower())
    except (KeyError, ValueError):
        return False
    return known and not ru_name_tagged(word)
