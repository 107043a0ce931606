"""The extraction pipeline: documents in, validated records out.

    from pipeline import Pipeline
    for record in Pipeline().extract_paths(["data/raw"]):
        print(record.model_dump_json())

Reading gives each release's text; language and NER run per batch (NER
batches by language); then the components of ``Settings.components`` annotate
each document's ``Doc`` in turn (``pipeline.stages.components``: dates,
tokens, places, titles, names, organisations, links, persons, geography,
record, events); resolution gives the people their ids, in input order.
``Pipeline`` adds what a run needs around that: batches, worker processes,
per-document time limits, and one error entry for a document that fails."""
from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from collections import deque
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from ..doc import Doc
from ..schema import ErrorEntry, Record
from ..stages.components import COMPONENTS, PIPELINE, Component, check_order, new_record, pipe_entities
from ..stages.events import resolve_participants
from ..stages.langid import SUPPORTED
from ..stages.resolution import Registry, RegistryError
from .heap import LONG_RUN_THRESHOLDS, long_run_collector
from .reading import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES, Document, collect_inputs, read_inputs

BATCH = 32


BATCH_CHARS = 1_000_000  # a batch closes at this much text too (its NER and records are held at once)
WORKER_GRACE = 60.0  # seconds a worker gets beyond its documents' limits before it is killed
log = logging.getLogger("pressx")


class StageError(Exception):
    def __init__(self, stage: str, reason: str):
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason


class DocTimeout(StageError):
    """A document ran over ``Settings.doc_timeout``."""

    def __init__(self, seconds: float, during: str | None = None):
        where = f" (in stage {during})" if during else ""
        super().__init__("timeout", f"over the time limit of {seconds:g} s per document{where}")
        self.seconds = seconds


@contextmanager
def stage(name: str):
    try:
        yield
    except DocTimeout as exc:
        raise DocTimeout(exc.seconds, name) from None
    except StageError:
        raise
    except Exception as exc:  # one bad document must not sink a batch
        raise StageError(name, f"{type(exc).__name__}: {exc}") from exc


