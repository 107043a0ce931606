"""The hostile battery: files a careless or hostile world hands pressx, built
here at test time (no binaries in the repository). Every input gives a record
or an error entry, the output is JSONL that any reader (and pressx) reads back,
every span lies inside its text, and runs that are interrupted, repeated or
raced lose nothing."""
from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

from pipeline.run.io import read_records
from pipeline.run.reading import ReadError, collect_inputs, decode, read_inputs
from pipeline.schema import ErrorEntry, Record

PRESSX = [sys.executable, "-m", "pipeline.cli"]
TR = ("Kazakistan Dışişleri Bakanı Ayşe Çelik, 3 Mart 2021 tarihinde İstanbul'da Özbekistan heyetini "
      "kabul etti ve iki ülke arasındaki işbirliğini görüştü.")
RU = ("Министр иностранных дел Казахстана Ерлан Нурбеков 5 марта 2020 года посетил Ташкент и провёл "
      "переговоры с коллегой.")
EN = "The Minister of Culture of Uzbekistan, Ozod Rahimov, visited Ankara on 4 May 2022 and met Turkish officials."
LIMIT = 20_000  # --max-bytes of the battery run
LINE_BREAKS = ("\u2028", "\u2029", "\u0085")


def pressx(*args: str, cwd: Path = ROOT, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*PRESSX, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, **kw)


