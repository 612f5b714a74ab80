"""The sections of the evaluation page as components: the results chain, the estimates, the
territories, the warnings, the method and the plan's facts; with the glossary links they share.
Pure builders, called by :mod:`.views` and by tests without HTTP."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard.evaluation_texts import WarningGroup, estimate_texts
from dashboard.pages.evaluation.texts import (
    COUNT_NOTES,
    ESTIMATE_HEADERS,
    ROLE_LABELS,
    glossary_anchor,
)
from indicators.evaluation import (
    MeasureEvaluation,
    ResultsChain,
)
from indicators.evaluation.reading import SCOPE_LABELS


def term_link(term: str, text: str | None = None) -> html.A:
    """A link to the glossary's definition of ``term``; its accessible name says which term,
    so that the page's links to the glossary are told apart."""
    shown = text or term
    return html.A(
        shown,
        href=f"#{glossary_anchor(term)}",
        className="glossary-link",
        title=f"Définition : {term}",
        **{"aria-label": f"{shown} (définition de « {term} » dans le glossaire)"},
    )


def note(text: str) -> html.P:
    return html.P(text, className="muted count-note")


def chain_view(chain: ResultsChain, scope: str | None) -> list[Any]:
    parts: list[Any] = []
    if scope is not None:
        parts.append(
            html.P(
                [
                    f"Type choisi ({SCOPE_LABELS.get(scope, scope)}) : chaque résultat lit "
                    "l'estimation de ce type seul (",
                    term_link("Effet significatif", "effet significatif"),
                    " ou non) ; les moyens et réalisations suivis par rapport à une cible "
                    "portent sur l'ensemble des territoires test.",
                ],
                className="muted chain-scope",
            )
        )
    steps: list[Any] = []
    for step in chain.steps:
        items = [
            html.Li(
                [
                    html.Strong(item.label),
                    html.Span(f" — {item.status_label}", className=f"status status-{item.status}"),
                    html.P(item.detail, className="chain-detail"),
                ],
                className="chain-card",
            )
            for item in step.items
        ]
        if steps:
            # an element between two steps, never a step's decoration: a step that starts a row
            # or a stacked column has no arrow before it
            steps.append(html.Div("→", className="chain-arrow", **{"aria-hidden": "true"}))
        steps.append(
            html.Div(
                [
                    html.H3(step.label[:1].upper() + step.label[1:]),
                    html.Ul(items, className="chain-cards")
                    if items
                    else html.P("Aucun indicateur.", className="muted"),
                ],
                className="chain-step",
            )
        )
    return [*parts, html.Div(steps, className="chain chain-with-arrows")]


def _header(text: str) -> html.Th:
    linked = {"IC 95 %": "IC 95 %", "Tendances préalables (p)": "Tendances préalables"}
    if text not in linked:
        return html.Th(text, scope="col")
    term = linked[text]
    return html.Th([term_link(term), text.removeprefix(term)], scope="col")


def estimates_view(frame: pd.DataFrame) -> list[Any]:
    if frame.empty:
        return [html.P("Aucune estimation pour ce choix.", className="muted")]
    cells = ("estimate", "interval", "units", "periods", "pretrend")
    rows = []
    for row in frame.itertuples(index=False):
        texts = estimate_texts(row)
        rows.append(
            html.Tr(
                [
                    html.Th(f"{row.label} ({row.unit})", scope="row"),
                    html.Td(row.scope_label),
                    *(html.Td(texts[cell], className="number") for cell in cells),
                    html.Td(row.reading, className="evaluation-reading"),
                ]
            )
        )
    return [
        html.Table(
            [
                html.Caption("Effet estimé de la mesure, par indicateur et type de territoire"),
                html.Thead(html.Tr([_header(h) for h in ESTIMATE_HEADERS])),
                html.Tbody(rows),
            ],
            className="table evaluation-table",
            id="evaluation-estimates-table",
        ),
        note(COUNT_NOTES["estimates"]),
    ]


