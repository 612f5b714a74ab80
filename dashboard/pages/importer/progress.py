"""A long check or load as the web page shows it: the ingest API's :class:`ProgressEvent` values
become (percentage, French text) pairs for a progress bar.

The bar covers the whole action, each stage an equal share: the ingest reports some stages in one
step (reading, comparing, recalculating) and others row by row, so time shares would be guesses.
Pairs are sent at most every few tenths of a second or every few percent, and on every change of
stage: each one is a write to the background job's store (disk or Redis), polled by the browser.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Final

from dashboard.formatting import NARROW_NBSP
from indicators.ingest import ProgressEvent

CHECK_STAGES: Final = ("read", "validate", "compare")
LOAD_STAGES: Final = ("read", "validate", "compare", "write", "refresh")

Send = Callable[[tuple[int, str]], None]


def overall_percent(event: ProgressEvent, stages: Sequence[str]) -> int:
    """How far the whole action is, 0 to 100; a stage outside ``stages`` counts on its own."""
    fraction = min(max(event.fraction, 0.0), 1.0)
    if event.stage not in stages:
        return math.floor(100 * fraction)
    return math.floor(100 * (stages.index(event.stage) + fraction) / len(stages))


def progress_text(label: str, percent: int) -> str:
    """``Contrôle des valeurs — 45 %``."""
    return f"{label} — {percent}{NARROW_NBSP}%"


class ThrottledProgress:
    """A ``progress=`` callback for :func:`indicators.ingest.analyse` and ``commit_analysis``
    that passes ``(percent, text)`` to ``send`` (a Dash background callback's ``set_progress``),
    sparingly."""

    def __init__(
        self,
        send: Send,
        stages: Sequence[str],
        *,
        min_interval: float = 0.3,
        min_step: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.send = send
        self.stages = tuple(stages)
        self.min_interval = min_interval
        self.min_step = min_step
        self.clock = clock
        self.sent: tuple[str, int] | None = None
        self.sent_at = -math.inf

    def __call__(self, event: ProgressEvent) -> None:
        percent = overall_percent(event, self.stages)
        now = self.clock()
        if self.sent is not None and not self._worth_sending(event.stage, percent, now):
            return
        self.sent, self.sent_at = (event.stage, percent), now
        self.send((percent, progress_text(event.label, percent)))

    def _worth_sending(self, stage: str, percent: int, now: float) -> bool:
        assert self.sent is not None
        last_stage, last_percent = self.sent
        if stage != last_stage:
            return True  # a new stage is news even at the same percentage
        if percent <= last_percent:
            return False
        return percent - last_percent >= self.min_step or now - self.sent_at >= self.min_interval
