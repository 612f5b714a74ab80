"""What the callbacks of ``accueil`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import dcc, html

from dashboard.cache import by_data_version
from dashboard.components.link_names import named
from dashboard.components.sparkline import sparkline
from dashboard.datasets import group_series, measure_cards_dataset
from dashboard.formatting import (
    format_change,
    format_int,
    format_number,
    format_period,
    format_value,
    plural,
)
from indicators.compute import PROGRESS_STATUS_LABELS
from indicators.territories import TYPOLOGY_NAMES

TYPE_CHOICES = [{"label": "Tous les territoires test", "value": "tous"}] + [
    {"label": label.capitalize(), "value": code} for code, label in TYPOLOGY_NAMES.items()
]


YEARS = [2022, 2023, 2024, 2025, 2026]


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
            sparkline(
                str(row["indicateur_libelle"]),
                values["period"].tolist(),
                values["value"].tolist(),
                unit,
                style={"height": "48px", "width": "100%"},
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
                    dcc.Link(
                        named("Évaluation", f"mesure {row['mesure']}, {row['libelle']}"),
                        href=f"/evaluation?mesure={row['mesure']}",
                    ),
                    " · ",
                    dcc.Link(
                        named("Indicateur", str(row["indicateur_libelle"])),
                        href=f"/indicateur/{row['indicateur']}",
                    ),
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


@by_data_version
def measure_cards_view(type_choice: str, year: int) -> tuple[list[Any], str]:
    """The cards and their sentence, computed once per data version in the shared cache."""
    typology = None if type_choice == "tous" else type_choice
    cards = measure_cards_dataset(typology, year)
    counts = cards["statut"].value_counts()
    summary = (
        f"{len(cards)} mesures ; parmi celles qui ont une cible : "
        f"{plural(int(counts.get('achieved', 0)), 'atteinte')}, "
        f"{counts.get('on_track', 0)} en bonne voie, "
        f"{counts.get('late', 0)} en retard."
    )
    return [measure_card(row, typology, year) for _, row in cards.iterrows()], summary
