"""The extraction pipeline: a Document in, a validated Record out.

    from pipeline import Pipeline
    for record in Pipeline().extract_paths(["data/raw"]):
        print(record.model_dump_json())

Stages run in this order, each a function of its own module:
reading → language → NER → places → roles → people → organisations →
role linking → merging within the document → dates → resolution → record."""
from __future__ import annotations

import datetime as dt
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

from ..stages.dates import find_dates, publication_date
from ..stages.events import find_events, resolve_participants
from ..stages.langid import SUPPORTED, detect_language
from ..knowledge.lexicon import byline_starts, token_words
from ..stages.ner import Entity, ner_for
from ..stages.organizations import find_organizations
from ..stages.people import find_people
from ..stages.persons import DocPerson, drop_stray_words, merge_mentions, trim_institutions
from ..stages.places import country_name, find_places, has_iso_code, names_event
from .reading import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES, Document, collect_inputs, read_inputs
from ..stages.resolution import Registry, RegistryError
from ..stages.roles import Context, find_roles, institution_tokens, link_roles, list_gap
from ..stages.states import infer_states
from ..schema import City, Country, DateMention, ErrorEntry, Person, Record
from ..knowledge.textnorm import token_span, tokenize

BATCH = 32
UNRESOLVED = ""  # entity id of a person before resolution


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


