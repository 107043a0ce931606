"""Within-document merging: one person entry however many forms the text
uses ("Baghdad Amreyev", "Baghadad Amreyev", "Amreyev`e", "B. Amreyev")."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .people import PersonMention, clean_name, has_surname_shape, name_words
from .schema import Role
from .textnorm import Token
from .translit import keys

SURNAME_MIN = 92  # rapidfuzz ratio of surname keys for the same person (Arslan / Aslan differ)
GIVEN_MIN = 85  # ... and of given-name keys when both are written out (Sadyr / Sadyk differ)
SKELETON_MIN = 70  # with the same consonants, vowels may vary this much (Shavkat / Şevket)


@dataclass
class DocPerson:
    mentions: list[PersonMention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    @property
    def name(self) -> str:
        counts = Counter(m.name for m in self.mentions)
        full = [m for m in self.mentions if "." not in m.name] or self.mentions
        most = max(m.n_words for m in full)
        full = [m for m in full if m.n_words == most]
        if any(re.search(r"[Ѐ-ӿ]", m.name) for m in full):
            # Of Russian forms the nominative is the shortest (Омуралиев, Омуралиева, Омуралиевым).
            return min(full, key=lambda m: (len(m.name), -counts[m.name], m.start)).name
        return max(full, key=lambda m: (counts[m.name], -m.start)).name

    @property
    def country(self) -> str | None:
        return next((r.country for r in self.roles if r.country), None)


@lru_cache(maxsize=200_000)
def split_name(name: str) -> tuple[str, str]:
    """(given names, surname): the surname is the last word."""
    words = name_words(name)
    return " ".join(words[:-1]), words[-1] if words else ""


@lru_cache(maxsize=500_000)
def name_ratio(a: str, b: str) -> float:
    """Best rapidfuzz ratio over the comparison keys of two names."""
    return max(fuzz.ratio(x, y) for x in keys(a) for y in keys(b)) if a and b else 0.0


def surnames_match(a: str, b: str) -> bool:
    return _similar(a, b, SURNAME_MIN)


@lru_cache(maxsize=500_000)
def given_compatible(a: str, b: str) -> bool:
    """Given names agree: equal up to romanisation, one is an initial of the
    other, or the shorter is part of the longer ("Tayyip" of "Recep Tayyip")."""
    if not a or not b:
        return True
    if is_initials(a) or is_initials(b):
        return keys(a)[0][:1] == keys(b)[0][:1]
    if _similar(a, b, GIVEN_MIN):
        return True
    short, long = sorted((a.split(), b.split()), key=len)
    return len(short) < len(long) and all(any(_similar(s, w, GIVEN_MIN) for w in long) for s in short)


@lru_cache(maxsize=200_000)
def is_initials(given: str) -> bool:
    """"B.", "Sh.", "Ж." — abbreviated given names."""
    return all(len(w) == 1 or w.endswith(".") and len(w) <= 4 for w in given.split())


@lru_cache(maxsize=500_000)
def _similar(a: str, b: str, minimum: float) -> bool:
    ratio = name_ratio(a, b)
    return ratio >= minimum or ratio >= SKELETON_MIN and vowels_differ_only(a, b)


def vowels_differ_only(a: str, b: str) -> bool:
    """Same consonants and as many vowels: Turkic vowels vary across
    romanisations (Şevket / Shavkat, Komilov / Kamilov) where consonants and
    syllables hold (Mirzayev is not Mirziyoyev)."""
    ka, kb = keys(a)[0], keys(b)[0]
    return re.sub(r"[aeiou ]", "", ka) == re.sub(r"[aeiou ]", "", kb) and \
        len(re.sub(r"[^aeiou]", "", ka)) == len(re.sub(r"[^aeiou]", "", kb))


def same_person(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if 1 < len(wa) < len(wb) and wb[:len(wa)] == wa or 1 < len(wb) < len(wa) and wa[:len(wb)] == wb:
        return True  # a name and its longer form ("Mansour bin Zayed", "... Al Nahyan")
    ga, sa = split_name(a)
    gb, sb = split_name(b)
    return surnames_match(sa, sb) and given_compatible(ga, gb)


def _add_roles(person: DocPerson, roles: list[Role]) -> None:
    """Add roles not yet known; a repeated title fills in the country or
    organisation an earlier mention left out."""
    for r in roles:
        same = next((k for k, q in enumerate(person.roles)
                     if (r.role_type, r.title.lower()) == (q.role_type, q.title.lower())), None)
        if same is None:
            person.roles.append(r)
        else:
            q = person.roles[same]
            person.roles[same] = q.model_copy(update={"country": q.country or r.country,
                                                      "organization": q.organization or r.organization,
                                                      "spans": sorted(set(q.spans) | set(r.spans))})


def _surname_fits(m: PersonMention, full: list[PersonMention]) -> list[PersonMention]:
    return [q for q in full if surnames_match(m.name, split_name(q.name)[1])]


def trim_institutions(mentions: list[PersonMention], not_names: frozenset[int], tokens: list[Token], text: str,
                      lang: str) -> list[PersonMention]:
    """Leading words of a state institution are no words of the name after
    them ("Депутаты Мажилиса Айдос Сарым"): the name starts after them."""
    for m in mentions:
        k = m.first
        while k < m.last and k in not_names:
            k += 1
        if k != m.first and m.last - k >= 1:
            m.first, m.start = k, tokens[k].start
            m.name = clean_name(tokens, k, m.last, text, lang)
    return mentions


def drop_stray_words(mentions: list[PersonMention], not_names: frozenset[int] = frozenset()) -> list[PersonMention]:
    """One-word mentions stand only as the surname of a person named in full,
    or right after a title ("Cumhurbaşkanı Tokayev"); others are NER noise
    and must not hide places or titles. ``not_names``: tokens of words that
    name something else (a state institution: "Milli Majlis")."""
    mentions = [m for m in mentions if not all(k in not_names for k in range(m.first, m.last + 1))]
    full = list({m.name: m for m in mentions if m.n_words > 1}.values())  # one per distinct name
    fits = {m.name: bool(_surname_fits(m, full)) for m in mentions if m.n_words == 1}
    return [m for m in mentions if m.n_words > 1 or m.source == "title" or fits[m.name]]


def merge_mentions(mentions: list[PersonMention]) -> list[DocPerson]:
    people: list[DocPerson] = []
    full = [m for m in mentions if m.n_words > 1]
    single = [m for m in mentions if m.n_words == 1]
    by_name: dict[str, DocPerson] = {}
    for m in full:
        home = by_name.get(m.name) or next(
            (p for p in people if any(same_person(m.name, n) for n in {q.name for q in p.mentions if q.n_words > 1})),
            None)
        if home is None:
            home = DocPerson()
            people.append(home)
        by_name[m.name] = home
        home.mentions.append(m)
        _add_roles(home, m.roles)
    fits_of: dict[str, list[DocPerson]] = {}
    for m in single:
        if m.name not in fits_of:
            fits_of[m.name] = [p for p in people if _surname_fits(m, list({q.name: q for q in p.mentions
                                                                           if q.n_words > 1}.values()))]
        fits = fits_of[m.name]
        if len(fits) == 1:
            fits[0].mentions.append(m)
            _add_roles(fits[0], m.roles)
        elif not fits and m.source == "title" and (m.roles or m.anchor is None and has_surname_shape(m.name)):
            # a lone word after an honorific, when shaped as a surname ("H.E. Mr. Babanov", not "Sheikh Mansour")
            people.append(DocPerson([m], list(m.roles)))
    for p in people:
        p.mentions.sort(key=lambda m: m.start)
        if any(r.role_type != "other" for r in p.roles):  # a rank ("Prof.") beside a real office adds nothing
            p.roles = [r for r in p.roles if r.role_type != "other" or r.spans]
    people.sort(key=lambda p: p.mentions[0].start)
    return people