def hostile_folder(raw: Path) -> dict[str, str]:
    """Writes the cases into ``raw``; returns file name (as str) -> what it is."""
    raw.mkdir()
    files: dict[str, bytes] = {
        "bom8-bad.txt": codecs.BOM_UTF8 + bytes(range(0x80, 0x100)) * 4,
        "bom16le-bad.txt": codecs.BOM_UTF16_LE + b"\x00\xd8" * 60,
        "bom16be-bad.txt": codecs.BOM_UTF16_BE + b"\xd8\x00" * 60,
        "bom32-bad.txt": codecs.BOM_UTF32_BE + b"\x7f\xff\xff\xff" * 40,
        "bom8-few-bad.txt": codecs.BOM_UTF8 + TR.encode()[:40] + b"\xff" + TR.encode()[40:],
        "utf16-cut.txt": codecs.BOM_UTF16_LE + TR.encode("utf-16-le")[:-1],
        "utf32-cut.txt": codecs.BOM_UTF32_LE + RU.encode("utf-32-le")[:-3],
        "utf16le-nobom.txt": TR.encode("utf-16-le"),
        "utf16be-nobom.txt": RU.encode("utf-16-be"),
        "utf32le-nobom.txt": EN.encode("utf-32-le"),
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "binary.txt": bytes(range(256)) * 8,
        "over-limit.txt": (EN + "\n").encode() * (2 * LIMIT // len(EN)),
        "line-seps.txt": f"Dışişleri Bakanı Ayşe\u2028Çelik 3 Mart\u20292021'de Bakü'de konuştu.\u0085"
                         f"The Minister of Culture\u2028Ozod Rahimov visited Ankara.".encode(),
        "same-a.txt": EN.encode(),
        "same-b.txt": EN.encode(),
        "page.html": f"<html><body><p>{EN}</p><script>x()</script></body></html>".encode(),
        "cp1251.txt": RU.encode("cp1251"),
    }
    for name, data in files.items():
        (raw / name).write_bytes(data)
    for sub in ("one", "two"):
        (raw / sub).mkdir()
        (raw / sub / "twin.txt").write_text(f"{TR} ({sub})", encoding="utf-8")
    os.mkfifo(raw / "fifo.txt")
    (raw / "dangling.txt").symlink_to(raw / "no-such-file.txt")
    bad_name = os.path.join(os.fsencode(raw), b"bad-\xff\xfe-name.txt")
    with open(bad_name, "wb") as fh:
        fh.write(EN.encode())
    return {**{k: "file" for k in files}, "one/twin.txt": "twin", "two/twin.txt": "twin", "fifo.txt": "fifo",
            "dangling.txt": "link", os.fsdecode(b"bad-\xff\xfe-name.txt"): "bad name"}


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    raw = tmp / "raw"
    cases = hostile_folder(raw)
    out = tmp / "out" / "records.jsonl"
    res = pressx("extract", str(raw), "-o", str(out), "--no-progress", "--max-bytes", str(LIMIT), timeout=900)
    return raw, cases, out, res


def test_every_input_gives_one_record_or_one_error(battery):
    raw, cases, out, res = battery
    assert res.returncode == 1, res.stderr  # some failed, the rest were written
    assert "Traceback" not in res.stderr
    records = read_records(out)
    errors = [ErrorEntry.model_validate_json(l) for l in out.with_name("records.errors.jsonl").read_text("utf-8").split("\n") if l]
    ids = [r.doc_id for r in records] + [e.doc_id for e in errors]
    assert len(ids) == len(cases) == len(set(ids))  # nothing lost, nothing doubled
    by_id = {r.doc_id: r for r in records}
    reasons = {e.doc_id: e.reason for e in errors}
    for name in ("bom8-bad", "bom16le-bad", "bom16be-bad", "bom32-bad"):
        assert name in reasons, name  # a BOM followed by bytes of no such encoding: an error entry, not a crash
    assert "byte-order mark" in reasons["bom8-bad"]
    assert "FIFO" in reasons["fifo"] and "symbolic link" in reasons["dangling"]
    assert "limit" in reasons["over-limit"] and "empty" in reasons["empty"] and "empty" in reasons["blank"]
    assert "binary" in reasons["binary"]
    assert by_id["utf16-cut"].language == "tr" and by_id["utf16-cut"].warnings
    assert by_id["utf32-cut"].language == "ru"
    assert by_id["bom8-few-bad"].warnings == ["invalid UTF-8 bytes were replaced"]
    assert (by_id["utf16le-nobom"].encoding, by_id["utf16le-nobom"].language) == ("utf-16-le", "tr")
    assert (by_id["utf16be-nobom"].encoding, by_id["utf16be-nobom"].language) == ("utf-16-be", "ru")
    assert by_id["utf32le-nobom"].persons[0].name == "Ozod Rahimov"
    assert {c.code for c in by_id["utf16le-nobom"].countries} >= {"KZ", "UZ"}
    assert by_id["cp1251"].language == "ru"
    # the same bytes twice: two documents, each with its own record
    assert by_id["same-a"].source.endswith("same-a.txt") and by_id["same-b"].source.endswith("same-b.txt")
    # the same name in two folders: distinct ids, and a warning says why
    assert by_id["twin"].source.endswith("one/twin.txt") and by_id["twin~2"].source.endswith("two/twin.txt")
    assert any("twin" in w for w in by_id["twin~2"].warnings)
    bad = next(r for r in records if r.doc_id.startswith("bad-"))
    assert "\ufffd" in bad.doc_id and any("not valid UTF-8" in w for w in bad.warnings)
    assert all(Path(r.source).is_absolute() for r in records)


def test_output_reads_back_everywhere(battery):
    _, _, out, _ = battery
    data = out.read_text(encoding="utf-8")
    assert not any(ch in data for ch in LINE_BREAKS)  # escaped, so no reader splits a record
    assert data.splitlines() == data.rstrip("\n").split("\n")
    assert [json.loads(l)["doc_id"] for l in data.splitlines()] == [r.doc_id for r in read_records(out)]
    assert "line-seps" in [r.doc_id for r in read_records(out)]
    res = pressx("validate", str(out))
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    res = pressx("view", str(out), "-o", str(out.with_name("report.html")))
    assert res.returncode == 0, res.stderr
    res = pressx("evaluate", str(ROOT / "data" / "gold"), "--pred", str(out), "--json")
    assert res.returncode == 0, res.stderr


def test_every_span_is_inside_its_text(battery):
    raw, _, out, _ = battery
    texts = {d.doc_id: d.text for d in read_inputs(collect_inputs([raw]), max_bytes=LIMIT) if not isinstance(d, ErrorEntry)}
    for r in read_records(out):
        text = texts[r.doc_id]
        spans = [s for p in r.persons for s in p.spans] + [s for p in r.persons for ro in p.roles for s in ro.spans]
        spans += [s for c in r.countries for s in c.spans] + [s for c in r.cities for s in c.spans]
        spans += [d.span for d in r.dates if d.span]
        for a, b in spans:
            assert 0 <= a < b <= len(text) and text[a:b].strip(), (r.doc_id, a, b)


def test_resume_over_the_battery_keeps_every_record(battery):
    """--resume reads the same hostile files again without dying on them, keeps
    every record and writes the same file."""
    raw, _, out, _ = battery
    before = out.read_bytes()
    n = before.count(b"\n")
    res = pressx("extract", str(raw), "-o", str(out), "--no-progress", "--max-bytes", str(LIMIT), "--resume",
                 timeout=900)
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr
    assert f"({n} kept from before)" in res.stderr
    assert out.read_bytes() == before


# -- reading, without a run ------------------------------------------------------

@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + b"\xc3\x28" * 50,
    codecs.BOM_UTF16_LE + b"\x00\xdc" * 50,
    codecs.BOM_UTF16_BE + b"A",
    codecs.BOM_UTF32_LE + b"\x00\x00\x11\x00" * 20,
    codecs.BOM_UTF32_BE + b"\x00\x00",
    b"\x00" * 64,
    bytes(range(256)),
])
def test_decoding_raises_only_read_errors(data):
    try:
        text, encoding, _ = decode(data)
    except ReadError:
        return
    assert isinstance(text, str) and encoding


