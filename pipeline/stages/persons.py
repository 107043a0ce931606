"""Within-document merging: one person entry however many forms the text
uses ("Baghdad Amreyev", "Baghadad Amreyev", "Amreyev`e", "B. Amreyev")."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Set as AbstractSet
from functools import lru_cache
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .people import PersonMention, clean_name, has_surname_shape, name_words
from ..schema import Role
from ..knowledge.textnorm import Token
from ..knowledge.translit import keys

SURNAME_MIN = 92  # rapidfuzz ratio of surname keys for the same person (Arslan / Aslan differ)
GIVEN_MIN = 85  # ... and of given-name keys when both are written out (Sadyr / Sadyk differ)
SKELETON_MIN = 70  # with the same consonants, vowels may vary this much (Shavkat / Şevket)


@dataclass
class DocPerson:
    mentions: list[PersonMention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    # While merging: role index by (type, lower title), and the spans gathered
    # for a role seen again (sorted into it once, at the end: per mention it
    # was quadratic in a person's mentions).
    _role_at: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)
    _more_spans: dict[int, set[tuple[int, int]]] = field(default_factory=dict, repr=False)

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
    return skeleton(a) == skeleton(b)


@lru_cache(maxsize=500_000)
def skeleton(name: str) -> tuple[str, int]:
    """A name's consonants and its number of vowels (of its main key)."""
    k = keys(name)[0]
    return re.sub(r"[aeiou ]", "", k), len(re.sub(r"[^aeiou]", "", k))


def _can_match(length: int, other: int) -> bool:
    """Keys of these lengths can be SURNAME_MIN similar (ratio = 1 - indel
    distance / summed lengths)."""
    return (100 - SURNAME_MIN) * (length + other) // 100 >= abs(length - other)


