"""The web progress bar's values: ingest ProgressEvents -> (percent, French text), sparingly."""

from __future__ import annotations

import pytest

from dashboard.pages.importer.progress import (
    CHECK_STAGES,
    LOAD_STAGES,
    ThrottledProgress,
    overall_percent,
    progress_text,
)
from indicators.ingest import ProgressEvent

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def recorder(stages=CHECK_STAGES):  # type: ignore[no-untyped-def]
    sent: list[tuple[int, str]] = []
    clock = Clock()
    return ThrottledProgress(sent.append, stages, clock=clock), sent, clock


@pytest.mark.parametrize(
    ("event", "stages", "percent"),
    [
        (ProgressEvent("read", 0, 1), CHECK_STAGES, 0),
        (ProgressEvent("read", 1, 1), CHECK_STAGES, 33),
        (ProgressEvent("validate", 1, 2), CHECK_STAGES, 50),
        (ProgressEvent("compare", 1, 1), CHECK_STAGES, 100),
        (ProgressEvent("write", 500, 1000), LOAD_STAGES, 70),
        (ProgressEvent("refresh", 0, 1), LOAD_STAGES, 80),
        (ProgressEvent("write", 0, 0), LOAD_STAGES, 80),  # nothing to write: done at once
        (ProgressEvent("rollback", 1, 4), CHECK_STAGES, 25),  # a stage of its own
        (ProgressEvent("validate", 7, 5), CHECK_STAGES, 66),  # never past its stage
    ],
)
def test_each_stage_is_an_equal_share_of_the_bar(event, stages, percent) -> None:  # type: ignore[no-untyped-def]
    assert overall_percent(event, stages) == percent


def test_the_text_names_the_stage_in_french_with_the_percentage() -> None:
    assert progress_text("Contrôle des valeurs", 45) == "Contrôle des valeurs — 45\u202f%"


def test_a_check_sends_each_stage_and_the_end() -> None:
    progress, sent, _ = recorder()
    for event in [
        ProgressEvent("read", 0, 1),
        ProgressEvent("read", 1, 1),
        ProgressEvent("validate", 0, 1),
        ProgressEvent("validate", 1, 1),
        ProgressEvent("compare", 0, 1),
        ProgressEvent("compare", 1, 1),
    ]:
        progress(event)
    assert sent == [
        (0, "Lecture du fichier — 0\u202f%"),
        (33, "Lecture du fichier — 33\u202f%"),
        (33, "Contrôle des valeurs — 33\u202f%"),  # a new stage is news at the same percentage
        (66, "Contrôle des valeurs — 66\u202f%"),
        (66, "Comparaison avec la base — 66\u202f%"),
        (100, "Comparaison avec la base — 100\u202f%"),
    ]


def test_many_small_steps_are_sent_every_five_percent_at_most() -> None:
    progress, sent, _ = recorder(("write",))  # the clock stands still: only the step counts
    for done in range(0, 10_001, 10):
        progress(ProgressEvent("write", done, 10_000))
    assert [percent for percent, _ in sent] == list(range(0, 101, 5))


def test_a_slow_stage_is_sent_after_a_pause_even_below_the_step() -> None:
    progress, sent, clock = recorder(("write",))
    progress(ProgressEvent("write", 0, 100))
    clock.now = 0.1
    progress(ProgressEvent("write", 2, 100))  # 2 % after 0.1 s: held back
    clock.now = 0.5
    progress(ProgressEvent("write", 3, 100))  # 3 % after 0.5 s: sent
    clock.now = 5.0
    progress(ProgressEvent("write", 3, 100))  # nothing new, however long it took: held back
    assert [percent for percent, _ in sent] == [0, 3]
