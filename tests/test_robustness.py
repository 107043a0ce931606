"""Odd inputs never lose data: N inputs give N outcomes; interrupted runs
resume to the same output; registries survive concurrent writers."""
import codecs
import datetime as dt
import json
import signal
import subprocess
import sys
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, count_calls

from pipeline.stages.dates import find_dates
from pipeline.stages.places import find_places
from pipeline.schema import ErrorEntry, Record
from pipeline.knowledge.textnorm import fold, strip_tr_suffix, tokenize
from pipeline.knowledge.translit import keys, to_latin

PRESSX = [sys.executable, "-m", "pipeline.cli"]
TR = "Dışişleri Bakanı Ayşe Çelik, 3 Mart 2021'de İstanbul'da Kazakistan heyetini kabul etti."
RU = "Министр иностранных дел Казахстана Ерлан Нурбеков 5 марта 2020 года посетил Ташкент."


def test_every_kind_of_odd_input_gives_one_outcome(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    inputs = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t \n",
        "binary.txt": bytes(range(256)) * 4,
        "latin1.txt": TR.encode("iso-8859-9"),
        "cp1254.txt": TR.encode("cp1254"),
        "cp1251.txt": RU.encode("cp1251"),
        "koi8r.txt": RU.encode("koi8-r"),
        "utf16.txt": codecs.BOM_UTF16_LE + TR.encode("utf-16-le"),
        "invalid-utf8.txt": TR.encode("utf-8")[:20] + b"\xff\xfe\xfa" + TR.encode("utf-8")[20:],
        "page.html": b"<html><head><script>fetch('http://example.invalid')</script><style>b{}</style></head>"
                     b"<body><p>The Minister of Culture of Uzbekistan, Ozod Rahimov, visited Ankara.</p>"
                     b"<a href='http://example.invalid'>link</a></body></html>",
        "huge.txt": b"x" * (5 * 1024 * 1024),
        "one-line.txt": (("Baku and Astana signed an agreement on 1 June 2020. " * 4000).encode()),
        "german.txt": "Die Außenminister trafen sich am Montag in Berlin und sprachen über Handel.".encode(),
        "mixed.txt": (TR + "\n" + RU + "\nThe ministers met in Baku.").encode(),
        "no-entities.txt": "bugün hava çok güzel ve sakin geçti, herkes dinlendi.".encode(),
    }
    for name, data in inputs.items():
        (raw / name).write_bytes(data)
    out = tmp_path / "out.jsonl"
    res = subprocess.run([*PRESSX, "extract", str(raw), "-o", str(out), "--no-progress", "--max-bytes", "4000000"],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert res.returncode == 1, res.stderr  # some documents failed, and the batch went on
    records = [Record.model_validate_json(l) for l in out.read_text(encoding="utf-8").splitlines()]
    errors = [ErrorEntry.model_validate_json(l) for l in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert len(records) + len(errors) == len(inputs)
    assert {e.doc_id for e in errors} == {"empty", "blank", "binary", "huge"}
    assert all(e.stage == "reading" and e.reason for e in errors)
    by_id = {r.doc_id: r for r in records}
    assert by_id["koi8r"].language == "ru" and by_id["koi8r"].encoding == "koi8_r"
    assert by_id["utf16"].language == "tr" and by_id["utf16"].encoding == "utf-16"
    assert {c.code for c in by_id["cp1254"].countries} == {"KZ"}
    assert by_id["german"].language == "de" and by_id["german"].persons == [] and by_id["german"].warnings
    assert by_id["page"].persons[0].name == "Ozod Rahimov"
    assert by_id["no-entities"].persons == [] and by_id["no-entities"].countries == []


def test_reruns_are_byte_identical(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (a, b):
        subprocess.run([*PRESSX, "extract", "data/raw", "-o", str(out), "--no-progress"], cwd=ROOT, check=True,
                       capture_output=True, timeout=600)
    assert a.read_bytes() == b.read_bytes()


def _corpus(tmp_path, n=70):
    raw = tmp_path / "raw"
    raw.mkdir()
    seeds = sorted((ROOT / "data" / "raw").glob("seed-*.txt"))
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (raw / f"doc-{i:03d}.txt").write_text(f"{text}\n\nBelge {i}.\n", encoding="utf-8")
    return raw


def test_killed_run_resumes_to_the_same_output(tmp_path):
    raw = _corpus(tmp_path, n=160)  # batches of 32: the kill lands well before the end
    whole = tmp_path / "whole.jsonl"
    subprocess.run([*PRESSX, "extract", str(raw), "-o", str(whole), "--no-progress"], cwd=ROOT, check=True,
                   capture_output=True, timeout=600)
    out = tmp_path / "cut.jsonl"
    partial = tmp_path / "cut.jsonl.partial"
    proc = subprocess.Popen([*PRESSX, "extract", str(raw), "-o", str(out), "--no-progress"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_bytes().count(b"\n") >= 32:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()  # nothing half-written where readers look
    kept = partial.read_bytes().count(b"\n")
    assert 32 <= kept < 160
    res = subprocess.run([*PRESSX, "extract", str(raw), "-o", str(out), "--no-progress", "--resume"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert f"({kept} kept from before)" in res.stderr
    assert out.read_bytes() == whole.read_bytes()


def test_two_concurrent_runs_share_a_registry(tmp_path):
    raw = _corpus(tmp_path, n=12)
    reg = tmp_path / "reg"
    outs = [tmp_path / f"o{k}.jsonl" for k in range(2)]
    procs = [subprocess.Popen([*PRESSX, "extract", str(raw), "-o", str(o), "--registry", str(reg), "--no-progress"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for o in outs]
    for p in procs:
        assert p.wait(timeout=600) == 0, p.stderr.read()
    ids = [[[p["entity_id"] for p in json.loads(l)["persons"]] for l in o.read_text().splitlines()] for o in outs]
    assert ids[0] == ids[1]
    listing = json.loads(subprocess.run([*PRESSX, "entities", "--registry", str(reg), "--json"], cwd=ROOT,
                                        capture_output=True, text=True, check=True).stdout)
    assert len(listing) == len({i for doc in ids[0] for i in doc})  # no duplicate entities


# -- the normalisers never raise, and are idempotent ---------------------------

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
NAMES = st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ'`- .абвгджзийклмнопрстуфхцчшыэюяё"
                "ӘҒҚҢӨҰҮҺІ", max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_folding_is_idempotent(s):
    assert fold(fold(s)) == fold(s)
    assert to_latin(to_latin(s)) == to_latin(s)


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_name_normalisers_never_raise_and_settle(s):
    keys(s)
    once = strip_tr_suffix(s)
    assert strip_tr_suffix(once) == once or "'" in once or "`" in once


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from(["tr", "en", "ru"]))
def test_dates_and_places_never_raise(s, lang):
    find_dates(s, lang, None)
    find_places(tokenize(s), lang)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["tr", "en", "ru"]))
def test_an_iso_date_normalises_to_itself(d, lang):
    """Within the years the grammar reads (1900-2099)."""
    assert [x.value for x in find_dates(d.isoformat(), lang, None)] == [d.isoformat()]


# -- packaging -------------------------------------------------------------------

def test_a_regular_build_carries_the_turkish_model_and_runs_outside_the_repository(tmp_path):
    """What ``pip install .`` installs (setuptools' build_py, run on a copy so
    the checkout stays clean) holds every file of pipeline/ and of the Turkish
    model, and run from another folder it finds the model and gives the
    repository's records."""
    import os
    import shutil

    from pipeline import Pipeline

    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "pipeline", src / "pipeline", ignore=ignore)
    shutil.copytree(ROOT / "models", src / "models", ignore=ignore)
    lib = tmp_path / "lib"
    build = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                            "--build-lib", str(lib)], cwd=src, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr

    def files(folder):
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}

    assert files(ROOT / "models" / "tr_pressx_ner") == files(lib / "pipeline" / "models" / "tr_pressx_ner")
    assert {f for f in files(ROOT / "pipeline")} == {f for f in files(lib / "pipeline") if not f.startswith("models/")}
    env = {k: v for k, v in os.environ.items() if k not in ("PRESSX_MODELS_DIR", "PRESSX_TR_RULES_ONLY")}
    env["PYTHONPATH"] = str(lib)
    where = tmp_path / "elsewhere"
    where.mkdir()
    out = where / "r.jsonl"
    res = subprocess.run([sys.executable, "-c", "from pipeline.stages.ner import turkish_model_path as t; print(t())"],
                         cwd=where, env=env, capture_output=True, text=True, timeout=120)
    assert res.stdout.strip() == str(lib / "pipeline" / "models" / "tr_pressx_ner"), res.stderr
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(ROOT / "data" / "raw"), "-o", str(out),
                          "--no-progress"], cwd=where, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    installed = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    here = [json.loads(r.model_dump_json()) for r in Pipeline().extract_paths([ROOT / "data" / "raw"])]
    assert installed == here and any(r["language"] == "tr" and r["persons"] for r in here)


# -- time grows with the text, not its square: operations counted, not timed ------

def _made_up_surnames(n: int, cyrillic: bool = False) -> list[str]:
    """``n`` distinct surnames built from syllables (none a real person's)."""
    # syllables with consonants of their own: any two names differ in two letters at least
    first = ["Bel", "Kor", "Tam", "Sud", "Mir", "Gaz", "Lom", "Zeb", "Fin", "Vor"]
    second = ["dar", "gul", "mat", "nur", "pes", "tay", "vik", "zan", "fep", "sib"]
    third = ["kan", "lut", "mes", "pir", "sol", "dun", "ber", "gat", "nok", "tiz"]
    out = [f + m + t for t in third for f in first for m in second][:n]
    if cyrillic:
        table = str.maketrans("abdefgiklmnoprstuvyzBFGKLMSTVZ", "абдефгиклмнопрстувйзБФГКЛМСТВЗ")
        out = list(dict.fromkeys(s.translate(table) for s in out))
    assert len(out) == n
    return out


def _mutated(names: list[str], seed: int) -> list[str]:
    """Spellings one or two letters away from the names (romanisations, typos)."""
    import random

    rnd = random.Random(seed)
    out = []
    for name in names:
        w = list(name)
        for _ in range(rnd.randint(1, 2)):
            i = rnd.randrange(1, len(w))
            op = rnd.choice(("insert", "delete", "replace"))
            if op == "insert":
                w.insert(i, rnd.choice("aeiouyhkr"))
            elif op == "delete" and len(w) > 3:
                del w[i]
            else:
                w[i] = rnd.choice("aeiouyhkr")
        out.append("".join(w))
    return out


def test_surname_index_misses_no_matching_surname():
    """The index narrows the comparisons, never the matches: every pair
    ``surnames_match`` accepts is among the candidates, for Latin and
    Cyrillic spellings, near misses and keys too long for the deletion index."""
    from pipeline.stages.persons import LONG_KEY, SurnameIndex, surnames_match

    base = _made_up_surnames(200) + _made_up_surnames(100, cyrillic=True)
    base += ["Abdurakhmanovichbekmurzaev", "Abdurahmanovicbekmurzayev", "Kulmukhambetovazhanibekova"]
    assert any(len(max(keys(s), key=len)) > LONG_KEY for s in base)
    names = list(dict.fromkeys(base + _mutated(base, 1) + _mutated(base, 2)))
    index = SurnameIndex(names)
    pairs = 0
    for a in names:
        near = set(index.candidates(a))
        for b in names:
            if surnames_match(a, b):
                pairs += 1
                assert b in near, (a, b)
    assert pairs > 2 * len(names)  # the set has near spellings to find, not only exact ones


def _people_mentions(n: int, cyrillic: bool = False) -> list:
    """``n`` made-up people, each named in full and then by surname alone."""
    from pipeline.stages.people import PersonMention

    given = ["Aral", "Deniz", "Timur", "Sanjar", "Oyuna"] if not cyrillic else ["Арал", "Тимур", "Санжар", "Оюна"]
    out = []
    for k, s in enumerate(_made_up_surnames(n, cyrillic)):
        full = f"{given[k % len(given)]} {s}"
        out.append(PersonMention(4 * k, 4 * k + 1, 100 * k, 100 * k + len(full), full, "ner"))
    out += [PersonMention(4 * k + 2, 4 * k + 2, 100 * k + 50, 100 * k + 60, m.name.split()[-1], "surname")
            for k, m in enumerate(list(out))]
    return out


def _count_surname_comparisons(monkeypatch, run) -> int:
    from pipeline.stages import persons

    return count_calls(monkeypatch, persons, "surnames_match", run)[0]


def test_merging_compares_each_name_with_a_bounded_few(monkeypatch):
    """A text naming twice as many people costs about twice the surname
    comparisons (each new surname was compared with every one seen), and
    each person is still found: one per full name, the surname joined to it."""
    from pipeline.stages.persons import drop_stray_words, merge_mentions

    for cyrillic in (False, True):
        counts = []
        for n in (150, 300):
            mentions = _people_mentions(n, cyrillic)
            people = []
            counts.append(_count_surname_comparisons(
                monkeypatch, lambda: people.extend(merge_mentions(drop_stray_words(mentions)))))
            assert len(people) == n and all(len(p.mentions) == 2 for p in people)
        assert counts[1] <= 2.4 * counts[0], counts


def test_event_merging_looks_at_a_bounded_few(monkeypatch):
    """One person meeting a new partner in every sentence: each meeting is
    compared with the events it may repeat, not with every event kept."""
    from pipeline.stages import events

    calls = 0
    real = events._same

    def counted(a, b) -> bool:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(events, "_same", counted)
    counts = []
    for n in (200, 400):
        calls = 0
        drafts = [events.Draft("meeting", [0, k], (10 * k, 10 * k + 9), sentence=k) for k in range(1, n + 1)]
        drafts += [events.Draft("meeting", [k, 0], (10 * k, 10 * k + 9), sentence=n + k) for k in range(1, n + 1)]
        merged = events._merge(drafts)
        assert [e.people for e in merged] == [[0, k] for k in range(1, n + 1)]  # each told twice, once kept
        counts.append(calls)
    assert counts[1] <= 2.4 * counts[0], counts
