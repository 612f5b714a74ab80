"""The evaluation page's callbacks. ``page.py`` runs this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, ctx, html, no_update

from dashboard import readers
from dashboard.audit import audit
from dashboard.auth import NotAllowed, current_user, requires
from dashboard.background import JobTimedOut, background_job
from dashboard.components.chart import chart_outputs
from dashboard.pages.evaluation.plans import (
    PlanError,
    change_design,
    design_of,
    plan_options,
    resolve_territory,
    save_proposal,
)
from dashboard.pages.evaluation.views import (
    _alert,
    choice_outputs,
    evaluation_view,
    frozen_report_outputs,
    territories_map_outputs,
)
from dashboard.reports import pdf_available
from dashboard.url_state import sync_query_string


@callback(
    output={
        "options": Output("evaluation-plan", "options"),
        "value": Output("evaluation-plan", "value"),
    },
    inputs={
        "measure": Input("evaluation-mesure", "value"),
        "saved": Input("evaluation-design-saved", "data"),
        "frozen": Input("evaluation-report-frozen", "data"),
    },
    state={"shown": State("evaluation-plan", "value")},
)
@requires("view")
def update_plan_choices(
    measure: str | None,
    saved: dict[str, Any] | None,
    frozen: dict[str, Any] | None,
    shown: str | None,
) -> dict[str, Any]:
    """The measure's design versions; after a save, the new version; else the one shown if it
    belongs to the measure, else the latest."""
    if not measure or measure not in readers.catalogue().measures:
        return {"options": [], "value": None}
    options = plan_options(measure)
    values = [option["value"] for option in options]
    fresh = saved if ctx.triggered_id == "evaluation-design-saved" else frozen
    if ctx.triggered_id != "evaluation-mesure" and fresh and str(fresh.get("id")) in values:
        return {"options": options, "value": str(fresh["id"])}
    return {"options": options, "value": shown if shown in values else values[0]}


@callback(
    output={
        "type_options": Output("evaluation-type", "options"),
        "type_value": Output("evaluation-type", "value"),
        "indicator_options": Output("evaluation-indicateur", "options"),
        "indicator_value": Output("evaluation-indicateur", "value"),
    },
    inputs={"measure": Input("evaluation-mesure", "value")},
    state={
        "type_shown": State("evaluation-type", "value"),
        "indicator_shown": State("evaluation-indicateur", "value"),
    },
)
@requires("view")
def update_measure_filters(
    measure: str | None, type_shown: str | None, indicator_shown: str | None
) -> dict[str, Any]:
    """Only the territory types the measure targets are offered, and its own indicators."""
    return choice_outputs(measure, type_shown, indicator_shown)


@callback(
    output={
        "message": Output("evaluation-design-message", "children"),
        "saved": Output("evaluation-design-saved", "data"),
    },
    inputs={
        "_pin": Input("evaluation-design-pin", "n_clicks"),
        "_exclude": Input("evaluation-design-exclude", "n_clicks"),
        "_undo": Input("evaluation-design-undo", "n_clicks"),
        "_save": Input("evaluation-design-save", "n_clicks"),
    },
    state={
        "measure": State("evaluation-mesure", "value"),
        "plan": State("evaluation-plan", "value"),
        "territory_text": State("evaluation-design-territoire", "value"),
        "comment": State("evaluation-design-comment", "value"),
        "choice": State("evaluation-plan-choices", "value"),
    },
    prevent_initial_call=True,
)
@requires("evaluate")
def adjust_plan(
    _pin: int | None,
    _exclude: int | None,
    _undo: int | None,
    _save: int | None,
    measure: str | None,
    plan: str | None,
    territory_text: str | None,
    comment: str | None,
    choice: str | None,
) -> dict[str, Any]:
    """Pin, exclude or withdraw a choice, or save the proposal as it is: each saves a new
    version under the signed-in evaluator's name."""
    if not measure or measure not in readers.catalogue().measures:
        return {"message": _alert("Choisissez d'abord une mesure."), "saved": no_update}
    action = {
        "evaluation-design-pin": "pin",
        "evaluation-design-exclude": "exclude",
        "evaluation-design-undo": "undo",
        "evaluation-design-save": "save",
    }.get(str(ctx.triggered_id))
    if action is None:
        return {"message": no_update, "saved": no_update}
    author = current_user().username
    try:
        if action == "save":
            change, territory = "save", None
            saved = save_proposal(measure, author=author, comment=comment)
        else:
            base = design_of(measure, plan)
            if action == "undo":
                if not choice or ":" not in choice:
                    raise PlanError(
                        "Choisissez d'abord, dans la liste, l'épingle ou l'exclusion à annuler."
                    )
                change, territory = choice.split(":", 1)
            else:
                change = action
                territory = resolve_territory(territory_text, base.levels)
            if not author:
                raise PlanError("Connectez-vous avec un compte d'évaluateur pour ajuster le plan.")
            saved = change_design(
                base,
                change,  # type: ignore[arg-type]
                territory,
                author=author,
                comment=comment,
            )
    except PlanError as error:
        return {"message": _alert(str(error)), "saved": no_update}
    audit(
        "design-saved",
        measure=measure,
        version=saved.design.version,
        change=change,
        territory=territory,
    )
    return {
        "message": html.P(saved.message, className="alert alert-success"),
        "saved": {"id": saved.design.id, "version": saved.design.version},
    }


