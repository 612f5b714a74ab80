"""The callbacks of ``chargements``: they read their inputs and call ``views``. ``page.py`` runs
this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import readers
from dashboard.auth import NotAllowed, current_user, is_allowed, requires
from dashboard.background import JobTimedOut, background_job
from dashboard.context import db_session
from dashboard.formatting import format_int, plural
from dashboard.import_views import (
    changes_table,
    issues_table,
    load_status,
    loads_table,
)
from dashboard.pages.chargements.views import (
    ISSUES_SHOWN,
    LOADS_SHOWN,
    issue_counts_table,
    may_read_issues,
)
from dashboard.routes.errors import DATABASE_MESSAGES
from indicators.accounts import record_event
from indicators.ingest import (
    RollbackRefused,
    get_load,
    list_loads,
    load_effects,
    load_issues,
    rollback_load,
)
from indicators.store import DatabaseError


@callback(
    output={
        "listing": Output("chargements-liste", "children"),
        "detail": Output("chargements-detail", "children"),
        "undo_hidden": Output("chargements-annuler", "hidden"),
    },
    inputs={
        "load_id": Input("chargements-demande", "data"),
        "_done": Input("chargements-rollback-fait", "data"),
    },
)
@requires("view")
def show_loads(load_id: int | None, _done: int) -> dict[str, Any]:
    with db_session() as session:
        loads = list_loads(session, limit=LOADS_SHOWN)
        listing: Any = (
            loads_table(loads)
            if loads
            else html.P("Aucun chargement pour l'instant : importez un fichier.")
        )
        if load_id is None:
            return {"listing": listing, "detail": None, "undo_hidden": True}
        summary = get_load(session, load_id)
        if summary is None:
            missing = html.P(f"Chargement n°{load_id} introuvable.", role="alert")
            return {"listing": listing, "detail": missing, "undo_hidden": True}
        issues = load_issues(session, load_id, limit=ISSUES_SHOWN + 1)
        effects = load_effects(session, load_id, limit=ISSUES_SHOWN + 1)
    facts = [
        ("Fichier", summary.filename),
        ("Date", f"{summary.created_at:%d/%m/%Y %H:%M}"),
        ("Utilisateur", summary.username or "—"),
        ("Partenaire", summary.partner_code or "—"),
        ("Statut", load_status(summary)),
        ("Lignes lues", format_int(summary.rows_read)),
        (
            "Effets",
            f"{format_int(summary.created)} créées, {format_int(summary.updated)} modifiées, "
            f"{format_int(summary.unchanged)} inchangées, "
            f"{format_int(summary.withdrawn)} retirées, {format_int(summary.rejected)} rejetées, "
            f"{format_int(summary.warnings)} avertissements",
        ),
    ]
    detail: list[Any] = [
        html.Dl(
            [html.Div([html.Dt(label), html.Dd(value)]) for label, value in facts],
            className="load-facts",
        ),
        html.P(dcc.Link("Retour à la liste des chargements", href="/chargements")),
    ]
    counts = summary.details.get("issue_counts") or {}
    if counts:
        detail.append(issue_counts_table(counts))
    user = current_user()
    if issues and may_read_issues(user, summary.partner_code):
        detail.append(issues_table(issues, "Anomalies du fichier"))
    elif issues:
        detail.append(
            html.P(
                f"{plural(len(issues), 'anomalie')} : seuls le partenaire du chargement et les "
                "administrateurs en voient le détail (les valeurs rejetées sont les siennes).",
                className="muted",
            )
        )
    if not effects.empty:
        detail.append(
            changes_table(effects, "Valeurs écrites par ce chargement", readers.referential().name)
        )
    can_undo = (
        summary.status == "committed"
        and summary.rollback_of is None
        and is_allowed(user, "upload")
        and user.partner_scope in (None, summary.partner_code)
    )
    return {"listing": listing, "detail": detail, "undo_hidden": not can_undo}


@callback(
    Output("chargements-rollback-confirmation", "displayed"),
    Input("chargements-annuler", "n_clicks"),
    prevent_initial_call=True,
)
@requires("view")
def ask_confirmation(clicks: int) -> bool:
    return bool(clicks)


@callback(
    output={
        "message": Output("chargements-rollback-message", "children"),
        "done": Output("chargements-rollback-fait", "data"),
    },
    inputs={"submitted": Input("chargements-rollback-confirmation", "submit_n_clicks")},
    state={
        "load_id": State("chargements-demande", "data"),
        "done": State("chargements-rollback-fait", "data"),
    },
    prevent_initial_call=True,
    # a background job (issue #12): a large load's rollback outlives a web request's timeout,
    # and counts in the per-person and server-wide limits of long jobs
    background=True,
    running=[(Output("chargements-annuler", "disabled"), True, False)],
)
@requires("upload")
def undo_load(submitted: int | None, load_id: int | None, done: int | None) -> dict[str, Any]:
    if not submitted or load_id is None:
        return {"message": no_update, "done": no_update}
    try:
        with background_job("upload") as user, db_session() as session, session.begin():
            outcome = rollback_load(
                session,
                load_id,
                catalogue=readers.catalogue(),
                username=user.username or "web",
                partner_scope=user.partner_scope,
            )
            record_event(
                session,
                "rollback",
                username=user.username,
                ip=user.address,
                load_id=load_id,
                rollback_load_id=outcome.load_id,
            )
    except (RollbackRefused, NotAllowed, JobTimedOut) as error:
        refused = html.P(f"Annulation refusée : {error}", className="import-refused", role="alert")
        return {"message": refused, "done": no_update}
    except DatabaseError as error:  # nothing was undone: the same rollback can be asked again
        message = f"Annulation non effectuée : {DATABASE_MESSAGES[error.code]}"
        return {
            "message": html.P(message, className="import-refused", role="alert"),
            "done": no_update,
        }
    link = dcc.Link(
        f"Voir l'annulation (chargement n°{outcome.load_id})",
        href=f"/chargements?id={outcome.load_id}",
    )
    return {
        "message": html.Div([html.P(outcome.summary(), className="import-valid"), link]),
        "done": (done or 0) + 1,
    }
