"""A territory set over time, from its memberships' start and end dates (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.periods import PeriodKind
from indicators.territories.set_history import (
    MemberSpan,
    active_members,
    history_periods,
    members_over_time,
)

pytestmark = pytest.mark.unit

SPANS = [
    MemberSpan("COM:01001", date(2020, 3, 1), None),
    MemberSpan("COM:01002", date(2020, 9, 15), date(2022, 6, 30)),
    MemberSpan("COM:01003", date(2022, 1, 1), None),
    MemberSpan("EPCI:200000172", None, None),
]


def test_a_membership_is_active_from_its_start_to_its_last_day() -> None:
    span = SPANS[1]
    assert not span.active_on(date(2020, 9, 14))
    assert span.active_on(date(2020, 9, 15)) and span.active_on(date(2022, 6, 30))
    assert not span.active_on(date(2022, 7, 1))
    assert SPANS[3].active_on(date(1990, 1, 1))  # no dates: always a member
    assert SPANS[3].level == "EPCI"
    assert [s.territory for s in active_members(SPANS, date(2022, 7, 1))] == [
        "COM:01001",
        "COM:01003",
        "EPCI:200000172",
    ]


def test_history_starts_at_the_first_known_start_and_ends_today() -> None:
    periods = history_periods(SPANS, PeriodKind.YEAR, date(2023, 5, 2))
    assert [str(p) for p in periods] == ["2020", "2021", "2022", "2023"]
    assert [str(p) for p in history_periods([SPANS[3]], PeriodKind.YEAR, date(2023, 5, 2))] == [
        "2023"
    ]
    assert history_periods([], PeriodKind.SEMESTER, date(2023, 5, 2))[0].index == 1


def test_members_joinings_and_departures_per_year() -> None:
    counts = members_over_time(SPANS[:3], PeriodKind.YEAR, date(2023, 5, 2))
    assert [(c.period, c.members, c.joined, c.left) for c in counts] == [
        ("2020", 2, 2, 0),
        ("2021", 2, 0, 0),
        ("2022", 2, 1, 1),  # one joined on 1 January, one left after 30 June
        ("2023", 2, 0, 0),
    ]


def test_members_per_semester_count_a_departure_the_day_after_the_last_day() -> None:
    counts = members_over_time(SPANS[:3], PeriodKind.SEMESTER, date(2022, 12, 31))
    by_period = {c.period: (c.members, c.joined, c.left) for c in counts}
    assert by_period["2020-S1"] == (1, 1, 0)
    assert by_period["2020-S2"] == (2, 1, 0)
    assert by_period["2022-S1"] == (3, 1, 0)  # still a member on 30 June
    assert by_period["2022-S2"] == (2, 0, 1)


def test_the_current_period_is_counted_on_the_day_asked() -> None:
    spans = [MemberSpan("COM:01001", date(2024, 1, 10), None)]
    spans.append(MemberSpan("COM:01002", date(2024, 11, 1), None))
    counts = members_over_time(spans, PeriodKind.YEAR, date(2024, 6, 1))
    assert [(c.period, c.members, c.joined) for c in counts] == [("2024", 1, 1)]


def test_undated_members_count_from_the_first_period_without_joining() -> None:
    counts = members_over_time(SPANS, PeriodKind.YEAR, date(2021, 1, 1))
    assert [(c.period, c.members, c.joined) for c in counts] == [("2020", 3, 2), ("2021", 3, 0)]
