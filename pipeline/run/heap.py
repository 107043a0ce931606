"""The cyclic garbage collector's thresholds for a long run.

A run holds large structures for its whole life (models, the registry's
people, the name caches) and makes millions of short-lived objects. With
CPython's default thresholds (700, 10, 10) the churn of the caches promotes
enough objects that full collections, each walking the whole heap, come again
and again, and each costs more as the registry grows. The first 300,000
mentions of the 10-million-mention resolution benchmark (``resolution_rate``
in scripts/bench.py, 2 million synthetic people) took 165 CPU
seconds with the default thresholds (27 full collections), 106 with these
(one), 90 with the collector off. Garbage cycles still go within 50,000
objects. ``gc.freeze`` every few thousand people was tried too: with the heap
frozen, the caches' churn alone meets the 25 % rule for full collections, so
they came more often and the CPU was no better (154 to 163 s).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

LONG_RUN_THRESHOLDS = (50_000, 20, 10)
_runs = 0  # runs going on (a run's generator may be left open while another starts)
_before: tuple[int, int, int] | None = None


@contextmanager
def long_run_collector() -> Iterator[None]:
    """The collector's thresholds for a long run; the caller's come back when
    the last run going on ends, in whatever order runs end."""
    global _runs, _before
    if _runs == 0:
        _before = gc.get_threshold()
        gc.set_threshold(*LONG_RUN_THRESHOLDS)
    _runs += 1
    try:
        yield
    finally:
        _runs -= 1
        if _runs == 0 and _before is not None:
            gc.set_threshold(*_before)
