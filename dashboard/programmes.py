"""What the programme pages share: a programme from its code, its members over time, the group
of its members and their values (files and the store; no Dash)."""

from __future__ import annotations

import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.context import db_session
from indicators.catalogue import Programme
from indicators.periods import PeriodKind
from indicators.territories.set_history import (
    MemberSpan,
    member_spans,
)

# Member levels, the coarsest first: a programme of intercommunalités (Territoires d'industrie)
# is read by its EPCI even when the list also names their communes.
MEMBER_LEVELS = {"EPCI": "intercommunalités", "COM": "communes"}


STEPS = {"annee": PeriodKind.YEAR, "semestre": PeriodKind.SEMESTER}


def programme(code: str) -> Programme:
    """The catalogue's programme (``KeyError`` with a French message when unknown)."""
    programmes = readers.catalogue().programmes
    wanted = (code or "").strip().upper()
    if wanted not in programmes:
        raise KeyError(f"programme inconnu : {code}")
    return programmes[wanted]


def programme_code(text: str | None) -> str | None:
    """The code as written in an address (``acv`` or ``ACV``), ``None`` when unknown."""
    wanted = (text or "").strip().upper()
    return wanted if wanted in readers.catalogue().programmes else None


@by_data_version
def _spans(slug: str) -> list[MemberSpan]:
    with db_session() as session:
        return member_spans(session, slug)


def programme_spans(code: str) -> list[MemberSpan]:
    return _spans(programme(code).membership_set)


def member_levels(spans: list[MemberSpan]) -> list[str]:
    """Levels present among the members, coarsest first."""
    present = {span.level for span in spans}
    return [level for level in MEMBER_LEVELS if level in present]


def member_group(code: str, typology: str | None = None) -> str:
    slug = programme(code).membership_set
    return f"GRP:{slug}" + (f":{typology}" if typology else "")


def ok_values(indicator: str, group: str) -> pd.DataFrame:
    values = readers.values_over_time(indicator, group)
    return values[values["status"] == "ok"].reset_index(drop=True)
