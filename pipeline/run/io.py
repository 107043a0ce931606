"""Running a batch to files, safely.

Records stream, in input order, to ``<out>.partial``, flushed every second;
only a finished run renames it over ``<out>``, so an interrupted run (Ctrl-C,
SIGTERM, a kill) never leaves a half-written output. ``resume`` keeps the
records already in ``<out>`` and in a ``.partial`` left by an interrupted run
(complete lines of this schema only), matched by document identity (doc id,
source path and content hash: a renamed file or two files with the same bytes
are different documents), and extracts only the rest; the final file is the
same as an uninterrupted run's. Failed documents go to
``<out stem>.errors.jsonl``, written the same way. A lock beside ``<out>``
makes a second run writing the same file fail at once instead of interleaving.

Lines are JSON with U+2028, U+2029 and U+0085 escaped: Python's
``str.splitlines`` and JavaScript split lines on them."""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterator

from pydantic import BaseModel, ValidationError

from .heap import long_run_collector
from .reading import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES, Document, collect_inputs
from ..schema import ErrorEntry, Record

if TYPE_CHECKING:
    from .extract import Pipeline

STDOUT = Path("-")  # ``-o -``: records to standard output


@dataclass
class Summary:
    records: int
    errors: int
    errors_path: Path | None
    resumed: int = 0
    skipped_lines: int = 0  # lines of an earlier output that were not records of this schema


class RunError(Exception):
    """A run that cannot start or finish; the message says why and what to do."""


class NothingToDo(RunError):
    """The inputs hold no file to read."""


class OutputBusy(RunError):
    """Another run is writing the same output."""


class Interrupted(RunError):
    """Ctrl-C or SIGTERM: what was done is flushed to the partial output."""


FLUSH_SECONDS = 1.0  # how stale the partial output may get (a flush per record cost 1 % of a run)
_LINE_BREAKS = (("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085"))


def to_jsonl(item: BaseModel) -> str:
    """One JSON line that every JSON reader and line splitter reads back whole:
    the characters that some split lines on (JSON allows them raw in strings)
    are escaped."""
    line = item.model_dump_json()
    for char, escaped in _LINE_BREAKS:  # str.replace, not str.translate: a Python-level lookup per
        line = line.replace(char, escaped)  # character of a non-ASCII line, 0.15 ms of a driver's per record
    return line + "\n"


def jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a JSONL file, split on ``\\n`` only, blank lines
    skipped. Bytes that are not UTF-8 raise ``ValueError`` naming the line."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not UTF-8 (byte {exc.start + 1} of the line)") from exc
            if line.strip():
                yield lineno, line.rstrip("\n")


def read_records(path: Path) -> list[Record]:
    """The records of a JSONL file; ``ValueError`` naming the first bad line."""
    out = []
    for lineno, line in jsonl_lines(path):
        try:
            out.append(Record.model_validate_json(line))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"]) or "(record)"
            raise ValueError(f"{path}:{lineno}: not a pressx record ({loc}: {err['msg']})") from exc
    return out


def errors_path_for(out: Path) -> Path:
    return out.with_name(out.stem + ".errors.jsonl")


def partial_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def lock_path_for(out: Path) -> Path:
    return out.with_name(out.name + ".lock")


