"""Dates in membership lists."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from indicators.territories.dates import DateError, parse_date

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "bound", "expected"),
    [
        ("15/03/2021", "start", date(2021, 3, 15)),
        ("5/3/2021", "start", date(2021, 3, 5)),
        ("15-03-2021", "start", date(2021, 3, 15)),
        ("15.03.21", "start", date(2021, 3, 15)),
        ("01/01/75", "start", date(1975, 1, 1)),
        ("2021-03-15", "start", date(2021, 3, 15)),
        ("2021-03-15T00:00:00", "start", date(2021, 3, 15)),
        ("2021-03-15 12:30:00", "end", date(2021, 3, 15)),
        ("01/2021", "start", date(2021, 1, 1)),
        ("02/2024", "end", date(2024, 2, 29)),
        ("2021-06", "end", date(2021, 6, 30)),
        ("2024", "start", date(2024, 1, 1)),
        ("2024", "end", date(2024, 12, 31)),
        (2024, "end", date(2024, 12, 31)),
        (datetime(2021, 3, 15, 8), "start", date(2021, 3, 15)),
        (date(2021, 3, 15), "start", date(2021, 3, 15)),
    ],
)
def test_french_and_iso_dates(raw: object, bound: str, expected: date) -> None:
    assert parse_date(raw, bound) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [None, "", "  ", "NA", float("nan")])
def test_empty_cells_are_no_date(raw: object) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize("raw", ["31/02/2021", "13/2021", "demain", "2021-13-01", "1/1"])
def test_unreadable_dates_raise_a_french_error(raw: str) -> None:
    with pytest.raises(DateError, match=f"Date illisible « {raw} »"):
        parse_date(raw)
