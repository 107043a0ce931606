"""The extraction pipeline: a Document in, a validated Record out.

    from pipeline import Pipeline
    for record in Pipeline().extract_paths(["data/raw"]):
        print(record.model_dump_json())

Stages run in this order, each a function of its own module:
reading → language → NER → places → roles → people → organisations →
role linking → merging within the document → dates → resolution → record."""
from __future__ import annotations

import datetime as dt
import os
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from .dates import find_dates, publication_date
from .event_log import log_events
from .events import find_events, resolve_participants
from .langid import SUPPORTED, detect_language
from .lexicon import byline_starts, token_words
from .ner import Entity, ner_for
from .organizations import find_organizations
from .people import find_people
from .persons import DocPerson, drop_stray_words, merge_mentions, trim_institutions
from .places import country_name, find_places, has_iso_code, names_event
from .reading import DEFAULT_MAX_BYTES, Document, collect_inputs, read_inputs
from .resolution import Registry, RegistryError
from .roles import Context, find_roles, institution_lexicon, link_roles, list_gap
from .states import infer_states
from .schema import City, Country, DateMention, ErrorEntry, Person, Record
from .textnorm import token_span, tokenize

BATCH = 32
UNRESOLVED = ""  # entity id of a person before resolution


class StageError(Exception):
    def __init__(self, stage: str, reason: str):
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason


@contextmanager
def stage(name: str):
    try:
        yield
    except StageError:
        raise
    except Exception as exc:  # one bad document must not sink a batch
        raise StageError(name, f"{type(exc).__name__}: {exc}") from exc


@dataclass
class Settings:
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = BATCH
    workers: int = 1
    # BLAS threads of a process while it extracts (None: the BLAS's own choice).
    # One keeps a process to one core, so --workers N is N cores; a second
    # thread saved about 5 % of a run and kept a second core spinning.
    blas_threads: int | None = 1


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
        in worker processes; people get their ids here, in input order, so the
        output is the same as with one worker."""
        batches = _batched(docs, self.settings.batch_size)
        if self.settings.workers > 1:
            import multiprocessing as mp

            ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
            with ctx.Pool(self.settings.workers, initializer=_init_worker, initargs=(self.settings,)) as pool:
                for done in pool.imap(_work_batch, batches):
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
        langs: dict[int, str] = {}
        texts: dict[int, str] = {}
        errors: dict[int, ErrorEntry] = {}
        for i, doc in enumerate(batch):
            if isinstance(doc, (ErrorEntry, Record)):
                continue  # failed already, or analysed in an earlier run (resume)
            try:
                with stage("language"):
                    texts[i] = doc.clean_text
                    langs[i] = detect_language(texts[i]).language
            except StageError as exc:
                errors[i] = ErrorEntry(doc_id=doc.doc_id, source=doc.source, stage=exc.stage, reason=exc.reason)
        entities: dict[int, list[Entity]] = {}
        for lang in sorted(set(langs.values()) & set(SUPPORTED)):
            idx = [i for i in langs if langs[i] == lang and i not in errors]
            try:
                with stage("ner"):
                    for i, ents in zip(idx, ner_for(lang)([texts[i] for i in idx])):
                        entities[i] = ents
            except StageError:
                for i in idx:  # retry one by one so only the bad document fails
                    try:
                        with stage("ner"):
                            entities[i] = ner_for(lang)([texts[i]])[0]
                    except StageError as exc:
                        errors[i] = ErrorEntry(doc_id=batch[i].doc_id, source=batch[i].source,
                                               stage=exc.stage, reason=exc.reason)
        for i, doc in enumerate(batch):
            if isinstance(doc, (ErrorEntry, Record)):
                yield doc
            elif i in errors:
                yield errors[i]
            else:
                try:
                    yield self._analyse(doc, texts[i], langs[i], entities.get(i, []))
                except StageError as exc:
                    yield ErrorEntry(doc_id=doc.doc_id, source=doc.source, stage=exc.stage, reason=exc.reason)

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
            institutions = frozenset(k for m in institution_lexicon(lang).find(tokens, words) for k in range(m.first, m.last + 1))
            mentions = drop_stray_words(trim_institutions(find_people(tokens, text, lang, roles, entities, bylines, found_tokens),
                                                          institutions, tokens, text, lang), institutions)
            person_tokens = {i for m in mentions for i in range(m.first, m.last + 1)}
        with stage("organisations"):
            places = [p for p in found if not any(i in person_tokens for i in token_span(tokens, starts, p.start, p.end))]
            place_tokens = {i: p for i, p in found_tokens.items() if i not in person_tokens}
            countries = {i for i, p in place_tokens.items() if p.kind == "country"}
            orgs = [o for o in find_organizations(tokens, lang, entities, text, stop=countries | person_tokens, words=words,
                                                  title_starts=frozenset(r.first for r in roles))
                    if not all(k in place_tokens for k in range(o.first, o.last + 1))]  # "Kazakh" is no organisation
        with stage("roles"):
            ctx = Context(tokens, text, lang, place_tokens, orgs, person_tokens, roles, set(bylines))
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
                if self.registry.path is not None:
                    log_events(self.registry.path, item)
        except StageError as exc:
            if isinstance(exc.__cause__, RegistryError):
                raise exc.__cause__  # a locked or full registry fails every document: stop the run
            return ErrorEntry(doc_id=item.doc_id, source=item.source, stage=exc.stage, reason=exc.reason)
        return item


def _person(p: DocPerson) -> Person:
    names = list(dict.fromkeys(m.name for m in p.mentions))
    return Person(entity_id=UNRESOLVED, name=p.name, mentions=names,
                  spans=[(m.start, m.end) for m in p.mentions], roles=p.roles, country=p.country)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
