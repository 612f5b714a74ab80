"""What each part of the evaluation page shows: pure builders the callbacks call and tests call
without HTTP. The sections' components are in :mod:`.sections`; this module assembles them into
the callbacks' named outputs, with the map, the measure and plan choices and the frozen report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dash import dcc, html, no_update

from dashboard import readers
from dashboard.auth import User
from dashboard.components.chart import legend
from dashboard.context import app_context, db_session
from dashboard.evaluation_texts import grouped_warnings
from dashboard.figures import empty_figure
from dashboard.figures.event_study import event_study_figure
from dashboard.pages.evaluation.datasets import (
    _scope,
    effects_by_type_dataset,
    estimates_dataset,
    event_study_dataset,
    measure_evaluation,
    plan_units,
    shown_plan,
    studied_indicator,
    territories_maps,
)
from dashboard.pages.evaluation.figures import (
    ROLE_CLASSES,
    effects_by_type_figure,
    svg_data_uri,
)
from dashboard.pages.evaluation.plans import PROPOSAL, SAVE_LABEL, choice_options, plan_key
from dashboard.pages.evaluation.sections import (
    chain_view,
    estimates_view,
    method_view,
    plan_facts,
    territories_view,
    warnings_view,
)
from dashboard.pages.evaluation.texts import (
    ALL_TYPES,
    effects_by_type_summary,
    event_study_summary,
    territories_map_summary,
    type_choices,
)
from dashboard.reports import PdfUnavailable, RegionMap, evaluation_report_html, html_to_pdf
from dashboard.routes.exports import export_url
from indicators.accounts import record_event
from indicators.evaluation import (
    MeasureEvaluation,
    load_design,
    load_design_by_id,
)


def measure_options() -> list[dict[str, str]]:
    options = []
    for code, measure in readers.catalogue().measures.items():
        label = f"{code} — {measure.label}"
        if measure.placebo:
            label += " (démonstration : mesure sans effet)"
        options.append({"label": label, "value": code})
    return options


def territories_maps_view(maps: list[RegionMap]) -> list[Any]:
    """The frozen report's per-région drawings, as images (one per région, small multiples)."""
    if not maps:
        return [html.P("Aucune commune à cartographier pour ce choix.", className="muted")]
    return [
        html.Figure(
            [
                html.Img(
                    src=svg_data_uri(drawing.svg),
                    alt=f"Carte des communes test et témoins — {drawing.title}",
                    className="evaluation-map-image",
                ),
                html.Figcaption(drawing.title),
            ],
            className="evaluation-map",
        )
        for drawing in maps
    ]


def frozen_report_outputs(
    measure: str | None, plan: str | None, user: User, triggered: Any
) -> dict[str, Any]:
    """The download, the message and the frozen design (see :func:`freeze_report`).

    Downloading saves nothing: the report cites the saved version shown (else the latest); a
    measure with no saved version is refused with what to do (save the proposal first, an
    explicit action under the evaluator's name)."""
    refused = {"download": no_update, "frozen": no_update}
    if not measure or measure not in readers.catalogue().measures:
        return refused | {"message": _alert("Choisissez d'abord une mesure.")}
    key = plan_key(plan)
    with db_session() as session:
        design = load_design_by_id(session, key) if key else None
        if design is None or design.measure != measure:
            design = load_design(session, measure)
        if design is None:
            return refused | {
                "message": _alert(
                    "Ce plan n'est qu'une proposition automatique, non enregistrée : un rapport "
                    "figé doit citer une version enregistrée. Enregistrez-la d'abord (« "
                    f"{SAVE_LABEL} », dans « Plan d'évaluation ») ; le téléchargement, lui, "
                    "n'enregistre rien."
                )
            }
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
    done = html.P(
        f"Rapport figé : plan version {design.version}, données version "
        f"{evaluation.data_version}. Rien n'a été enregistré.",
        className="muted",
    )
    if triggered == "evaluation-report-pdf":
        try:
            pdf = html_to_pdf(html_text)
        except PdfUnavailable as error:
            return {"download": no_update, "message": _alert(str(error)), "frozen": frozen}
        return {"download": dcc.send_bytes(pdf, f"{stem}.pdf"), "message": done, "frozen": frozen}
    return {
        "download": dict(
            content=html_text, filename=f"{stem}.html", type="text/html", base64=False
        ),
        "message": done,
        "frozen": frozen,
    }


def _alert(message: str) -> html.P:
    return html.P(message, className="alert alert-warning")


def indicator_options(evaluation: MeasureEvaluation) -> list[dict[str, str]]:
    """The measure's indicators, headline first, by name."""
    headline = evaluation.measure.headline_indicator
    items = sorted(evaluation.indicators, key=lambda item: item.indicator.code != headline)
    return [{"label": item.indicator.label, "value": item.indicator.code} for item in items]


