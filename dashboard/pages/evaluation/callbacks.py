"""The evaluation page's callbacks. ``page.py`` runs this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, ctx, html, no_update

from dashboard import readers
from dashboard.audit import audit
from dashboard.auth import NotAllowed, current_user, requires
from dashboard.background import JobTimedOut, background_job
from dashboard.pages.evaluation.plans import (
    PlanError,
    change_design,
    design_of,
    plan_options,
    resolve_territory,
)
from dashboard.pages.evaluation.views import (
    _alert,
    evaluation_view,
    frozen_report_outputs,
)
from dashboard.reports import pdf_available
from dashboard.url_state import sync_query_string


@callback(
    Output("evaluation-plan", "options"),
    Output("evaluation-plan", "value"),
    Input("evaluation-mesure", "value"),
    Input("evaluation-design-saved", "data"),
    Input("evaluation-report-frozen", "data"),
    State("evaluation-plan", "value"),
)
@requires("view")
def update_plan_choices(
    measure: str | None,
    saved: dict[str, Any] | None,
    frozen: dict[str, Any] | None,
    shown: str | None,
) -> tuple[list[dict[str, str]], str | None]:
    """The measure's design versions; after a save, the new version; else the one shown if it
    belongs to the measure, else the latest."""
    if not measure or measure not in readers.catalogue().measures:
        return [], None
    options = plan_options(measure)
    values = [option["value"] for option in options]
    fresh = saved if ctx.triggered_id == "evaluation-design-saved" else frozen
    if ctx.triggered_id != "evaluation-mesure" and fresh and str(fresh.get("id")) in values:
        return options, str(fresh["id"])
    return options, shown if shown in values else values[0]


@callback(
    Output("evaluation-design-message", "children"),
    Output("evaluation-design-saved", "data"),
    Input("evaluation-design-pin", "n_clicks"),
    Input("evaluation-design-exclude", "n_clicks"),
    Input("evaluation-design-undo", "n_clicks"),
    State("evaluation-mesure", "value"),
    State("evaluation-plan", "value"),
    State("evaluation-design-territoire", "value"),
    State("evaluation-design-comment", "value"),
    State("evaluation-plan-choices", "value"),
    prevent_initial_call=True,
)
@requires("evaluate")
def adjust_plan(
    _pin: int | None,
    _exclude: int | None,
    _undo: int | None,
    measure: str | None,
    plan: str | None,
    territory_text: str | None,
    comment: str | None,
    choice: str | None,
) -> tuple[Any, Any]:
    """Pin, exclude or withdraw a choice; the adjusted design is saved as a new version."""
    if not measure or measure not in readers.catalogue().measures:
        return _alert("Choisissez d'abord une mesure."), no_update
    action = {
        "evaluation-design-pin": "pin",
        "evaluation-design-exclude": "exclude",
        "evaluation-design-undo": "undo",
    }.get(str(ctx.triggered_id))
    if action is None:
        return no_update, no_update
    try:
        if action == "undo":
            if not choice or ":" not in choice:
                raise PlanError(
                    "Choisissez d'abord, dans la liste, l'épingle ou l'exclusion à annuler."
                )
            change, territory = choice.split(":", 1)
            base = design_of(measure, plan)
        else:
            change, base = action, design_of(measure, plan)
            territory = resolve_territory(territory_text, base.levels)
        saved = change_design(
            base,
            change,  # type: ignore[arg-type]
            territory,
            author=current_user().username or "web",
            comment=comment,
        )
    except PlanError as error:
        return _alert(str(error)), no_update
    audit(
        "design-saved",
        measure=measure,
        version=saved.design.version,
        change=change,
        territory=territory,
    )
    return (
        html.P(saved.message, className="alert alert-success"),
        {"id": saved.design.id, "version": saved.design.version},
    )


@callback(
    Output("evaluation-report-download", "data"),
    Output("evaluation-report-message", "children"),
    Output("evaluation-report-frozen", "data"),
    Input("evaluation-report-html", "n_clicks"),
    Input("evaluation-report-pdf", "n_clicks"),
    State("evaluation-mesure", "value"),
    State("evaluation-plan", "value"),
    prevent_initial_call=True,
    # a background job (issue #12): Chromium prints the PDF in seconds, outside the web worker,
    # within the per-person and server-wide limits of long jobs
    background=True,
    running=[
        (Output("evaluation-report-html", "disabled"), True, False),
        (Output("evaluation-report-pdf", "disabled"), True, not pdf_available()),
    ],
)
@requires("evaluate")
def freeze_report(
    _html: int | None, _pdf: int | None, measure: str | None, plan: str | None
) -> tuple[Any, Any, Any]:
    """Save the proposal if the measure has no design yet, then send the frozen report."""
    try:
        with background_job("evaluate") as user:
            return frozen_report_outputs(measure, plan, user, ctx.triggered_id)
    except (NotAllowed, JobTimedOut) as error:
        return no_update, _alert(str(error)), no_update


def chart_outputs(name: str, component: str) -> dict[str, Output]:
    """The four outputs of a ``chart_block``: figure, sentence, CSV and XLSX links."""
    return {
        f"{name}_figure": Output(f"{component}-graph", "figure"),
        f"{name}_summary": Output(f"{component}-summary", "children"),
        f"{name}_csv": Output(f"{component}-csv", "href"),
        f"{name}_xlsx": Output(f"{component}-xlsx", "href"),
    }


@callback(
    # in this order: test and benchmark clients name the outputs by position
    output={
        "chain": Output("evaluation-chain", "children"),
        "estimates": Output("evaluation-estimates", "children"),
        "estimates_csv": Output("evaluation-estimates-csv", "href"),
        "estimates_xlsx": Output("evaluation-estimates-xlsx", "href"),
        "study_figure": Output("evaluation-etude-graph", "figure"),
        "study_summary": Output("evaluation-etude-summary", "children"),
        "study_title": Output("evaluation-etude-title", "children"),
        "study_csv": Output("evaluation-etude-csv", "href"),
        "study_xlsx": Output("evaluation-etude-xlsx", "href"),
        "map_figure": Output("evaluation-carte-graph", "figure"),
        "map_summary": Output("evaluation-carte-summary", "children"),
        "map_legend": Output("evaluation-carte-legend", "children"),
        "map_csv": Output("evaluation-carte-csv", "href"),
        "map_xlsx": Output("evaluation-carte-xlsx", "href"),
        "territories": Output("evaluation-territories", "children"),
        "warnings": Output("evaluation-warnings", "children"),
        "method": Output("evaluation-method", "children"),
        "plan_facts": Output("evaluation-plan-facts", "children"),
        "plan_choices": Output("evaluation-plan-choices", "options"),
    },
    inputs={
        "measure": Input("evaluation-mesure", "value"),
        "type_choice": Input("evaluation-type", "value"),
        "plan": Input("evaluation-plan", "value"),
    },
)
@requires("view")
def update_evaluation(
    measure: str | None, type_choice: str | None, plan: str | None
) -> dict[str, Any]:
    return evaluation_view(measure, type_choice, plan)


sync_query_string(
    "evaluation",
    {"mesure": "evaluation-mesure", "type": "evaluation-type", "plan": "evaluation-plan"},
)
