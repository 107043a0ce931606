"""Records (JSONL) to flat, typed Parquet tables for DuckDB, pandas, polars, Spark.

    pressx export RECORDS.jsonl --format parquet DIR

writes ``DIR/<table>/language=<xx>/year=<yyyy>/part-<n>-<i>.parquet`` (Hive
partitions) for the tables documents, persons, roles, mentions, places,
dates and events. Each row carries ``doc_id``; ``year`` is the year of the
document's publication date (``__HIVE_DEFAULT_PARTITION__``, read as null,
when the text states none). Column types come from the explicit schemas
below, never from the data, so a batch without a single role still writes
``roles.spans`` as a list of structs and every part file of a table has the
same schema. Dates are a ``date`` plus a precision (``year``, ``month`` or
``day``: ``2019-11`` is 2019-11-01 at month precision), so they cast and
compare as dates. Every table's Parquet metadata names the contract version
and the pressx version that wrote it; ``documents`` also keeps each record's
own versions.

Records are read as plain JSON, not through the Record model: an archive
holds records of older and newer pressx versions (with or without
``events``, with or without the version fields), and all of them export.

Needs pyarrow (``pip install 'pressx[parquet]'``)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..schema import PRESSX_VERSION, SCHEMA_VERSION

CHUNK = 20_000  # records per written part (per partition): bounded memory on any archive
PARTITION_BY = ("language", "year")
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # how Hive, pyarrow, DuckDB and Spark write a null
PRECISIONS = {4: "year", 7: "month", 10: "day"}  # length of an ISO date string -> its precision


def _require_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("Parquet output needs pyarrow: pip install 'pressx[parquet]'") from exc


def schemas() -> dict[str, Any]:
    """The pyarrow schema of each table (partition columns included)."""
    import pyarrow as pa

    span = pa.struct([("start", pa.int32()), ("end", pa.int32())])
    key = [("doc_id", pa.string()), ("language", pa.string()), ("year", pa.int32())]

    def date_cols(prefix: str) -> list[tuple[str, Any]]:
        return [(prefix, pa.date32()), (f"{prefix}_precision", pa.string())]

    cols = {
        "documents": [("source", pa.string()), ("publication_date", pa.date32()), ("encoding", pa.string()),
                      ("content_hash", pa.string()), ("warnings", pa.list_(pa.string())),
                      ("n_persons", pa.int32()), ("n_events", pa.int32()),
                      ("schema_version", pa.string()), ("pressx_version", pa.string())],
        "persons": [("person_index", pa.int32()), ("entity_id", pa.string()), ("name", pa.string()),
                    ("mentions", pa.list_(pa.string())), ("country", pa.string()), ("n_spans", pa.int32())],
        "roles": [("person_index", pa.int32()), ("entity_id", pa.string()), ("title", pa.string()),
                  ("role_type", pa.string()), ("organization", pa.string()), ("country", pa.string()),
                  ("spans", pa.list_(span))],
        # one row per span of a person, a country or a city
        "mentions": [("kind", pa.string()), ("key", pa.string()), ("start", pa.int32()), ("end", pa.int32())],
        "places": [("kind", pa.string()), ("name", pa.string()), ("country", pa.string()),
                   ("geonameid", pa.int64()), ("mentions", pa.list_(pa.string())), ("n_spans", pa.int32())],
        "dates": [("text", pa.string()), *date_cols("value"), *date_cols("start"), *date_cols("end"),
                  ("span_start", pa.int32()), ("span_end", pa.int32())],
        # one row per participant of an event (a self-join pairs participants);
        # an event without participants is one row with a null entity_id
        "events": [("event_index", pa.int32()), ("type", pa.string()), ("entity_id", pa.string()),
                   ("name", pa.string()), ("participants", pa.list_(pa.string())), ("city", pa.string()),
                   ("country", pa.string()), *date_cols("value"), *date_cols("start"), *date_cols("end"),
                   ("span_start", pa.int32()), ("span_end", pa.int32())],
    }
    meta = {"pressx.schema_version": SCHEMA_VERSION, "pressx.pressx_version": PRESSX_VERSION}
    return {name: pa.schema([*key, *c], metadata={**meta, "pressx.table": name}) for name, c in cols.items()}


TABLES = ("documents", "persons", "roles", "mentions", "places", "dates", "events")


def iso_date(value: str | None) -> tuple[dt.date | None, str | None]:
    """``2019`` -> (2019-01-01, "year"); ``2019-11`` -> (2019-11-01, "month"); None -> (None, None)."""
    if not value:
        return None, None
    precision = PRECISIONS.get(len(value))
    if precision is None:
        raise ValueError(f"not an ISO date at year, month or day precision: {value!r}")
    full = value + "-01" * ((10 - len(value)) // 3)
    return dt.date.fromisoformat(full), precision


def _dates(prefix: str, item: dict) -> dict:
    d, p = iso_date(item.get(prefix))
    return {prefix: d, f"{prefix}_precision": p}


def _span(span: Any) -> dict:
    return {"span_start": span[0] if span else None, "span_end": span[1] if span else None}


def rows(record: dict) -> dict[str, list[dict]]:
    """One record's rows, per table."""
    pub, _ = iso_date(record.get("publication_date"))
    key = {"doc_id": record["doc_id"], "language": record.get("language"), "year": pub.year if pub else None}
    persons = record.get("persons") or []
    events = record.get("events") or []
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    out["documents"].append({**key, "source": record.get("source"), "publication_date": pub,
                             "encoding": record.get("encoding"), "content_hash": record.get("content_hash"),
                             "warnings": record.get("warnings") or [], "n_persons": len(persons),
                             "n_events": len(events), "schema_version": record.get("schema_version"),
                             "pressx_version": record.get("pressx_version")})
    names: dict[str, str] = {}
    for i, p in enumerate(persons):
        names.setdefault(p["entity_id"], p["name"])
        out["persons"].append({**key, "person_index": i, "entity_id": p["entity_id"], "name": p["name"],
                               "mentions": p.get("mentions") or [], "country": p.get("country"),
                               "n_spans": len(p.get("spans") or [])})
        for r in p.get("roles") or []:
            out["roles"].append({**key, "person_index": i, "entity_id": p["entity_id"], "title": r["title"],
                                 "role_type": r["role_type"], "organization": r.get("organization"),
                                 "country": r.get("country"),
                                 "spans": [{"start": s, "end": e} for s, e in r.get("spans") or []]})
        out["mentions"] += [{**key, "kind": "person", "key": p["entity_id"], "start": s, "end": e}
                            for s, e in p.get("spans") or []]
    for c in record.get("countries") or []:
        out["places"].append({**key, "kind": "country", "name": c["name"], "country": c["code"], "geonameid": None,
                              "mentions": c.get("mentions") or [], "n_spans": len(c.get("spans") or [])})
        out["mentions"] += [{**key, "kind": "country", "key": c["code"], "start": s, "end": e}
                            for s, e in c.get("spans") or []]
    for c in record.get("cities") or []:
        out["places"].append({**key, "kind": "city", "name": c["name"], "country": c.get("country"),
                              "geonameid": c.get("geonameid"), "mentions": c.get("mentions") or [],
                              "n_spans": len(c.get("spans") or [])})
        city_key = str(c["geonameid"]) if c.get("geonameid") is not None else c["name"]
        out["mentions"] += [{**key, "kind": "city", "key": city_key, "start": s, "end": e}
                            for s, e in c.get("spans") or []]
    for d in record.get("dates") or []:
        out["dates"].append({**key, "text": d.get("text"), **_dates("value", d), **_dates("start", d),
                             **_dates("end", d), **_span(d.get("span"))})
    for i, e in enumerate(events):
        event = {**key, "event_index": i, "type": e["type"], "participants": e.get("participants") or [],
                 "city": e.get("city"), "country": e.get("country"), **_dates("value", e), **_dates("start", e),
                 **_dates("end", e), **_span(e.get("span"))}
        for pid in e.get("participants") or [None]:
            out["events"].append({**event, "entity_id": pid, "name": names.get(pid) if pid else None})
    return out


