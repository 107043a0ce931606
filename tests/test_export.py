"""Parquet tables: fixed types whatever a batch holds, dates with precision,
versions, and the question downstream users ask, in DuckDB with one join."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT

pa = pytest.importorskip("pyarrow", reason="Parquet export needs pyarrow (pip install 'pressx[parquet]')")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("pyarrow.dataset")

from pipeline.run.export import TABLES, iso_date, open_table, schemas, write_parquet  # noqa: E402


def person(pid, name, roles=()):
    return {"entity_id": pid, "name": name, "mentions": [name], "spans": [[0, len(name)]],
            "roles": list(roles), "country": "KZ"}


def records():
    minister = {"title": "Dışişleri Bakanı", "role_type": "minister", "organization": None, "country": "KZ",
                "spans": [[20, 36]]}
    return [
        {"doc_id": "a", "source": "a.txt", "language": "tr", "publication_date": "2019-11-08",
         "persons": [person("P-aliyev", "Ali Aliyev", [minister]), person("P-nurlanov", "Nur Nurlanov"),
                     person("P-bekov", "Bek Bekov")],
         "countries": [{"code": "KZ", "name": "Kazakhstan", "mentions": ["Kazakistan"], "spans": [[40, 50]]}],
         "cities": [{"name": "Baku", "mentions": ["Bakü"], "country": "AZ", "geonameid": 587084,
                     "spans": [[60, 64]]}],
         "dates": [{"text": "2019", "value": "2019", "start": None, "end": None, "span": [70, 74]},
                   {"text": "Kasım 2019", "value": "2019-11", "start": None, "end": None, "span": [80, 90]},
                   {"text": "8-9 Kasım 2019", "value": None, "start": "2019-11-08", "end": "2019-11-09",
                    "span": [95, 109]}],
         "events": [{"type": "meeting", "participants": ["P-aliyev", "P-nurlanov"], "city": "Baku",
                     "country": "AZ", "value": "2019-11-08", "start": None, "end": None, "span": [0, 120]},
                    {"type": "call", "participants": ["P-aliyev", "P-bekov"], "city": None, "country": None,
                     "value": "2019-11", "start": None, "end": None, "span": [130, 160]}],
         "encoding": "utf-8", "content_hash": "h1", "warnings": [], "schema_version": "2",
         "pressx_version": "0.1.0"},
        # an old record: no roles, no events, no versions, no publication date
        {"doc_id": "b", "source": "b.txt", "language": "en", "publication_date": None,
         "persons": [person("P-bekov", "Bek Bekov"), person("P-nurlanov", "Nur Nurlanov")],
         "countries": [], "cities": [], "dates": [], "encoding": "utf-8", "content_hash": "h2", "warnings": []},
        {"doc_id": "c", "source": "c.txt", "language": "ru", "publication_date": "2020-02-01",
         "persons": [person("P-bekov", "Bek Bekov"), person("P-nurlanov", "Nur Nurlanov")],
         "events": [{"type": "meeting", "participants": ["P-bekov", "P-nurlanov"], "city": None,
                     "country": None, "value": None, "start": "2020-01-30", "end": "2020-02-01",
                     "span": [0, 50]}]},
    ]


@pytest.fixture()
def tables(tmp_path):
    out = tmp_path / "tables"
    write_parquet(records(), out, chunk_size=1)  # one record per part: most parts lack roles or events
    return out


def test_every_part_file_has_the_tables_schema(tables):
    expected = schemas()
    for t in TABLES:
        files = sorted((tables / t).rglob("*.parquet"))
        assert files, t
        for f in files:
            got = pq.read_schema(f)
            want = expected[t]
            for name in want.names:
                if name not in ("language", "year"):  # partition columns live in the path
                    assert got.field(name).type == want.field(name).type, (t, f, name)
            assert got.metadata[b"pressx.schema_version"] == b"2"
            assert got.metadata[b"pressx.pressx_version"]
    roles = open_table(tables, "roles").to_table()
    assert roles.schema.field("spans").type == pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32())]))
    assert roles.column("spans").to_pylist() == [[{"start": 20, "end": 36}]]


def test_partitions_and_dates_with_precision(tables):
    duckdb = pytest.importorskip("duckdb", reason="the DuckDB check needs duckdb")
    dates = duckdb.sql(f"select text, value, value_precision, start, end_precision, language, year "
                       f"from read_parquet('{tables}/dates/**/*.parquet', hive_partitioning = true) "
                       f"order by span_start").fetchall()
    import datetime as dt

    assert dates == [("2019", dt.date(2019, 1, 1), "year", None, None, "tr", 2019),
                     ("Kasım 2019", dt.date(2019, 11, 1), "month", None, None, "tr", 2019),
                     ("8-9 Kasım 2019", None, None, dt.date(2019, 11, 8), "day", "tr", 2019)]
    docs = duckdb.sql(f"select doc_id, language, year, schema_version from read_parquet("
                      f"'{tables}/documents/**/*.parquet', hive_partitioning = true) order by doc_id").fetchall()
    assert docs == [("a", "tr", 2019, "2"), ("b", "en", None, None), ("c", "ru", 2020, None)]
    assert (tables / "documents" / "language=en" / "year=__HIVE_DEFAULT_PARTITION__").is_dir()


def test_duckdb_who_met_whom_in_2019_with_one_join(tables):
    duckdb = pytest.importorskip("duckdb", reason="the DuckDB check needs duckdb")
    events = f"read_parquet('{tables}/events/**/*.parquet', hive_partitioning = true)"
    pairs = duckdb.sql(f"""
        select distinct a.name as who, b.name as whom
        from {events} a join {events} b
          on a.doc_id = b.doc_id and a.event_index = b.event_index and a.entity_id < b.entity_id
        where a.type = 'meeting' and year(coalesce(a.value, a.start)) = 2019
    """).fetchall()
    assert pairs == [("Ali Aliyev", "Nur Nurlanov")]  # not the 2019 call, not the 2020 meeting


def test_iso_dates():
    import datetime as dt

    assert iso_date("2019") == (dt.date(2019, 1, 1), "year")
    assert iso_date("2019-11") == (dt.date(2019, 11, 1), "month")
    assert iso_date("2019-11-08") == (dt.date(2019, 11, 8), "day")
    assert iso_date(None) == (None, None)
    with pytest.raises(ValueError):
        iso_date("19-11")


def test_no_records_still_gives_typed_tables(tmp_path):
    write_parquet([], tmp_path / "t")
    roles = open_table(tmp_path / "t", "roles").to_table()
    assert roles.num_rows == 0 and roles.schema.field("spans").type.value_type.num_fields == 2


def test_export_command_and_extract_to_parquet(tmp_path):
    src = tmp_path / "records.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", str(src), "--format", "parquet",
                          str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert open_table(tmp_path / "out", "events").count_rows() == 6
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.txt").write_text("Kazakistan Dışişleri Bakanı Murat Nurtileu 8 Kasım 2019'da Bakü'de konuştu.",
                               encoding="utf-8")
    out = tmp_path / "run.parquet"
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(raw), "-o", str(out),
                          "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    persons = open_table(out, "persons").to_table().to_pylist()
    assert [p["name"] for p in persons] == ["Murat Nurtileu"] and persons[0]["entity_id"]
    assert (out / "records.jsonl").exists()
