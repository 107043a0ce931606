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


_UD_GENDER = {"masc": "Masc", "femn": "Fem"}
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def _name_parse(word: str, case: str, gender: str, role: str | None):
    """The likeliest singular noun reading of ``word`` in ``case`` that fits a
    person of ``gender`` (name readings first, the ``role`` the word's place
    suggests, Name or Surn, more so), or None."""
    best, best_score = None, -1.0
    for p in ru_parse(word):
        g = p.tag.grammemes
        if p.tag.POS != "NOUN" or case not in g or "plur" in g or "neut" in g:
            continue
        if gender not in g and "ms-f" not in g and ("masc" in g or "femn" in g):
            continue
        score = p.score + (1.0 if _NAME_TAGS & g else 0.0) + (0.5 if role in g else 0.0)
        if score > best_score:
            best, best_score = p, score
    return best, best_score


def ru_name_nominative(words: list[str]) -> list[str] | None:
    """A Russian name of several words in the nominative, read as a whole: the
    case and gender all its declinable words agree on ("Бекболотом Асановым"
    is instrumental masculine: "Бекболот Асанов"), each word then inflected to
    the nominative. Word by word, a guess for an unknown given name would be
    free to read "Бекболотом" as a nominative. Indeclinable words ("Нарухито",
    "Али", a woman's "Аксолтан") stay as written, and a non-nominative reading
    needs a name reading among its words ("Хосейни Хаменеи" is no genitive of
    "Хосейня Хаменея"). None when no reading fits every word."""
    parses = {w: ru_parse(w) for w in words}
    declinable = [w for w in words if any(p.tag.POS == "NOUN" and "Fixd" not in p.tag.grammemes for p in parses[w])
                  and not any({"Fixd", "Name"} <= set(p.tag.grammemes) for p in parses[w][:3])]
    if not declinable:
        return None
    # an indeclinable name word shows the person's gender ("Али")
    fixed = {g for w in words if w not in declinable for p in parses[w][:3]
             if "Name" in p.tag.grammemes for g in ("masc", "femn") if g in p.tag.grammemes}
    genders = [g for g in ("masc", "femn") if not fixed or g in fixed]
    best: tuple[float, str, str, dict] | None = None
    for case in _CASES:
        for gender in genders:
            chosen, total = {}, 0.0
            for k, w in enumerate(declinable):
                role = "Surn" if k == len(declinable) - 1 and len(words) > 1 else "Name" if k == 0 else None
                p, score = _name_parse(w, case, gender, role)
                if p is None and gender == "femn" and case != "nomn" and any(
                        "nomn" in q.tag.grammemes and "Name" in q.tag.grammemes for q in parses[w][:3]):
                    continue  # a woman's given name ending in a consonant does not decline
                if p is None:
                    break
                chosen[w], total = p, total + score
            else:
                if case != "nomn" and not any(_NAME_TAGS & set(p.tag.grammemes) for p in chosen.values()):
                    continue
                total += 0.01 if case == "nomn" else 0.0  # a tie stays as written
                if best is None or total > best[0]:
                    best = (total, case, gender, chosen)
    if best is None:
        return None
    _, case, gender, chosen = best
    out = []
    for w in words:
        p = chosen.get(w)
        if p is None or case == "nomn":
            out.append(w)
            continue
        # natasha's forms take Universal Dependencies grammemes
        form = p.inflect({"Nom", "Sing"} | ({_UD_GENDER[gender]} if {"Surn", "Patr"} & set(p.tag.grammemes) else set()))
        nw = form.word if form is not None else p.normal_form
        out.append(nw[:1].upper() + nw[1:] if w[:1].isupper() else nw)
    return out


@lru_cache(maxsize=1)
def _tr_gazetteers():
    """The Turkish model's word lists (Zemberek's lexicons, Apache 2.0, as
    ``scripts/train_tr_ner.py`` built them), taken from the loaded model: no
    second copy in memory. None without the model."""
    from ..stages.ner import ner_for, turkish_model_path

    if turkish_model_path() is None:
        return None
    try:
        return ner_for("tr").nlp.get_pipe("pressx_crf_ner").gaz.sets
    except (AttributeError, KeyError):
        return None


def tr_listed_as(word: str, kinds: tuple[str, ...]) -> bool:
    """The Turkish lexicon lists the word under one of ``kinds`` ("surname",
    "common", "given", "place", "proper"); False without the model."""
    sets = _tr_gazetteers()
    w = word.replace("I", "ı").replace("İ", "i").lower()
    return bool(sets) and any(w in sets.get(k, ()) for k in kinds)


@lru_cache(maxsize=100_000)
def tr_common_word(word: str, place_ok: bool = False) -> bool:
    """A Turkish common word the lexicon knows as no name ("İki", "Dış",
    "Vekili"): not a given name, surname or proper noun (nor a place, unless
    ``place_ok``: a town's name that is first a common word is still one)."""
    kinds = ("given", "surname", "proper") if place_ok else ("given", "surname", "proper", "place")
    return tr_listed_as(word, ("common",)) and not tr_listed_as(word, kinds)
