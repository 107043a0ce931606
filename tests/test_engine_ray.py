"""--engine ray gives the bytes a local run gives: records, errors, resume."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

from pipeline.run.engine_ray import run_ray_extraction, start_ray
from pipeline.run.io import partial_path_for, run_extraction


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray of 2 CPUs for this module (started once: it costs seconds)."""
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'pressx[ray]')")
    pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'pressx[ray]')")
    had = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = had or str(ROOT)  # the workers import this checkout's pipeline
    try:
        start_ray(None, num_cpus=2)
    except Exception as exc:  # noqa: BLE001 - whatever keeps Ray from starting here
        pytest.skip(f"a local Ray cannot start here: {type(exc).__name__}: {exc}")
    finally:
        if had is None:
            del os.environ["PYTHONPATH"]
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The bundled press releases, plus an HTML page and a file that fails reading."""
    raw = tmp_path_factory.mktemp("raw")
    for f in sorted((ROOT / "data" / "raw").glob("*.txt")):
        shutil.copy(f, raw / f.name)
    (raw / "web.html").write_text("<html><body><p>The Minister of Culture of Uzbekistan, Ozodbek Nazarbekov, "
                                  "met Dauren Abayev in Astana on 8 November 2019.</p></body></html>",
                                  encoding="utf-8")
    (raw / "zz-binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    return raw


@pytest.fixture(scope="module")
def local_run(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "records.jsonl"
    return run_extraction([corpus], out, progress=False), out


def test_ray_run_is_byte_identical_to_a_local_run(local_ray, corpus, local_run, tmp_path):
    s_local, local = local_run
    distributed = tmp_path / "records.jsonl"
    s_ray = run_ray_extraction([corpus], distributed, progress=False)
    assert (s_ray.records, s_ray.errors) == (s_local.records, s_local.errors) == (6, 1)
    assert distributed.read_bytes() == local.read_bytes()  # same order too, so also once sorted by doc id
    assert s_ray.errors_path.read_bytes() == s_local.errors_path.read_bytes()


def test_a_killed_ray_run_resumes(local_ray, corpus, local_run, tmp_path):
    # a run killed after three records left them in OUT.partial, the last one cut short
    _, local = local_run
    lines = local.read_bytes().splitlines(keepends=True)
    out = tmp_path / "records.jsonl"
    partial_path_for(out).write_bytes(b"".join(lines[:3]) + lines[3][:40])
    resumed = run_ray_extraction([corpus], out, progress=False, resume=True)
    assert (resumed.resumed, resumed.records) == (3, 6)  # three kept, three analysed
    assert out.read_bytes() == local.read_bytes()


def test_the_time_limit_holds_in_the_actors(local_ray, corpus, tmp_path):
    # Ray Data runs a map in a thread of its own unless told otherwise, where the
    # SIGALRM watchdog of --doc-timeout cannot be set: every document would pass
    s = run_ray_extraction([corpus], tmp_path / "records.jsonl", progress=False, doc_timeout=0.001)
    stages = [json.loads(line)["stage"] for line in s.errors_path.read_text(encoding="utf-8").splitlines()]
    assert stages.count("timeout") >= 5 and s.records <= 1  # the five releases at least; the binary file fails reading


def test_without_ray_the_cli_says_how_to_install_it(tmp_path):
    fake = tmp_path / "noray" / "ray"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no ray here')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake.parent), str(ROOT)])}
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", "--engine", "ray",
                          str(ROOT / "data" / "raw"), "-o", str(tmp_path / "o.jsonl")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 2
    assert "pip install 'pressx[ray]'" in res.stderr and "Traceback" not in res.stderr


def test_uris_are_listed_and_read_through_pyarrow_filesystems(corpus):
    """file:// stands in for s3:// here: both go through pyarrow.fs.FileSystem.from_uri."""
    pytest.importorskip("pyarrow", reason="URIs are read through pyarrow (pip install 'pressx[ray]')")
    from pipeline.run.engine_ray import list_inputs, read_input
    from pipeline.run.reading import Document

    local = list_inputs([corpus])
    remote = list_inputs([f"file://{corpus}"])
    assert [i.doc_id for i in remote] == [i.doc_id for i in local]  # same documents, same order
    assert remote[0].source == f"file://{corpus}/{local[0].source.rsplit('/', 1)[1]}"
    docs = [read_input(i, max_bytes=10_000_000) for i in remote]
    assert [type(d).__name__ for d in docs].count("ErrorEntry") == 1
    same = read_input(local[0], 10_000_000)
    assert isinstance(docs[0], Document) and docs[0].text == same.text and docs[0].content_hash == same.content_hash
    too_big = read_input(remote[0], max_bytes=10)
    assert too_big.stage == "reading" and "over the limit" in too_big.reason


