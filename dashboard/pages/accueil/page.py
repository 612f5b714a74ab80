"""``/``: the action plan at a glance — one card per measure, the programmes' headline figures,
and how fresh each partner's data is.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills
it.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.search import territory_search
from dashboard.pages import run_callbacks
from dashboard.pages.accueil.views import TYPE_CHOICES, YEARS
from dashboard.url_state import url_state_store

dash.register_page(
    __name__, path="/", name="Vue d'ensemble", title="Suivi des territoires", order=0
)


def layout(type: str = "tous", annee: str | None = None, **_query: str) -> html.Div:
    year = int(annee) if annee and annee.isdigit() and int(annee) in YEARS else YEARS[-1]
    return html.Div(
        [
            html.Div(
                [
                    html.H1("Vue d'ensemble"),
                    # a town's team starts from its town (issue #16)
                    territory_search(
                        "accueil", "Mon territoire : rechercher une commune, un EPCI…"
                    ),
                ],
                className="title-row",
            ),
            html.P(
                "Le plan d'action de la Grande Cause des territoires mesure par mesure, dans ses "
                "territoires test, et les programmes de l'ANCT (Action Cœur de ville, Petites "
                "villes de demain, France Services, Territoires d'industrie).",
                className="lead",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Territoires test", htmlFor="accueil-type"),
                            dbc.Select(
                                id="accueil-type",
                                options=TYPE_CHOICES,
                                value=type
                                if type in {c["value"] for c in TYPE_CHOICES}
                                else "tous",
                            ),
                        ],
                        className="control wide",
                    ),
                    html.Div(
                        [
                            html.Label("Situation à fin", htmlFor="accueil-annee"),
                            dbc.Select(
                                id="accueil-annee",
                                options=[{"label": str(y), "value": str(y)} for y in YEARS],
                                value=str(year),
                            ),
                        ],
                        className="control",
                    ),
                ],
                className="controls",
            ),
            html.Section(
                [
                    html.H2("Les mesures du plan d'action", id="accueil-mesures-titre"),
                    html.P(id="accueil-mesures-resume", className="chart-summary"),
                    html.Div(id="accueil-mesures", className="cards"),
                    html.P(
                        [
                            "Données des cartes : ",
                            html.A("CSV", id="accueil-mesures-csv", href="#", className="download"),
                            " · ",
                            html.A(
                                "XLSX", id="accueil-mesures-xlsx", href="#", className="download"
                            ),
                        ],
                        className="data-twin",
                    ),
                ],
                **{"aria-labelledby": "accueil-mesures-titre"},
            ),
            html.Section(
                [html.H2("Les programmes"), html.Div(id="accueil-programmes", className="cards")],
            ),
            html.Section(
                [html.H2("Fraîcheur des données"), html.Div(id="accueil-fraicheur")],
                className="card",
            ),
            html.Section(
                [html.H2("Données enregistrées"), html.Div(id="home-summary")],
                className="card",
            ),
            url_state_store("accueil"),
        ]
    )


run_callbacks(__name__, __file__)
