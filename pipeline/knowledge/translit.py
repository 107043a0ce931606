"""Name keys that compare across scripts and romanisations.

``keys("Bağdat Amreyev")`` and ``keys("Багдад Амреев")`` share a key. A name
is first spelled in Latin by the rules of its own orthography: Cyrillic
through ICU's BGN transliterator of its language (Russian, Kazakh, Kyrgyz,
Uzbek, Turkmen, Azerbaijani; a table for Tajik, which ICU lacks), chosen by
the letters only that language has or else by the text's language; Turkic
Latin letters spelled out. Then the systematic variants between
romanisations are folded (``fold`` in ``data/translit.json``): j/zh/dzh/c,
the g/k/q/h/kh/gh class (Quliyev / Гулиев / Guliyev, Hüseynov / Гусейнов),
y/i, ye-/e-, ё/yo/e, -iyev/-yev/-ev, double letters, voiced endings. Letters
whose reading depends on the orthography (c, x) give a key per reading.
All language knowledge is in the data file."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .resources import data_json
from .textnorm import turkish_lower

CYRILLIC = re.compile(r"[Ѐ-ӿԀ-ԯ]")
CYRILLIC_LANGS = ("ru", "kk", "ky", "uz", "tk", "az", "tg")


@dataclass(frozen=True)
class _Tables:
    cyrillic: dict  # lang -> {"icu": id} | {"table": {...}}, plus "pre"
    cyrillic_letters: list[tuple[re.Pattern, str]]
    latin: dict[int, str]
    turkic: re.Pattern
    ambiguous: dict[str, tuple[re.Pattern, dict[str, str]]]
    fold: list[tuple[re.Pattern | tuple[str, ...], str, str, bool]]  # pattern, replacement, trigger, coarse only
    bare: list[tuple[str, str]]
    slavic_ending: re.Pattern
    vowel_classes: dict[int, str]
    turkic_h: re.Pattern
    turkic_h_letters: re.Pattern
    latin_by_lang: dict[str, dict[int, str]]
    latin_lang_letters: list[tuple[re.Pattern, str]]


def _literal(pattern: str) -> tuple[str, ...] | None:
    """The strings of a rule that is only literal alternatives ("kh|gh|q"):
    str.replace does those several times faster than a regex."""
    parts = pattern.split("|")
    return tuple(parts) if all(re.fullmatch(r"[a-zA-Z]+", p) for p in parts) else None


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    t = data_json("translit.json")
    return _Tables(
        cyrillic=t["cyrillic"],
        cyrillic_letters=[(re.compile(p), lang) for p, lang in t["cyrillic_letters"]],
        latin={ord(k): v for k, v in t["latin"].items()},
        turkic=re.compile(t["turkic_latin_letters"]),
        ambiguous={k: (re.compile(k + "(?!h)" if k == "c" else k), v)
                   for k, v in t["ambiguous"].items() if not k.startswith("_")},
        fold=[(_literal(p) or re.compile(p), r, need[0] if need else "", p in t["fold_coarse_only"])
              for p, r, *need in t["fold"]],
        bare=[tuple(p) for p in t["bare"]],
        slavic_ending=re.compile(t["slavic_ending"]),
        vowel_classes={ord(k): v for k, v in t["vowel_classes"].items()},
        turkic_h=re.compile(t["turkic_digraph_h"]),
        turkic_h_letters=re.compile(t["turkic_h_letters"]),
        latin_by_lang={lang: {ord(k): v for k, v in table.items()} for lang, table in t["latin_by_lang"].items()},
        latin_lang_letters=[(re.compile(p), lang) for p, lang in t["latin_lang_letters"]],
    )


@lru_cache(maxsize=16)
def _icu(transliterator_id: str):
    """ICU's transliterator (PyICU); built once, it is the costly part."""
    import icu

    return icu.Transliterator.createInstance(transliterator_id)


def cyrillic_lang(name: str, lang: str | None = None) -> str:
    """The orthography of a Cyrillic name: letters only one language has
    (Kazakh ә қ ұ, Kyrgyz ө ү ң, Tajik ҷ ӣ ...) decide; otherwise the text's
    language where it writes Cyrillic, else Russian."""
    low = name.lower()
    for pattern, code in _tables().cyrillic_letters:
        if pattern.search(low):
            if code == "kk" and lang in ("uz", "tg") or code == "ky" and lang in ("kk", "tk", "az"):
                return lang  # those letters are this language's too
            return code
    return lang if lang in CYRILLIC_LANGS else "ru"


