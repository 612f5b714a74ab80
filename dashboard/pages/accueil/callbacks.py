"""The callbacks of ``accueil``: they read their inputs and call ``views``. ``page.py`` runs
this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback, dcc, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.components.link_names import hidden_text
from dashboard.context import db_session
from dashboard.datasets import (
    freshness_dataset,
    group_series,
)
from dashboard.formatting import (
    format_datetime,
    format_int,
    format_period,
    format_value,
    plural,
)
from dashboard.pages.accueil.views import measure_cards_view
from dashboard.routes.exports import export_url
from dashboard.url_state import sync_query_string
from indicators.store.queries import data_summary


@callback(
    output={
        "cards": Output("accueil-mesures", "children"),
        "summary": Output("accueil-mesures-resume", "children"),
        "csv": Output("accueil-mesures-csv", "href"),
        "xlsx": Output("accueil-mesures-xlsx", "href"),
    },
    inputs={
        "type_choice": Input("accueil-type", "value"),
        "year_text": Input("accueil-annee", "value"),
    },
)
@requires("view")
def update_measures(type_choice: str, year_text: str) -> dict[str, Any]:
    cards, summary = measure_cards_view(type_choice, int(year_text))
    params = {"type": type_choice, "annee": year_text}
    return {
        "cards": cards,
        "summary": summary,
        "csv": export_url("mesures", "csv", **params),
        "xlsx": export_url("mesures", "xlsx", **params),
    }


@callback(Output("accueil-programmes", "children"), Input("accueil-annee", "value"))
@requires("view")
def update_programmes(year_text: str) -> list[html.Article]:
    year = int(year_text)
    catalogue = readers.catalogue()
    cards = []
    for programme in catalogue.programmes.values():
        group = f"GRP:{programme.membership_set}"
        figures = []
        for code in programme.headline_indicators:
            indicator = catalogue.indicators[code]
            values = group_series(code, group, year)
            text = (
                f"{format_value(values.iloc[-1]['value'], indicator.unit)} "
                f"({format_period(values.iloc[-1]['period'])})"
                if not values.empty
                else "—"
            )
            figures.append(html.Li([html.Span(indicator.label + " : "), html.Strong(text)]))
        cards.append(
            html.Article(
                [
                    html.Header(
                        [html.Span(programme.code, className="badge"), html.H3(programme.label)]
                    ),
                    html.Ul(figures, className="programme-figures"),
                    dcc.Link(
                        ["Voir le programme", hidden_text(f" {programme.label}")],
                        href=f"/programmes/{programme.code}",
                    ),
                ],
                className="card programme-card",
            )
        )
    return cards


@callback(Output("accueil-fraicheur", "children"), Input("accueil-annee", "value"))
@requires("view")
def update_freshness(_year: int) -> Any:
    table = freshness_dataset()
    if table.empty:
        return html.P("Aucun partenaire au catalogue.")
    rows = [
        html.Tr(
            [
                html.Td(row["nom"]),
                html.Td(
                    format_period(row["derniere_periode"])
                    if isinstance(row["derniere_periode"], str)
                    else "aucune valeur"
                ),
                html.Td(
                    "à jour"
                    if row["en_retard"] == 0
                    else f"{plural(int(row['en_retard']), 'indicateur')} sur "
                    f"{row['indicateurs']} en retard",
                    title=row["retards"] if isinstance(row["retards"], str) else None,
                    className="ok" if row["en_retard"] == 0 else "late",
                ),
            ]
        )
        for _, row in table.iterrows()
    ]
    return html.Table(
        [
            html.Thead(
                html.Tr([html.Th("Partenaire"), html.Th("Dernière période"), html.Th("État")])
            ),
            html.Tbody(rows),
        ],
        className="table",
    )


@callback(Output("home-summary", "children"), Input("accueil-annee", "value"))
@requires("view")
def update_home_summary(_year: int) -> html.Ul | html.P:
    with db_session() as session:
        summary = data_summary(session)
    if not summary.territories_by_level and not summary.observations:
        return html.P(
            "La base est vide. Lancez « suivi init » puis « suivi demo » pour la remplir.",
            className="notice",
        )
    territories = sum(summary.territories_by_level.values())
    return html.Ul(
        [
            html.Li(f"Territoires du référentiel : {format_int(territories)}"),
            html.Li(f"Indicateurs au catalogue : {format_int(summary.indicators)}"),
            html.Li(f"Ensembles de territoires : {format_int(summary.territory_sets)}"),
            html.Li(f"Valeurs enregistrées : {format_int(summary.observations)}"),
            html.Li(
                f"Chargements : {format_int(summary.loads)} "
                f"(dernier : {format_datetime(summary.last_load_at)})"
            ),
            html.Li(f"Version des données : {summary.data_version}"),
        ],
        className="summary-list",
    )


sync_query_string("accueil", {"type": "accueil-type", "annee": "accueil-annee"})
