from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEVSET = SHARED / "devset"

# The CLI's default person registry lives in the user's data directory; a test
# run (and the commands it starts) keeps its own, apart from the user's.
os.environ.setdefault("PRESSX_REGISTRY", tempfile.mkdtemp(prefix="pressx-test-registry-"))


@pytest.fixture(scope="session")
def pipeline():
    from pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def devset() -> Path:
    if not (DEVSET / "gold.jsonl").exists():
        pytest.skip(f"the devset is not beside the clone ({DEVSET} missing)")
    return DEVSET


def person(record, surname: str):
    """The record's person whose name contains ``surname`` (or None)."""
    return next((p for p in record.persons if surname in p.name), None)


def count_calls(monkeypatch, owner, name: str, run):
    """How often ``run()`` calls ``owner.name``, counted through a wrapper put
    in its place for the call; and what ``run()`` returned."""
    calls = 0
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    try:
        out = run()
    finally:
        monkeypatch.setattr(owner, name, real)
    return calls, out