def _reach(length: int) -> int:
    """How many letters a key of ``length`` may lose on the way to the longest
    subsequence it shares with a key it is SURNAME_MIN similar to (the indel
    distance has the parity of the summed lengths)."""
    best = 0
    for other in range(2 * length + 3):
        total = length + other
        d = (100 - SURNAME_MIN) * total // 100
        d -= (d - total) % 2
        if d >= abs(other - length):
            best = max(best, (d - (other - length)) // 2)
    return best


@lru_cache(maxsize=200_000)
def _deletions(key: str) -> frozenset[str]:
    """The key and every string it gives with up to ``_reach`` letters deleted."""
    out, level = {key}, {key}
    for _ in range(_reach(len(key))):
        level = {w[:i] + w[i + 1:] for w in level for i in range(len(w))}
        out |= level
    return frozenset(out)


LONG_KEY = max(n for n in range(64) if _reach(n) <= 2)  # longer keys would index hundreds of variants
LONG_PARTNER = min(m for m in range(LONG_KEY + 2) if _can_match(m, LONG_KEY + 1))  # the shortest a long key can match


class SurnameIndex:
    """The surnames of a document, found again by what ``surnames_match`` may
    accept, so that each new surname is compared with a bounded few, not with
    every surname seen (that was quadratic in a text naming many people).

    The blocking is complete: two keys SURNAME_MIN similar share a string
    each gives by deleting at most ``_reach`` letters (the SymSpell index),
    and the vowel rule needs the same ``skeleton``. Keys over LONG_KEY letters
    (hardly a surname) are compared with the long keys one by one."""

    def __init__(self, surnames: Iterable[str] = ()) -> None:
        self.surnames: list[str] = []
        self._number: dict[str, int] = {}
        self._by_variant: dict[str, list[int]] = {}
        self._by_skeleton: dict[tuple[str, int], list[int]] = {}
        self._long: list[int] = []  # surnames with a key over LONG_KEY letters
        self._wide: list[int] = []  # ... with a key of LONG_PARTNER letters or more
        for s in surnames:
            self.add(s)

    def add(self, surname: str) -> None:
        if not surname or surname in self._number:
            return
        n = self._number[surname] = len(self.surnames)
        self.surnames.append(surname)
        self._by_skeleton.setdefault(skeleton(surname), []).append(n)
        ks = keys(surname)
        for v in set().union(*(_deletions(k) for k in ks if len(k) <= LONG_KEY)):
            self._by_variant.setdefault(v, []).append(n)
        if any(len(k) > LONG_KEY for k in ks):
            self._long.append(n)
        if any(len(k) >= LONG_PARTNER for k in ks):
            self._wide.append(n)

    def candidates(self, surname: str) -> list[str]:
        """The known surnames that may match ``surname``, in the order they came."""
        if not surname:
            return []
        found = set(self._by_skeleton.get(skeleton(surname), ()))
        ks = keys(surname)
        for k in ks:
            if len(k) > LONG_KEY:
                found.update(self._wide)
                continue
            for v in _deletions(k):
                found.update(self._by_variant.get(v, ()))
            if len(k) >= LONG_PARTNER:
                found.update(self._long)
        return [self.surnames[n] for n in sorted(found)]

    def matches(self, surname: str) -> list[str]:
        """The known surnames ``surnames_match`` accepts for ``surname``, in the order they came."""
        return [t for t in self.candidates(surname) if surnames_match(surname, t)]


def same_person(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if 1 < len(wa) < len(wb) and wb[:len(wa)] == wa or 1 < len(wb) < len(wa) and wa[:len(wb)] == wb:
        return True  # a name and its longer form ("Mansour bin Zayed", "... Al Nahyan")
    ga, sa = split_name(a)
    gb, sb = split_name(b)
    return surnames_match(sa, sb) and given_compatible(ga, gb)


def _add_roles(person: DocPerson, roles: list[Role]) -> None:
    """Add roles not yet known; a repeated title fills in the country or
    organisation an earlier mention left out, and adds its spans
    (``_finish_roles`` sorts them in)."""
    for r in roles:
        key = (r.role_type, r.title.lower())
        same = person._role_at.get(key)
        if same is None:
            person._role_at[key] = len(person.roles)
            person.roles.append(r)
            continue
        q = person.roles[same]
        if not q.country and r.country or not q.organization and r.organization:
            person.roles[same] = q.model_copy(update={"country": q.country or r.country,
                                                      "organization": q.organization or r.organization})
        person._more_spans.setdefault(same, set(q.spans)).update(r.spans)


def _finish_roles(person: DocPerson) -> None:
    for k, spans in person._more_spans.items():
        person.roles[k] = person.roles[k].model_copy(update={"spans": sorted(spans)})
    person._more_spans.clear()


def trim_institutions(mentions: list[PersonMention], not_names: AbstractSet[int], tokens: list[Token], text: str,
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


def drop_stray_words(mentions: list[PersonMention], not_names: AbstractSet[int] = frozenset()) -> list[PersonMention]:
    """One-word mentions stand only as the surname of a person named in full,
    or right after a title ("Cumhurbaşkanı Tokayev"); others are NER noise
    and must not hide places or titles. ``not_names``: tokens of words that
    name something else (a state institution: "Milli Majlis")."""
    mentions = [m for m in mentions if not all(k in not_names for k in range(m.first, m.last + 1))]
    surnames = SurnameIndex(split_name(m.name)[1] for m in mentions if m.n_words > 1)
    fits: dict[str, bool] = {}
    for m in mentions:  # once per distinct name (per mention, it was quadratic)
        if m.n_words == 1 and m.name not in fits:
            fits[m.name] = bool(surnames.matches(m.name))
    return [m for m in mentions if m.n_words > 1 or m.source == "title" or fits[m.name]]


def merge_mentions(mentions: list[PersonMention]) -> list[DocPerson]:
    people: list[DocPerson] = []
    full = [m for m in mentions if m.n_words > 1]
    single = [m for m in mentions if m.n_words == 1]
    by_name: dict[str, DocPerson] = {}
    names_of: dict[int, list[str]] = {}  # id(person) -> its distinct full names, kept as they come
    # Blocking: a name joins the first person with a name of a matching surname and
    # compatible given names. Names are indexed by surname, and the surnames that may
    # match a new one come from a SurnameIndex (comparing each new name with every
    # person's names, or each new surname with every surname, was quadratic in the
    # people of a long document).
    named: dict[str, list[tuple[int, str]]] = {}  # surname -> (person index, given names)
    known = SurnameIndex()  # the surnames in ``named``
    full_at: dict[tuple[str, ...], list[int]] = {}  # a full name's words -> people of that name
    lead: dict[tuple[str, ...], int] = {}  # the first two words or more of a longer name -> its person
    for m in full:
        home = by_name.get(m.name)
        if home is None:
            given, surname = split_name(m.name)
            hits = [k for t in known.matches(surname) for k, g in named[t] if given_compatible(given, g)]
            words = tuple(m.name.split())
            # a name and its longer form ("Mansour bin Zayed", "... Al Nahyan"): see same_person
            hits += [k for n in range(2, len(words) + 1) for k in ([lead[words]] if n == len(words) and words in lead
                                                                    else full_at.get(words[:n], []))]
            if hits:
                at = min(hits)
                home = people[at]
            else:
                at, home = len(people), DocPerson()
                people.append(home)
                names_of[id(home)] = []
            names_of[id(home)].append(m.name)
            words = tuple(m.name.split())
            full_at.setdefault(words, []).append(at)
            for n in range(2, len(words)):
                lead.setdefault(words[:n], at)
            if surname not in named:
                named[surname] = []
                known.add(surname)
            named[surname].append((at, given))
        by_name[m.name] = home
        home.mentions.append(m)
        _add_roles(home, m.roles)
    # surname -> people of that surname (people with a full name only: singles add none)
    by_surname: dict[str, list[int]] = {}
    for at, p in enumerate(people):
        for s in dict.fromkeys(split_name(n)[1] for n in names_of[id(p)]):
            by_surname.setdefault(s, []).append(at)
    # family name first ("Moon" of "Moon Jae-in", "Xi" of "Xi Jinping"): the first word of a two-word name
    # -> its people, in order (indexed once: a scan of every person per mention was quadratic)
    family_first: dict[str, list[DocPerson]] = {}
    for p in people:
        for first in dict.fromkeys(w[0] for w in map(str.split, names_of[id(p)]) if len(w) == 2):
            family_first.setdefault(first, []).append(p)
    fits_of: dict[str, list[DocPerson]] = {}
    for m in single:
        if m.name not in fits_of:  # the people of matching surnames, in their order
            fits_of[m.name] = [people[at] for at in sorted({at for s in known.matches(m.name) for at in by_surname[s]})] \
                or family_first.get(m.name, [])
        fits = fits_of[m.name]
        if len(fits) == 1:
            fits[0].mentions.append(m)
            _add_roles(fits[0], m.roles)
        elif not fits and m.source == "title" and (m.roles or m.anchor is None and has_surname_shape(m.name)):
            # a lone word after an honorific, when shaped as a surname ("H.E. Mr. Babanov", not "Sheikh Mansour")
            people.append(DocPerson([m], list(m.roles)))
    for p in people:
        _finish_roles(p)
        p.mentions.sort(key=lambda m: m.start)
        if any(r.role_type != "other" for r in p.roles):  # a rank ("Prof.") beside a real office adds nothing
            p.roles = [r for r in p.roles if r.role_type != "other" or r.spans]
    people.sort(key=lambda p: p.mentions[0].start)
    return people
