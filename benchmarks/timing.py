"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import math
import re
import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

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
        "p95_ms": round(percentile(samples, 0.95), 3),
        "max_ms": round(samples[-1], 3),
        "n": repeat,
    }


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted samples (``share=0.95``: p95; the maximum of 2)."""
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


class RequestSamples:
    """Raw times and errors per request name, kept for exact percentiles (locust's own
    statistics round times into buckets)."""

    def __init__(self) -> None:
        self.times: dict[tuple[str, str], list[float]] = {}
        self.failures: dict[tuple[str, str], int] = {}
        self.errors: dict[tuple[str, str], dict[str, Any]] = {}

    def record(
        self,
        kind: str,
        name: str,
        milliseconds: float,
        error: Exception | None,
        address: str | None = None,
    ) -> None:
        """One request (``kind="request"``) or page visit (``"visit"``); an error is counted
        apart from the times, with the first address and error reference met for its reason."""
        key = (kind, name)
        self.times.setdefault(key, [])
        self.failures.setdefault(key, 0)
        if error is None:
            self.times[key].append(milliseconds)
            return
        self.failures[key] += 1
        if kind == "visit":
            return  # a failed visit is counted; its failed requests say why
        # the error's reference changes with every occurrence: group by the reason alone, and
        # keep one reference to find the server's traceback
        reference = re.search(r"\(référence (\w+)\)", str(error))
        reason = re.sub(r"\s*\(référence \w+\)", "", str(error))
        row = self.errors.setdefault(
            (name, reason), {"count": 0, "reference": None, "address": address}
        )
        row["count"] += 1
        row["reference"] = row["reference"] or (reference.group(1) if reference else None)

    def summary(self) -> dict[str, Any]:
        def figures(kind: str) -> dict[str, Any]:
            rows = {}
            for (row_kind, name), samples in sorted(self.times.items()):
                if row_kind != kind:
                    continue
                ordered = sorted(samples)
                rows[name] = {
                    "n": len(ordered),
                    "errors": self.failures[(row_kind, name)],
                    "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
                    "p95_ms": round(percentile(ordered, 0.95), 1) if ordered else None,
                    "max_ms": round(ordered[-1], 1) if ordered else None,
                }
            return rows

        return {
            "visits": figures("visit"),
            "requests": figures("request"),
            "errors": [
                {"request": name, "reason": reason, **row}
                for (name, reason), row in sorted(self.errors.items())
            ],
        }
