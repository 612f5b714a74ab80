"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def time_calls(
    function: Callable[[], T],
    repeat: int,
    warmup: int = 3,
    check: Callable[[T], object] | None = None,
) -> dict[str, float]:
    """Call ``function`` ``repeat`` times after a warm-up; return p50/p95/max in milliseconds.

    ``check`` sees every result, warm-up included, outside the timed part: it raises
    (:class:`benchmarks.checks.BadResponse`) when the result is an error, not an answer."""
    for _ in range(warmup):
        result = function()
        if check is not None:
            check(result)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - start) * 1000)
        if check is not None:
            check(result)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 3),
        "max_ms": round(samples[-1], 3),
        "n": repeat,
    }
