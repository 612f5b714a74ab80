"""``/``: the action plan at a glance — one card per measure, the programmes' headline figures,
and how fresh each partner's data is."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.cache import cache
from dashboard.context import db_session
from dashboard.datasets import (
    TYPOLOGY_NAMES,
    freshness_dataset,
    group_series,
    measure_cards_dataset,
)
from dashboard.figures.trend import sparkline_figure
from dashboard.formatting import (
    format_change,
    format_datetime,
    format_int,
    format_number,
    format_period,
    format_value,
)
from dashboard.routes.exports import export_url
from dashboard.url_state import sync_query_string, url_state_store
from indicators.compute import PROGRESS_STATUS_LABELS
from indicators.store.queries import data_summary

dash.register_page(
    __name__, path="/", name="Vue d'ensemble", title="Suivi des territoires", order=0
)

TYPE_CHOICES = [{"label": "Tous les territoires test", "value": "tous"}] + [
    {"label": label.capitalize(), "value": code} for code, label in TYPOLOGY_NAMES.items()
]
YEARS = [2022, 2023, 2024, 2025, 2026]


def layout(type: str = "tous", annee: str | None = None, **_query: str) -> html.Div:
    year = int(annee) if annee and annee.isdigit() and int(annee) in YEARS else YEARS[-1]
    return html.Div(
        [
            html.H1("Vue d'ensemble"),
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


def measure_card(row: pd.Series, typology: str | None, year: int) -> html.Article:
    unit = row["unite"]
    status = row["statut"] if isinstance(row["statut"], str) else None
    body: list[Any]
    if pd.isna(row["valeur"]):
        body = [html.P("Pas encore de valeur pour ces territoires.", className="muted")]
    else:
        values = group_series(row["indicateur"], row["groupe"], year)
        change = row["evolution"]
        sign = "+" if change > 0 else ""
        body = [
            html.P(
                [
                    html.Span(format_value(row["valeur"], unit), className="kpi-value"),
                    html.Span(f" {format_period(row['periode'])}", className="muted"),
                ]
            ),
            html.P(
                f"{sign}{format_change(change, unit)} "
                f"depuis {format_period(row['periode_reference'])}",
                className="kpi-change",
            ),
            dcc.Graph(
                figure=sparkline_figure(values["period"].tolist(), values["value"].tolist()),
                config={"staticPlot": True},
                className="sparkline",
                style={"height": "48px", "width": "100%"},
                responsive=True,
            ),
            progress_line(row),
            html.P(
                f"{format_int(int(row['renseignes']))} "
                + (
                    "intercommunalités des territoires test renseignées"
                    if row["niveau_valeurs"] == "EPCI"
                    else "territoires test renseignés"
                )
                + f" sur {format_int(int(row['attendus']))}",
                className="muted small",
            ),
        ]
    return html.Article(
        [
            html.Header(
                [
                    html.Span(row["mesure"], className="badge"),
                    html.H3(row["libelle"]),
                ]
            ),
            html.P(row["indicateur_libelle"], className="indicator-name"),
            *body,
            html.P(
                [
                    dcc.Link("Évaluation", href=f"/evaluation?mesure={row['mesure']}"),
                    " · ",
                    dcc.Link("Indicateur", href=f"/indicateur/{row['indicateur']}"),
                ],
                className="small",
            ),
        ],
        className=f"card measure-card status-{status or 'none'}",
    )


def progress_line(row: pd.Series) -> html.Div:
    if pd.isna(row["cible"]):
        return html.Div("Pas de cible fixée.", className="muted small")
    pct = row["progression"]
    label = PROGRESS_STATUS_LABELS.get(row["statut"], "") if isinstance(row["statut"], str) else ""
    width = 0 if pd.isna(pct) else max(0.0, min(100.0, float(pct)))
    return html.Div(
        [
            html.Div(
                html.Div(className="progress-fill", style={"width": f"{width:.0f}%"}),
                className="progress",
                role="progressbar",
                **{
                    "aria-valuenow": f"{width:.0f}",
                    "aria-valuemin": "0",
                    "aria-valuemax": "100",
                    "aria-label": "Progression vers la cible",
                },
            ),
            html.P(
                f"Cible {format_value(row['cible'], row['unite'])} en "
                f"{format_period(row['periode_cible'])} : "
                f"{format_number(pct, 0)} % du chemin" + (f" — {label}" if label else ""),
                className="small",
            ),
        ]
    )


@callback(
    Output("accueil-mesures", "children"),
    Output("accueil-mesures-resume", "children"),
    Output("accueil-mesures-csv", "href"),
    Output("accueil-mesures-xlsx", "href"),
    Input("accueil-type", "value"),
    Input("accueil-annee", "value"),
)
@requires("view")
def update_measures(type_choice: str, year_text: str) -> tuple[Any, ...]:
    cards, summary = measure_cards_view(type_choice, int(year_text), readers.data_version())
    params = {"type": type_choice, "annee": year_text}
    return (
        cards,
        summary,
        export_url("mesures", "csv", **params),
        export_url("mesures", "xlsx", **params),
    )


@cache.memoize()
def measure_cards_view(type_choice: str, year: int, version: int) -> tuple[list[Any], str]:
    """The cards and their sentence, computed once per data version in the shared cache."""
    typology = None if type_choice == "tous" else type_choice
    cards = measure_cards_dataset(typology, year)
    counts = cards["statut"].value_counts()
    summary = (
        f"{len(cards)} mesures ; parmi celles qui ont une cible : "
        f"{counts.get('achieved', 0)} atteinte(s), {counts.get('on_track', 0)} en bonne voie, "
        f"{counts.get('late', 0)} en retard."
    )
    return [measure_card(row, typology, year) for _, row in cards.iterrows()], summary


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
                    dcc.Link("Voir le programme", href=f"/programmes/{programme.code}"),
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
                    else f"{row['en_retard']} indicateur(s) sur {row['indicateurs']} en retard",
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
