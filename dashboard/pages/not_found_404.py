"""French page for unknown addresses."""

from __future__ import annotations

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Page introuvable", title="Page introuvable")


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("Page introuvable"),
            html.P("L'adresse demandée ne correspond à aucune page de Suivi des territoires."),
            html.P(["Retour à ", dcc.Link("l'accueil", href="/"), "."]),
        ],
        className="card",
    )