def _cyrillic_to_latin(name: str, lang: str) -> str:
    return " ".join(_cyrillic_word(w, lang) for w in name.split(" "))


@lru_cache(maxsize=300_000)
def _cyrillic_word(name: str, lang: str) -> str:
    """One word: ICU's rules look no further than the word, and words recur."""
    spec = _tables().cyrillic[lang]
    for pattern, repl in spec.get("pre", ()):
        name = re.sub(pattern, repl, name)
    if "icu" in spec:
        return _icu(spec["icu"]).transliterate(name)
    table = spec["table"]
    return "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in name)


@lru_cache(maxsize=500_000)
def to_latin(name: str, lang: str | None = None, turkic_h: bool = False) -> str:
    """Lower-case Latin spelling: Cyrillic transliterated by its language's
    rules, Turkic letters spelled out, other marks dropped. With ``turkic_h``
    an h that is its own letter after z, s, c, k, g (Özhaseki) is written H."""
    t = _tables()
    if CYRILLIC.search(name):
        name = _cyrillic_to_latin(name, cyrillic_lang(name, lang))
        own = None
    else:
        own = next((code for pattern, code in t.latin_lang_letters if pattern.search(name)), lang)
        own = own if own in t.latin_by_lang else None
    return " ".join(filter(None, (_latin_word(w, own, turkic_h) for w in name.split())))


@lru_cache(maxsize=300_000)
def _latin_word(w: str, own: str | None, turkic_h: bool) -> str:
    t = _tables()
    if own:
        w = w.translate(t.latin_by_lang[own])
    if w.isascii() and not turkic_h and "\x01" not in w:  # most Latin names: nothing to normalise
        s = w.lower().translate(t.latin)  # apostrophes (Uzbek o', g') go
        return s if s.isalnum() else " ".join(_NON_ALNUM.sub(" ", s).split())
    s = unicodedata.normalize("NFC", turkish_lower(w.replace("\x01", "")))  # \x01 marks a Turkic h below
    if turkic_h:
        s = t.turkic_h.sub("\x01", s)
    s = s.translate(t.latin)
    s = _COMBINING.sub("", unicodedata.normalize("NFKD", s))
    s = " ".join(_NON_ALNUM.sub(" ", s).split())
    return s.replace("\x01", "H")


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_ALNUM = re.compile(r"[^a-z0-9\x01]+")


def is_turkic_latin(name: str, lang: str | None = None) -> bool:
    """A Latin name in a Turkic alphabet (where c reads j and x reads kh)."""
    return lang in ("tr", "az", "uz", "tk") or bool(_tables().turkic.search(name))


@lru_cache(maxsize=500_000)
def _fold_word(w: str, coarse: bool = True) -> str:
    for pattern, repl, need, coarse_only in _tables().fold:
        if need and need not in w or coarse_only and not coarse:
            continue
        if isinstance(pattern, tuple):
            for literal in pattern:
                if literal in w:
                    w = w.replace(literal, repl)
        else:
            w = pattern.sub(repl, w)
    return w.replace("H", "k" if coarse else "h")  # a Turkic h of its own joins the h class last


def _fold(s: str) -> str:
    """The key of a Latin spelling; the rules stay within a word, so words
    (which recur across names far more than names do) are folded once."""
    return " ".join(_fold_word(w) for w in s.split(" "))


class Orthography(NamedTuple):
    """How a name is read: decided once for the whole name, from its script,
    its letters and the text's language. A tuple, so caches keyed on it hash
    it cheaply and share entries across names read alike."""
    lang: str | None
    cyrillic: bool
    turkic_h: bool  # h after z, s, c, k, g is its own letter (Turkish, Azerbaijani, Turkmen)
    readings: tuple[str, ...]  # readings of c and x, most likely first