def territories_view(frame: pd.DataFrame) -> list[Any]:
    if frame.empty:
        return [html.P("Aucun territoire pour ce choix.", className="muted")]
    counts = (
        frame.assign(role_label=frame["role"].map(ROLE_LABELS).fillna(frame["role"]))
        .groupby(["type_label", "role_label"], dropna=False)
        .size()
        .unstack(fill_value=0)
    )
    summary_rows = [
        html.Tr(
            [
                html.Th(str(type_label), scope="row"),
                html.Td(str(int(counts.loc[type_label].get("test", 0))), className="number"),
                html.Td(str(int(counts.loc[type_label].get("témoin", 0))), className="number"),
            ]
        )
        for type_label in counts.index
    ]
    detail_rows = [
        html.Tr(
            [
                html.Th(f"{row.name} ({row.territory})", scope="row"),
                html.Td(ROLE_LABELS.get(row.role, row.role)),
                html.Td(row.type_label if isinstance(row.type_label, str) else "—"),
                html.Td("" if row.start is None or pd.isna(row.start) else str(row.start)),
            ]
        )
        for row in frame.itertuples(index=False)
    ]
    return [
        html.Table(
            [
                html.Caption("Nombre de territoires par type et par rôle"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Type", "Test", "Témoins")])),
                html.Tbody(summary_rows),
            ],
            className="table",
            id="evaluation-territories-counts",
        ),
        note(COUNT_NOTES["territories"]),
        html.Details(
            [
                html.Summary(f"Liste des {len(frame)} territoires"),
                html.Table(
                    [
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col")
                                    for h in ("Territoire", "Rôle", "Type", "Début")
                                ]
                            )
                        ),
                        html.Tbody(detail_rows),
                    ],
                    className="table",
                ),
            ]
        ),
    ]


def warnings_view(groups: list[WarningGroup]) -> list[Any]:
    """One heading per indicator (its name; its code in the tooltip), each message once."""
    if not groups:
        return [html.P("Aucun avertissement pour ce choix.", className="muted")]
    total = sum(len(group.messages) for group in groups)
    parts: list[Any] = [
        html.P(
            [
                f"{total} avertissement{'s' if total > 1 else ''}, regroupés par indicateur. "
                "Termes : ",
                term_link("Tendances préalables", "tendances préalables"),
                ", ",
                term_link("Écart standardisé", "écart standardisé"),
                ", ",
                term_link("IC 95 %", "intervalle de confiance"),
                ".",
            ],
            className="muted",
            id="evaluation-warnings-summary",
        )
    ]
    for group in groups:
        parts.append(
            html.Div(
                [
                    html.H3(
                        group.title,
                        title=f"code : {group.indicator}" if group.indicator else None,
                        className="warning-group-title",
                    ),
                    html.Ul(
                        [
                            html.Li(message, title=f"code : {codes}")
                            for message, codes in group.messages
                        ],
                        className="evaluation-warnings",
                    ),
                ],
                className="warning-group",
            )
        )
    return parts


def method_view(evaluation: MeasureEvaluation) -> list[Any]:
    design = evaluation.design
    version = design.version
    facts = (
        f"Plan d'évaluation : version {version}"
        if version is not None
        else "Plan d'évaluation : proposition automatique, non enregistrée"
    )
    return [
        html.P(evaluation.method, className="evaluation-method-text"),
        html.P(f"{facts} · version des données : {evaluation.data_version}.", className="muted"),
    ]


def plan_facts(evaluation: MeasureEvaluation) -> list[Any]:
    design = evaluation.design
    if design.version is None:
        head = (
            "Proposition automatique, non enregistrée : enregistrez-la (bouton ci-dessous) ou "
            "ajustez-la pour en faire une version du plan, citée par les rapports figés."
        )
    else:
        created = f"{design.created_at:%d/%m/%Y à %H:%M}" if design.created_at else "?"
        head = f"Version {design.version}, enregistrée le {created} par {design.author or '—'}"
        head += f" — « {design.comment} »." if design.comment else "."
    counts = design.counts()
    return [
        html.P(head),
        html.P(
            f"{int(counts['test'].sum())} territoires test, "
            f"{int(counts['comparison'].sum())} témoins ; épinglés : {len(design.pins)}, "
            f"exclus : {len(design.exclusions)} ; construit sur les données version "
            f"{design.data_version}.",
            className="muted",
        ),
        note(COUNT_NOTES["plan"]),
    ]
