"""Which territories are the units of an evaluation, at which level.

Test territories are usually communes. An indicator is evaluated at the finest level it is
published at that is not finer than the test territories: communes for a commune indicator,
EPCI for an indicator published from the EPCI up (an EPCI is then a test unit when one of its
communes is a test territory, from the earliest start date). Départements and coarser levels
hold too few territories, nearly all touched by some test territory: not evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final

import pandas as pd

from indicators.territories.levels import nouns

LEVEL_ORDER: Final = ("COM", "EPCI", "DEP", "REG", "FR")
EVALUATION_LEVELS: Final = ("COM", "EPCI")
LEVEL_LABELS: Final = nouns(("COM", "EPCI", "DEP", "REG"))


def evaluation_level(published: Iterable[str], member_level: str) -> str | None:
    """The level an indicator published at ``published`` levels is evaluated at, for test
    territories of ``member_level``; None when that level is too coarse."""
    rank = LEVEL_ORDER.index(member_level) if member_level in LEVEL_ORDER else 0
    levels = {str(level) for level in published}
    level = next((name for name in LEVEL_ORDER[rank:] if name in levels), None)
    return level if level in EVALUATION_LEVELS else None


def coarsest_level(levels: Iterable[str]) -> str:
    given = [level for level in levels if level in LEVEL_ORDER]
    return max(given, key=LEVEL_ORDER.index) if given else "COM"


def map_to_level(members: pd.DataFrame, territories: pd.DataFrame, level: str) -> pd.DataFrame:
    """Members (``territory``, ``level``, ``start``) as territories of ``level``: a commune
    becomes its EPCI; several members of one EPCI make one unit, from the earliest start.
    ``territories`` has the ``territory`` and ``epci`` columns. Finer targets are dropped."""
    if members.empty:
        return pd.DataFrame(columns=["territory", "start"])
    epci_of = territories.set_index("territory")["epci"]
    mapped = members["territory"].where(members["level"] == level)
    if level == "EPCI":
        from_communes = members["territory"].map(epci_of).where(members["level"] == "COM")
        mapped = mapped.fillna(from_communes)
    frame = pd.DataFrame({"territory": mapped, "start": members["start"]}).dropna(
        subset=["territory"]
    )
    if frame.empty:
        return pd.DataFrame(columns=["territory", "start"])
    # min() skips missing dates; a unit whose members have none keeps None
    starts = frame.groupby("territory")["start"].agg(_earliest)
    return starts.reset_index().sort_values("territory").reset_index(drop=True)


def _earliest(dates: pd.Series) -> date | None:
    known = [value for value in dates if isinstance(value, date)]
    return min(known) if known else None