@contextmanager
def time_limit(seconds: float | None):
    """Raise DocTimeout in this block after ``seconds`` (None: no limit).

    A SIGALRM watchdog: the simplest limit that needs no second thread or
    process, and Python code is interrupted wherever it is. It needs the main
    thread of a POSIX process (elsewhere there is no limit); and a signal only
    lands between bytecodes, so a long call into compiled code ends first: the
    stages keep those calls short (pieces, defused runs), and under
    ``--workers`` the parent also kills a worker that overruns. The timer
    repeats every second, in case a library swallows the first exception."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise DocTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Settings:
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = BATCH
    workers: int = 1
    # BLAS threads of a process while it extracts (None: the BLAS's own choice).
    # One keeps a process to one core, so --workers N is N cores; a second
    # thread saved about 5 % of a run and kept a second core spinning.
    blas_threads: int | None = 1
    # Seconds one document may take to analyse (None: no limit); over it, the
    # document becomes an error entry (stage "timeout") and the run goes on.
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT
    batch_chars: int = BATCH_CHARS
    # The components after language and NER, in order (``pipeline.stages.components``);
    # checked when the pipeline is built: each finds the layers it requires.
    components: tuple[str, ...] = PIPELINE


@dataclass
class Pipeline:
    registry: Registry = field(default_factory=Registry)
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        self.components: list[Component] = check_order(self.settings.components, given=("text", "language", "entities"))

    # -- public API --------------------------------------------------------
    def extract_text(self, text: str, doc_id: str = "doc", source: str = "<text>") -> Record:
        """Extract from a string (handy from Python and in tests)."""
        doc = Document(doc_id=doc_id, source=source, text=text, encoding="utf-8")
        out = next(self.extract_documents([doc]))
        if isinstance(out, ErrorEntry):
            raise StageError(out.stage, out.reason)
        return out

    def extract_paths(self, paths: Iterable[str | Path]) -> Iterator[Record | ErrorEntry]:
        """Records (or error entries) for files and folders, in input order."""
        return self.extract_documents(self._read_all(collect_inputs(list(paths))))

    def extract_documents(self, docs: Iterable[Document | ErrorEntry | Record]) -> Iterator[Record | ErrorEntry]:
        """Records in input order. With ``settings.workers`` > 1 the analysis runs
        in worker processes (see ``_Supervisor``); people get their ids here, in
        input order, so the output is the same as with one worker."""
        batches = _batched(docs, self.settings.batch_size, self.settings.batch_chars)
        with long_run_collector():
            if self.settings.workers > 1:
                for done in _Supervisor(self.settings).run(batches):
                    yield from (self._resolve(r) for r in done)
            else:
                for batch in batches:
                    with blas_threads(self.settings.blas_threads):
                        done = list(self._run_batch(batch))
                    yield from (self._resolve(r) for r in done)

    # -- internals -----------------------------------------------------------
    def _read_all(self, paths: list[Path]) -> Iterator[Document | ErrorEntry]:
        return read_inputs(paths, max_bytes=self.settings.max_bytes)

    def _run_batch(self, batch: list[Document | ErrorEntry | Record]) -> Iterator[Record | ErrorEntry]:
        """Analyse a batch: language, then NER per language for the batch at once,
        then the components per document. Each document has ``doc_timeout``
        seconds for its language and components, and the NER of k documents k
        times that; a batch's NER over its limit is redone one document at a
        time, so only the slow document fails."""
        limit = self.settings.doc_timeout
        docs: dict[int, Doc] = {}
        errors: dict[int, ErrorEntry] = {}

        def fail(i: int, exc: StageError) -> None:
            errors[i] = ErrorEntry(doc_id=batch[i].doc_id, source=batch[i].source, stage=exc.stage, reason=exc.reason)

        if limit:
            self._warm(None)
        for i, item in enumerate(batch):
            if isinstance(item, (ErrorEntry, Record)):
                continue  # failed already, or analysed in an earlier run (resume)
            try:
                with time_limit(limit), stage("language"):
                    docs[i] = Doc.from_document(item)
                    COMPONENTS["language"](docs[i])
            except StageError as exc:
                fail(i, exc)
        for lang in sorted({d.language for i, d in docs.items() if i not in errors} & set(SUPPORTED)):
            idx = [i for i, d in docs.items() if d.language == lang and i not in errors]
            if limit:
                try:
                    self._warm(lang)
                except Exception:  # noqa: BLE001 - a model that cannot load fails each document below
                    pass
            try:
                with time_limit(limit and limit * len(idx)), stage("ner"):
                    pipe_entities([docs[i] for i in idx], lang)
            except StageError:
                for i in idx:  # retry one by one so only the bad document fails
                    try:
                        with time_limit(limit), stage("ner"):
                            COMPONENTS["ner"](docs[i])
                    except StageError as exc:
                        fail(i, exc)
        for i, item in enumerate(batch):
            if isinstance(item, (ErrorEntry, Record)):
                yield item
            elif i in errors:
                yield errors[i]
            else:
                try:
                    with time_limit(limit):
                        out: Record | ErrorEntry = self._analyse(docs.pop(i))
                except StageError as exc:
                    out = ErrorEntry(doc_id=item.doc_id, source=item.source, stage=exc.stage, reason=exc.reason)
                yield out

    def _warm(self, lang: str | None) -> None:
        """Load the models and word lists a language needs, outside any time
        limit (loading takes seconds, once per process; the first document
        would pay for it): language detection, then a short sample analysed."""
        warmed = self.__dict__.setdefault("_warmed", set())
        if lang in warmed:
            return
        warmed.add(lang)
        if lang is None:
            COMPONENTS["language"](Doc.from_text(_WARM_TEXTS["en"], "warm"))
        elif lang in _WARM_TEXTS:
            doc = Doc.from_text(_WARM_TEXTS[lang], "warm", language=lang)
            COMPONENTS["ner"](doc)
            self._analyse(doc)

    def _analyse(self, doc: Doc) -> Record:
        """The components on one document whose language (and, for a supported
        language, NER spans) are known: each annotates the ``Doc`` in turn."""
        if doc.language not in SUPPORTED:
            doc.warnings.append(f"language '{doc.language}' is not supported; no entities extracted")
            return new_record(doc)
        for comp in self.components:
            with stage(comp.name):
                comp(doc)
        return doc.layer("record")

    def _resolve(self, item: Record | ErrorEntry) -> Record | ErrorEntry:
        """Entity ids from the registry, for a record's people."""
        if isinstance(item, ErrorEntry):
            return item
        try:
            with stage("resolution"):
                old_ids = [p.entity_id for p in item.persons]
                for p in item.persons:
                    p.entity_id = self.registry.resolve(p.name, p.mentions, item.doc_id, p.roles, p.country,
                                                        item.publication_date, item.language)
                resolve_participants(item, old_ids)
                self.registry.log_events(item)
        except StageError as exc:
            if isinstance(exc.__cause__, RegistryError):
                raise exc.__cause__  # a locked or full registry fails every document: stop the run
            return ErrorEntry(doc_id=item.doc_id, source=item.source, stage=exc.stage, reason=exc.reason)
        return item


