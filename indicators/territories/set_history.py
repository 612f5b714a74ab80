"""A territory set over time: who was a member when, from the memberships' start and end dates.

A membership without a start date was recorded without one (a list that says who is in, not
since when): it counts from the first period shown and is never counted as a joining. A
membership is active on a day when it started on or before it and has not ended before it —
the rule of :func:`indicators.territories.set_store.set_members`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.periods import Period, PeriodKind, period_containing, period_range
from indicators.store.models import Membership, TerritorySet


@dataclass(frozen=True)
class MemberSpan:
    territory: str
    start: date | None
    end: date | None

    @property
    def level(self) -> str:
        """``COM:01001`` -> ``COM``."""
        return self.territory.split(":", 1)[0]

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class PeriodCount:
    """Members at the end of ``period``, and how many joined or left during it."""

    period: str
    members: int
    joined: int
    left: int


def member_spans(session: Session, slug: str) -> list[MemberSpan]:
    """Every membership of the set with its dates, by territory code (empty for an unknown set)."""
    rows = session.execute(
        select(Membership.territory_code, Membership.start_date, Membership.end_date)
        .join(TerritorySet, TerritorySet.id == Membership.set_id)
        .where(TerritorySet.slug == slug)
        .order_by(Membership.territory_code)
    ).all()
    return [MemberSpan(code, start, end) for code, start, end in rows]


def active_members(spans: Iterable[MemberSpan], day: date) -> list[MemberSpan]:
    return [span for span in spans if span.active_on(day)]


def history_periods(spans: Sequence[MemberSpan], kind: PeriodKind, until: date) -> list[Period]:
    """From the period of the first known start (or of ``until`` when none is known) to the
    period containing ``until``."""
    last = period_containing(until, kind)
    starts = [span.start for span in spans if span.start is not None and span.start <= until]
    first = period_containing(min(starts), kind) if starts else last
    return period_range(first, last)


def members_over_time(
    spans: Sequence[MemberSpan], kind: PeriodKind, until: date
) -> list[PeriodCount]:
    """Per period (years or semesters…) up to the one containing ``until``: members active on
    its last day (on ``until`` for the current period), joinings and departures within it."""
    counts = []
    for period in history_periods(spans, kind, until):
        day = min(period.end, until)
        joined = sum(1 for s in spans if s.start is not None and period.start <= s.start <= day)
        # an end date is the last day of membership: the territory is gone the day after
        left = sum(
            1
            for s in spans
            if s.end is not None and period.start <= s.end + timedelta(days=1) <= day
        )
        members = sum(1 for s in spans if s.active_on(day))
        counts.append(PeriodCount(str(period), members, joined, left))
    return counts
