"""Periods: parsing, canonical text, ordering, bounds and conversions."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.periods import (
    Period,
    PeriodError,
    PeriodKind,
    parse_period,
    period_containing,
    period_range,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "kind", "index", "canonical"),
    [
        ("2025", PeriodKind.YEAR, 1, "2025"),
        ("2025-S1", PeriodKind.SEMESTER, 1, "2025-S1"),
        ("2025-s2", PeriodKind.SEMESTER, 2, "2025-S2"),
        ("2025-T3", PeriodKind.QUARTER, 3, "2025-T3"),
        ("2025-Q3", PeriodKind.QUARTER, 3, "2025-T3"),
        ("2025-07", PeriodKind.MONTH, 7, "2025-07"),
        ("2025-7", PeriodKind.MONTH, 7, "2025-07"),
        (" 2025-12 ", PeriodKind.MONTH, 12, "2025-12"),
    ],
)
def test_parse(text: str, kind: PeriodKind, index: int, canonical: str) -> None:
    period = parse_period(text)
    assert (period.year, period.kind, period.index) == (2025, kind, index)
    assert str(period) == canonical
    assert parse_period(canonical) == period


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-S3", "semestre 3 invalide"),
        ("2025-T5", "trimestre 5 invalide"),
        ("2025-Q0", "trimestre 0 invalide"),
        ("2025-13", "mois 13 invalide"),
        ("2025-00", "mois 0 invalide"),
        ("25", "formats acceptés"),
        ("2025/07", "formats acceptés"),
        ("2025-W12", "formats acceptés"),
        ("", "formats acceptés"),
        ("1850", "hors de l'intervalle"),
    ],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_start_and_end() -> None:
    assert parse_period("2024").start == date(2024, 1, 1)
    assert parse_period("2024").end == date(2024, 12, 31)
    assert parse_period("2024-S2").start == date(2024, 7, 1)
    assert parse_period("2024-T1").end == date(2024, 3, 31)
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("2025-12").end == date(2025, 12, 31)


def test_ordering_across_kinds() -> None:
    periods = [parse_period(t) for t in ["2025-T3", "2024", "2025-S1", "2025-01", "2025"]]
    assert [str(p) for p in sorted(periods)] == ["2024", "2025", "2025-S1", "2025-01", "2025-T3"]
    assert parse_period("2025-T4") < parse_period("2026")
    assert parse_period("2025-07") > parse_period("2025-S1")


def test_shift_and_steps() -> None:
    assert str(parse_period("2025-T4").shift(1)) == "2026-T1"
    assert str(parse_period("2025-01").shift(-1)) == "2024-12"
    assert str(parse_period("2025-S1").shift(5)) == "2027-S2"
    assert parse_period("2024-T3").steps_until(parse_period("2025-T2")) == 3
    with pytest.raises(PeriodError):
        parse_period("2024").steps_until(parse_period("2024-T1"))


def test_conversions() -> None:
    month = parse_period("2025-08")
    assert str(month.to_kind(PeriodKind.QUARTER)) == "2025-T3"
    assert str(month.to_kind(PeriodKind.SEMESTER)) == "2025-S2"
    assert str(month.to_kind(PeriodKind.YEAR)) == "2025"
    with pytest.raises(PeriodError, match="plus fine"):
        parse_period("2025").to_kind(PeriodKind.MONTH)
    assert [str(p) for p in parse_period("2025-S2").subperiods(PeriodKind.QUARTER)] == [
        "2025-T3",
        "2025-T4",
    ]
    assert len(parse_period("2025").subperiods(PeriodKind.MONTH)) == 12
    assert parse_period("2025").contains(parse_period("2025-T2"))
    assert not parse_period("2025-S1").contains(parse_period("2025-T3"))
    assert str(period_containing(date(2025, 5, 17), PeriodKind.QUARTER)) == "2025-T2"
    assert [str(p) for p in period_range(parse_period("2024-T4"), parse_period("2025-T2"))] == [
        "2024-T4",
        "2025-T1",
        "2025-T2",
    ]


def test_period_is_hashable_and_validated() -> None:
    assert len({parse_period("2025-T1"), Period(2025, PeriodKind.QUARTER, 1)}) == 1
    with pytest.raises(PeriodError):
        Period(2025, PeriodKind.MONTH, 13)


def test_is_before_means_without_overlap() -> None:
    assert parse_period("2024").is_before(parse_period("2025-T1"))
    assert not parse_period("2024").is_before(parse_period("2024-T4"))
    assert not parse_period("2025-T1").is_before(parse_period("2025"))