def choice_outputs(
    measure: str | None, type_shown: str | None, indicator_shown: str | None
) -> dict[str, Any]:
    """The filters that depend on the measure: only the territory types it targets (plus
    "Tous les types"), and its indicators; the values shown are kept when still offered."""
    catalogue = readers.catalogue()
    if not measure or measure not in catalogue.measures:
        return {
            "type_options": _options(type_choices(None)),
            "type_value": ALL_TYPES,
            "indicator_options": [],
            "indicator_value": None,
        }
    types = type_choices(catalogue.measures[measure])
    indicators = indicator_options(measure_evaluation(measure))
    codes = [option["value"] for option in indicators]
    return {
        "type_options": _options(types),
        "type_value": type_shown if type_shown in types else ALL_TYPES,
        "indicator_options": indicators,
        "indicator_value": indicator_shown
        if indicator_shown in codes
        else codes[0]
        if codes
        else None,
    }


def _options(choices: dict[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in choices.items()]


def evaluation_view(
    measure: str | None,
    type_choice: str | None,
    plan: str | None,
    indicator: str | None = None,
) -> dict[str, Any]:
    """Everything the page shows for a measure, a type of territory, a design and a studied
    indicator, by output name; every section follows the type filter. Without a measure,
    every part says so."""
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
            "types_figure": empty,
            "types_summary": "",
            "types_title": "Effet selon le type de territoire",
            "types_csv": None,
            "types_xlsx": None,
            "territories": [],
            "warnings": [],
            "method": [],
            "plan_facts": [],
            "plan_choices": [],
        }
    plan = shown_plan(measure, plan)  # one lookup of "the latest" for the readers below
    evaluation = measure_evaluation(measure, plan)
    scope = _scope(type_choice, measure)
    code = studied_indicator(evaluation, indicator)
    studied = evaluation.indicator(code).indicator
    shown_plan_id = plan if plan != PROPOSAL else None
    params = {"mesure": measure, "type": scope, "plan": shown_plan_id}
    study_params = params | {"indicateur": code}
    types_params = {"mesure": measure, "plan": shown_plan_id, "indicateur": code}
    study = event_study_dataset(measure, type_choice, plan, code)
    by_type = effects_by_type_dataset(measure, plan, code)
    units = plan_units(measure, type_choice, plan)
    labels = {item.indicator.code: item.indicator.label for item in evaluation.indicators}
    return {
        "chain": chain_view(evaluation.chain_for(scope), scope),
        "estimates": estimates_view(estimates_dataset(measure, type_choice, plan)),
        "estimates_csv": export_url("evaluation", "csv", **params),
        "estimates_xlsx": export_url("evaluation", "xlsx", **params),
        "study_figure": event_study_figure(study, studied.unit),
        "study_summary": event_study_summary(study, studied.label),
        "study_title": f"Étude d'événement — {studied.label}",
        "study_csv": export_url("evaluation-etude", "csv", **study_params),
        "study_xlsx": export_url("evaluation-etude", "xlsx", **study_params),
        "types_figure": effects_by_type_figure(by_type, studied.unit, scope),
        "types_summary": effects_by_type_summary(by_type, studied.label),
        "types_title": f"Effet selon le type de territoire — {studied.label}",
        "types_csv": export_url("evaluation-types", "csv", **types_params),
        "types_xlsx": export_url("evaluation-types", "xlsx", **types_params),
        "territories": territories_view(units),
        "warnings": warnings_view(grouped_warnings(evaluation.warnings, labels, scope)),
        "method": method_view(evaluation),
        "plan_facts": plan_facts(evaluation),
        "plan_choices": choice_options(evaluation.design),
    }


def territories_map_outputs(
    measure: str | None, type_choice: str | None, plan: str | None
) -> dict[str, Any]:
    """The map card, by output name: its own callback, so that the rest of the page does not
    wait for the drawings (the frozen report's per-région SVG, cached by data version)."""
    if not measure or measure not in readers.catalogue().measures:
        return {
            "map_images": [html.P("Choisissez une mesure.", className="muted")],
            "map_summary": "",
            "map_legend": [],
            "map_csv": None,
            "map_xlsx": None,
        }
    plan = shown_plan(measure, plan)
    scope = _scope(type_choice, measure)
    params = {"mesure": measure, "type": scope, "plan": plan if plan != PROPOSAL else None}
    units = plan_units(measure, type_choice, plan)
    maps = territories_maps(measure, type_choice, plan)
    return {
        "map_images": territories_maps_view(maps),
        "map_summary": territories_map_summary(
            units[units["level"] == "COM"], [drawing.region for drawing in maps]
        ),
        "map_legend": legend(ROLE_CLASSES, {"not_applicable"}),
        "map_csv": export_url("evaluation-carte", "csv", **params),
        "map_xlsx": export_url("evaluation-carte", "xlsx", **params),
    }
