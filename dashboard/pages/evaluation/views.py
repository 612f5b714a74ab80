"""What each part of the evaluation page shows: pure builders the callbacks call and tests call
without HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from dash import dcc, html, no_update

from dashboard import readers
from dashboard.auth import User
from dashboard.components.chart import legend
from dashboard.context import app_context, db_session
from dashboard.evaluation_texts import estimate_texts
from dashboard.figures import empty_figure
from dashboard.figures.event_study import event_study_figure
from dashboard.pages.evaluation.datasets import (
    _scope,
    estimates_dataset,
    event_study_dataset,
    measure_evaluation,
    shown_plan,
    territories_map_dataset,
)
from dashboard.pages.evaluation.figures import ROLE_CLASSES, territories_map_figure
from dashboard.pages.evaluation.plans import PROPOSAL, choice_options, plan_key
from dashboard.pages.evaluation.texts import (
    ESTIMATE_HEADERS,
    ROLE_LABELS,
    event_study_summary,
    territories_map_summary,
)
from dashboard.reports import PdfUnavailable, evaluation_report_html, html_to_pdf
from dashboard.routes.exports import export_url
from indicators.accounts import record_event
from indicators.evaluation import (
    OVERALL,
    MeasureEvaluation,
    load_design_by_id,
)
from indicators.evaluation.freeze import design_to_freeze


def measure_options() -> list[dict[str, str]]:
    options = []
    for code, measure in readers.catalogue().measures.items():
        label = f"{code} — {measure.label}"
        if measure.placebo:
            label += " (démonstration : mesure sans effet)"
        options.append({"label": label, "value": code})
    return options


def chain_view(evaluation: MeasureEvaluation) -> list[html.Div]:
    steps = []
    for step in evaluation.chain.steps:
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
    return steps


def estimates_view(frame: pd.DataFrame) -> html.Table | html.P:
    if frame.empty:
        return html.P("Aucune estimation pour ce choix.", className="muted")
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
    return html.Table(
        [
            html.Caption("Effet estimé de la mesure, par indicateur et type de territoire"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ESTIMATE_HEADERS])),
            html.Tbody(rows),
        ],
        className="table evaluation-table",
        id="evaluation-estimates-table",
    )


def territories_view(frame: pd.DataFrame, scope: str | None) -> list[Any]:
    if scope is not None:
        frame = frame[frame["type"] == scope]
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


def warnings_view(frame: pd.DataFrame, scope: str | None) -> html.Ul | html.P:
    if scope is not None:
        frame = frame[frame["scope"].isna() | frame["scope"].isin([scope, OVERALL])]
    if frame.empty:
        return html.P("Aucun avertissement.", className="muted")
    messages = list(dict.fromkeys(str(m) for m in frame["message"]))
    return html.Ul([html.Li(m) for m in messages], className="evaluation-warnings")


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
            "Proposition automatique, non enregistrée : elle le sera au premier ajustement ou "
            "au premier rapport figé."
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
    ]


def frozen_report_outputs(
    measure: str | None, plan: str | None, user: User, triggered: Any
) -> tuple[Any, Any, Any]:
    """The download, the message and the frozen design (see :func:`freeze_report`)."""
    if not measure or measure not in readers.catalogue().measures:
        return no_update, _alert("Choisissez d'abord une mesure."), no_update
    key = plan_key(plan)
    with db_session() as session:
        chosen = load_design_by_id(session, key) if key else None
        design = design_to_freeze(
            session,
            readers.catalogue(),
            measure,
            chosen.version if chosen is not None and chosen.measure == measure else None,
            author=user.username or "web",
        )
        record_event(  # in a background job: the job's user, not a request's
            session,
            "report-frozen",
            username=user.username or None,
            ip=user.address,
            measure=measure,
            design_version=design.version,
        )
        session.commit()
    evaluation = measure_evaluation(measure, str(design.id))
    settings = app_context().settings
    html_text = evaluation_report_html(
        evaluation, readers.referential(), settings.reference_dir, datetime.now()
    )
    stem = f"evaluation-{measure}-plan-v{design.version}-donnees-v{evaluation.data_version}"
    frozen = {"id": design.id, "version": design.version}
    done = (
        f"Rapport figé : plan version {design.version}, données version {evaluation.data_version}."
    )
    if triggered == "evaluation-report-pdf":
        try:
            pdf = html_to_pdf(html_text)
        except PdfUnavailable as error:
            return no_update, _alert(str(error)), frozen
        return dcc.send_bytes(pdf, f"{stem}.pdf"), html.P(done, className="muted"), frozen
    return (
        dict(content=html_text, filename=f"{stem}.html", type="text/html", base64=False),
        html.P(done, className="muted"),
        frozen,
    )


def _alert(message: str) -> html.P:
    return html.P(message, className="alert alert-warning")


def evaluation_view(
    measure: str | None, type_choice: str | None, plan: str | None
) -> dict[str, Any]:
    """Everything the page shows for a measure, a type of territory and a design, by output
    name; without a measure, every part says so."""
    if not measure or measure not in readers.catalogue().measures:
        message = html.P("Choisissez une mesure.", className="muted")
        empty = empty_figure("Choisissez une mesure.")
        return {
            "chain": message,
            "estimates": message,
            "estimates_csv": None,
            "estimates_xlsx": None,
            "study_figure": empty,
            "study_summary": "",
            "study_title": "Étude d'événement",
            "study_csv": None,
            "study_xlsx": None,
            "map_figure": empty,
            "map_summary": "",
            "map_legend": [],
            "map_csv": None,
            "map_xlsx": None,
            "territories": [],
            "warnings": [],
            "method": [],
            "plan_facts": [],
            "plan_choices": [],
        }
    plan = shown_plan(measure, plan)  # one lookup of "the latest" for the four readers below
    evaluation = measure_evaluation(measure, plan)
    scope = _scope(type_choice)
    params = {"mesure": measure, "type": scope, "plan": plan if plan != PROPOSAL else None}
    headline = readers.catalogue().indicators.get(evaluation.measure.headline_indicator)
    headline_label = headline.label if headline else evaluation.measure.headline_indicator
    study = event_study_dataset(measure, type_choice, plan)
    places = territories_map_dataset(measure, type_choice, plan)
    return {
        "chain": chain_view(evaluation),
        "estimates": estimates_view(estimates_dataset(measure, type_choice)),
        "estimates_csv": export_url("evaluation", "csv", **params),
        "estimates_xlsx": export_url("evaluation", "xlsx", **params),
        "study_figure": event_study_figure(study, headline.unit if headline else ""),
        "study_summary": event_study_summary(study, headline_label),
        "study_title": f"Étude d'événement — {headline_label}",
        "study_csv": export_url("evaluation-etude", "csv", **params),
        "study_xlsx": export_url("evaluation-etude", "xlsx", **params),
        "map_figure": territories_map_figure(places),
        "map_summary": territories_map_summary(places),
        "map_legend": legend(ROLE_CLASSES, {"not_applicable"}),
        "map_csv": export_url("evaluation-carte", "csv", **params),
        "map_xlsx": export_url("evaluation-carte", "xlsx", **params),
        "territories": territories_view(evaluation.territories, scope),
        "warnings": warnings_view(evaluation.warnings, scope),
        "method": method_view(evaluation),
        "plan_facts": plan_facts(evaluation),
        "plan_choices": choice_options(evaluation.design),
    }
