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
def data_groups(name: str) -> dict[tuple[str, str], frozenset[str]]:
    """A three-column data file as (first, second) -> folded third-column values."""
    from .textnorm import fold

    out: dict[tuple[str, str], set[str]] = {}
    for a, b, value in data_tsv(name):
        out.setdefault((a, b), set()).add(fold(value))
    return {k: frozenset(v) for k, v in out.items()}
