"""Cross-document resolution: one entity id per real person, across
documents, spellings and scripts, kept in a registry (SQLite).

Mentions are blocked on their transliterated surname (``block_keys``), so a
name is compared only with entities that share a key, the consonants or the
ends of a romanisation of its surname: resolving N mentions costs about N
times a small block size, not N². Within a block, surname and given names are scored
apart with rapidfuzz, and role and state are evidence: a different state
counts against a match, a shared role type for it. A surname alone or with
initials joins an entity only when exactly one fits."""
from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .persons import given_compatible, name_ratio, split_name, surnames_match
from .schema import Role
from .textnorm import fold
from .translit import keys, to_latin

COUNTRY_PENALTY = 15  # a different state is strong evidence of a different person
ROLE_BONUS = 5  # a shared role type or organisation
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
"""


def script_of(name: str) -> str:
    return "Cyrl" if re.search(r"[Ѐ-ӿ]", name) else "Latn"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", to_latin(name)).strip("-") or "person"


@lru_cache(maxsize=200_000)
def block_keys(surname: str) -> frozenset[str]:
    """Blocks a surname falls in: each key of it, its consonants (vowels vary
    across romanisations), and its ends (one letter may differ in between).
    Names that can match share a block, and blocks stay small."""
    out = set()
    for k in keys(surname):
        out.add("k:" + k)
        consonants = re.sub(r"[aeiou]", "", k)
        if len(consonants) >= 4:  # shorter skeletons gather unrelated names
            out.add("c:" + consonants)
        if len(k) >= 8:
            out.add("e:" + k[:4] + "|" + k[-4:])
    return frozenset(out)


def _evidence(role_type: str, organization: str | None) -> set[str]:
    """Context that speaks for two mentions being one person."""
    return {"role:" + role_type} | ({"org:" + fold(organization)} if organization else set())


def _retry_locked(op, seconds: float = 60.0):
    """Run a statement SQLite's busy timeout does not cover (switching the
    journal mode, creating tables) until another process lets go of the file."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return op()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@lru_cache(maxsize=200_000)
def given_block(given: str) -> str:
    """First consonant of a given name's key: stable across romanisations
    (Yerlan / Ерлан, Shavkat / Şevket, Jomart / Cömert)."""
    return next((ch for ch in keys(given)[0] if ch.isalpha() and ch not in "aeiou"), "")


@lru_cache(maxsize=200_000)
def _initials_only(given: str) -> bool:
    return not given or all(len(w.rstrip(".")) <= 1 for w in given.split())


@dataclass
class Entity:
    id: str
    name: str
    country: str | None = None
    aliases: set[str] = field(default_factory=set)
    evidence: set[str] = field(default_factory=set)  # role types and organisations seen with the person


