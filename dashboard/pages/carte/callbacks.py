"""The callbacks of ``carte``: they read their inputs and call ``views``. ``page.py`` runs
this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, no_update

from dashboard import readers
from dashboard.auth import requires
from dashboard.formatting import format_period
from dashboard.pages.carte.views import map_outputs
from dashboard.pickers import area_choices
from dashboard.url_state import sync_query_string


@callback(
    output={
        "options": Output("carte-periode", "options"),
        "value": Output("carte-periode", "value"),
    },
    inputs={"indicator": Input("carte-indicateur", "value")},
    state={"current": State("carte-periode", "value")},
)
@requires("view")
def update_period_choices(indicator: str, current: str | None) -> dict[str, Any]:
    periods = readers.periods_of(indicator)
    options = [{"label": format_period(p), "value": p} for p in reversed(periods)]
    chosen = current if current in periods else (periods[-1] if periods else None)
    return {"options": options, "value": chosen}


@callback(
    output={
        "options": Output("carte-dans", "options"),
        "label": Output("carte-dans-label", "children"),
    },
    inputs={"level": Input("carte-niveau", "value")},
)
@requires("view")
def update_area_choices(level: str) -> dict[str, Any]:
    options, label = area_choices(level)
    return {"options": options, "label": label}


@callback(
    # in this order: test and benchmark clients name the outputs by position
    output={
        "figure": Output("carte-graph", "figure"),
        "summary": Output("carte-summary", "children"),
        "legend": Output("carte-legend", "children"),
        "csv": Output("carte-csv", "href"),
        "xlsx": Output("carte-xlsx", "href"),
        "title": Output("carte-title", "children"),
    },
    inputs={
        "indicator_code": Input("carte-indicateur", "value"),
        "period": Input("carte-periode", "value"),
        "level": Input("carte-niveau", "value"),
        "within": Input("carte-dans", "value"),
    },
)
@requires("view")
def update_map(
    indicator_code: str, period: str | None, level: str, within: str | None
) -> dict[str, Any]:
    return map_outputs(indicator_code, period, level, within)


@callback(
    output={
        "level": Output("carte-niveau", "value"),
        "within": Output("carte-dans", "value"),
        # ``href``, not ``pathname``: Dash 4's Location only navigates on a new href
        "address": Output("carte-nav", "href"),
    },
    inputs={"click": Input("carte-graph", "clickData")},
    state={
        "level": State("carte-niveau", "value"),
        "indicator": State("carte-indicateur", "value"),
    },
    prevent_initial_call=True,
)
@requires("view")
def drill_down(click: dict[str, Any] | None, level: str, indicator: str | None) -> dict[str, Any]:
    """Région -> its départements -> a département's communes -> the territory's page."""
    unchanged = {"level": no_update, "within": no_update, "address": no_update}
    code = click["points"][0].get("customdata") if click and click.get("points") else None
    if not isinstance(code, str):
        return unchanged
    if level == "REG":
        return {**unchanged, "level": "DEP", "within": code}
    if level == "DEP":
        return {**unchanged, "level": "COM", "within": code}
    return {**unchanged, "address": f"/territoire/{code}?indicateur={indicator}"}


sync_query_string(
    "carte",
    {
        "indicateur": "carte-indicateur",
        "periode": "carte-periode",
        "niveau": "carte-niveau",
        "dans": "carte-dans",
    },
)
