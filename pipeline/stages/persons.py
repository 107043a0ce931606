"""Within-document merging: one person entry however many forms the text
uses ("Baghdad Amreyev", "Baghadad Amreyev", "Amreyev`e", "B. Amreyev")."""
from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Iterator, Set as AbstractSet
from functools import lru_cache
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz, process

from .people import PersonMention, clean_name, has_surname_shape, name_words
from ..schema import Role
from ..knowledge.textnorm import Token
from ..knowledge.translit import keys, skeleton as consonants

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
    return vowel_skeleton(a) == vowel_skeleton(b)


@lru_cache(maxsize=500_000)
def vowel_skeleton(name: str) -> tuple[str, int]:
    """A name's consonants and its number of vowels (of its main key)."""
    k = keys(name)[0]
    return consonants(k), sum(ch in "aeiou" for ch in k)


def _can_match(length: int, other: int, minimum: float = SURNAME_MIN) -> bool:
    """Keys of these lengths can be ``minimum`` similar (ratio = 1 - indel
    distance / summed lengths)."""
    return (100 - minimum) * (length + other) // 100 >= abs(length - other)


@lru_cache(maxsize=None)
def _reach(length: int, minimum: float = SURNAME_MIN) -> int:
    """How many letters a key of ``length`` may lose on the way to the longest
    subsequence it shares with a key it is ``minimum`` similar to (the indel
    distance has the parity of the summed lengths)."""
    best = 0
    for other in range(2 * length + 3):
        total = length + other
        d = int((100 - minimum) * total // 100)
        d -= (d - total) % 2
        if d >= abs(other - length):
            best = max(best, (d - (other - length)) // 2)
    return best


@lru_cache(maxsize=200_000)
def _deletions(key: str, minimum: float = SURNAME_MIN) -> frozenset[str]:
    """The key and every string it gives with up to ``_reach`` letters deleted."""
    out, level = {key}, {key}
    for _ in range(_reach(len(key), minimum)):
        level = {w[:i] + w[i + 1:] for w in level for i in range(len(w))}
        out |= level
    return frozenset(out)


@lru_cache(maxsize=None)  # asked by every index made, one per surname
def _long_key(minimum: float) -> int:
    """Keys longer than this are not indexed by deletions: they would index hundreds of variants."""
    return max(n for n in range(64) if _reach(n, minimum) <= 2)


@lru_cache(maxsize=None)
def _long_partner(minimum: float) -> int:
    """The shortest key a key over ``_long_key`` letters can match."""
    return min(m for m in range(_long_key(minimum) + 2) if _can_match(m, _long_key(minimum) + 1, minimum))


LONG_KEY = _long_key(SURNAME_MIN)


class _RankedKeys:
    """Keys with the numbers of their names, in the order of a rank (a given
    name's person), compared with a new key in one C call (rapidfuzz): those
    of a rank under a bound only, when a match of a lower rank is all that
    can still count."""

    def __init__(self) -> None:
        self.ranks: list[int] = []
        self.keys: list[str] = []
        self.numbers: list[int] = []

    def add(self, rank: int, key: str, number: int) -> None:
        at = bisect_right(self.ranks, rank)
        self.ranks.insert(at, rank)
        self.keys.insert(at, key)
        self.numbers.insert(at, number)

    def rerank(self, number: int, rank: int) -> None:
        """The name ``number`` now ranks ``rank``."""
        mine = [(k, n) for k, n in zip(self.keys, self.numbers) if n == number]
        if not mine:
            return
        kept = [k for k, n in enumerate(self.numbers) if n != number]
        self.ranks, self.keys, self.numbers = ([xs[k] for k in kept] for xs in (self.ranks, self.keys, self.numbers))
        for k, n in mine:
            self.add(rank, k, n)

    def similar(self, key: str, minimum: float, below: int | None = None) -> Iterator[int]:
        """The numbers of the names with a key ``minimum`` similar to ``key`` (of a rank under ``below``)."""
        keys = self.keys if below is None else self.keys[:bisect_left(self.ranks, below)]
        for _, _, at in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=minimum, limit=None):
            yield self.numbers[at]


class KeyIndex:
    """Names found again by what ``_similar(a, b, minimum)`` may accept, so
    that a new name is compared with a bounded few, not with every name seen.

    The blocking is complete: two keys ``minimum`` similar share a string
    each gives by deleting at most ``_reach`` letters (the SymSpell index),
    and the vowel rule needs the same ``vowel_skeleton``. Keys over ``_long_key``
    letters, which would give hundreds of such strings, are compared with
    the long keys in one C call; a name's rank (by default its number) lets
    that call leave out the names ranked after a match already found. Names
    are numbered in the order they came."""

    def __init__(self, minimum: float, names: Iterable[str] = ()) -> None:
        self.minimum = minimum
        self.long_key, self.long_partner = _long_key(minimum), _long_partner(minimum)
        self.names: list[str] = []
        self._number: dict[str, int] = {}
        self._by_variant: dict[str, list[int]] = {}
        self._by_skeleton: dict[tuple[str, int], list[int]] = {}
        self._long = _RankedKeys()  # keys the deletions do not index (over long_key letters)
        self._wide = _RankedKeys()  # keys such a key can match (long_partner letters or more)
        for s in names:
            self.add(s)

    def add(self, name: str, rank: int | None = None) -> int:
        """The name's number (a new one, or the one it had)."""
        if name in self._number:
            return self._number[name]
        n = self._number[name] = len(self.names)
        self.names.append(name)
        self._by_skeleton.setdefault(vowel_skeleton(name), []).append(n)
        ks = keys(name)
        for v in set().union(*(_deletions(k, self.minimum) for k in ks if len(k) <= self.long_key)):
            self._by_variant.setdefault(v, []).append(n)
        for k in ks:
            for ranked, length in ((self._long, self.long_key + 1), (self._wide, self.long_partner)):
                if len(k) >= length:
                    ranked.add(n if rank is None else rank, k, n)
        return n

    def rerank(self, name: str, rank: int) -> None:
        for ranked in (self._long, self._wide):
            ranked.rerank(self._number[name], rank)

    def candidate_numbers(self, name: str, below: int | None = None) -> set[int]:
        """The numbers of the known names that may be ``minimum`` similar to
        ``name``; of the long keys, only those of names ranked under ``below``."""
        found = set(self._by_skeleton.get(vowel_skeleton(name), ()))
        for k in keys(name):
            if len(k) > self.long_key:
                found.update(self._wide.similar(k, self.minimum, below))
                continue
            for v in _deletions(k, self.minimum):
                found.update(self._by_variant.get(v, ()))
            if len(k) >= self.long_partner:
                found.update(self._long.similar(k, self.minimum, below))
        return found


class SurnameIndex(KeyIndex):
    """The surnames of a document, each new surname compared with the few
    ``surnames_match`` may accept (with every surname seen, it was quadratic
    in a text naming many people)."""

    def __init__(self, surnames: Iterable[str] = ()) -> None:
        super().__init__(SURNAME_MIN, (s for s in surnames if s))

    def add(self, surname: str) -> int:
        return super().add(surname) if surname else -1

    def candidates(self, surname: str) -> list[str]:
        """The known surnames that may match ``surname``, in the order they came."""
        return [self.names[n] for n in sorted(self.candidate_numbers(surname))] if surname else []

    def matches(self, surname: str) -> list[str]:
        """The known surnames ``surnames_match`` accepts for ``surname``, in the order they came."""
        return [t for t in self.candidates(surname) if surnames_match(surname, t)]


SUBSETS = 64  # word sets a name's words give (2 ** words): enumerated up to this many, else the name's postings read


class GivenIndex:
    """The given names seen under one surname, each with the first person it
    joined, so that a new name finds the first person whose given names are
    ``given_compatible`` with it without meeting every name seen (that was
    quadratic in a text naming many people of a few surnames):

    - initials by their first letter: only the first person of a letter counts;
    - the same name spelt otherwise by a ``KeyIndex`` of the whole names;
    - one name part of the other ("Tayyip" of "Recep Tayyip") by the words:
      each word of a shorter name is similar to a word of the longer one, so
      the shorter names are looked up by the sets of similar words the new
      name's words give, and the longer ones read off the names holding a
      word similar to one of its words, in the order of their people."""

    def __init__(self) -> None:
        self._first: int | None = None  # the first person of any name
        self._any_empty: int | None = None  # ... of a name without given names
        self._by_letter: dict[str, int] = {}  # first letter -> the first person of a given name so begun
        self._initials_by_letter: dict[str, int] = {}  # ... of initials so begun
        self._person: dict[str, int] = {}  # a written-out given name -> the first person it joined
        self._shape: dict[str, tuple[int, frozenset[int]]] = {}  # ... -> its number of words, its word numbers
        self._whole = KeyIndex(GIVEN_MIN)  # written-out given names
        self._words = KeyIndex(GIVEN_MIN)  # their words
        self._by_words: dict[frozenset[int], list[str]] = {}  # word numbers -> the given names of those words
        self._with_word: list[list[tuple[int, str]]] = []  # word number -> (person, given name), by person

    def add(self, given: str, person: int) -> None:
        self._first = _least(self._first, person)
        if not given:
            self._any_empty = _least(self._any_empty, person)
            return
        letter = keys(given)[0][:1]
        _lower(self._by_letter, letter, person)
        if is_initials(given):
            _lower(self._initials_by_letter, letter, person)
            return
        if given in self._person:
            if person < self._person[given]:
                self._person[given] = person
                self._whole.rerank(given, person)
                for n in self._shape[given][1]:
                    postings = self._with_word[n]
                    postings.pop(next(k for k, (_, g) in enumerate(postings) if g == given))
                    insort(postings, (person, given))
            return
        self._person[given] = person
        self._whole.add(given, person)
        words = given.split()
        numbers = frozenset(self._words.add(w) for w in words)
        self._shape[given] = len(words), numbers
        self._by_words.setdefault(numbers, []).append(given)
        self._with_word += [[] for _ in range(len(self._words.names) - len(self._with_word))]
        for n in numbers:
            insort(self._with_word[n], (person, given))

    def first_compatible(self, given: str, below: int | None = None) -> int | None:
        """The least of ``below`` and the first person whose given names here
        are ``given_compatible`` with ``given`` (None: neither)."""
        if not given:
            return _least(below, self._first)
        best = _least(below, self._any_empty)
        letter = keys(given)[0][:1]
        if is_initials(given):
            return _least(best, self._by_letter.get(letter))
        best = _least(best, self._initials_by_letter.get(letter))
        words = given.split()
        # per word of the new name, the numbers of the words here similar to it
        similar = [frozenset(n for n in self._words.candidate_numbers(w)
                             if _similar(w, self._words.names[n], GIVEN_MIN)) for w in dict.fromkeys(words)]
        union = sorted(frozenset().union(*similar))
        if 2 ** len(union) <= SUBSETS:  # shorter names: of words similar to the new name's
            shorter = {g for size in range(1, min(len(union), len(words) - 1) + 1)
                       for part in combinations(union, size) for g in self._by_words.get(frozenset(part), ())}
        else:
            shorter = {g for n in union for _, g in self._with_word[n] if self._shape[g][0] < len(words)}
        best = self._first_of(given, shorter, best)
        if all(similar):  # longer names: each holds a word similar to each of the new name's words
            fewest = min(similar, key=lambda ns: sum(len(self._with_word[n]) for n in ns))
            for person, g in heapq.merge(*(self._with_word[n] for n in fewest)):
                if best is not None and person >= best:
                    break
                size, numbers = self._shape[g]
                if size > len(words) and all(ns & numbers for ns in similar):
                    best = person
                    break
        # the same name spelt otherwise: only the people before the best found so far still count
        return self._first_of(given, {self._whole.names[n] for n in self._whole.candidate_numbers(given, best)}, best)

    def _first_of(self, given: str, names: Iterable[str], best: int | None) -> int | None:
        """The least of ``best`` and the first person of the ``names`` compatible with ``given``."""
        for person, g in sorted((self._person[g], g) for g in names):
            if best is not None and person >= best:
                break
            if given_compatible(given, g):
                return person
        return best


def _lower(table: dict, key, value: int) -> None:
    """Keep the least value under ``key``."""
    table[key] = _least(table.get(key), value)


def _least(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


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


def _pointed(m: PersonMention, fits: list[DocPerson], names_of: dict[int, list[str]]) -> DocPerson | None:
    """Of relatives a lone surname fits ("President X Y and First Lady Z Y",
    "Aliyev" and "Aliyeva"), the one the mention points at: the only one
    holding the office its title gives ("President Y"), else the only one
    whose surname is written as here; else none, the mention unassigned
    (the last-named is no sure pointer: "X Y and his wife Z Y ... Y said"
    is the office holder as often). Never all: that would make them one."""
    offices = {r.role_type for r in m.roles if r.role_type != "other"}
    holders = [p for p in fits if offices & {r.role_type for r in p.roles}]
    if len(holders) == 1:
        return holders[0]
    written = [p for p in fits if any(split_name(n)[1] == m.name for n in names_of[id(p)])]
    return written[0] if len(written) == 1 else None


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
    named: dict[str, GivenIndex] = {}  # surname -> the given names seen with it and their people
    known = SurnameIndex()  # the surnames in ``named``
    full_at: dict[tuple[str, ...], int] = {}  # a full name's words -> the first person of that name
    lead: dict[tuple[str, ...], int] = {}  # the first two words or more of a longer name -> its person
    for m in full:
        home = by_name.get(m.name)
        if home is None:
            given, surname = split_name(m.name)
            words = tuple(m.name.split())
            # a name and its longer form ("Mansour bin Zayed", "... Al Nahyan"): see same_person
            hits = (lead[words] if n == len(words) and words in lead else full_at.get(words[:n])
                    for n in range(2, len(words) + 1))
            first = min((k for k in hits if k is not None), default=None)
            for t in known.matches(surname):  # the first person of compatible given names, if before
                first = named[t].first_compatible(given, first)
            if first is not None:
                at, home = first, people[first]
            else:
                at, home = len(people), DocPerson()
                people.append(home)
                names_of[id(home)] = []
            names_of[id(home)].append(m.name)
            full_at[words] = min(full_at.get(words, at), at)
            for n in range(2, len(words)):
                lead.setdefault(words[:n], at)
            if surname not in named:
                named[surname] = GivenIndex()
                known.add(surname)
            named[surname].add(given, at)
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
        home = fits[0] if len(fits) == 1 else _pointed(m, fits, names_of)
        if home is not None:
            home.mentions.append(m)
            _add_roles(home, m.roles)
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
