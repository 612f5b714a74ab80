"""``/chargements``: the history of loads; ``?id=N`` shows one load's issues and effects, and lets
an administrator undo it, or a déposant undo its partner's loads (``suivi loads list|show|rollback``
on the web). A load's rejected lines are shown to its partner's people and administrators only."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import readers
from dashboard.auth import NotAllowed, User, current_user, is_allowed, requires
from dashboard.background import JobTimedOut, background_job
from dashboard.context import db_session
from dashboard.import_views import (
    changes_table,
    issues_table,
    load_status,
    loads_table,
    number,
    table,
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

dash.register_page(
    __name__,
    path="/chargements",
    name="Chargements",
    title="Chargements — Suivi des territoires",
    order=60,
)

LOADS_SHOWN = 100
ISSUES_SHOWN = 200


def _load_id(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def layout(id: str | None = None, **_other: str) -> html.Div:
    load_id = _load_id(id)
    return html.Div(
        [
            html.H1("Chargements" if load_id is None else f"Chargement n°{load_id}"),
            dcc.Store(id="chargements-demande", data=load_id),
            dcc.Store(id="chargements-rollback-fait", data=0),
            html.Div(id="chargements-detail"),
            html.Div(
                [
                    html.Button(
                        "Annuler ce chargement",
                        id="chargements-annuler",
                        className="btn btn-danger",
                        n_clicks=0,
                        hidden=True,
                    ),
                    dcc.ConfirmDialog(
                        id="chargements-rollback-confirmation",
                        message=(
                            f"Annuler le chargement n°{load_id} ? Chaque valeur qu'il a écrite "
                            "retrouvera sa valeur précédente ; les valeurs qu'il a créées seront "
                            "supprimées."
                        ),
                    ),
                    html.Div(id="chargements-rollback-message", role="status"),
                ],
                className="chargements-rollback",
                hidden=load_id is None,
            ),
            html.H2("Historique des chargements"),
            html.P(dcc.Link("Importer un fichier", href="/import")),
            html.Div(id="chargements-liste"),
        ],
        className="chargements-page",
    )


def may_read_issues(user: User, load_partner: str | None) -> bool:
    """A load's rejected lines hold its partner's raw values: shown to that partner's people
    and to administrators only (issue #12)."""
    if is_allowed(user, "admin"):
        return True
    return user.partner_code is not None and user.partner_code == load_partner


@callback(
    Output("chargements-liste", "children"),
    Output("chargements-detail", "children"),
    Output("chargements-annuler", "hidden"),
    Input("chargements-demande", "data"),
    Input("chargements-rollback-fait", "data"),
)
@requires("view")
def show_loads(load_id: int | None, _done: int) -> tuple[Any, Any, bool]:
    with db_session() as session:
        loads = list_loads(session, limit=LOADS_SHOWN)
        listing: Any = (
            loads_table(loads)
            if loads
            else html.P("Aucun chargement pour l'instant : importez un fichier.")
        )
        if load_id is None:
            return listing, None, True
        summary = get_load(session, load_id)
        if summary is None:
            return listing, html.P(f"Chargement n°{load_id} introuvable.", role="alert"), True
        issues = load_issues(session, load_id, limit=ISSUES_SHOWN + 1)
        effects = load_effects(session, load_id, limit=ISSUES_SHOWN + 1)
    facts = [
        ("Fichier", summary.filename),
        ("Date", f"{summary.created_at:%d/%m/%Y %H:%M}"),
        ("Utilisateur", summary.username or "—"),
        ("Partenaire", summary.partner_code or "—"),
        ("Statut", load_status(summary)),
        ("Lignes lues", number(summary.rows_read)),
        (
            "Effets",
            f"{number(summary.created)} créées, {number(summary.updated)} modifiées, "
            f"{number(summary.unchanged)} inchangées, {number(summary.withdrawn)} retirées, "
            f"{number(summary.rejected)} rejetées, {number(summary.warnings)} avertissements",
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
                f"{number(len(issues))} anomalie(s) : seuls le partenaire du chargement et les "
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
    return listing, detail, not can_undo


def issue_counts_table(counts: dict[str, int]) -> html.Div:
    """Every issue of the file, counted by code: only the first ones are kept one by one."""
    rows = [[code, number(int(count))] for code, count in sorted(counts.items())]
    return html.Div(table(["Code", "Anomalies"], rows, "Anomalies par code", {1}))


@callback(
    Output("chargements-rollback-confirmation", "displayed"),
    Input("chargements-annuler", "n_clicks"),
    prevent_initial_call=True,
)
@requires("view")
def ask_confirmation(clicks: int) -> bool:
    return bool(clicks)


@callback(
    Output("chargements-rollback-message", "children"),
    Output("chargements-rollback-fait", "data"),
    Input("chargements-rollback-confirmation", "submit_n_clicks"),
    State("chargements-demande", "data"),
    State("chargements-rollback-fait", "data"),
    prevent_initial_call=True,
    # a background job (issue #12): a large load's rollback outlives a web request's timeout,
    # and counts in the per-person and server-wide limits of long jobs
    background=True,
    running=[(Output("chargements-annuler", "disabled"), True, False)],
)
@requires("upload")
def undo_load(submitted: int | None, load_id: int | None, done: int | None) -> tuple[Any, Any]:
    if not submitted or load_id is None:
        return no_update, no_update
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
        return html.P(f"Annulation refusée : {error}", className="import-refused", role="alert"), (
            no_update
        )
    except DatabaseError as error:  # nothing was undone: the same rollback can be asked again
        message = f"Annulation non effectuée : {DATABASE_MESSAGES[error.code]}"
        return html.P(message, className="import-refused", role="alert"), no_update
    link = dcc.Link(
        f"Voir l'annulation (chargement n°{outcome.load_id})",
        href=f"/chargements?id={outcome.load_id}",
    )
    return html.Div([html.P(outcome.summary(), className="import-valid"), link]), (done or 0) + 1