@callback(
    output={
        "download": Output("evaluation-report-download", "data"),
        "message": Output("evaluation-report-message", "children"),
        "frozen": Output("evaluation-report-frozen", "data"),
    },
    inputs={
        "_html": Input("evaluation-report-html", "n_clicks"),
        "_pdf": Input("evaluation-report-pdf", "n_clicks"),
    },
    state={
        "measure": State("evaluation-mesure", "value"),
        "plan": State("evaluation-plan", "value"),
    },
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
) -> dict[str, Any]:
    """Send the frozen report of the saved design shown; downloading saves nothing."""
    try:
        with background_job("evaluate") as user:
            return frozen_report_outputs(measure, plan, user, ctx.triggered_id)
    except (NotAllowed, JobTimedOut) as error:
        return {"download": no_update, "message": _alert(str(error)), "frozen": no_update}


@callback(
    output={
        "chain": Output("evaluation-chain", "children"),
        "estimates": Output("evaluation-estimates", "children"),
        "estimates_csv": Output("evaluation-estimates-csv", "href"),
        "estimates_xlsx": Output("evaluation-estimates-xlsx", "href"),
        **chart_outputs("study", "evaluation-etude", title=True),
        **chart_outputs("types", "evaluation-types", title=True),
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
        "indicator": Input("evaluation-indicateur", "value"),
    },
)
@requires("view")
def update_evaluation(
    measure: str | None, type_choice: str | None, plan: str | None, indicator: str | None
) -> dict[str, Any]:
    return evaluation_view(measure, type_choice, plan, indicator)


@callback(
    output={
        "map_images": Output("evaluation-carte-maps", "children"),
        "map_summary": Output("evaluation-carte-summary", "children"),
        "map_legend": Output("evaluation-carte-legend", "children"),
        "map_csv": Output("evaluation-carte-csv", "href"),
        "map_xlsx": Output("evaluation-carte-xlsx", "href"),
    },
    inputs={
        "measure": Input("evaluation-mesure", "value"),
        "type_choice": Input("evaluation-type", "value"),
        "plan": Input("evaluation-plan", "value"),
    },
)
@requires("view")
def update_territories_map(
    measure: str | None, type_choice: str | None, plan: str | None
) -> dict[str, Any]:
    """Its own request: the other sections do not wait for the drawings."""
    return territories_map_outputs(measure, type_choice, plan)


sync_query_string(
    "evaluation",
    {
        "mesure": "evaluation-mesure",
        "type": "evaluation-type",
        "plan": "evaluation-plan",
        "indicateur": "evaluation-indicateur",
    },
)
