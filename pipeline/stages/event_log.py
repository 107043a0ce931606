"""Each person's events across documents, kept beside the person registry.

A table of its own in the registry's SQLite file (``event_person``: one row
per event and participant), written through the registry's connection (its
lock wait and its named errors; ``Registry.log_events``), while the resolver's
tables stay untouched; ``pressx entities`` reads it to
show who a person met, when and where. Merged ids are followed through the
registry's redirects. An in-memory registry keeps no log: the events are in
the records."""
from __future__ import annotations

import json
import sqlite3

from ..schema import Event, Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS event_person (entity_id TEXT NOT NULL, doc_id TEXT NOT NULL, n INTEGER NOT NULL,
    type TEXT NOT NULL, others TEXT NOT NULL, city TEXT, country TEXT, date TEXT,
    PRIMARY KEY (entity_id, doc_id, n));
"""


def event_date(e: Event) -> str | None:
    """The event's date as one string: the day, month or year, or "start/end"."""
    return e.value or (f"{e.start}/{e.end}" if e.start else None)


class EventLog:
    """The events table on a registry's connection (autocommit mode)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._db.executescript(SCHEMA)

    def record(self, record: Record) -> None:
        """Replace the document's events (a document extracted again has its new ones)."""
        names = {p.entity_id: p.name for p in record.persons}
        rows = []
        for n, e in enumerate(record.events):
            for pid in e.participants:
                others = [{"id": o, "name": names.get(o, o)} for o in e.participants if o != pid]
                rows.append((pid, record.doc_id, n, e.type, json.dumps(others, ensure_ascii=False),
                             e.city, e.country, event_date(e)))
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM event_person WHERE doc_id = ?", (record.doc_id,))
            self._db.executemany("INSERT OR REPLACE INTO event_person VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def of(self, entity_id: str) -> list[dict]:
        """The person's events, by date: type, the others, place, document."""
        ids = [entity_id, *(old for (old,) in self._db.execute(
            "SELECT old_id FROM redirect WHERE new_id = ?", (entity_id,)))]
        marks = ", ".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT DISTINCT doc_id, n, type, others, city, country, date FROM event_person "
            f"WHERE entity_id IN ({marks}) ORDER BY date IS NULL, date, doc_id, n", ids).fetchall()
        return [{"doc_id": d, "type": t, "with": json.loads(o), "city": c, "country": k, "date": dt}
                for d, _, t, o, c, k, dt in rows]


# -- the table across documents -----------------------------------------------
COLUMNS = ("doc_id", "event", "type", "participants", "participant_ids", "city", "country",
           "date", "start", "end", "span_start", "span_end", "text")


def event_rows(records: list[Record], names: dict[str, str] | None = None,
               texts: dict[str, str] | None = None) -> list[dict]:
    """One row per event: participants by name and id (``names``: id -> the
    registry's name, else the record's), the document and the span, with the
    span's text when ``texts`` holds the document."""
    rows = []
    for r in records:
        own = {p.entity_id: p.name for p in r.persons}
        text = (texts or {}).get(r.doc_id)
        for n, e in enumerate(r.events):
            span = e.span or (None, None)
            rows.append({
                "doc_id": r.doc_id, "event": n, "type": e.type,
                "participants": "; ".join((names or {}).get(p) or own.get(p, p) for p in e.participants),
                "participant_ids": "; ".join(e.participants), "city": e.city, "country": e.country,
                "date": e.value, "start": e.start, "end": e.end, "span_start": span[0], "span_end": span[1],
                "text": text[span[0]:span[1]] if text is not None and e.span else None,
            })
    return rows
