import json
import subprocess
import sys

from conftest import ROOT

PRESSX = [sys.executable, "-m", "pipeline.cli"]


def run(*args, cwd=ROOT):
    return subprocess.run([*PRESSX, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_extract_validate_and_errors_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Kazakistan Dışişleri Bakanı Murat Nurtileu Bakü'de konuştu.", encoding="utf-8")
    (raw / "b.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (raw / "c.html").write_text("<html><body><p>The Minister of Culture of Uzbekistan, Ozodbek Nazarbekov, "
                                "visited Ankara.</p><script>x()</script></body></html>", encoding="utf-8")
    out = tmp_path / "out" / "records.jsonl"
    res = run("extract", str(raw), "-o", str(out), "--no-progress")
    assert res.returncode == 1, res.stderr  # one document failed
    records = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["a", "c"]
    errors = [json.loads(l) for l in (tmp_path / "out" / "records.errors.jsonl").read_text().splitlines()]
    assert errors[0]["doc_id"] == "b" and errors[0]["stage"] == "reading"
    assert run("validate", str(out)).returncode == 0


def test_validate_reports_line_numbers(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x", "source": "x", "language": "tr"}\n{"doc_id": 3}\n', encoding="utf-8")
    res = run("validate", str(bad))
    assert res.returncode == 1 and ":2:" in res.stderr


def test_schema_is_the_record_model():
    schema = json.loads(run("schema").stdout)
    assert {"doc_id", "persons", "countries", "cities", "dates"} <= set(schema["properties"])


def test_entities_list_merge_and_split(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Genel Sekreter Nurlan Ermekov Bakü'de konuştu.", encoding="utf-8")
    (raw / "b.txt").write_text("Генеральный секретарь Нурлан Ермеков выступил в Баку.", encoding="utf-8")
    (raw / "c.txt").write_text("Secretary General Nurlan Yermekuly spoke in Baku, Azerbaijan.", encoding="utf-8")
    reg = tmp_path / "reg"
    out = tmp_path / "out.jsonl"
    assert run("extract", str(raw), "-o", str(out), "--registry", str(reg), "--no-progress").returncode == 0
    ids = [json.loads(l)["persons"][0]["entity_id"] for l in out.read_text(encoding="utf-8").splitlines()]
    assert ids[0] == ids[1] != ids[2]
    listing = json.loads(run("entities", "--registry", str(reg), "--json").stdout)
    assert {a["script"] for e in listing if e["id"] == ids[0] for a in e["aliases"]} == {"Latn", "Cyrl"}
    assert run("entities", "--registry", str(reg), "merge", ids[0], ids[2]).returncode == 0
    assert run("extract", str(raw), "-o", str(out), "--registry", str(reg), "--no-progress").returncode == 0
    again = [json.loads(l)["persons"][0]["entity_id"] for l in out.read_text(encoding="utf-8").splitlines()]
    assert again == [ids[0]] * 3
    res = run("entities", "--registry", str(reg), "split", ids[0], "Nurlan Yermekuly")
    assert res.returncode == 0, res.stderr
    run("extract", str(raw), "-o", str(out), "--registry", str(reg), "--no-progress")
    third = [json.loads(l)["persons"][0]["entity_id"] for l in out.read_text(encoding="utf-8").splitlines()]
    assert third[0] == third[1] == ids[0] != third[2]


def test_two_workers_write_the_same_bytes_as_one(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("extract", "data/raw", "-o", str(one), "--no-progress").returncode == 0
    assert run("extract", "data/raw", "-o", str(two), "--no-progress", "--workers", "2").returncode == 0
    assert one.read_bytes() == two.read_bytes() and one.read_bytes().count(b"\n") == 5
