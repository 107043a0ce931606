"""Name keys that compare across scripts and romanisations.

``keys("Bağdat Amreyev")`` and ``keys("Багдад Амреев")`` share a key: Cyrillic
is transliterated, Turkic letters are spelled out, systematic romanisation
variants (zh/j/c, kh/h/x, y/i, -iyev/-yev/-ev, double letters) are folded.
Turkish ``c`` reads as ``j`` (Caparov = Japarov) but English ``c`` as ``k``,
so a name gets a key for each reading."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .resources import data_json
from .textnorm import turkish_lower

_DOUBLE = re.compile(r"(\w)\1+")
_SLAVIC_ENDING = re.compile(r"(?<=\w{3})(?:ov|ev|ova|eva)$")
_ENDINGS = [(re.compile(r"i?ev\b"), "ev"), (re.compile(r"i?eva\b"), "eva"), (re.compile(r"ii\b"), "i"),
            (re.compile(r"d\b"), "t")]  # final devoicing: Bağdat / Baghdad, Mehmet / Mehmed


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], dict[int, str], list[tuple[str, str]]]:
    t = data_json("translit.json")
    cyr = {ord(k): v for k, v in t["cyrillic"].items()}
    cyr.update({ord(k.upper()): v for k, v in t["cyrillic"].items() if k.upper() != k})
    turk = {ord(k): v for k, v in t["turkic_latin"].items()}
    return cyr, turk, [tuple(p) for p in t["equivalences"]]


def to_latin(name: str) -> str:
    """Lower-case Latin spelling: Cyrillic transliterated, Turkic letters spelled out."""
    cyr, turk, _ = _tables()
    s = turkish_lower(name).translate(cyr).translate(turk)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def _coarse(s: str) -> str:
    _, _, eqs = _tables()
    for a, b in eqs:
        s = s.replace(a, b)
    s = _DOUBLE.sub(r"\1", s)
    for pattern, repl in _ENDINGS:
        s = pattern.sub(repl, s)
    return _DOUBLE.sub(r"\1", s)


@lru_cache(maxsize=1_000_000)
def keys(name: str) -> tuple[str, ...]:
    """Comparison keys of a name, most likely reading first."""
    latin = to_latin(name)
    turkish_c = re.sub(r"c(?!h)", "j", latin)
    english_c = re.sub(r"c(?!h)", "k", latin)
    # Turkish written without its letters ("Cavusoglu" for "Çavuşoğlu"): ç and ş lose their mark
    bare = latin.replace("sh", "s").replace("ch", "c").replace("zh", "j")
    out: list[str] = []
    for variant in (turkish_c, english_c, bare):
        k = _coarse(variant)
        if k not in out:
            out.append(k)
    # Turkish often drops the Slavic ending of a Turkic surname (Hasan / Hasanov)
    stem = _SLAVIC_ENDING.sub("", out[0])
    if stem not in out:
        out.append(stem)
    return tuple(out)


def key(name: str) -> str:
    return keys(name)[0]
