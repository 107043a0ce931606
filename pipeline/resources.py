"""Access to the language data files shipped in ``pipeline/data``."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


def data_text(name: str) -> str:
    return resources.files("pipeline").joinpath("data").joinpath(name).read_text(encoding="utf-8")


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
