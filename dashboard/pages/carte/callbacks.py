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
    Output("carte-periode", "options"),
    Output("carte-periode", "value"),
    Input("carte-indicateur", "value"),
    State("carte-periode", "value"),
)
@requires("view")
def update_period_choices(indicator: str, current: str | None) -> tuple[list[dict[str, str]], Any]:
    periods = readers.periods_of(indicator)
    options = [{"label": format_period(p), "value": p} for p in reversed(periods)]
    if current in periods:
        return options, current
    return options, periods[-1] if periods else None


@callback(
    Output("carte-dans", "options"),
    Output("carte-dans-label", "children"),
    Input("carte-niveau", "value"),
)
@requires("view")
def update_area_choices(level: str) -> tuple[list[dict[str, str]], str]:
    return area_choices(level)


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
    Output("carte-niveau", "value"),
    Output("carte-dans", "value"),
    # ``href``, not ``pathname``: Dash 4's Location only navigates on a new href
    Output("carte-nav", "href"),
    Input("carte-graph", "clickData"),
    State("carte-niveau", "value"),
    State("carte-indicateur", "value"),
    prevent_initial_call=True,
)
@requires("view")
def drill_down(
    click: dict[str, Any] | None, level: str, indicator: str | None
) -> tuple[Any, Any, Any]:
    """Région -> its départements -> a département's communes -> the territory's page."""
    if not click or not click.get("points"):
        return no_update, no_update, no_update
    code = click["points"][0].get("customdata")
    if not isinstance(code, str):
        return no_update, no_update, no_update
    if level == "REG":
        return "DEP", code, no_update
    if level == "DEP":
        return "COM", code, no_update
    return no_update, no_update, f"/territoire/{code}?indicateur={indicator}"


sync_query_string(
    "carte",
    {
        "indicateur": "carte-indicateur",
        "periode": "carte-periode",
        "niveau": "carte-niveau",
        "dans": "carte-dans",
    },
)
