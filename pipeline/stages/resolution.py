"""Cross-document resolution: one entity id per real person, across
documents, spellings and scripts, kept in a registry (SQLite).

A mention is keyed in its own orthography (``translit`` with the record's
language) and blocked so that every entity the name test could accept is
compared, and few others: on the consonant skeletons of its surname keys
(vowels vary across romanisations), and for longer surnames on each
skeleton with one consonant deleted, looked up from a skeleton one
consonant longer or shorter (one letter may be added or dropped), each
split by the first consonant of a given name. A block that more than a few people
fill (surnames are Zipfian: an archive's Aliyevs named M... grow with it) is
split again by the consonants of the given names, so the people a name is
compared with grow far slower than the registry. Within a block, surname
and given names are scored apart with rapidfuzz.

Evidence can say no: the same kind of office for another state at
overlapping dates vetoes a merge, and so does a given name unlike the
person's fullest given names (so "Mehmet Şahin" taken into "Mehmet Ali
Şahin" keeps "Mehmet Turan Şahin" out, while "Tayyip" still fits "Recep
Tayyip"). A given name that is part of a longer one joins only when one
person fits and no other office speaks against it; a surname alone or with
initials only when one person fits. Each link keeps its confidence and the
evidence it rests on, for ``pressx entities review``; confirmed links stay.

Ids do not depend on input order or on the spelling seen first: they are a
hash of the name's class key (surname and the given name next to it), so an
extraction error never shows in an id and a fresh run gives the same ids in
any order.

Storage is the tables of ``SCHEMA``; another kind of record (events) adds its
own table there and its own methods, using ``_transaction`` for writes."""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from rapidfuzz import fuzz

from .persons import is_initials, split_name
from ..schema import Role

if TYPE_CHECKING:
    from .event_log import EventLog
    from ..schema import Record
from ..knowledge.textnorm import fold
from ..knowledge.translit import join_keys, orthography, skeleton, vowel_classes, word_keys

SURNAME_MIN = 92  # rapidfuzz ratio of surname keys for the same person (Arslan / Aslan differ)
GIVEN_MIN = 85  # ... and of given-name keys when both are written out (Sadyr / Sadyk differ)
SKELETON_MIN = 70  # with the same consonants, vowels may vary this much (Shavkat / Şevket)
SKELETON_MIN_LEN = 5  # ... in names this long (shorter ones: too few letters to tell)
COUNTRY_PENALTY = 15  # a different state, without an office to compare, counts against a match
ROLE_BONUS = 5  # a shared role type or organisation
MATCH_MIN = 80.0  # the least score that merges
SUBSET_CONFIDENCE = 0.15  # what a given name that is only part of the other's costs in confidence
EXACT_CONFLICT_CONFIDENCE = 0.6  # the same spelling with a conflicting state: kept, and first in review
DEFAULT_LOCK_TIMEOUT = 10.0  # seconds to wait for another process's lock on the registry

SCHEMA = """
CREATE TABLE IF NOT EXISTS entity (id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT);
CREATE TABLE IF NOT EXISTS alias (entity_id TEXT NOT NULL, name TEXT NOT NULL, script TEXT NOT NULL,
                                  PRIMARY KEY (entity_id, name));
CREATE TABLE IF NOT EXISTS appearance (entity_id TEXT NOT NULL, doc_id TEXT NOT NULL, date TEXT,
                                       PRIMARY KEY (entity_id, doc_id));
CREATE TABLE IF NOT EXISTS role (entity_id TEXT NOT NULL, title TEXT NOT NULL, role_type TEXT NOT NULL,
                                 organization TEXT, country TEXT, doc_id TEXT, date TEXT,
                                 UNIQUE (entity_id, title, role_type, organization, country, doc_id));
CREATE TABLE IF NOT EXISTS redirect (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS link (entity_id TEXT NOT NULL, name TEXT NOT NULL, doc_id TEXT NOT NULL,
                                 confidence REAL NOT NULL, evidence TEXT NOT NULL,
                                 status TEXT NOT NULL DEFAULT 'auto',
                                 PRIMARY KEY (entity_id, name, doc_id));
CREATE TABLE IF NOT EXISTS alias_lang (entity_id TEXT NOT NULL, name TEXT NOT NULL, lang TEXT, filed INTEGER,
                                       PRIMARY KEY (entity_id, name));
"""
# alias_lang.filed: 1 if the name is filed as a spelling of the person (``Registry._spelling_of``),
# 0 if not, NULL when written before the decision was kept or after a correction (decided at load)


# -- errors ------------------------------------------------------------------
class RegistryError(RuntimeError):
    """A registry that cannot be used: the message says why and where."""


class RegistryLocked(RegistryError):
    """Another process held the registry longer than the lock wait."""


class RegistryFull(RegistryError):
    """The disk (or the file system's quota) under the registry is full."""


def _named(exc: sqlite3.Error, path: Path | None, timeout: float) -> RegistryError:
    """SQLite's error as what it is, with the registry's place."""
    where = f"registry {path}" if path else "registry"
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return RegistryLocked(f"{where} is locked by another process (waited {timeout:g} s; "
                              f"--lock-timeout or PRESSX_LOCK_TIMEOUT sets the wait)")
    if "full" in msg:
        return RegistryFull(f"{where}: the disk is full ({msg}); free space and run again")
    return RegistryError(f"{where}: {msg}")


def default_registry_dir() -> Path:
    """The one registry every command uses unless told otherwise: in the user's
    data directory (platformdirs), or where PRESSX_REGISTRY points."""
    env = os.environ.get("PRESSX_REGISTRY")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("pressx", appauthor=False)) / "registry"