def _batched(items: Iterable, size: int, chars: int = BATCH_CHARS) -> Iterator[list]:
    """Batches of ``size`` items, closed early at ``chars`` characters of text
    (a long document goes alone: the batch's NER and records are held at once)."""
    batch: list = []
    n = 0
    for item in items:
        batch.append(item)
        n += len(item.text) if isinstance(item, Document) else 0
        if len(batch) >= size or n >= chars:
            yield batch
            batch, n = [], 0
    if batch:
        yield batch


_WARM_TEXTS = {
    "en": "Kazakh Foreign Minister Murat Nurtleu met President Shavkat Mirziyoyev in Tashkent on 5 May 2023.",
    "tr": "Kazakistan Dışişleri Bakanı Murat Nurtileu, 5 Mayıs 2023'te Taşkent'te Cumhurbaşkanı Şevket Mirziyoyev ile görüştü.",
    "ru": "Министр иностранных дел Казахстана Мурат Нуртлеу 5 мая 2023 года встретился в Ташкенте с президентом Шавкатом Мирзиёевым.",
}


_WORKER: Pipeline | None = None


def blas_threads(n: int | None) -> AbstractContextManager:
    """Scope in which the loaded BLAS libraries use ``n`` threads (threadpoolctl
    sees only libraries loaded already, so it is entered anew for each batch)."""
    if n is None:
        return nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(n)


def _init_worker(settings: Settings) -> None:
    global _WORKER
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    # A worker is a process of its own: its BLAS, loaded later, starts at the
    # limit (a forked one may have its parent's loaded already: limited per batch).
    if settings.blas_threads is not None:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(settings.blas_threads)
    gc.set_threshold(*LONG_RUN_THRESHOLDS)  # a worker lives for the run (heap.py)
    _WORKER = Pipeline(settings=replace(settings, workers=1))


def _work_batch(batch: list[Document | ErrorEntry]) -> list[Record | ErrorEntry]:
    assert _WORKER is not None
    with blas_threads(_WORKER.settings.blas_threads):
        return list(_WORKER._run_batch(batch))


def _worker_main(conn, settings: Settings) -> None:
    """A worker: batches in through its pipe, their results out, until None."""
    _init_worker(settings)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        key, batch = task
        conn.send((key, _work_batch(batch)))


@dataclass
class _Task:
    number: int  # of the batch in input order
    slots: list[int]  # positions in the batch this task fills
    docs: list


@dataclass
class _Worker:
    process: object
    conn: object
    task: _Task | None = None
    deadline: float | None = None