@dataclass
class Pipeline:
    registry: Registry = field(default_factory=Registry)
    settings: Settings = field(default_factory=Settings)

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
        then the rule stages per document. Each document has ``doc_timeout``
        seconds for its language and rule stages, and the NER of k documents
        k times that; a batch's NER over its limit is redone one document at a
        time, so only the slow document fails."""
        limit = self.settings.doc_timeout
        langs: dict[int, str] = {}
        texts: dict[int, str] = {}
        errors: dict[int, ErrorEntry] = {}

        def fail(i: int, exc: StageError) -> None:
            errors[i] = ErrorEntry(doc_id=batch[i].doc_id, source=batch[i].source, stage=exc.stage, reason=exc.reason)

        if limit:
            self._warm(None)
        for i, doc in enumerate(batch):
            if isinstance(doc, (ErrorEntry, Record)):
                continue  # failed already, or analysed in an earlier run (resume)
            try:
                with time_limit(limit), stage("language"):
                    texts[i] = doc.clean_text
                    langs[i] = detect_language(texts[i]).language
            except StageError as exc:
                fail(i, exc)
        entities: dict[int, list[Entity]] = {}
        for lang in sorted(set(langs.values()) & set(SUPPORTED)):
            idx = [i for i in langs if langs[i] == lang and i not in errors]
            if limit:
                try:
                    self._warm(lang)
                except Exception:  # noqa: BLE001 - a model that cannot load fails each document below
                    pass
            try:
                with time_limit(limit and limit * len(idx)), stage("ner"):
                    for i, ents in zip(idx, ner_for(lang)([texts[i] for i in idx])):
                        entities[i] = ents
            except StageError:
                for i in idx:  # retry one by one so only the bad document fails
                    try:
                        with time_limit(limit), stage("ner"):
                            entities[i] = ner_for(lang)([texts[i]])[0]
                    except StageError as exc:
                        fail(i, exc)
        for i, doc in enumerate(batch):
            if isinstance(doc, (ErrorEntry, Record)):
                yield doc
            elif i in errors:
                yield errors[i]
            else:
                try:
                    with time_limit(limit):
                        out: Record | ErrorEntry = self._analyse(doc, texts[i], langs[i], entities.pop(i, []))
                except StageError as exc:
                    out = ErrorEntry(doc_id=doc.doc_id, source=doc.source, stage=exc.stage, reason=exc.reason)
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
            detect_language(_WARM_TEXTS["en"])
        elif lang in _WARM_TEXTS:
            doc = Document(doc_id="warm", source="", text=_WARM_TEXTS[lang], encoding="utf-8")
            self._analyse(doc, doc.text, lang, ner_for(lang)([doc.text])[0])

    def _analyse(self, doc: Document, text: str, lang: str, entities: list[Entity]) -> Record:
        record = Record(doc_id=doc.doc_id, source=doc.source, language=lang, encoding=doc.encoding,
                        content_hash=doc.content_hash or None)
        record.warnings.extend(doc.warnings)  # replaced bytes, renamed doc id, ...
        if lang not in SUPPORTED:
            record.warnings.append(f"language '{lang}' is not supported; no entities extracted")
            return record
        if doc.is_html:
            record.text = doc.text  # the spans index this, not the page's bytes
        with stage("dates"):
            # a page's markup date (htmldate) first: trafilatura may leave the page's date line out
            pub = doc.published or publication_date(text, lang)
            base = dt.date.fromisoformat(pub) if pub else None
            record.publication_date = pub
            # dates from the whole text: a "last updated" footer is no publication date, but a date
            record.dates = [DateMention(text=d.text, value=d.value, start=d.range_start, end=d.range_end,
                                        span=(d.start, d.end)) for d in find_dates(doc.text, lang, base)]
        with stage("places"):
            # places first: a person's name may not absorb one ("Republic Nurlan
            # Abdiev", "Самарканд Сидоров"); a city that is a given name before a
            # surname goes to the name afterwards ("Bağdat Amreyev")
            tokens = tokenize(text)
            words = token_words(tokens)
            starts = [t.start for t in tokens]
            found = find_places(tokens, lang, text=text)
            found_tokens = {i: p for p in found for i in token_span(tokens, starts, p.start, p.end)}
        with stage("people"):
            roles = find_roles(tokens, lang, words, text)
            bylines = byline_starts(tokens, text, lang)
            institutions = institution_tokens(tokens, lang, words)
            mentions = drop_stray_words(trim_institutions(find_people(tokens, text, lang, roles, entities, bylines, found_tokens),
                                                          institutions.keys(), tokens, text, lang), institutions.keys())
            person_tokens = {i for m in mentions for i in range(m.first, m.last + 1)}
        with stage("organisations"):
            places = [p for p in found if not any(i in person_tokens for i in token_span(tokens, starts, p.start, p.end))]
            place_tokens = {i: p for i, p in found_tokens.items() if i not in person_tokens}
            countries = {i for i, p in place_tokens.items() if p.kind == "country"}
            orgs = [o for o in find_organizations(tokens, lang, entities, text, stop=countries | person_tokens, words=words,
                                                  title_starts=frozenset(r.first for r in roles))
                    if not all(k in place_tokens for k in range(o.first, o.last + 1))]  # "Kazakh" is no organisation
        with stage("roles"):
            ctx = Context(tokens, text, lang, place_tokens, orgs, person_tokens, roles, set(bylines),
                          institutions=institutions)
            prev = None
            for m in mentions:
                joined = prev is not None and m.first > prev.last + 1 and list_gap(tokens, prev.last + 1, m.first)
                m.roles = link_roles(ctx, roles, m.first, m.last, prev.roles if prev else None, joined)
                prev = m
        with stage("persons"):
            people = merge_mentions(mentions)
            infer_states(ctx, people, places, mentions)
        with stage("record"):
            record.persons = [_person(p) for p in people]
            record.countries = _countries(places)
            # "Ankara Üniversitesi" names a university, not the city (events named after a
            # city are no organisations here, so "Nahçıvan Anlaşması" still counts)
            # (an organisation the model ran over a line break names nothing on the next line)
            org_tokens = {k for o in orgs for k in range(o.first, o.last + 1)
                          if "\n" not in text[tokens[o.first].start:tokens[o.last].end]
                          and not names_event(tokens, o.first, o.last, lang)}  # "the Antalya Diplomacy Forum"
            in_orgs = {id(p) for i, p in place_tokens.items() if i in org_tokens}
            record.cities = _cities([p for p in places if id(p) not in in_orgs])
        with stage("events"):
            record.events = find_events(record, text, [(tokens[r.first].start, tokens[r.last].end, r.role_type,
                                                         r.plural) for r in roles])
        return record

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


def _person(p: DocPerson) -> Person:
    names = list(dict.fromkeys(m.name for m in p.mentions))
    return Person(entity_id=UNRESOLVED, name=p.name, mentions=names,
                  spans=[(m.start, m.end) for m in p.mentions], roles=p.roles, country=p.country)


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


def _countries(places) -> list[Country]:
    out: dict[str, Country] = {}
    for p in places:
        if p.kind == "country" and has_iso_code(p.code):
            c = out.setdefault(p.code, Country(code=p.code, name=country_name(p.code), mentions=[]))
            if p.text not in c.mentions:
                c.mentions.append(p.text)
            c.spans.append((p.start, p.end))
    return list(out.values())


def _cities(places) -> list[City]:
    out: dict[int, City] = {}
    for p in places:
        if p.kind == "city" and p.city is not None:
            c = out.setdefault(p.city.geonameid, City(name=p.city.name, mentions=[], country=p.city.country,
                                                      geonameid=p.city.geonameid))
            if p.text not in c.mentions:
                c.mentions.append(p.text)
            c.spans.append((p.start, p.end))
    return list(out.values())
