"""Running a batch to files, safely.

Records stream, in input order, to ``<out>.partial``, flushed every second;
only a finished run renames it over ``<out>``, so an interrupted run never
leaves a half-written output. ``resume`` keeps the records already in
``<out>`` and in a ``.partial`` left by an interrupted run (complete lines
only), matched by content hash, and extracts only the rest; the final file
is the same as an uninterrupted run's. Failed documents go to
``<out stem>.errors.jsonl``, written the same way."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .extract import DEFAULT_DOC_TIMEOUT, Pipeline, Settings
from .reading import DEFAULT_MAX_BYTES, Document, collect_inputs
from .resolution import Registry
from .schema import ErrorEntry, Record


@dataclass
class Summary:
    records: int
    errors: int
    errors_path: Path
    resumed: int = 0


FLUSH_SECONDS = 1.0  # how stale the partial output may get (a flush per record cost 1 % of a run)


def errors_path_for(out: Path) -> Path:
    return out.with_name(out.stem + ".errors.jsonl")


def partial_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _complete_lines(path: Path) -> list[str]:
    """Lines of a JSONL file that are whole records (an interrupted write can
    leave a last line cut short)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError:
            continue
        out.append(line)
    return out


def _done_by_hash(out: Path) -> dict[str, str]:
    """Content hash -> JSON line of records already written (final or partial)."""
    done: dict[str, str] = {}
    for path in (out, partial_path_for(out)):
        for line in _complete_lines(path):
            h = json.loads(line).get("content_hash")
            if h:
                done.setdefault(h, line)
    return done


def run_extraction(paths: list[Path], out: Path, registry_dir: Path | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = True, workers: int = 1,
                   resume: bool = False, doc_timeout: float | None = DEFAULT_DOC_TIMEOUT) -> Summary:
    from tqdm import tqdm

    inputs = collect_inputs(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    err_path = errors_path_for(out)
    registry = Registry(registry_dir)
    pipeline = Pipeline(registry=registry, settings=Settings(max_bytes=max_bytes, workers=workers,
                                                                 doc_timeout=doc_timeout))
    done = _done_by_hash(out) if resume else {}
    n_rec = n_err = n_old = 0

    def to_do() -> Iterator[Document | ErrorEntry | Record]:
        """Inputs, with documents already done replaced by their records: they
        go through resolution again, in order, so the registry ends as an
        uninterrupted run leaves it."""
        nonlocal n_old
        for item in pipeline._read_all(inputs):
            line = done.get(item.content_hash) if isinstance(item, Document) else None
            if line is not None:
                n_old += 1
                yield Record.model_validate_json(line)
            else:
                yield item

    tmp_out, tmp_err = partial_path_for(out), partial_path_for(err_path)
    bar = tqdm(total=len(inputs), unit="doc", disable=not progress or len(inputs) < 2)
    flushed = time.monotonic()
    try:
        with tmp_out.open("w", encoding="utf-8") as fo, tmp_err.open("w", encoding="utf-8") as fe:
            for item in pipeline.extract_documents(to_do()):
                line = item.model_dump_json() + "\n"
                if isinstance(item, ErrorEntry):
                    fe.write(line)
                    n_err += 1
                else:
                    fo.write(line)
                    n_rec += 1
                if time.monotonic() - flushed >= FLUSH_SECONDS:
                    fo.flush()
                    fe.flush()
                    flushed = time.monotonic()
                bar.update(1)
            for fh in (fo, fe):
                fh.flush()
                os.fsync(fh.fileno())
        tmp_out.replace(out)
        if n_err:
            tmp_err.replace(err_path)
        else:
            tmp_err.unlink()
            err_path.unlink(missing_ok=True)
    finally:
        bar.close()
        tmp_err.unlink(missing_ok=True)
        registry.close()
    return Summary(n_rec, n_err, err_path, n_old)
