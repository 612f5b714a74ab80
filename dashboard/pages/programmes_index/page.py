"""``/programmes``: the four programmes of the agency, each with its members and headline
figures, and a link to its page.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills it.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.pages import run_callbacks

dash.register_page(
    __name__,
    path="/programmes",
    name="Programmes",
    title="Programmes — Suivi des territoires",
    order=40,
)


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("Programmes"),
            html.P(
                "Les programmes de l'Agence nationale de la cohésion des territoires, suivis selon "
                "le principe du « dernier kilomètre » : chaque intervention doit montrer un effet "
                "mesurable sur les politiques locales et sur la vie quotidienne des habitants.",
                className="lead",
            ),
            html.Section(
                [
                    html.H2("Les programmes suivis", id="programmes-titre"),
                    html.P(id="programmes-resume", className="chart-summary"),
                    html.Div(id="programmes-cartes", className="cards programme-cards"),
                    html.P(
                        [
                            "Données des cartes : ",
                            html.A("CSV", id="programmes-csv", href="#", className="download"),
                            " · ",
                            html.A("XLSX", id="programmes-xlsx", href="#", className="download"),
                        ],
                        className="data-twin",
                    ),
                ],
                **{"aria-labelledby": "programmes-titre"},
            ),
            # an input for the callback below: the page has no control of its own
            dcc.Store(id="programmes-charge", data=True),
        ]
    )


run_callbacks(__name__, __file__)
