"""The list of programmes."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import readers
from dashboard.programmes import (
    MEMBER_LEVELS,
    member_group,
    member_levels,
    ok_values,
    programme_spans,
)
from dashboard.routes.exports import register_dataset
from indicators.territories.set_history import (
    active_members,
)

PROGRAMMES_COLUMNS = [
    "programme",
    "libelle",
    "membres",
    "niveau_membres",
    "indicateur",
    "indicateur_libelle",
    "unite",
    "periode",
    "valeur",
]


def programmes_dataset(today: date | None = None) -> pd.DataFrame:
    """One row per programme and headline indicator: members today, latest value over them."""
    catalogue = readers.catalogue()
    rows = []
    for code, item in catalogue.programmes.items():
        spans = programme_spans(code)
        level = member_levels(spans)[0] if spans else None
        members = len([s for s in active_members(spans, today or date.today()) if s.level == level])
        for indicator_code in item.headline_indicators:
            indicator = catalogue.indicators[indicator_code]
            values = ok_values(indicator_code, member_group(code))
            last = values.iloc[-1] if not values.empty else None
            rows.append(
                {
                    "programme": code,
                    "libelle": item.label,
                    "membres": members,
                    "niveau_membres": MEMBER_LEVELS.get(level or "", ""),
                    "indicateur": indicator_code,
                    "indicateur_libelle": indicator.label,
                    "unite": indicator.unit,
                    "periode": last["period"] if last is not None else None,
                    "valeur": float(last["value"]) if last is not None else None,
                }
            )
    return pd.DataFrame(rows, columns=PROGRAMMES_COLUMNS)


# Downloads are registered here, next to the tables, so that a chart and its file cannot drift.
register_dataset("programmes", lambda: programmes_dataset(), ())