class _Supervisor:
    """Worker processes, watched: a worker that dies (the out-of-memory killer
    sends SIGKILL) or overruns its documents' time limits is reported, killed
    if need be, and replaced; its batch is retried one document per task in
    the fresh workers, and a document whose task fails again becomes an error
    entry (stage "worker", or "timeout") while the rest go on.

    Each worker has a pipe of its own, so the supervisor knows which batch
    each holds; it waits on the pipes and the processes' sentinels at once
    (``multiprocessing.connection.wait``). A pool cannot say this much:
    multiprocessing.Pool waits forever for a killed worker's task, and
    ProcessPoolExecutor fails every pending task without naming the culprit.
    Batches are read ahead only a few per worker, so a corpus of any size
    holds that many batches in memory, not the whole corpus."""

    def __init__(self, settings: Settings):
        import multiprocessing as mp

        self.settings = settings
        self.ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.workers: list[_Worker] = []
        self.ahead = 2 * settings.workers

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child, self.settings), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _deadline(self, task: _Task) -> float | None:
        limit = self.settings.doc_timeout
        n = sum(isinstance(d, Document) for d in task.docs)
        return time.monotonic() + limit * max(n, 1) + WORKER_GRACE if limit else None

    def run(self, batches: Iterator[list]) -> Iterator[list[Record | ErrorEntry]]:
        from multiprocessing.connection import wait

        queue: deque[_Task] = deque()
        results: dict[int, list] = {}  # batch number -> its results, None where pending
        taken = emitted = 0
        exhausted = False
        self.workers = [self._spawn() for _ in range(self.settings.workers)]
        try:
            while True:
                while not exhausted and taken - emitted < self.ahead:
                    batch = next(batches, None)
                    if batch is None:
                        exhausted = True
                        break
                    results[taken] = [None] * len(batch)
                    queue.append(_Task(taken, list(range(len(batch))), batch))
                    taken += 1
                for k, w in enumerate(self.workers):
                    if w.task is None and queue:
                        if not w.process.is_alive():  # died idle: nothing of ours was in it
                            w.conn.close()
                            w = self.workers[k] = self._spawn()
                        w.task = queue.popleft()
                        w.deadline = self._deadline(w.task)
                        try:
                            w.conn.send(((w.task.number, w.task.slots), w.task.docs))
                        except (OSError, ValueError):
                            pass  # it died just now: its sentinel tells the loop below
                while emitted in results and all(r is not None for r in results[emitted]):
                    yield results.pop(emitted)
                    emitted += 1
                if exhausted and emitted == taken:
                    return
                busy = [w for w in self.workers if w.task is not None]
                deadlines = [w.deadline for w in busy if w.deadline is not None]
                timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
                for k, w in enumerate(self.workers):
                    if w.task is None:
                        continue
                    if w.conn in ready or w.process.sentinel in ready:
                        try:
                            (number, slots), done = w.conn.recv()
                        except (EOFError, OSError):
                            w.process.join(5)
                            self._failed(k, queue, results, "worker", _death(w.process.exitcode))
                            continue
                        for slot, r in zip(slots, done):
                            results[number][slot] = r
                        w.task = w.deadline = None
                    elif w.deadline is not None and time.monotonic() >= w.deadline:
                        w.process.kill()
                        w.process.join(5)
                        self._failed(k, queue, results, "timeout",
                                     f"over the time limit of {self.settings.doc_timeout:g} s per document "
                                     f"(its worker process did not answer and was killed)")
        finally:
            self._close()

    def _failed(self, k: int, queue: deque, results: dict[int, list], stage: str, reason: str) -> None:
        """Worker ``k`` died or was killed: replace it; retry its batch one
        document per task, or record its one document as failed."""
        w = self.workers[k]
        task = w.task
        assert task is not None
        w.conn.close()
        self.workers[k] = self._spawn()
        pending = [(slot, d) for slot, d in zip(task.slots, task.docs) if isinstance(d, Document)]
        for slot, d in zip(task.slots, task.docs):
            if not isinstance(d, Document):
                results[task.number][slot] = d  # failed already, or done in an earlier run
        if len(pending) > 1:
            log.warning("a worker process failed (%s) on a batch of %d documents; retrying them one by one",
                        reason, len(pending))
            queue.extendleft(_Task(task.number, [slot], [d]) for slot, d in reversed(pending))
        elif pending:
            slot, d = pending[0]
            log.warning("document %s failed: %s", d.doc_id, reason)
            results[task.number][slot] = ErrorEntry(doc_id=d.doc_id, source=d.source, stage=stage, reason=reason)

    def _close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in self.workers:
            w.process.join(2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()


def _death(exitcode: int | None) -> str:
    """Why a worker process ended, in words."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        oom = " (the out-of-memory killer sends it)" if name == "SIGKILL" else ""
        return f"the worker process analysing it was killed by {name}{oom}"
    return f"the worker process analysing it died (exit code {exitcode})"