def _complete_lines(path: Path) -> list[str]:
    """Lines of a JSONL file that are whole JSON (an interrupted write can
    leave a last line cut short)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_bytes().decode("utf-8", errors="replace").split("\n"):
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError:
            continue
        out.append(line)
    return out


DocKey = tuple[str, str, str]  # doc id, source, content hash


def _done_records(out: Path) -> tuple[dict[DocKey, Record], int]:
    """Records already written (final or partial) by document identity, and the
    number of lines that are not records of this schema (they are redone)."""
    done: dict[DocKey, Record] = {}
    skipped = 0
    for path in (out, partial_path_for(out)):
        for line in _complete_lines(path):
            try:
                rec = Record.model_validate_json(line)
            except ValidationError:
                skipped += 1
                continue
            if rec.content_hash:
                done.setdefault((rec.doc_id, rec.source, rec.content_hash), rec)
    return done, skipped


@contextmanager
def _output_lock(out: Path) -> Iterator[None]:
    """Held while a run writes ``out``: a second run fails at once."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path_for(out)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutputBusy(f"{out} is being written by another pressx run (lock {lock_path_for(out)}); "
                         "wait for it to finish or write to another file with -o") from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops a run as Ctrl-C does, so its output is flushed too."""
    owner = os.getpid()

    def handler(signum, frame):  # noqa: ARG001
        if os.getpid() != owner:  # a forked worker inherited this: die as SIGTERM says
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


Reuse = Callable[[DocKey], "Record | None"]  # a record written by an earlier run, for --resume


class LocalEngine:
    """Reads and analyses in this process (and the ``--workers`` processes).
    An engine lists the inputs, and yields resolved items in input order; the
    Ray engine (``engine_ray.RayEngine``) does the same on a cluster, so both
    share one writing loop: output, errors, resume, lock and interrupts."""

    def inputs(self, paths: list[Path]) -> list:
        return collect_inputs(paths)

    def session(self) -> AbstractContextManager:
        return nullcontext()

    def items(self, pipeline: "Pipeline", inputs: list, reuse: Reuse,
              done: frozenset[DocKey]) -> Iterator[Record | ErrorEntry]:  # noqa: ARG002
        def to_do() -> Iterator[Document | ErrorEntry | Record]:
            """Inputs, with documents already done replaced by their records: they
            go through resolution again, in order, so the registry ends as an
            uninterrupted run leaves it."""
            for item in pipeline._read_all(inputs):
                rec = reuse((item.doc_id, item.source, item.content_hash)) if isinstance(item, Document) else None
                yield item if rec is None else rec

        return pipeline.extract_documents(to_do())


def run_extraction(paths: list[Path], out: Path, registry_dir: Path | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = True, workers: int = 1,
                   resume: bool = False, engine: LocalEngine | None = None,
                   doc_timeout: float | None = DEFAULT_DOC_TIMEOUT) -> Summary:
    """Extract ``paths`` to ``out`` (``-`` for standard output). Raises
    :class:`RunError` subclasses for runs that cannot start or were stopped."""
    engine = engine or LocalEngine()
    inputs = engine.inputs(paths)
    if not inputs:
        raise NothingToDo(f"nothing to read in {', '.join(map(str, paths))}: no .txt, .htm or .html files")
    to_stdout = out == STDOUT
    if to_stdout and resume:
        raise RunError("--resume needs an output file to resume, not -o -")
    if not to_stdout:
        out.parent.mkdir(parents=True, exist_ok=True)
    with (nullcontext() if to_stdout else _output_lock(out)), _sigterm_interrupts(), long_run_collector(), \
            engine.session():
        return _run(engine, inputs, out, to_stdout, registry_dir, max_bytes, progress, workers, resume,
                    doc_timeout)


def _run(engine: LocalEngine, inputs: list, out: Path, to_stdout: bool, registry_dir: Path | None,
         max_bytes: int, progress: bool, workers: int, resume: bool, doc_timeout: float | None) -> Summary:
    from tqdm import tqdm

    from .extract import Pipeline, Settings
    from ..stages.resolution import Registry

    err_path = errors_path_for(out)
    registry = Registry(registry_dir)
    pipeline = Pipeline(registry=registry, settings=Settings(max_bytes=max_bytes, workers=workers,
                                                             doc_timeout=doc_timeout))
    done, skipped = _done_records(out) if resume else ({}, 0)
    n_rec = n_err = n_old = 0

    def reuse(key: DocKey) -> Record | None:
        nonlocal n_old
        rec = done.get(key)
        if rec is None:
            return None
        n_old += 1
        return rec.model_copy(deep=True)

    tmp_out, tmp_err = partial_path_for(out), partial_path_for(err_path)
    bar = tqdm(total=len(inputs), unit="doc", disable=not progress or len(inputs) < 2)
    flushed = time.monotonic()
    finished = False
    try:
        with _open_outputs(to_stdout, tmp_out, tmp_err) as (fo, fe):
            try:
                for item in engine.items(pipeline, inputs, reuse, frozenset(done)):
                    if isinstance(item, ErrorEntry):
                        fe.write(_error_line(item) if to_stdout else to_jsonl(item))
                        n_err += 1
                    else:
                        fo.write(to_jsonl(item))
                        n_rec += 1
                    if time.monotonic() - flushed >= FLUSH_SECONDS:
                        fo.flush()
                        fe.flush()
                        flushed = time.monotonic()
                    bar.update(1)
            except KeyboardInterrupt:
                fo.flush()
                fe.flush()
                raise Interrupted(_interrupted_message(to_stdout, out, tmp_out, n_rec)) from None
            for fh in (fo, fe):
                fh.flush()
                if not to_stdout:
                    os.fsync(fh.fileno())
        finished = True
        if not to_stdout:
            tmp_out.replace(out)
            if n_err:
                tmp_err.replace(err_path)
            else:
                tmp_err.unlink()
                err_path.unlink(missing_ok=True)
    finally:
        bar.close()
        if not to_stdout and not finished:
            tmp_err.unlink(missing_ok=True)
        registry.close()
    return Summary(n_rec, n_err, None if to_stdout else err_path, n_old, skipped)


@contextmanager
def _open_outputs(to_stdout: bool, tmp_out: Path, tmp_err: Path) -> Iterator[tuple[IO[str], IO[str]]]:
    if to_stdout:
        # UTF-8 whatever the locale says; the descriptor stays open for the caller
        with open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False) as fo:
            yield fo, sys.stderr
        return
    with tmp_out.open("w", encoding="utf-8") as fo, tmp_err.open("w", encoding="utf-8") as fe:
        yield fo, fe


def _error_line(err: ErrorEntry) -> str:
    return f"pressx: {err.doc_id} ({err.source}) failed at {err.stage}: {err.reason}\n"


def _interrupted_message(to_stdout: bool, out: Path, tmp_out: Path, n_rec: int) -> str:
    if to_stdout:
        return f"interrupted after {n_rec} records"
    return (f"interrupted: {n_rec} records are kept in {tmp_out}; run the same command with --resume "
            f"to finish {out} without redoing them")
