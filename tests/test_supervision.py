"""Worker supervision and the per-document time limit: a worker killed
mid-batch or a document over its time costs that document alone (an error
entry), and every other document still gets its record, in input order."""
import multiprocessing as mp
import os
import signal
import time

import pytest

import pipeline.run.extract as extract
from pipeline.run.extract import Pipeline, Settings
from pipeline.run.reading import Document
from pipeline.schema import ErrorEntry, Record

needs_fork = pytest.mark.skipif("fork" not in mp.get_all_start_methods(),
                                reason="the test's stage patch reaches workers only when they fork")

TEXTS = [
    "Kazakh Foreign Minister Murat Nurtleu met Uzbek President Shavkat Mirziyoyev in Tashkent on 5 May 2023.",
    "Kazakistan Dışişleri Bakanı Murat Nurtileu, 5 Mayıs 2023'te Taşkent'te Şevket Mirziyoyev ile görüştü.",
    "Министр иностранных дел Казахстана Мурат Нуртлеу 5 мая 2023 года прибыл в Ташкент.",
    "Secretary General Kubanychbek Omuraliev received the Ambassador of Hungary in Istanbul on Tuesday.",
    "Azerbaycan Cumhurbaşkanı İlham Aliyev, Bakü'de Türk heyetini kabul etti.",
]


def docs(marked: int | None = None, mark: str = "") -> list[Document]:
    """Ten documents; the one at ``marked`` carries ``mark``, which the patched stage reacts to."""
    out = []
    for i in range(10):
        text = TEXTS[i % len(TEXTS)] + f" Note {i}."
        if i == marked:
            text += f" {mark}"
        out.append(Document(doc_id=f"doc-{i}", source=f"doc-{i}.txt", text=text, encoding="utf-8"))
    return out


def patch_analyse(monkeypatch, mark: str, action) -> None:
    """Make the rule stages run ``action`` on documents that hold ``mark``."""
    analyse = Pipeline._analyse

    def patched(self, doc):
        if mark in doc.text:
            action()
        return analyse(self, doc)

    monkeypatch.setattr(Pipeline, "_analyse", patched)


def dumps(items) -> list[str]:
    return [i.model_dump_json() for i in items]


@pytest.fixture(scope="module")
def expected() -> list[str]:
    """The records of the ten unmarked documents, from one process."""
    return dumps(Pipeline(settings=Settings(doc_timeout=None)).extract_documents(docs()))


@needs_fork
def test_a_worker_killed_mid_batch_costs_only_its_document(monkeypatch, expected, caplog):
    parent = os.getpid()

    def die() -> None:
        if os.getpid() != parent:  # the workers only
            os.kill(os.getpid(), signal.SIGKILL)

    patch_analyse(monkeypatch, "KILL-ME", die)
    out = list(Pipeline(settings=Settings(workers=2, batch_size=4)).extract_documents(docs(5, "KILL-ME")))
    assert [o.doc_id for o in out] == [f"doc-{i}" for i in range(10)]
    bad = out[5]
    assert isinstance(bad, ErrorEntry) and bad.stage == "worker" and "SIGKILL" in bad.reason
    rest = [o for i, o in enumerate(out) if i != 5]
    assert all(isinstance(o, Record) for o in rest)
    assert dumps(rest) == [e for i, e in enumerate(expected) if i != 5]  # the same records as without the kill
    assert "retrying them one by one" in caplog.text and "doc-5" in caplog.text  # the death is reported


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=needs_fork)])
def test_a_document_over_the_time_limit_becomes_an_error_entry(monkeypatch, expected, workers):
    patch_analyse(monkeypatch, "SLOW", lambda: time.sleep(120))
    settings = Settings(workers=workers, batch_size=4, doc_timeout=2.0)
    out = list(Pipeline(settings=settings).extract_documents(docs(2, "SLOW")))
    assert [o.doc_id for o in out] == [f"doc-{i}" for i in range(10)]
    assert isinstance(out[2], ErrorEntry) and out[2].stage == "timeout"
    assert "2 s per document" in out[2].reason
    assert dumps(o for i, o in enumerate(out) if i != 2) == [e for i, e in enumerate(expected) if i != 2]


@needs_fork
def test_a_worker_deaf_to_its_alarm_is_killed_and_its_document_fails(monkeypatch, expected):
    # compiled code that never returns to Python cannot see the alarm: the
    # supervisor's own deadline (limit plus grace) ends its worker
    def stuck() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)

    patch_analyse(monkeypatch, "STUCK", stuck)
    monkeypatch.setattr(extract, "WORKER_GRACE", 3.0)
    out = list(Pipeline(settings=Settings(workers=2, batch_size=4, doc_timeout=2.0)).extract_documents(docs(7, "STUCK")))
    assert isinstance(out[7], ErrorEntry) and out[7].stage == "timeout" and "killed" in out[7].reason
    assert dumps(o for i, o in enumerate(out) if i != 7) == [e for i, e in enumerate(expected) if i != 7]


def test_run_extraction_takes_the_time_limit(monkeypatch, tmp_path):
    from pipeline.run.io import run_extraction
    from pipeline.schema import ErrorEntry as Entry

    patch_analyse(monkeypatch, "SLOW", lambda: time.sleep(120))
    raw = tmp_path / "raw"
    raw.mkdir()
    for d in docs(1, "SLOW")[:3]:
        (raw / d.source).write_text(d.text, encoding="utf-8")
    summary = run_extraction([raw], tmp_path / "out.jsonl", progress=False, doc_timeout=2.0)
    assert (summary.records, summary.errors) == (2, 1)
    [err] = [Entry.model_validate_json(l) for l in summary.errors_path.read_text().splitlines()]
    assert (err.doc_id, err.stage) == ("doc-1", "timeout")