def test_workers_get_the_drivers_environment_without_a_runtime_env(local_ray):
    # a local Ray's raylet hands the driver's environment to its workers: they import
    # this checkout (PYTHONPATH), and the workers Ray starts ahead can serve the actors
    import ray

    import pipeline

    @ray.remote(num_cpus=0)
    def where() -> tuple[str, dict]:
        import pipeline as imported

        return imported.__file__, ray.get_runtime_context().runtime_env

    path, runtime_env = ray.get(where.remote())
    assert path == pipeline.__file__
    assert not runtime_env.get("env_vars")


def test_an_actor_freezes_what_outlives_a_batch_and_nothing_of_a_batch(tmp_path):
    """An actor's models and caches are frozen out of the cyclic GC's full collections
    once loaded; a batch's own documents are not (or an actor would keep them all)."""
    import gc
    import pickle
    import signal

    from pipeline.run.engine_ray import Analyser, list_inputs, read_input
    from pipeline.run.extract import Pipeline, Settings

    texts = {"tr": "Dışişleri Bakanı Selin Karabağ, 4 Mart 2024 tarihinde Bişkek'te Kırgız mevkidaşı "
                   "Almaz Tokonov ile görüştü.",
             "en": "The Minister of Energy of Mongolia, Batbold Tsend, received the Ambassador of Chile, "
                   "Rocío Valderrama, in Ulaanbaatar on 12 June 2023.",
             "ru": "Министр транспорта Армении Гагик Арутюнян 7 апреля 2022 года провёл в Ереване "
                   "переговоры с послом Венгрии Петером Ковачем."}
    for lang, text in texts.items():
        (tmp_path / f"{lang}.txt").write_text(text, encoding="utf-8")
    inputs = list_inputs([tmp_path])
    batch = {"index": list(range(len(inputs))), "location": [i.location for i in inputs],
             "source": [i.source for i in inputs], "doc_id": [i.doc_id for i in inputs],
             "renamed": [i.renamed or "" for i in inputs]}
    sigint = signal.getsignal(signal.SIGINT)  # an actor ignores Ctrl-C: not this test process
    try:
        analyser = Analyser(Settings())
        first = [pickle.loads(p) for p in analyser(batch)["payload"]]
        analyser(batch)  # frozen at its start: the models the first batch loaded
        loaded = gc.get_freeze_count()
        for _ in range(3):
            again = [pickle.loads(p) for p in analyser(batch)["payload"]]
        grown = gc.get_freeze_count() - loaded
    finally:
        signal.signal(signal.SIGINT, sigint)
        gc.unfreeze()
    assert loaded > 10_000  # the models, frozen
    assert grown < 500  # three more batches of the same documents left (next to) nothing there
    local = list(Pipeline(settings=Settings())._run_batch([read_input(i, Settings().max_bytes) for i in inputs]))
    assert [r.model_dump() for r in again] == [r.model_dump() for r in first] == [r.model_dump() for r in local]
    assert all(r.persons for r in local)  # real analyses compared, not three empty records