class Registry:
    """Person entities and their aliases: in memory, or in SQLite under
    ``path`` so ids stay the same across runs and processes."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self._lock = threading.RLock()
        self.entities: dict[str, Entity] = {}
        self._block: dict[str, set[str]] = {}
        self._exact: dict[str, str] = {}  # name key -> entity, for names seen before
        self._db: sqlite3.Connection | None = None
        self._seen_version = -1
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path / "registry.sqlite", timeout=60, isolation_level=None)
            _retry_locked(lambda: self._db.execute("PRAGMA journal_mode=WAL"))
            self._db.execute("PRAGMA synchronous=NORMAL")
            _retry_locked(lambda: self._db.executescript(SCHEMA))
            self._refresh()

    # -- storage -----------------------------------------------------------
    def _load(self) -> None:
        assert self._db is not None
        self.entities.clear()
        self._block.clear()
        self._exact.clear()
        for eid, name, country in self._db.execute("SELECT id, name, country FROM entity"):
            self.entities[eid] = Entity(eid, name, country)
        for eid, name in self._db.execute("SELECT entity_id, name FROM alias"):
            if eid in self.entities:
                self._index(self.entities[eid], name)
        for eid, rtype, org in self._db.execute("SELECT DISTINCT entity_id, role_type, organization FROM role"):
            if eid in self.entities:
                self.entities[eid].evidence |= _evidence(rtype, org)

    def _refresh(self) -> None:
        """Reload when another process has committed since we last looked."""
        assert self._db is not None
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._seen_version:
            self._load()
            self._seen_version = version

    def _index(self, ent: Entity, name: str) -> None:
        if name in ent.aliases:
            return  # indexed already (every rebuild of the index starts from new entities)
        ent.aliases.add(name)
        self._exact.setdefault(keys(name)[0], ent.id)
        given, surname = split_name(name)
        for b in block_keys(surname):
            self._block.setdefault(b, set()).add(ent.id)
            if not _initials_only(given):  # each given name: "Tayyip Erdoğan" meets "Recep Tayyip Erdoğan"
                for g in given.split():
                    self._block.setdefault(b + "|" + given_block(g), set()).add(ent.id)
            if given:
                self._block.setdefault(b + "|i:" + keys(given)[0][:1], set()).add(ent.id)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One writer at a time, across threads and processes (SQLite's lock)."""
        with self._lock:
            if self._db is None:
                yield
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._refresh()
                yield
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._load()
                raise

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- resolution --------------------------------------------------------
    def _score(self, ent: Entity, name: str, country: str | None, evidence: set[str]) -> float:
        given, surname = split_name(name)
        best = 0.0
        for alias in ent.aliases:
            ag, asur = split_name(alias)
            if _initials_only(ag) and not _initials_only(given):
                continue  # "Aliyev" alone says nothing about which Aliyev "İlham Aliyev" is
            if not surnames_match(surname, asur) or not given_compatible(given, ag):
                continue
            g = name_ratio(given, ag) if given and ag else 80.0
            best = max(best, (name_ratio(surname, asur) + g) / 2)
        if best and country and ent.country and country != ent.country:
            best -= COUNTRY_PENALTY
        if best and evidence & ent.evidence:
            best += ROLE_BONUS
        return best

    def _match(self, name: str, country: str | None, evidence: set[str]) -> Entity | None:
        # fast path: a full name seen before in the same spelling (up to its key)
        exact = self._exact.get(keys(name)[0])
        if exact in self.entities and not _initials_only(split_name(name)[0]):
            ent = self.entities[exact]
            if not (country and ent.country and ent.country != country):
                return ent
        given, surname = split_name(name)
        # a full name meets entities whose given name has the same first consonant, an
        # initial those with the same first letter, a surname alone all of its block
        if not given:
            suffixes = {""}
        elif _initials_only(given):
            suffixes = {"|i:" + keys(given)[0][:1]}
        else:
            suffixes = {"|" + given_block(g) for g in given.split()}
        cands: set[str] = set()
        for b in block_keys(surname):
            for suffix in suffixes:
                cands |= self._block.get(b + suffix, set())
        scored = sorted(((self._score(self.entities[c], name, country, evidence), c) for c in cands
                         if c in self.entities), reverse=True)
        fits = [(s, c) for s, c in scored if s > 0]
        if not fits:
            return None
        if _initials_only(split_name(name)[0]) and len(fits) > 1:
            # "Aliyev" or "B. Amreyev" with several people of that name: only
            # context may pick one; otherwise it is nobody we know yet.
            fits = [(s, c) for s, c in fits if country and self.entities[c].country == country] or fits
            if len(fits) > 1:
                return None
        return self.entities[fits[0][1]]

    def resolve(self, name: str, mentions: list[str], doc_id: str, roles: list[Role],
                country: str | None, date: str | None = None) -> str:
        """The entity id for a person of a document; a new entity if none fits."""
        with self._transaction():
            return self._resolve(name, mentions, doc_id, roles, country, date)

    def _resolve(self, name: str, mentions: list[str], doc_id: str, roles: list[Role],
                 country: str | None, date: str | None) -> str:
        evidence = set().union(*(_evidence(r.role_type, r.organization) for r in roles))
        ent = self._match(name, country, evidence)
        if ent is None:
            ent = Entity(self._new_id(name), name, country)
            self.entities[ent.id] = ent
        elif len(split_name(name)[0]) > len(split_name(ent.name)[0]):
            ent.name = name  # the fullest form is the canonical name
        ent.country = ent.country or country
        ent.evidence |= evidence
        for alias in {name, *mentions}:
            if len(alias.split()) > 1 or alias == name:
                self._index(ent, alias)
        if self._db is not None:
            db = self._db
            db.execute("INSERT INTO entity(id, name, country) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
                       "SET name=excluded.name, country=excluded.country", (ent.id, ent.name, ent.country))
            db.executemany("INSERT OR IGNORE INTO alias VALUES (?, ?, ?)",
                           [(ent.id, a, script_of(a)) for a in {name, *mentions}])
            db.execute("INSERT OR IGNORE INTO appearance VALUES (?, ?, ?)", (ent.id, doc_id, date))
            db.executemany("INSERT OR IGNORE INTO role VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(ent.id, r.title, r.role_type, r.organization, r.country, doc_id, date) for r in roles])
        return ent.id

    def _new_id(self, name: str) -> str:
        base = "P-" + slug(name)

        def taken(eid: str) -> bool:
            return eid in self.entities or self._db is not None and self._db.execute(
                "SELECT 1 FROM redirect WHERE old_id = ?", (eid,)).fetchone() is not None

        eid, n = base, 2
        while taken(eid):
            eid, n = f"{base}-{n}", n + 1
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
            for table in ("alias", "appearance"):
                db.execute(f"UPDATE OR IGNORE {table} SET entity_id = ? WHERE entity_id = ?", (keep, other))
                db.execute(f"DELETE FROM {table} WHERE entity_id = ?", (other,))
            db.execute("UPDATE role SET entity_id = ? WHERE entity_id = ?", (keep, other))
            db.execute("DELETE FROM entity WHERE id = ?", (other,))
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
            if missing or set(aliases) >= ent.aliases:
                raise ValueError(f"aliases to split off must be some, not all, of {sorted(ent.aliases)}: {missing}")
            new = self._new_id(aliases[0])
            db.execute("INSERT INTO entity(id, name, country) VALUES (?, ?, NULL)", (new, aliases[0]))
            db.executemany("UPDATE alias SET entity_id = ? WHERE entity_id = ? AND name = ?",
                           [(new, eid, a) for a in aliases])
            remaining = sorted(ent.aliases - set(aliases), key=lambda a: -len(a))
            db.execute("UPDATE entity SET name = ? WHERE id = ?", (remaining[0], eid))
            self._load()
            return new

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