def test_max_bytes_is_checked_before_reading(tmp_path):
    """A sparse file of 3 GB is refused by its size, and /dev/zero (no size)
    as not a regular file, both without reading them."""
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(3 * 1024 ** 3)
    start = time.monotonic()
    outcomes = list(read_inputs([big, Path("/dev/zero")], max_bytes=1000))
    assert time.monotonic() - start < 5
    assert [type(o) for o in outcomes] == [ErrorEntry, ErrorEntry]
    assert "limit" in outcomes[0].reason and "not a regular file" in outcomes[1].reason


def test_line_separators_are_escaped_in_jsonl():
    from pipeline.run.io import to_jsonl

    rec = Record(doc_id="x", source="x", language="en", warnings=["a\u2028b\u2029c\u0085d"])
    line = to_jsonl(rec)
    assert line.count("\n") == 1 and len(line.splitlines()) == 1 and not any(ch in line for ch in LINE_BREAKS)
    assert Record.model_validate_json(line) == rec


# -- runs ------------------------------------------------------------------------

def test_a_fifo_named_on_the_command_line_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = tmp_path / "o.jsonl"
    res = pressx("extract", str(fifo), "-o", str(out), "--no-progress", timeout=120)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    [err] = [json.loads(l) for l in (tmp_path / "o.errors.jsonl").read_text().splitlines()]
    assert "FIFO" in err["reason"]


def test_stdin_stdout_version_and_nothing_to_do(tmp_path):
    res = pressx("extract", "-", "-o", "-", input=EN)
    assert res.returncode == 0, res.stderr
    [rec] = [Record.model_validate_json(l) for l in res.stdout.splitlines()]
    assert rec.doc_id == "stdin" and rec.persons[0].name == "Ozod Rahimov"
    res = pressx("--version")
    assert res.returncode == 0 and res.stdout.startswith("pressx ")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    res = pressx("extract", str(tmp_path / "empty"), "-o", str(tmp_path / "o.jsonl"))
    assert res.returncode == 2 and "nothing to read" in res.stderr
    res = pressx("extract", str(tmp_path / "missing"), "-o", str(tmp_path / "o.jsonl"))
    assert res.returncode == 2 and "does not exist" in res.stderr