@lru_cache(maxsize=300_000)
def orthography(name: str, lang: str | None = None) -> Orthography:
    t = _tables()
    cyrillic = bool(CYRILLIC.search(name))
    if cyrillic:
        return Orthography(cyrillic_lang(name, lang), True, False, ("turkic",))
    turkic = is_turkic_latin(name, lang)
    own = next((code for pattern, code in t.latin_lang_letters if pattern.search(name)), lang)
    readings = ("turkic",) if turkic else ("en", "turkic") if lang == "en" else ("turkic", "en")
    # only a name written with Turkic letters reads h apart: Turkish texts quote
    # English romanisations too ("Ushakov", not "Us-hakov")
    return Orthography(own, False, bool(t.turkic_h_letters.search(name)), readings)


@lru_cache(maxsize=500_000)
def word_keys(word: str, orth: Orthography) -> tuple[tuple[str, ...], str]:
    """A word's key for each reading, and its bare key (sh, ch as s, c)."""
    t = _tables()
    if orth.cyrillic:
        latin = _latin_word(_cyrillic_word(word, orth.lang), None, False)
    else:
        latin = _latin_word(word, orth.lang if orth.lang in t.latin_by_lang else None, orth.turkic_h)
    out = []
    for reading in orth.readings:
        s = latin
        for letter, (pattern, by) in t.ambiguous.items():
            if letter in s:
                s = pattern.sub(by[reading], s)
        out.append(_fold(s))
    bare = latin
    for a, b in t.bare:
        bare = bare.replace(a, b)
    return tuple(out), _fold(bare.replace("x", t.ambiguous["x"][1][orth.readings[0]]))


@lru_cache(maxsize=500_000)
def join_keys(parts: tuple[tuple[tuple[str, ...], str], ...], orth: Orthography) -> tuple[str, ...]:
    """The keys of words read together: per reading, bare, and without a
    Slavic ending."""
    t = _tables()
    out: list[str] = []
    for j in range(len(orth.readings)):
        k = " ".join(p[0][j] for p in parts if p[0][j])
        if k not in out:
            out.append(k)
    bare = " ".join(p[1] for p in parts if p[1])
    if bare not in out:
        out.append(bare)
    stem = t.slavic_ending.sub("", out[0])
    if stem not in out:
        out.append(stem)
    return tuple(out)


@lru_cache(maxsize=1_000_000)
def keys(name: str, lang: str | None = None, orth: Orthography | None = None) -> tuple[str, ...]:
    """Comparison keys of a name, most likely reading first: one per reading
    of its ambiguous letters, one with sh/ch written bare ("Cavusoglu" for
    "Çavuşoğlu"), one without a Slavic ending (Hasan / Hasanov). ``orth``
    reads a part of a name as the whole name is read."""
    orth = orth or orthography(name, lang)
    return join_keys(tuple(word_keys(w, orth) for w in name.split()), orth)


@lru_cache(maxsize=500_000)
def key(name: str, lang: str | None = None) -> str:
    """One key for looking a name up in name lists: the main reading, folded
    short of the g/k/h class (which would find given names in common words:
    Güney is no Kuney)."""
    orth = orthography(name, lang)
    t = _tables()
    out = []
    for w in name.split():
        if orth.cyrillic:
            latin = _latin_word(_cyrillic_word(w, orth.lang), None, False)
        else:
            latin = _latin_word(w, orth.lang if orth.lang in t.latin_by_lang else None, orth.turkic_h)
        for letter, (pattern, by) in t.ambiguous.items():
            if letter in latin:
                latin = pattern.sub(by[orth.readings[0]], latin)
        out.extend(_fold_word(x, False) for x in latin.split(" ") if x)
    return " ".join(out)


@lru_cache(maxsize=500_000)
def skeleton(k: str) -> str:
    """A key's consonants: what stays across romanisations where vowels vary."""
    return re.sub(r"[aeiou ]", "", k)


@lru_cache(maxsize=500_000)
def vowel_classes(k: str) -> str:
    """A key with vowels reduced to their class (a/e, o/u, i): Turkic vowels
    vary so across romanisations (Rəcəb / Recep, Şevket / Shavkat)."""
    return k.translate(_tables().vowel_classes)


def vowel_key(name: str, lang: str | None = None) -> str:
    """The main key with vowels reduced to their class: the same for most
    spellings of a name, so ids can be derived from it."""
    return vowel_classes(keys(name, lang)[0])
