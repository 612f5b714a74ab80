"""A programme's members over time read from the database (SQLite, and PostgreSQL when it
answers), with the small hand-written referential."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from indicators.periods import PeriodKind
from indicators.store import make_engine, upgrade_database
from indicators.territories.referential import load_referential
from indicators.territories.set_history import MemberSpan, member_spans, members_over_time
from indicators.territories.set_store import Member, replace_set_members, set_members
from indicators.territories.sync import sync_referential

pytestmark = pytest.mark.integration

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "reference_mini"


def test_member_spans_read_the_dates_of_one_set(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, load_referential(MINI))
        replace_set_members(
            session,
            "prog-x",
            [
                Member("COM:01004", date(2021, 3, 1)),
                Member("COM:01001", date(2020, 1, 1), date(2021, 12, 31)),
                Member("EPCI:200069193"),
            ],
            kind="programme",
        )
        replace_set_members(session, "autre", [Member("COM:01053")])
    with Session(engine) as session:
        spans = member_spans(session, "prog-x")
        assert spans == [
            MemberSpan("COM:01001", date(2020, 1, 1), date(2021, 12, 31)),
            MemberSpan("COM:01004", date(2021, 3, 1), None),
            MemberSpan("EPCI:200069193", None, None),
        ]
        assert member_spans(session, "inconnu") == []
        # the same rule as the set store: who is a member on a day
        day = date(2022, 1, 1)
        assert [s.territory for s in spans if s.active_on(day)] == set_members(
            session, "prog-x", on=day
        )
    communes = [s for s in spans if s.level == "COM"]
    counts = members_over_time(communes, PeriodKind.YEAR, date(2022, 6, 1))
    assert [(c.period, c.members, c.joined, c.left) for c in counts] == [
        ("2020", 1, 1, 0),
        ("2021", 2, 1, 0),
        ("2022", 1, 0, 1),
    ]
    engine.dispose()
