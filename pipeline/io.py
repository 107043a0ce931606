"""Running a batch to files: records stream to a temporary file that is
renamed over the output at the end, so an interrupted run never leaves a
half-written line; failed documents go to ``<out>.errors.jsonl``."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .extract import Pipeline, Settings
from .reading import DEFAULT_MAX_BYTES, collect_inputs
from .resolution import Registry
from .schema import ErrorEntry


@dataclass
class Summary:
    records: int
    errors: int
    errors_path: Path


def errors_path_for(out: Path) -> Path:
    return out.with_name(out.stem + ".errors.jsonl")


def run_extraction(paths: list[Path], out: Path, registry_dir: Path | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = True, workers: int = 1) -> Summary:
    from tqdm import tqdm

    inputs = collect_inputs(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    err_path = errors_path_for(out)
    registry = Registry(registry_dir)
    pipeline = Pipeline(registry=registry, settings=Settings(max_bytes=max_bytes, workers=workers))
    tmp_out = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp_err = err_path.with_name(f".{err_path.name}.{os.getpid()}.tmp")
    n_rec = n_err = 0
    try:
        with tmp_out.open("w", encoding="utf-8") as fo, tmp_err.open("w", encoding="utf-8") as fe:
            bar = tqdm(total=len(inputs), unit="doc", disable=not progress or len(inputs) < 2, file=None)
            for item in pipeline.extract_documents(pipeline._read_all(inputs)):
                line = item.model_dump_json(exclude_none=False) + "\n"
                if isinstance(item, ErrorEntry):
                    fe.write(line)
                    n_err += 1
                else:
                    fo.write(line)
                    n_rec += 1
                bar.update(1)
            bar.close()
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
        for tmp in (tmp_out, tmp_err):
            tmp.unlink(missing_ok=True)
        registry.close()
    return Summary(n_rec, n_err, err_path)