def read_records(path: Path) -> Iterator[dict]:
    """Records of a JSONL file, as dicts (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{lineno}: not JSON ({exc.msg})") from exc


def _chunks(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for r in records:
        chunk.append(r)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _partitioning(schema: Any) -> Any:
    import pyarrow as pa
    import pyarrow.dataset as pads

    return pads.partitioning(pa.schema([schema.field(c) for c in PARTITION_BY]), flavor="hive")


def write_parquet(records: Iterable[dict], out_dir: Path, chunk_size: int = CHUNK) -> dict[str, int]:
    """Write the tables under ``out_dir`` (each table replaced whole, only once
    all of it is written); returns the row count per table."""
    _require_pyarrow()
    import pyarrow as pa
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    schema = schemas()
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = {t: out_dir / f".{t}.partial" for t in TABLES}
    for path in tmp.values():
        shutil.rmtree(path, ignore_errors=True)
    counts = dict.fromkeys(TABLES, 0)
    partitioning = _partitioning(schema["documents"])
    for n, chunk in enumerate(_chunks(records, chunk_size)):
        per_table: dict[str, list[dict]] = {t: [] for t in TABLES}
        for record in chunk:
            for t, r in rows(record).items():
                per_table[t] += r
        for t in TABLES:
            counts[t] += len(per_table[t])
            table = pa.Table.from_pylist(per_table[t], schema=schema[t])
            pads.write_dataset(table, tmp[t], format="parquet", partitioning=partitioning,
                               basename_template=f"part-{n:05d}-{{i}}.parquet",
                               existing_data_behavior="overwrite_or_ignore")
    for t in TABLES:
        final = out_dir / t
        if not tmp[t].exists():  # no rows at all: one empty file keeps the table's schema readable
            empty = tmp[t].joinpath(*(f"{c}={NULL_PARTITION}" for c in PARTITION_BY))
            empty.mkdir(parents=True)
            pq.write_table(pa.Table.from_pylist([], schema=schema[t]).drop_columns(list(PARTITION_BY)),
                           empty / "part-00000-0.parquet")
        shutil.rmtree(final, ignore_errors=True)
        tmp[t].rename(final)
    return counts


def export_jsonl(records_path: Path, out_dir: Path, chunk_size: int = CHUNK) -> dict[str, int]:
    """``pressx export``: a records file to Parquet tables."""
    return write_parquet(read_records(records_path), out_dir, chunk_size)


def open_table(out_dir: Path, table: str) -> Any:
    """A table as a pyarrow dataset, its types from the schema rather than
    guessed from the folder names (a table whose documents all lack a year has
    only null partitions, from which nothing can be guessed).

        open_table(Path("out"), "persons").to_table().to_pandas()"""
    _require_pyarrow()
    import pyarrow as pa
    import pyarrow.dataset as pads

    schema = schemas()[table]
    return pads.dataset(out_dir / table, schema=schema, format="parquet", partitioning=_partitioning(schema))
