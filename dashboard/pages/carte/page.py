"""``/carte``: an indicator on a map of régions, départements, EPCI or the communes of one
département; a click drills down; the address keeps the view.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills
it.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.chart import chart_block
from dashboard.pages import run_callbacks
from dashboard.pages.carte.views import LEVELS, indicator_options
from dashboard.url_state import url_state_store

dash.register_page(
    __name__, path="/carte", name="Carte", title="Carte — Suivi des territoires", order=20
)


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


run_callbacks(__name__, __file__)
