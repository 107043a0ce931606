"""Cross-document resolution: one entity id per real person, across
documents, spellings and scripts, kept in a registry (SQLite).

Mentions are blocked on the transliterated surname key, so a new name is
compared only with entities that share (a romanisation of) its surname; the
comparison then scores given names and surname separately and uses the
person's role and country as evidence."""
from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from .persons import given_compatible, split_name
from .schema import Role
from .translit import keys, to_latin

SURNAME_MIN = 88
SCHEMA = """
CREATE TABLE IF NOT EXISTS entity (id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT);
CREATE TABLE IF NOT EXISTS alias (entity_id TEXT NOT NULL, name TEXT NOT NULL, script TEXT NOT NULL,
                                  PRIMARY KEY (entity_id, name));
CREATE TABLE IF NOT EXISTS appearance (entity_id TEXT NOT NULL, doc_id TEXT NOT NULL, date TEXT,
                                       PRIMARY KEY (entity_id, doc_id));
CREATE TABLE IF NOT EXISTS role (entity_id TEXT NOT NULL, title TEXT NOT NULL, role_type TEXT NOT NULL,
                                 organization TEXT, country TEXT, doc_id TEXT, date TEXT);
CREATE TABLE IF NOT EXISTS decision (kind TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL);
"""


def script_of(name: str) -> str:
    return "Cyrl" if re.search(r"[Ѐ-ӿ]", name) else "Latn"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", to_latin(name)).strip("-") or "person"


@dataclass
class Entity:
    id: str
    name: str
    country: str | None = None
    aliases: set[str] = field(default_factory=set)
    role_types: set[str] = field(default_factory=set)


class Registry:
    """Person entities with their aliases; in memory, or in SQLite under
    ``path`` so ids stay the same across runs."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self.entities: dict[str, Entity] = {}
        self._block: dict[str, set[str]] = {}
        self._db: sqlite3.Connection | None = None
        self._seen_version = -1
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path / "registry.sqlite", timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            self._refresh()

    # -- storage -------------------------------------------------------
    def _load(self) -> None:
        assert self._db is not None
        self.entities.clear()
        self._block.clear()
        for eid, name, country in self._db.execute("SELECT id, name, country FROM entity"):
            self.entities[eid] = Entity(eid, name, country)
        for eid, name in self._db.execute("SELECT entity_id, name FROM alias"):
            if eid in self.entities:
                self._index(self.entities[eid], name)
        for eid, rtype in self._db.execute("SELECT DISTINCT entity_id, role_type FROM role"):
            if eid in self.entities:
                self.entities[eid].role_types.add(rtype)

    def _refresh(self) -> None:
        """Reload when another process has committed since we last looked."""
        assert self._db is not None
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._seen_version:
            self._load()
            self._seen_version = version

    def _index(self, ent: Entity, name: str) -> None:
        ent.aliases.add(name)
        for k in keys(split_name(name)[1]):
            self._block.setdefault(k[:4], set()).add(ent.id)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- resolution ----------------------------------------------------
    def _score(self, ent: Entity, name: str, country: str | None, role_types: set[str]) -> float:
        given, surname = split_name(name)
        best = 0.0
        for alias in ent.aliases:
            ag, asur = split_name(alias)
            s = max(fuzz.ratio(x, y) for x in keys(surname) for y in keys(asur))
            if s < SURNAME_MIN or not given_compatible(given, ag):
                continue
            g = max(fuzz.ratio(x, y) for x in keys(given) for y in keys(ag)) if given and ag else 80.0
            best = max(best, (s + g) / 2)
        if best and country and ent.country and country != ent.country:
            best -= 15  # a different state is strong evidence of a different person
        if best and role_types & ent.role_types:
            best += 5
        return best

    def resolve(self, name: str, mentions: list[str], doc_id: str, roles: list[Role],
                country: str | None, date: str | None = None) -> str:
        """The entity id for a person of a document; a new entity if none fits."""
        with self._lock:
            if self._db is not None:
                self._db.execute("BEGIN IMMEDIATE")
                self._refresh()
            try:
                eid = self._resolve(name, mentions, doc_id, roles, country, date)
                if self._db is not None:
                    self._db.execute("COMMIT")
                return eid
            except BaseException:
                if self._db is not None:
                    self._db.execute("ROLLBACK")
                raise

    def _resolve(self, name: str, mentions: list[str], doc_id: str, roles: list[Role],
                 country: str | None, date: str | None) -> str:
        role_types = {r.role_type for r in roles}
        cands: set[str] = set()
        for k in keys(split_name(name)[1]):
            cands |= self._block.get(k[:4], set())
        scored = sorted(((self._score(self.entities[c], name, country, role_types), c) for c in cands), reverse=True)
        if scored and scored[0][0] > 0:
            ent = self.entities[scored[0][1]]
            if len(name.split()) > len(ent.name.split()):
                ent.name = name
        else:
            base = "P-" + slug(name)
            eid, n = base, 2
            while eid in self.entities:
                eid, n = f"{base}-{n}", n + 1
            ent = Entity(eid, name, country)
            self.entities[eid] = ent
        ent.country = ent.country or country
        ent.role_types |= role_types
        for alias in {name, *[m for m in mentions if len(m.split()) > 1]}:
            self._index(ent, alias)
        if self._db is not None:
            db = self._db
            db.execute("INSERT INTO entity(id, name, country) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
                       "SET name=excluded.name, country=excluded.country", (ent.id, ent.name, ent.country))
            db.executemany("INSERT OR IGNORE INTO alias VALUES (?, ?, ?)",
                           [(ent.id, a, script_of(a)) for a in {name, *mentions}])
            db.execute("INSERT OR IGNORE INTO appearance VALUES (?, ?, ?)", (ent.id, doc_id, date))
            db.executemany("INSERT INTO role VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [(ent.id, r.title, r.role_type, r.organization, r.country, doc_id, date) for r in roles])
        return ent.id