def lock_timeout_default() -> float:
    try:
        return float(os.environ.get("PRESSX_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


# -- names -------------------------------------------------------------------
def script_of(name: str) -> str:
    return "Cyrl" if re.search(r"[Ѐ-ӿ]", name) else "Latn"


_PATRONYMIC = re.compile(r"(?:ovic|evic|ovna|evna|ic)$")


def id_key(name: str, lang: str | None = None) -> str:
    """What an id is derived from: the vowel-class keys of the surname and
    the given name next to it (not a patronymic): the same for most spellings
    of one person ("Recep Tayyip Erdoğan", "Tayyip Erdoğan", "Реджеп Тайип
    Эрдоган"), and with no room for the words an extraction error adds."""
    nk = name_keys(name, lang)
    words = [w for w, k in zip(nk.given.replace("-", " ").split(), nk.given_words) if not is_initials(w)]
    wkeys = [k for w, k in zip(nk.given.replace("-", " ").split(), nk.given_words) if not is_initials(w)]
    wkeys = [k for k in wkeys if not _PATRONYMIC.search(k[0])] or wkeys
    g = vowel_classes(wkeys[-1][0]) if words else ""
    return g + "|" + vowel_classes(nk.surname_keys[0])


@dataclass(frozen=True, eq=False, slots=True)
class NameKeys:
    """A name's parts and their keys, in the orthography of its source; one
    object per name and language (``name_keys`` caches), compared by identity
    so the caches keyed on it cost no hashing of its fields."""
    name: str
    lang: str | None
    given: str
    surname: str
    given_keys: tuple[str, ...]  # keys of the given names as one string
    given_words: tuple[tuple[str, ...], ...]  # keys of each given word
    surname_keys: tuple[str, ...]
    initials_only: bool
    key: str  # the whole name's main key, for names seen before


@lru_cache(maxsize=300_000)
def name_keys(name: str, lang: str | None = None) -> NameKeys:
    given, surname = split_name(name)
    orth = orthography(name, lang)
    gparts = tuple(word_keys(w, orth) for w in given.replace("-", " ").split())
    sparts = (word_keys(surname, orth),) if surname else ()
    given_keys = join_keys(gparts, orth) if gparts else ("",)
    surname_keys = join_keys(sparts, orth) if sparts else ("",)
    return NameKeys(name, lang, given, surname, given_keys, tuple(join_keys((p,), orth) for p in gparts),
                    surname_keys, not given or is_initials(given),
                    (given_keys[0] + " " + surname_keys[0]).strip())


def _ratio(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return max(fuzz.ratio(x, y) for x in a for y in b)


@lru_cache(maxsize=500_000)
def _similar(a: tuple[str, ...], b: tuple[str, ...], minimum: float) -> float:
    """The ratio of two names' keys when they count as one name, else 0:
    close enough, or the same consonants with vowels varying (Şevket / Shavkat)."""
    ratio = _ratio(a, b)
    if ratio >= minimum:
        return ratio
    if len(a[0]) >= 3 and {vowel_classes(x) for x in a} & {vowel_classes(y) for y in b}:
        return float(minimum)  # Rəcəb / Recep, Əcəvit / Ecevit: only a/e, o/u differ
    if ratio >= SKELETON_MIN and any(skeleton(x) == skeleton(y) and _nvowels(x) == _nvowels(y)
                                     and (len(x) >= SKELETON_MIN_LEN or ratio >= GIVEN_MIN)
                                     for x in a[:1] for y in b[:1]):
        return ratio
    return 0.0


def _nvowels(k: str) -> int:
    return sum(ch in "aeiou" for ch in k)


# caches keyed by a pair of names (or by one name) serve one resolve and the next few: kept
# small, since a registry of millions of names seldom compares the same pair again
PAIR_CACHE = 100_000


@lru_cache(maxsize=PAIR_CACHE)
def surname_ratio(a: NameKeys, b: NameKeys) -> float:
    return _similar(a.surname_keys, b.surname_keys, SURNAME_MIN)


@lru_cache(maxsize=PAIR_CACHE)
def given_relation(a: NameKeys, b: NameKeys) -> tuple[str, float]:
    """How two given names relate: "same" (up to romanisation), "part" (the
    shorter is part of the longer: Tayyip / Recep Tayyip), "initial" (one is
    initials that fit), "none" (nothing to compare) or "differ"; and a ratio."""
    if not a.given or not b.given:
        return "none", 80.0
    if a.initials_only or b.initials_only:
        ia = a.given_words[0][0][:1] if a.given_words and a.given_words[0][0] else ""
        ib = b.given_words[0][0][:1] if b.given_words and b.given_words[0][0] else ""
        return ("initial", 80.0) if ia == ib else ("differ", 0.0)
    whole = _similar(a.given_keys, b.given_keys, GIVEN_MIN)
    if len(a.given_words) == len(b.given_words):
        ratios = [_similar(x, y, GIVEN_MIN) for x, y in zip(a.given_words, b.given_words)]
        if all(ratios):
            return "same", sum(ratios) / len(ratios)
        if whole:
            return "same", whole
        return "differ", 0.0
    if whole:  # "Kassym-Jomart" / "Kasım Cömert" written as one word or two
        return "same", whole
    short, long = sorted((a.given_words, b.given_words), key=len)
    scores = [max((_similar(s, w, GIVEN_MIN) for w in long), default=0.0) for s in short]
    if all(scores):
        return "part", sum(scores) / len(scores)
    return "differ", 0.0


def same_name(a: str, b: str, lang_a: str | None = None, lang_b: str | None = None) -> bool:
    """The name test: could these two spellings name one person?"""
    ka, kb = name_keys(a, lang_a), name_keys(b, lang_b)
    return bool(surname_ratio(ka, kb)) and given_relation(ka, kb)[0] != "differ"


# -- blocking ----------------------------------------------------------------
# One-consonant deletions (SymSpell's keys) pair two skeletons one consonant apart: a key
# is filed under its whole skeleton ("=") and, where a consonant may differ, under each
# deletion ("-"); a lookup meets the whole of a skeleton one consonant longer or shorter
# through "-" and "=" the other way round, and deletions on both sides only for keys long
# enough that the name test lets a consonant be replaced. Deletions on both sides would also
# pair skeletons two consonants apart, which the test rejects: in a dense registry most of
# the people compared came from there.
SURNAME_DROP_LEN = 7  # surname keys this long may gain or lose a letter at a ratio of 92
SURNAME_SWAP_LEN = 13  # ... and have one replaced (2 * 12 / 26 > .92)
GIVEN_SWAP_LEN = 7  # given-name keys this long may have a letter replaced at 85 (2 * 6 / 14)


def _deletions(sk: str, mark: str) -> set[str]:
    return {mark + sk[:i] + sk[i + 1:] for i in range(len(sk))}


def _surname_wholes(surname_keys: tuple[str, ...]) -> set[str]:
    """The whole skeleton of each surname key and of its class key (voiced and
    voiceless consonants one: Mehdiyev / Мехтиев), filed and looked up alike."""
    return {"s=" + skeleton(x) for k in surname_keys if k for x in (k, vowel_classes(k))}


def _given_skeletons(nk: NameKeys) -> Iterator[tuple[str, str]]:
    """Each key of each given word, and of the given names read as one word
    ("Kasymzhomart" / "Kassym-Jomart"), with the consonants of its class key."""
    for word in (*nk.given_words, nk.given_keys):
        for k in word:
            yield k, skeleton(vowel_classes(k))


@lru_cache(maxsize=300_000)
def surname_blocks(surname_keys: tuple[str, ...]) -> frozenset[str]:
    """Blocks a surname is filed under: the consonant skeleton of each key
    (vowels vary) and of its class key (voiced and voiceless consonants one),
    and for a main key long enough that one letter may differ at a ratio of
    92, each one-consonant deletion of its skeleton."""
    out = _surname_wholes(surname_keys)
    main = surname_keys[0]
    if len(main) >= SURNAME_DROP_LEN:  # shorter keys differ in no letter at 92
        out |= _deletions(skeleton(main), "s-")
    return frozenset(out)


# a lookup's keys serve its own resolve (``query_blocks`` keeps the blocks of recent names):
# a small cache, where a registry's filing keys are held for every name already
LOOKUP_CACHE = 10_000


@lru_cache(maxsize=LOOKUP_CACHE)
def surname_lookup_blocks(surname_keys: tuple[str, ...]) -> frozenset[str]:
    """Blocks a surname looks in, so that any surname the name test accepts
    shares one: its skeletons whole (the same consonants, or a deletion of a
    surname with one more), its main skeleton's deletions when long enough
    (a surname with one consonant less), and deletions of both for a main key
    long enough that a consonant may be replaced."""
    out = _surname_wholes(surname_keys) | {"s-" + skeleton(k) for k in surname_keys if k}
    main = surname_keys[0]
    if len(main) >= SURNAME_DROP_LEN:
        out |= _deletions(skeleton(main), "s=")
    if len(main) >= SURNAME_SWAP_LEN:
        out |= _deletions(skeleton(main), "s-")
    return frozenset(out)


@lru_cache(maxsize=300_000)
def given_blocks(word_keys: tuple[str, ...]) -> frozenset[str]:
    """First consonant of each key of a given name: stable across
    romanisations (Yerlan / Ерлан, Shavkat / Şevket, Jomart / Cömert), and
    each reading of its letters (Cevdet as English and as Turkish)."""
    return frozenset(next((ch for ch in k if ch.isalpha() and ch not in "aeiou"), "") for k in word_keys)


@lru_cache(maxsize=PAIR_CACHE)
def _given_suffixes(nk: NameKeys) -> frozenset[str]:
    if not nk.given:
        return frozenset({""})
    if nk.initials_only:
        return frozenset({"|i:" + (nk.given_words[0][0][:1] if nk.given_words and nk.given_words[0][0] else "")})
    return frozenset("|" + b for w in nk.given_words for b in given_blocks(w))


def full_blocks(nk: NameKeys) -> tuple[str, ...]:
    """The blocks a full name is filed under: each surname block with the
    first consonant of each given name ("Tayyip Erdoğan" meets "Recep Tayyip
    Erdoğan"). None for a surname alone or with initials. Not cached: a name
    is filed once (and its crowd's people once more when it fills)."""
    if nk.initials_only:
        return ()
    suffixes = _given_suffixes(nk)
    return tuple(b + suffix for b in surname_blocks(nk.surname_keys) for suffix in suffixes)


def short_index_blocks(nk: NameKeys) -> tuple[str, ...]:
    """The blocks any name is filed under for a surname alone or with initials
    to meet it: the surname's skeletons alone and with the given name's first
    letter. Not cached: a name is filed once."""
    first = nk.given_words[0][0][:1] if nk.given and nk.given_words and nk.given_words[0][0] else None
    out = []
    for b in short_blocks(nk.surname_keys):
        out.append(b)
        if first is not None:
            out.append(b + "|i:" + first)
    return tuple(out)


# a full-name block past this many people is split by given name (``given_subkeys``): a
# surname block grows with the archive (surnames are Zipfian), its given names' keys do not.
# Low, since a mention looks in a dozen blocks (its surname's skeletons and their deletions)
# and most of the people there have another surname; a split block costs a few more keys
CROWDED = 4


@lru_cache(maxsize=PAIR_CACHE)
def given_subkeys(nk: NameKeys) -> frozenset[str]:
    """Where a full name is filed inside a crowded block: the consonants of
    the class key (vowels and voicing aside) of each given word, and of the
    given names read as one word ("Kasymzhomart" / "Kassym-Jomart"), whole
    and with one consonant deleted. The part of a longer given name ("Tayyip"
    of "Recep Tayyip") shares its own word's keys."""
    out = set()
    for _, p in _given_skeletons(nk):
        out.add("=" + p)
        out |= _deletions(p, "-")
    return frozenset(map(sys.intern, out))  # a few thousand short strings, held by every crowded block


@lru_cache(maxsize=LOOKUP_CACHE)
def given_lookup_subkeys(nk: NameKeys) -> frozenset[str]:
    """Where a full name looks inside a crowded block: given names the name
    test accepts differ there by at most a consonant inserted or dropped
    (the whole of one is a deletion of the other), or replaced in keys long
    enough (a deletion in common). ``name_test`` in scripts/bench_resolution.py
    checks that no pair the name test accepts among the officials' spellings
    is missed."""
    out = set()
    for k, p in _given_skeletons(nk):
        out |= {"=" + p, "-" + p} | _deletions(p, "=")
        if len(k) >= GIVEN_SWAP_LEN:
            out |= _deletions(p, "-")
    return frozenset(out)


@lru_cache(maxsize=300_000)
def short_blocks(surname_keys: tuple[str, ...]) -> frozenset[str]:
    """Skeleton blocks only: where a surname alone or with initials looks."""
    return frozenset("s=" + skeleton(k) for k in surname_keys if k)


@lru_cache(maxsize=PAIR_CACHE)
def query_blocks(nk: NameKeys) -> tuple[str, ...]:
    """The blocks a mention looks in: its surname blocks with its given-name
    suffixes; a surname alone or with initials, its skeleton blocks alone or
    with the initial."""
    suffixes = _given_suffixes(nk)
    blocks = short_blocks(nk.surname_keys) if nk.initials_only else surname_lookup_blocks(nk.surname_keys)
    return tuple(b + suffix for b in blocks for suffix in suffixes)


# -- entities ------------------------------------------------------------------
@lru_cache(maxsize=100_000)
def _evidence(role_type: str, organization: str | None) -> frozenset[str]:
    """Context that speaks for two mentions being one person."""
    return frozenset({"role:" + role_type} | ({"org:" + fold(organization)} if organization else set()))


@dataclass(slots=True)
class Link:
    """Why a name of a document belongs to an entity (kept in memory, when
    uncertain, by a registry without a folder; a registry's links are all in
    its table)."""
    confidence: float
    evidence: tuple[str, ...]
    status: str = "auto"  # auto, new, confirmed


NEW_PERSON = ("new person",)
SAME_SPELLING = ("same spelling as before",)


SMALL = 8  # entities under one key kept in a tuple; more, in a set
Filed = "str | tuple[str, ...] | set[str]"  # the entities under one key (``_file``)


def _file(index: dict[str, Filed], key: str, eid: str) -> None:
    """File an entity under a key: most keys hold one entity, kept as its id,
    and many a few, kept in a tuple: a set costs 216 bytes and more, a tuple
    of two 56 (a registry has millions of keys)."""
    have = index.get(key)
    if have is None:
        index[key] = eid
    elif type(have) is str:
        if have != eid:
            index[key] = (have, eid)
    elif type(have) is tuple:
        if eid not in have:
            index[key] = (*have, eid) if len(have) < SMALL else {*have, eid}
    else:
        have.add(eid)


def _filed(index: dict[str, Filed], key: str) -> tuple[str, ...] | set[str]:
    have = index.get(key)
    return () if have is None else (have,) if type(have) is str else have


Crowd = dict[str, "Filed"]  # a crowded block: given-name subkey -> entities


_NONE: frozenset[str] = frozenset()


@dataclass(slots=True)
class Entity:
    """A person in memory: slots, and shared empty values until the person
    has evidence or an office, since a registry holds millions of them."""
    id: str
    name: str
    country: str | None = None
    aliases: dict[str, NameKeys] = field(default_factory=dict)
    evidence: frozenset[str] = _NONE  # role types and organisations seen with the person
    offices: dict[tuple[str, str], tuple[str, str]] | None = None  # (type, state) -> dates
    full_given: tuple[NameKeys, ...] = ()  # aliases whose given names no other contains

    def add_evidence(self, evidence: frozenset[str] | set[str]) -> None:
        if not evidence <= self.evidence:
            self.evidence = self.evidence | evidence

    def add_given(self, nk: NameKeys) -> None:
        """Keep the fullest given names: "Реджеп" and "Tayyip" are parts of "Recep Tayyip"."""
        if not nk.given or nk.initials_only:
            return
        if any(len(f.given_words) > len(nk.given_words) and given_relation(nk, f)[0] == "part"
               for f in self.full_given):
            return
        self.full_given = (*(f for f in self.full_given
                             if not (len(f.given_words) < len(nk.given_words) and given_relation(f, nk)[0] == "part")),
                           nk)

    def add_office(self, role_type: str, country: str | None, date: str | None) -> None:
        if not country or role_type == "other":
            return
        if self.offices is None:
            self.offices = {}
        lo, hi = self.offices.get((role_type, country), (date or "", date or ""))
        if date:
            lo, hi = min(lo or date, date), max(hi or date, date)
        self.offices[(role_type, country)] = (lo, hi)


OVERLAP_YEARS = 1  # dates this close count as overlapping terms of office


def _overlap(span: tuple[str, str], date: str | None) -> bool:
    """Unknown dates may overlap; known ones within a year of the span do."""
    lo, hi = span
    if not date or not lo:
        return True
    y = int(date[:4])
    return int(lo[:4]) - OVERLAP_YEARS <= y <= int(hi[:4]) + OVERLAP_YEARS


class Registry:
    """Person entities and their aliases: in memory, or in SQLite under
    ``path`` so ids stay the same across runs and processes."""

    crowded = CROWDED  # people in a full-name block before it is split (a check sets it to 0)

    def __init__(self, path: str | Path | None = None, lock_timeout: float | None = None):
        self.path = Path(path) if path else None
        self.lock_timeout = lock_timeout_default() if lock_timeout is None else lock_timeout
        self._lock = threading.RLock()
        self.entities: dict[str, Entity] = {}
        self._block: dict[str, Filed | Crowd] = {}  # block -> entities (``_file``), or a Crowd
        self._exact: dict[str, Filed] = {}  # name key -> entities, for names seen before
        self._redirected: set[str] = set()  # ids merged away: not given again
        self._next_suffix: dict[str, int] = {}  # id base -> the next suffix to try (``_new_id``)
        self.links: dict[tuple[str, str, str], Link] = {}  # (entity, name, doc) -> uncertain link, without a folder
        self._db: sqlite3.Connection | None = None
        self._events: EventLog | None = None
        self._seen_version = -1
        if self.path is not None:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path / "registry.sqlite", timeout=self.lock_timeout,
                                           isolation_level=None, check_same_thread=False)
                self._retry_locked(lambda: self._db.execute("PRAGMA journal_mode=WAL"))
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._retry_locked(lambda: self._db.executescript(SCHEMA))
                self._retry_locked(self._add_filed_column)
                self._refresh()
            except sqlite3.Error as exc:
                raise _named(exc, self.path, self.lock_timeout) from exc
            except OSError as exc:
                raise RegistryError(f"registry {self.path}: {exc}") from exc

    def _add_filed_column(self) -> None:
        """A registry written before ``alias_lang.filed`` existed gets the column (NULL: decide at load)."""
        assert self._db is not None
        if "filed" not in {row[1] for row in self._db.execute("PRAGMA table_info(alias_lang)")}:
            try:
                self._db.execute("ALTER TABLE alias_lang ADD COLUMN filed INTEGER")
            except sqlite3.OperationalError as exc:
                if "duplicate column" not in str(exc):  # another process added it first
                    raise

    def _retry_locked(self, op):
        """Run a statement SQLite's busy timeout does not cover (switching the
        journal mode, creating tables) until another process lets go of the
        file, for at most the lock wait."""
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return op()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # -- storage -----------------------------------------------------------
    def _load(self) -> None:
        assert self._db is not None
        self.entities.clear()
        self._next_suffix.clear()
        self._block.clear()
        self._exact.clear()
        self.links.clear()
        db = self._db
        for eid, name, country in db.execute("SELECT id, name, country FROM entity"):
            self.entities[eid] = Entity(eid, name, country)
        langs, filed = {}, {}
        for e, n, lang, f in db.execute("SELECT entity_id, name, lang, filed FROM alias_lang"):
            langs[(e, n)], filed[(e, n)] = lang, f
        names: dict[str, list[str]] | None = None  # the names each entity was given for documents
        for eid, alias in db.execute("SELECT entity_id, name FROM alias ORDER BY rowid"):
            ent = self.entities.get(eid)
            if ent is None:
                continue
            lang = langs.get((eid, alias))
            keep = filed.get((eid, alias))
            if keep is None:  # not decided when written: the name test against those names
                if names is None:
                    names = {}
                    for e, n in db.execute("SELECT DISTINCT entity_id, name FROM link"):
                        names.setdefault(e, []).append(n)
                own = names.get(eid, ())
                keep = alias in own or any(self._spelling_of(n, alias, langs.get((eid, n)), lang) for n in own)
            if keep:
                self._index(ent, alias, lang)
        for eid, rtype, org, country, date in db.execute(
                "SELECT entity_id, role_type, organization, country, date FROM role"):
            if eid in self.entities:
                self.entities[eid].add_evidence(_evidence(rtype, org))
                self.entities[eid].add_office(rtype, country, date)
        self._redirected = {old for (old,) in db.execute("SELECT old_id FROM redirect")}

    def _refresh(self) -> None:
        """Reload when another process has committed since we last looked."""
        assert self._db is not None
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._seen_version:
            self._load()
            self._seen_version = version

    @staticmethod
    def _spelling_of(name: str, mention: str, lang: str | None, mention_lang: str | None) -> bool:
        """Whether a mention of a person is filed as an alias of theirs: a full
        name the name test accepts as a spelling of the person's name. Other
        mentions (a surname alone; text run together with the name, which a
        run of capitalised words gives by the dozen) would make every later
        name of that surname compare with them."""
        return " " in mention.strip() and same_name(name, mention, lang, mention_lang)

    def _index(self, ent: Entity, name: str, lang: str | None) -> None:
        if name in ent.aliases:
            return  # indexed already (every rebuild of the index starts from new entities)
        nk = name_keys(name, lang)
        ent.aliases[name] = nk
        ent.add_given(nk)
        if not nk.initials_only:
            _file(self._exact, nk.key, ent.id)
        block = self._block
        for b in full_blocks(nk):
            have = block.get(b)
            if type(have) is dict:
                for sub in given_subkeys(nk):
                    _file(have, sub, ent.id)
            elif type(have) in (tuple, set) and len(have) >= self.crowded:
                block[b] = self._crowd(b, {*have, ent.id})
            else:
                _file(block, b, ent.id)
        for b in short_index_blocks(nk):
            _file(block, b, ent.id)

    def _crowd(self, b: str, members: set[str]) -> Crowd:
        """A full-name block's people filed again by given name: the subkeys
        of each of their spellings filed under the block."""
        crowd: Crowd = {}
        for eid in members:
            for alias in self.entities[eid].aliases.values():
                if b in full_blocks(alias):
                    for sub in given_subkeys(alias):
                        _file(crowd, sub, eid)
        return crowd

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One writer at a time, across threads and processes (SQLite's lock);
        SQLite's errors come out named (locked, disk full)."""
        with self._lock:
            if self._db is None:
                yield
                return
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _named(exc, self.path, self.lock_timeout) from exc
            try:
                self._refresh()
                yield
                db.execute("COMMIT")
            except BaseException as exc:
                if db.in_transaction:  # SQLite may have rolled back already (disk full)
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                self._seen_version = -1
                try:
                    self._load()
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise _named(exc, self.path, self.lock_timeout) from exc
                raise

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._events = None

    # -- each person's events (event_log.py) ---------------------------------
    def _event_log(self) -> EventLog | None:
        """The events table, on this registry's connection; None in memory (the
        events are in the records)."""
        if self._db is None:
            return None
        if self._events is None:
            from .event_log import EventLog

            self._events = self._retry_locked(lambda: EventLog(self._db))
        return self._events

    def log_events(self, record: Record) -> None:
        """Keep the record's events with its people's ids (a document extracted
        again replaces its events)."""
        try:
            if (log := self._event_log()) is not None:
                log.record(record)
        except sqlite3.Error as exc:
            raise _named(exc, self.path, self.lock_timeout) from exc

    def events_of(self, entity_id: str) -> list[dict]:
        """The person's events across documents, by date (empty in memory)."""
        try:
            log = self._event_log()
            return log.of(entity_id) if log is not None else []
        except sqlite3.Error as exc:
            raise _named(exc, self.path, self.lock_timeout) from exc

    # -- resolution --------------------------------------------------------
    def _veto(self, ent: Entity, nk: NameKeys, offices: set[tuple[str, str]], date: str | None) -> str | None:
        """Evidence that the mention is someone else, or None."""
        state = self._state_veto(ent, offices, date)
        if state:
            return state
        if not nk.initials_only and not any(f is nk for f in ent.full_given):  # a full form of theirs: no doubt
            # a given name unlike the person's fullest ones ("Mehmet Turan" where "Mehmet
            # Ali" is known; "Tayyip" fits "Recep Tayyip" though "Реджеп" is known too)
            relations = {given_relation(nk, a)[0]: a for a in ent.full_given}
            if "differ" in relations and "same" not in relations:
                return f"given name differs from {relations['differ'].name}"
        return None

    @staticmethod
    def _other_office(ent: Entity, offices: set[tuple[str, str]]) -> bool:
        """Offices known on both sides, for one state, and none in common."""
        if not ent.offices:
            return False
        mine = {o for o in offices if any(o[1] == s for _, s in ent.offices)}
        return bool(mine) and not mine & set(ent.offices)

    @staticmethod
    def _state_veto(ent: Entity, offices: set[tuple[str, str]], date: str | None) -> str | None:
        """The same kind of office for another state at overlapping dates (and
        never for this one: one wrongly extracted state does not split a person)."""
        if not ent.offices:
            return None
        for rtype, country in offices:
            if (rtype, country) in ent.offices:
                continue
            for (etype, ecountry), span in ent.offices.items():
                if etype == rtype and ecountry != country and _overlap(span, date):
                    return f"{rtype} of {ecountry}, not {country}"
        return None

    def _score(self, ent: Entity, nk: NameKeys, country: str | None,
               evidence: set[str]) -> tuple[float, str, list[str]]:
        """Best score of the mention against the entity's aliases, the given
        names' relation, and the evidence for it."""
        best, rel, why = 0.0, "", []
        for alias in ent.aliases.values():
            if alias.initials_only and not nk.initials_only:
                continue  # "Aliyev" alone says nothing about which Aliyev "İlham Aliyev" is
            s = surname_ratio(nk, alias)
            if not s:
                continue
            r, g = given_relation(nk, alias)
            if r == "differ":
                continue
            score = (s + g) / 2
            if score > best or score == best and r == "same":
                best, rel, why = score, r, [f"surname {s:.0f} ({alias.name})", f"given {r} {g:.0f}"]
        if not best:
            return 0.0, "", []
        if country and ent.country and country != ent.country:
            best -= COUNTRY_PENALTY
            why.append(f"state {country} is not {ent.country}")
        elif country and country == ent.country:
            why.append(f"state {country}")
        shared = evidence & ent.evidence
        if shared:
            best += ROLE_BONUS
            why.append("shared " + ", ".join(sorted(shared)))
        return best, rel, why

    def _candidates(self, nk: NameKeys) -> Iterator[str]:
        """The people filed under the mention's blocks, each once; in a crowded
        block, those filed under its given names' subkeys. Lazy, so that a
        surname alone or with initials can stop at the second person who fits."""
        seen: set[str] = set()
        block = self._block
        for b in query_blocks(nk):
            have = block.get(b)
            if have is None:
                continue
            if type(have) is str:
                groups: tuple = ((have,),)
            elif type(have) is dict:
                groups = tuple(_filed(have, sub) for sub in given_lookup_subkeys(nk))
            else:
                groups = (have,)
            for group in groups:
                for c in group:
                    if c not in seen:
                        seen.add(c)
                        yield c

    def _match(self, nk: NameKeys, country: str | None, evidence: set[str],
               offices: set[tuple[str, str]], date: str | None) -> tuple[Entity | None, float, tuple[str, ...]]:
        # fast path: a full name seen before in the same spelling (up to its key). A
        # different state of the person (without the same office for it) does not
        # veto it: an identical name is far more often the same person given the
        # wrong state by extraction than a namesake; the link gets a low
        # confidence, for review, instead.
        if not nk.initials_only:
            exact = [self.entities[e] for e in sorted(_filed(self._exact, nk.key)) if e in self.entities]
            clean = [e for e in exact if not self._veto(e, nk, offices, date)
                     and not (country and e.country and e.country != country)]
            if len(clean) == 1:
                return clean[0], 1.0, SAME_SPELLING
            if not clean and len(exact) == 1 and not self._veto(exact[0], nk, offices, date):
                why = f"state {country} is not {exact[0].country}"
                return exact[0], EXACT_CONFLICT_CONFIDENCE, (*SAME_SPELLING, "but " + why)
        scored = []
        # a surname alone or with initials joins nobody once two people fit with as much
        # context as the mention can give (below): no need to look at the others
        best_fit, fits = (bool(country), bool(evidence)), 0
        for c in self._candidates(nk):
            ent = self.entities.get(c)
            if ent is None:
                continue
            s, rel, why = self._score(ent, nk, country, evidence)
            if s >= MATCH_MIN and not self._veto(ent, nk, offices, date):  # the veto costs more: last
                scored.append((s, rel, c, why))
                if nk.initials_only and (bool(country) and country == ent.country,
                                         bool(evidence & ent.evidence)) == best_fit:
                    fits += 1
                    if fits == 2:
                        return None, 0.0, ()
        if not scored:
            return None, 0.0, ()
        scored.sort(key=lambda t: (-t[0], t[2]))
        if nk.initials_only and len(scored) > 1:
            # "Aliyev" or "B. Amreyev" with several people of that name: only
            # context may pick one; otherwise it is nobody we know yet.
            scored = [t for t in scored if country and self.entities[t[2]].country == country] or scored
            scored = [t for t in scored if evidence & self.entities[t[2]].evidence] or scored
            if len(scored) > 1:
                return None, 0.0, ()
        same = [t for t in scored if t[1] in ("same", "none", "initial")]
        if same:
            s, rel, c, why = same[0]
        elif len(scored) == 1 and not self._other_office(self.entities[scored[0][2]], offices):
            # a given name that is part of the other's ("Mehmet" / "Mehmet Ali") joins
            # only when no other person fits, and no other office speaks against it
            s, rel, c, why = scored[0]
            s -= SUBSET_CONFIDENCE * 100
            why = why + ["only person whose given names fit"]
        else:
            return None, 0.0, ()
        if nk.initials_only:
            why = why + ["initials or surname only: the one person who fits"]
            s = min(s, 85.0)
        return self.entities[c], max(0.0, min(1.0, s / 100)), tuple(why)

    def resolve(self, name: str, mentions: list[str], doc_id: str, roles: list[Role],
                country: str | None, date: str | None = None, lang: str | None = None) -> str:
        """The entity id for a person of a document; a new entity if none fits.
        ``lang`` is the language of the text, for keying the name in its
        orthography (a Cyrillic name from Kazakh is not read as Russian)."""
        with self._transaction():
            return self._resolve(name, mentions, doc_id, roles, country, date, lang)

    def _resolve(self, name: str, mentions: list[str], doc_id: str, roles: list[Role],
                 country: str | None, date: str | None, lang: str | None) -> str:
        evidence = set().union(*(_evidence(r.role_type, r.organization) for r in roles)) if roles else set()
        offices = {(r.role_type, r.country or country) for r in roles
                   if (r.country or country) and r.role_type != "other"} if roles else set()
        nk = name_keys(name, lang)
        ent, confidence, why = self._match(nk, country, evidence, offices, date)
        if ent is None:
            ent = Entity(self._new_id(name, lang), name, country)
            self.entities[ent.id] = ent
            link = Link(1.0, NEW_PERSON, "new")
        else:
            if len(nk.given) > len(split_name(ent.name)[0]):
                ent.name = name  # the fullest form is the canonical name
            link = Link(round(confidence, 3), tuple(map(sys.intern, why)))  # the same few phrases, many times
        ent.country = ent.country or country
        ent.add_evidence(evidence)
        for r in roles:
            ent.add_office(r.role_type, r.country or country, date)
        for alias in (name, *mentions):
            if alias not in ent.aliases and (alias == name or self._spelling_of(name, alias, lang, lang)):
                self._index(ent, alias, lang)
        if self._db is None:
            # review lists links to check: not a new person's, nor a certain one's (the same
            # spelling, nothing against it), which most mentions are: one object per mention
            if link.status != "new" and link.confidence < 1.0:
                self.links.setdefault((ent.id, name, doc_id), link)
        else:
            db = self._db
            db.execute("INSERT INTO entity(id, name, country) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
                       "SET name=excluded.name, country=excluded.country", (ent.id, ent.name, ent.country))
            db.executemany("INSERT OR IGNORE INTO alias VALUES (?, ?, ?)",
                           [(ent.id, a, script_of(a)) for a in dict.fromkeys([name, *mentions])])
            db.executemany("INSERT INTO alias_lang VALUES (?, ?, ?, ?) ON CONFLICT(entity_id, name) "
                           "DO UPDATE SET filed = MAX(COALESCE(filed, 0), excluded.filed)",
                           [(ent.id, a, lang, int(a in ent.aliases)) for a in dict.fromkeys([name, *mentions])])
            db.execute("INSERT OR IGNORE INTO appearance VALUES (?, ?, ?)", (ent.id, doc_id, date))
            db.executemany("INSERT OR IGNORE INTO role VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(ent.id, r.title, r.role_type, r.organization, r.country, doc_id, date) for r in roles])
            db.execute("INSERT OR IGNORE INTO link VALUES (?, ?, ?, ?, ?, ?)",
                       (ent.id, name, doc_id, link.confidence, json.dumps(link.evidence, ensure_ascii=False),
                        link.status))
        return ent.id

    def _new_id(self, name: str, lang: str | None = None) -> str:
        """An id from a hash of the name's id key: the same in any input order,
        and free of the name's spelling (and of its extraction errors)."""
        digest = hashlib.blake2b(id_key(name, lang).encode("utf-8"), digest_size=5).hexdigest()
        base = "P-" + digest
        # ids are never freed (a merged one is redirected), so the search for a free
        # suffix goes on from where the last one for this key stopped: namesakes by key
        # (every "A. Aliyev" of an archive) do not probe all their predecessors each time
        n = self._next_suffix.get(base, 2)
        eid = base if n == 2 else f"{base}-{n}"
        while eid in self._redirected or eid in self.entities:
            eid, n = f"{base}-{n}", n + 1
        if n > 2:
            self._next_suffix[base] = n
        return eid

    # -- analyst corrections -------------------------------------------------
    def _require_db(self) -> sqlite3.Connection:
        if self._db is None:
            raise ValueError("corrections need a registry folder (--registry DIR)")
        return self._db

    def current_id(self, eid: str) -> str:
        """Where an id merged away now points."""
        db = self._require_db()
        seen = set()
        while eid not in seen:
            seen.add(eid)
            row = db.execute("SELECT new_id FROM redirect WHERE old_id = ?", (eid,)).fetchone()
            if not row:
                break
            eid = row[0]
        return eid

    def merge(self, keep: str, other: str) -> None:
        """Make ``other`` the same person as ``keep``; later runs keep it so."""
        db = self._require_db()
        with self._transaction():
            for eid in (keep, other):
                if eid not in self.entities:
                    raise KeyError(f"no entity {eid}")
            if keep == other:
                return
            for table in ("alias", "appearance", "alias_lang"):
                db.execute(f"UPDATE OR IGNORE {table} SET entity_id = ? WHERE entity_id = ?", (keep, other))
                db.execute(f"DELETE FROM {table} WHERE entity_id = ?", (other,))
            db.execute("UPDATE role SET entity_id = ? WHERE entity_id = ?", (keep, other))
            db.execute("UPDATE OR IGNORE link SET entity_id = ?, status = 'confirmed', confidence = 1.0 "
                       "WHERE entity_id = ?", (keep, other))
            db.execute("DELETE FROM link WHERE entity_id = ?", (other,))
            db.execute("DELETE FROM entity WHERE id = ?", (other,))
            db.execute("UPDATE alias_lang SET filed = NULL WHERE entity_id = ?", (keep,))  # new names: decide again
            db.execute("INSERT OR REPLACE INTO redirect VALUES (?, ?)", (other, keep))
            db.execute("UPDATE redirect SET new_id = ? WHERE new_id = ?", (keep, other))
            self._load()

    def split(self, eid: str, aliases: list[str]) -> str:
        """Move ``aliases`` of an entity to a new entity (a wrong merge undone);
        names written like them resolve to the new one from then on."""
        db = self._require_db()
        with self._transaction():
            ent = self.entities.get(eid)
            if ent is None:
                raise KeyError(f"no entity {eid}")
            missing = [a for a in aliases if a not in ent.aliases]
            if missing or set(aliases) >= set(ent.aliases):
                raise ValueError(f"aliases to split off must be some, not all, of {sorted(ent.aliases)}: {missing}")
            new = self._new_id(aliases[0], ent.aliases[aliases[0]].lang)
            db.execute("INSERT INTO entity(id, name, country) VALUES (?, ?, NULL)", (new, aliases[0]))
            for table in ("alias", "alias_lang"):
                db.executemany(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ? AND name = ?",
                               [(new, eid, a) for a in aliases])
            db.executemany("UPDATE link SET entity_id = ?, status = 'confirmed', confidence = 1.0 "
                           "WHERE entity_id = ? AND name = ?", [(new, eid, a) for a in aliases])
            db.execute("UPDATE alias_lang SET filed = NULL WHERE entity_id IN (?, ?)", (eid, new))
            remaining = sorted(set(ent.aliases) - set(aliases), key=lambda a: -len(a))
            db.execute("UPDATE entity SET name = ? WHERE id = ?", (remaining[0], eid))
            self._load()
            return new

    def confirm(self, eid: str, names: list[str] | None = None) -> int:
        """Mark an entity's links (or those of ``names``) as checked by a
        person: they leave the review list and keep their place."""
        db = self._require_db()
        with self._transaction():
            if eid not in self.entities:
                raise KeyError(f"no entity {eid}")
            unknown = [n for n in names or [] if n not in self.entities[eid].aliases]
            if unknown:
                raise ValueError(f"{eid} has no alias {unknown}; its aliases: {sorted(self.entities[eid].aliases)}")
            where, args = "entity_id = ?", [eid]
            if names:
                where += f" AND name IN ({','.join('?' * len(names))})"
                args += names
            # nothing in memory changes: a registry with a folder keeps its links in SQLite only
            return db.execute(f"UPDATE link SET status = 'confirmed' WHERE {where} AND status != 'confirmed'",
                              args).rowcount

    def review(self, eid: str | None = None, limit: int = 20) -> list[dict]:
        """The least certain merges not yet confirmed, least certain first:
        what an analyst should confirm or split."""
        keys = ("id", "name", "alias", "doc_id", "confidence", "evidence")
        if self._db is not None:
            with self._lock:
                self._refresh()
                rows = self._db.execute(
                    "SELECT l.entity_id, e.name, l.name, l.doc_id, l.confidence, l.evidence FROM link l "
                    "JOIN entity e ON e.id = l.entity_id WHERE l.status = 'auto'"
                    + (" AND l.entity_id = ?" if eid is not None else "")
                    + " ORDER BY l.confidence, l.entity_id, l.name, l.doc_id LIMIT ?",
                    (*([eid] if eid is not None else []), limit)).fetchall()
            return [dict(zip(keys, (*r[:5], json.loads(r[5])))) for r in rows]
        found = sorted((l.confidence, e, name, doc, l.evidence) for (e, name, doc), l in self.links.items()
                       if l.status == "auto" and (eid is None or e == eid) and e in self.entities)
        return [dict(zip(keys, (e, self.entities[e].name, name, doc, conf, list(ev))))
                for conf, e, name, doc, ev in found[:limit]]

    def describe(self) -> list[dict]:
        """Every entity with its aliases (and scripts), documents and roles."""
        if self._db is None:
            return [{"id": e.id, "name": e.name, "country": e.country,
                     "aliases": [{"name": a, "script": script_of(a)} for a in sorted(e.aliases)],
                     "documents": [], "roles": []} for e in sorted(self.entities.values(), key=lambda e: e.id)]
        db = self._db
        with self._lock:
            self._refresh()
            out = []
            for eid, name, country in db.execute("SELECT id, name, country FROM entity ORDER BY id").fetchall():
                out.append({
                    "id": eid, "name": name, "country": country,
                    "aliases": [{"name": a, "script": s} for a, s in
                                db.execute("SELECT name, script FROM alias WHERE entity_id = ? ORDER BY name", (eid,))],
                    "documents": [d for (d,) in
                                  db.execute("SELECT doc_id FROM appearance WHERE entity_id = ? ORDER BY doc_id", (eid,))],
                    "roles": [dict(zip(("title", "role_type", "organization", "country", "doc_id", "date"), r)) for r in
                              db.execute("SELECT DISTINCT title, role_type, organization, country, doc_id, date "
                                         "FROM role WHERE entity_id = ? ORDER BY date, doc_id", (eid,))],
                })
            return out
