"""The callbacks of ``carte``: they read their inputs and call ``views``. ``page.py`` runs
this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, no_update

from dashboard import readers
from dashboard.auth import requires
from dashboard.components.chart import legend
from dashboard.figures import empty_figure
from dashboard.formatting import format_period
from dashboard.pages.carte.views import GEOMETRY, _valid_area
from dashboard.pickers import area_choices
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.url_state import sync_query_string
from dashboard.views import map_view


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
    Output("carte-graph", "figure"),
    Output("carte-summary", "children"),
    Output("carte-legend", "children"),
    Output("carte-csv", "href"),
    Output("carte-xlsx", "href"),
    Output("carte-title", "children"),
    Input("carte-indicateur", "value"),
    Input("carte-periode", "value"),
    Input("carte-niveau", "value"),
    Input("carte-dans", "value"),
)
@requires("view")
def update_map(
    indicator_code: str, period: str | None, level: str, within: str | None
) -> tuple[Any, ...]:
    indicator = readers.catalogue().indicators[indicator_code]
    within = _valid_area(level, within)
    if period is None or (level == "COM" and within is None):
        message = (
            "Choisissez un département pour voir ses communes."
            if level == "COM"
            else "Aucune valeur disponible pour cet indicateur."
        )
        return empty_figure(message), message, [], None, None, indicator.label
    geometry = geometry_url(
        GEOMETRY.get(level) or f"communes-{(within or '').removeprefix('DEP:')}"
    )
    view = map_view(indicator_code, period, level, within, geometry)
    params = {"indicateur": indicator_code, "periode": period, "niveau": level, "dans": within}
    return (
        view.figure,
        view.summary,
        legend(view.classes, set(view.statuses)),
        export_url("carte", "csv", **params),
        export_url("carte", "xlsx", **params),
        f"{indicator.label} — {format_period(period)}",
    )


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
