"""Access to the language data files shipped in ``pipeline/data``."""
from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_text(name: str) -> str:
    return resources.files("pipeline.knowledge").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    return [ln.strip() for ln in data_text(name).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def data_tsv(name: str) -> list[list[str]]:
    return [ln.split("\t") for ln in data_lines(name)]


@lru_cache(maxsize=None)
def data_json(name: str) -> Any:
    return json.loads(data_text(name))


@lru_cache(maxsize=None)
def data_groups(name: str, key_columns: int = 2) -> dict[tuple[str, ...], frozenset[str]]:
    """A data file as (its first ``key_columns`` columns) -> folded values of the last column."""
    from .textnorm import fold

    out: dict[tuple[str, ...], set[str]] = {}
    for row in data_tsv(name):
        out.setdefault(tuple(row[:key_columns]), set()).add(fold(row[-1]))
    return {k: frozenset(v) for k, v in out.items()}


def cache_dir() -> Path:
    """The user cache folder (platformdirs) where built indexes are kept."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pressx"))


def write_cache(path: Path, text: str, stale: str) -> None:
    """Write a cache file atomically (a concurrent reader sees the old file or
    the new, whole) and remove the files of older builds matching ``stale``.
    Caches are text (JSON), never pickles: whoever can write the folder must
    not be able to make pressx run code."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        for old in path.parent.glob(stale):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still works, only slower
