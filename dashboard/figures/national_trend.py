"""An indicator over time for France and the three size classes, each target drawn in the
colour of the series it concerns (dashed), so that several targets stay readable."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures.distribution import WHOLE_UNITS, period_ticks
from dashboard.figures.trend import trend_figure


def national_trend_figure(
    table: pd.DataFrame,
    unit: str,
    target_of: dict[str, str],
    empty: str = "Aucune valeur nationale ni par taille de territoire.",
) -> dict[str, Any]:
    """``table``: a trend dataset (see :func:`dashboard.figures.trend.trend_figure`);
    ``target_of`` maps a target's series name to the series it applies to (absent: every
    territory, drawn in the target colour)."""
    figure = trend_figure(table, unit, empty=empty)
    if not figure["data"]:
        return figure
    colours = {
        trace["name"]: trace["line"]["color"]
        for trace in figure["data"]
        if trace["line"].get("dash") is None
    }
    for trace in figure["data"]:
        series = target_of.get(trace["name"])
        if series in colours:
            trace["line"] = {**trace["line"], "color": colours[series], "width": 2}
            trace["marker"] = {**trace["marker"], "color": colours[series]}
    axis = figure["layout"]["xaxis"]
    axis["ticktext"] = period_ticks(list(axis["tickvals"]))
    if unit in WHOLE_UNITS:  # "1 200 000" rather than "1,2M"
        figure["layout"]["yaxis"]["tickformat"] = ",d"
    return figure