def test_bad_input_to_each_command_gives_a_message(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"doc_id": "x", "source": "x", "language": "tr"}\n\xff\xfe broken\n{"doc_id": \n')
    res = pressx("validate", str(bad))
    assert res.returncode == 1 and ":2: not UTF-8" in res.stderr and "Traceback" not in res.stderr
    for args in (("view", str(bad)), ("evaluate", str(ROOT / "data" / "gold"), "--pred", str(bad))):
        res = pressx(*args, "-o", str(tmp_path / "r.html")) if args[0] == "view" else pressx(*args)
        assert res.returncode == 2 and "pressx: error:" in res.stderr and "Traceback" not in res.stderr, res.stderr
    good = tmp_path / "good.jsonl"
    good.write_text('{"doc_id": "x", "source": "x", "language": "tr"}\n', encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    for content in ('{"doc_id": "x", "persons": [{"nam": 1}]}\n', "not json\n", '["a list"]\n'):
        (gold / "gold.jsonl").write_text(content, encoding="utf-8")
        res = pressx("view", str(good), "--gold", str(gold), "-o", str(tmp_path / "r.html"))
        assert res.returncode == 2 and "gold.jsonl" in res.stderr and "Traceback" not in res.stderr, res.stderr


def test_view_reads_no_file_outside_the_texts_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOPSECRET:/root:/bin/bash\n", encoding="utf-8")
    recs = tmp_path / "records" / "r.jsonl"
    recs.parent.mkdir()
    rec = Record(doc_id="secret", source=str(secret), language="en")
    rec2 = Record(doc_id="up", source="../secret.txt", language="en")
    recs.write_text(rec.model_dump_json() + "\n" + rec2.model_dump_json() + "\n", encoding="utf-8")
    res = pressx("view", str(recs), "-o", str(tmp_path / "r.html"))
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "TOPSECRET" not in page and "text not found" in page


def test_turkish_refuses_to_run_without_its_model(tmp_path):
    (tmp_path / "tr.txt").write_text(TR, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    env = {**os.environ, "PRESSX_MODELS_DIR": str(tmp_path / "no-models")}
    res = pressx("extract", str(tmp_path / "tr.txt"), "-o", str(out), "--no-progress", env=env)
    assert res.returncode == 1
    [err] = [json.loads(l) for l in (tmp_path / "o.errors.jsonl").read_text().splitlines()]
    assert err["stage"] == "ner" and "Turkish NER model is missing" in err["reason"] and "--tr-rules-only" in err["reason"]
    res = pressx("extract", str(tmp_path / "tr.txt"), "-o", str(out), "--no-progress", "--tr-rules-only", env=env)
    assert res.returncode == 0, res.stderr
    assert read_records(out)[0].language == "tr"


def test_resume_keys_on_the_document_not_its_bytes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in (("a", EN), ("b", EN), ("c", TR)):
        (raw / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert pressx("extract", str(raw), "-o", str(out), "--no-progress").returncode == 0
    (raw / "b.txt").rename(raw / "d.txt")  # a renamed file is another document
    with out.open("a", encoding="utf-8") as fh:  # a line of another schema version, and one cut short
        fh.write('{"doc_id": "c", "schema": 99, "entities": []}\n{"doc_id": "x", "sou')
    res = pressx("extract", str(raw), "-o", str(out), "--no-progress", "--resume")
    assert res.returncode == 0, res.stderr
    assert "(2 kept from before)" in res.stderr  # a and c; d is new
    recs = read_records(out)
    assert [(r.doc_id, Path(r.source).name) for r in recs] == [("a", "a.txt"), ("c", "c.txt"), ("d", "d.txt")]
    assert pressx("validate", str(out)).returncode == 0


def _corpus(raw: Path, n: int) -> None:
    raw.mkdir()
    seeds = sorted((ROOT / "data" / "raw").glob("*.txt"))
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (raw / f"doc-{i:03d}.txt").write_text(f"{text}\n\nBelge {i}.\n", encoding="utf-8")


def test_a_second_writer_to_the_same_output_fails_at_once(tmp_path):
    raw = tmp_path / "raw"
    _corpus(raw, 40)
    out = tmp_path / "o.jsonl"
    first = subprocess.Popen([*PRESSX, "extract", str(raw), "-o", str(out), "--no-progress"], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not (tmp_path / "o.jsonl.partial").exists():
            time.sleep(0.05)
        assert (tmp_path / "o.jsonl.partial").exists()
        start = time.monotonic()
        second = pressx("extract", str(raw), "-o", str(out), "--no-progress", timeout=120)
        assert second.returncode == 2 and "being written by another pressx run" in second.stderr, second.stderr
        assert time.monotonic() - start < 60
    finally:
        assert first.wait(timeout=600) == 0, first.stderr.read()
    assert [r.doc_id for r in read_records(out)] == [f"doc-{i:03d}" for i in range(40)]


def _default_sigint() -> None:
    """Ctrl-C as a terminal's process has it: a child inherits an ignored SIGINT
    (and Python then installs no handler of its own), and a test run may have
    left it ignored in this process (Ray's driver, an actor class tried here)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("sig,workers,group", [(signal.SIGINT, 1, False), (signal.SIGTERM, 1, False),
                                               (signal.SIGINT, 2, True)])
def test_an_interrupted_run_leaves_resumable_output(tmp_path, sig, workers, group):
    """The signal to pressx alone, or (as Ctrl-C in a terminal does) to its
    whole process group, workers included."""
    raw = tmp_path / "raw"
    n = 120
    _corpus(raw, n)
    out = tmp_path / "o.jsonl"
    partial = tmp_path / "o.jsonl.partial"
    proc = subprocess.Popen([*PRESSX, "extract", str(raw), "-o", str(out), "--no-progress", "--workers", str(workers)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=group, preexec_fn=_default_sigint)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_bytes().count(b"\n") >= 1:
            break
        time.sleep(0.05)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    stderr = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, stderr
    assert "--resume" in stderr and "Traceback" not in stderr
    assert not out.exists()
    kept = [Record.model_validate_json(l) for l in partial.read_text(encoding="utf-8").splitlines()]
    assert 1 <= len(kept) < n  # flushed, and whole lines only
    res = pressx("extract", str(raw), "-o", str(out), "--no-progress", "--resume")
    assert res.returncode == 0, res.stderr
    assert f"({len(kept)} kept from before)" in res.stderr
    assert [r.doc_id for r in read_records(out)] == [f"doc-{i:03d}" for i in range(n)]
