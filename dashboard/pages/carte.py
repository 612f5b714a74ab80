"""``/carte``: an indicator on a map of régions, départements, EPCI or the communes of one
département; a click drills down; the address keeps the view."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import readers
from dashboard.auth import requires
from dashboard.components.chart import chart_block, legend
from dashboard.figures import empty_figure
from dashboard.formatting import format_period
from dashboard.pickers import area_choices
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.url_state import sync_query_string, url_state_store
from dashboard.views import map_view

dash.register_page(
    __name__, path="/carte", name="Carte", title="Carte — Suivi des territoires", order=20
)

LEVELS = {
    "REG": "Régions",
    "DEP": "Départements",
    "EPCI": "Intercommunalités",
    "COM": "Communes d'un département",
}
GEOMETRY = {"REG": "regions", "DEP": "departements", "EPCI": "epci"}


def indicator_options() -> list[dict[str, str]]:
    return [
        {"label": f"{indicator.label} ({indicator.unit})", "value": code}
        for code, indicator in readers.catalogue().indicators.items()
        if indicator.aggregation.value != "none"
    ]


def layout(
    indicateur: str | None = None,
    periode: str | None = None,
    niveau: str = "DEP",
    dans: str | None = None,
    **_other: str,
) -> html.Div:
    options = indicator_options()
    codes = {option["value"] for option in options}
    indicator = indicateur if indicateur in codes else options[0]["value"]
    level = niveau if niveau in LEVELS else "DEP"
    return html.Div(
        [
            html.H1("Carte des indicateurs"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Indicateur", htmlFor="carte-indicateur"),
                            dbc.Select(id="carte-indicateur", options=options, value=indicator),
                        ],
                        className="control wide",
                    ),
                    html.Div(
                        [
                            html.Label("Période", htmlFor="carte-periode"),
                            dbc.Select(id="carte-periode", value=periode, options=[]),
                        ],
                        className="control",
                    ),
                    html.Div(
                        [
                            html.Fieldset(
                                [
                                    html.Legend("Maille", className="label"),
                                    dbc.RadioItems(
                                        id="carte-niveau",
                                        options=[
                                            {"label": v, "value": k} for k, v in LEVELS.items()
                                        ],
                                        value=level,
                                        inline=True,
                                    ),
                                ],
                                className="fieldset",
                            ),
                        ],
                        className="control wide",
                    ),
                    html.Div(
                        [
                            html.Label("Dans", htmlFor="carte-dans", id="carte-dans-label"),
                            dbc.Select(
                                id="carte-dans",
                                value=dans or "",
                                options=[],
                                # dbc.Select adds a hidden empty option: the placeholder names it
                                placeholder="Toute la France",
                            ),
                        ],
                        className="control",
                    ),
                ],
                className="controls",
            ),
            chart_block("carte", "Carte"),
            dcc.Location(id="carte-nav", refresh="callback-nav"),
            url_state_store("carte"),
        ]
    )


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


def _valid_area(level: str, within: str | None) -> str | None:
    if not within:
        return None
    if level == "COM":
        return within if within.startswith("DEP:") else None
    return within if within.startswith("REG:") else None


sync_query_string(
    "carte",
    {
        "indicateur": "carte-indicateur",
        "periode": "carte-periode",
        "niveau": "carte-niveau",
        "dans": "carte-dans",
    },
)
