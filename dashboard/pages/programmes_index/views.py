"""The programme cards and the sentence that sums them up (tested without HTTP)."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import readers
from dashboard.formatting import at_period, format_int, format_value


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
