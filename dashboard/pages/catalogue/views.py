"""What the catalogue shows for a search and filters, as named outputs (tested without HTTP)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard import readers
from dashboard.pages.catalogue.datasets import catalogue_dataset
from dashboard.pages.catalogue.texts import catalogue_summary, criteria_words
from dashboard.routes.exports import export_url
from indicators.catalogue import ChainLevel


def catalogue_view(
    query: str | None,
    measure: str | None,
    programme: str | None,
    partner: str | None,
    chain: str | None,
    theme: str | None,
) -> dict[str, Any]:
    """The matching indicators, the sentence that counts them and the list's exports."""
    # an empty choice ("Toutes les mesures"…) is no filter
    measure, programme, partner, chain, theme = (
        value or None for value in (measure, programme, partner, chain, theme)
    )
    if chain is not None and chain not in {level.value for level in ChainLevel}:
        chain = None
    table = catalogue_dataset(query, measure, programme, partner, chain, theme)
    total = len(readers.catalogue().indicators)
    criteria = criteria_words(query, measure, programme, partner, chain, theme)
    params = {
        "q": (query or "").strip() or None,
        "mesure": measure,
        "programme": programme,
        "partenaire": partner,
        "chaine": chain,
        "theme": theme,
    }
    return {
        "list": results_table(table.to_dict("records")),
        "summary": catalogue_summary(len(table), total, criteria),
        "csv": export_url("indicateurs", "csv", **params),
        "xlsx": export_url("indicateurs", "xlsx", **params),
    }


def results_table(rows: list[dict[str, Any]]) -> Any:
    if not rows:
        return html.P(
            "Aucun indicateur ne correspond. Essayez un autre mot ou retirez un filtre.",
            className="notice",
        )
    return html.Table(
        [
            html.Caption("Indicateurs du catalogue correspondant à la recherche"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Indicateur", scope="col"),
                        html.Th("Unité", scope="col"),
                        html.Th("Périodicité", scope="col"),
                        html.Th("Chaîne de résultats", scope="col"),
                        html.Th("Mesures", scope="col"),
                        html.Th("Programmes", scope="col"),
                        html.Th("Partenaire", scope="col"),
                    ]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(
                                [
                                    dcc.Link(row["libelle"], href=row["adresse"]),
                                    html.Br(),
                                    html.Span(row["code"], className="code muted small"),
                                    *(
                                        [html.Span("Dernier kilomètre", className="ind-tag small")]
                                        if row["dernier_kilometre"] == "oui"
                                        else []
                                    ),
                                ]
                            ),
                            html.Td(row["unite"]),
                            html.Td(row["periodicite"]),
                            html.Td(row["chaine_resultats"]),
                            html.Td(row["mesures"] or "—"),
                            html.Td(row["programmes"] or "—"),
                            html.Td(row["partenaire_nom"]),
                        ]
                    )
                    for row in rows
                ]
            ),
        ],
        className="table catalogue-table",
    )
