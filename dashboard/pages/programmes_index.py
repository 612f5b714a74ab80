"""``/programmes``: the four programmes of the agency, each with its members and headline
figures, and a link to its page."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.figures.programme_text import at_period
from dashboard.formatting import format_int, format_value
from dashboard.programme_datasets import programmes_dataset
from dashboard.routes.exports import export_url

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


def programme_card(code: str, rows: pd.DataFrame) -> html.Article:
    programme = readers.catalogue().programmes[code]
    first = rows.iloc[0]
    figures = [
        html.Li(
            [
                html.Span(f"{row.indicateur_libelle} : "),
                html.Strong(
                    f"{format_value(row.valeur, row.unite)} ({at_period(str(row.periode))})"
                    if pd.notna(row.valeur)
                    else "pas encore de valeur"
                ),
            ]
        )
        for row in rows.itertuples()
    ]
    members = (
        f"{format_int(int(first['membres']))} {first['niveau_membres']} membres aujourd'hui"
        if first["niveau_membres"]
        else "Aucun membre enregistré"
    )
    return html.Article(
        [
            html.Header([html.Span(code, className="badge"), html.H3(programme.label)]),
            html.P(programme.description, className="small"),
            html.P(members, className="programme-members"),
            html.P("Indicateurs phares, sur l'ensemble des membres :", className="small muted"),
            html.Ul(figures, className="programme-figures"),
            dcc.Link(
                ["Voir le programme ", html.Span(programme.label, className="visually-hidden")],
                href=f"/programmes/{code}",
                className="card-link",
            ),
        ],
        className="card programme-card",
    )


@callback(
    Output("programmes-cartes", "children"),
    Output("programmes-resume", "children"),
    Output("programmes-csv", "href"),
    Output("programmes-xlsx", "href"),
    Input("programmes-charge", "data"),
)
@requires("view")
def update_programmes(_loaded: Any) -> tuple[Any, ...]:
    table = programmes_dataset()
    cards = [programme_card(code, rows) for code, rows in table.groupby("programme", sort=False)]
    members = table.drop_duplicates("programme")
    summary = (
        f"{len(members)} programmes : "
        + " ; ".join(
            f"{readers.catalogue().programmes[row.programme].label}, "
            f"{format_int(int(row.membres))} {row.niveau_membres or 'territoires'} membres"
            for row in members.itertuples()
        )
        + "."
    )
    return cards, summary, export_url("programmes", "csv"), export_url("programmes", "xlsx")
