"""``/``: the state of the data held — what is loaded, how much, and how fresh."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html

from dashboard.context import db_session
from dashboard.formatting import format_datetime, format_int
from indicators.store.queries import DataSummary, data_summary

dash.register_page(__name__, path="/", name="Accueil", title="Suivi des territoires", order=0)

LEVEL_LABELS = {
    "FR": "France",
    "REG": "Régions",
    "DEP": "Départements",
    "EPCI": "Intercommunalités (EPCI)",
    "COM": "Communes",
    "GRP": "Groupes de territoires",
}


def layout(**_query: str) -> html.Div:
    # No database work here: Dash may call layouts at start-up; a callback fills the figures.
    return html.Div(
        [
            html.H1("Suivi des territoires"),
            html.P(
                "Suivi de l'évaluation du plan d'action de la Grande Cause des territoires et des "
                "indicateurs d'avancement des programmes de l'ANCT (Action Cœur de ville, Petites "
                "villes de demain, France Services, Territoires d'industrie).",
                className="lead",
            ),
            html.Section(
                [
                    html.H2("État des données"),
                    html.Div(id="home-summary", **{"aria-live": "polite"}),
                ],
                className="card",
            ),
        ]
    )


def summary_items(summary: DataSummary) -> list[html.Li]:
    items = [
        html.Li(f"{LEVEL_LABELS.get(level, level)} : {format_int(count)}")
        for level, count in sorted(
            summary.territories_by_level.items(),
            key=lambda item: list(LEVEL_LABELS).index(item[0]) if item[0] in LEVEL_LABELS else 99,
        )
    ]
    items += [
        html.Li(f"Indicateurs au catalogue : {format_int(summary.indicators)}"),
        html.Li(f"Partenaires producteurs : {format_int(summary.partners)}"),
        html.Li(f"Ensembles de territoires : {format_int(summary.territory_sets)}"),
        html.Li(f"Valeurs enregistrées : {format_int(summary.observations)}"),
        html.Li(
            f"Chargements : {format_int(summary.loads)} "
            f"(dernier : {format_datetime(summary.last_load_at)})"
        ),
        html.Li(f"Version des données : {summary.data_version}"),
    ]
    return items


@callback(Output("home-summary", "children"), Input("url", "pathname"))
def update_home_summary(_pathname: str | None) -> html.Ul | html.P:
    with db_session() as session:
        summary = data_summary(session)
    if not summary.territories_by_level and not summary.observations:
        return html.P(
            "La base est vide. Lancez « suivi init » puis « suivi demo » pour la remplir.",
            className="notice",
        )
    return html.Ul(summary_items(summary), className="summary-list")
