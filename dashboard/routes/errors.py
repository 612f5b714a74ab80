"""Errors in French: a plain page for failed requests, a notice for failed callbacks.

A request that fails (an exception in a route, a refused or unknown address) gets a short
French page — or a JSON body when the client asked for JSON. A Dash callback that raises leaves
its outputs as they were and shows a French notice at the top of the page instead of a broken
component; the error and its reference go to the server's log, never to the visitor.
"""

from __future__ import annotations

import json
import logging
import uuid
from html import escape
from typing import Any

import dash
from dash import Dash, Input, Output, html
from flask import Response, request
from werkzeug.exceptions import HTTPException

from dashboard.routes.page_shell import page_shell
from indicators.store import DatabaseError
from indicators.store.errors import classify

logger = logging.getLogger("dashboard.errors")

NOTICE_ID = "erreur-application"
PAGES_CONTENT = "_pages_content"  # the page container of Dash Pages

CHART_FAILED = "Ce graphique n'a pas pu être affiché à la suite d'une erreur du serveur."
MESSAGES = {
    400: ("Demande invalide", "La demande envoyée au serveur est incomplète ou mal formée."),
    401: ("Connexion requise", "Connectez-vous pour accéder à cette page ou à cette action."),
    403: ("Accès refusé", "Votre profil ne permet pas d'accéder à cette page ou à cette action."),
    404: ("Page introuvable", "L'adresse demandée ne correspond à aucune page ni aucun fichier."),
    405: ("Méthode non autorisée", "Cette adresse ne répond pas à ce type de demande."),
    413: (
        "Fichier trop volumineux",
        "Le fichier envoyé dépasse la taille autorisée par le service.",
    ),
    429: (
        "Trop de tentatives",
        "Trop de tentatives de connexion depuis votre adresse : patientez une minute avant de "
        "réessayer.",
    ),
    500: (
        "Erreur du serveur",
        "Une erreur inattendue s'est produite. L'équipe technique en est informée par le journal "
        "du serveur ; réessayez dans quelques instants.",
    ),
}

# The store's stable codes (indicators.store.errors), as a visitor reads them.
DATABASE_MESSAGES = {
    "database-busy": "Une autre opération est en cours, réessayez dans un instant.",
    "statement-timeout": (
        "La base de données a mis trop de temps à répondre ; réessayez dans un instant."
    ),
    "database-unavailable": (
        "La base de données est momentanément injoignable ; réessayez dans un instant. "
        "Rien n'a été enregistré."
    ),
}
# A background job (a check or a load of /import) whose process died before answering.
JOB_LOST = "suivi-job-lost"
JOB_LOST_MESSAGE = (
    "Le traitement a échoué : la tâche s'est arrêtée avant la fin. Rien n'a été enregistré ; "
    "vous pouvez relancer le chargement du même fichier."
)


def database_code(error: BaseException | None) -> str | None:
    """The store's code for ``error`` (or the error it was raised from), if it is one."""
    while error is not None:
        if isinstance(error, DatabaseError):
            return error.code
        kind = classify(error)
        if kind is not None:
            return kind.code
        error = error.__cause__ or error.__context__
    return None


def database_message(error: BaseException | None) -> str | None:
    """The French sentence for a database failure, ``None`` for any other error."""
    code = database_code(error)
    return DATABASE_MESSAGES.get(code) if code else None


PAGE = page_shell(
    "{title}",
    """        <p>{message}</p>
        {reference}
        <p>Retour à <a href="/">l'accueil</a>.</p>""",
)


def error_response(
    status: int, reference: str | None = None, message: str | None = None
) -> Response:
    """The French answer for ``status``: JSON when the client asked for it, else a page."""
    title, default = MESSAGES.get(status, MESSAGES[500])
    message = message or default
    wants_json = request.path.startswith(("/_dash-", "/api/")) or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
    )
    if wants_json:
        body: dict[str, Any] = {"erreur": title, "message": message}
        if reference:
            body["reference"] = reference
        response = Response(
            json.dumps(body, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    else:
        note = (
            f'<p class="small">Référence de l\'erreur : <code>{escape(reference)}</code></p>'
            if reference
            else ""
        )
        page = PAGE.format(title=escape(title), message=escape(message), reference=note)
        response = Response(page, status=status, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_http_error(error: HTTPException) -> Response:
    return error_response(error.code or 500)


def handle_server_error(error: Exception) -> Response:
    """Flask calls this for an unhandled exception (wrapped as a 500) or an explicit 500."""
    original = getattr(error, "original_exception", None) or error
    reference = uuid.uuid4().hex[:12]
    logger.error("erreur %s sur %s %s", reference, request.method, request.path, exc_info=original)
    unavailable = database_message(original)
    if unavailable:  # the database is down or busy: the service is, for now, unavailable
        return error_response(503, reference, unavailable)
    return error_response(500, reference)


class NoticeError(Exception):
    """Not a failure: a refusal whose French message is the notice itself (too many jobs…)."""


def callback_error_notice(error: Exception) -> Any:
    """Dash's ``on_error``: log the error, tell the visitor, keep the outputs as they were —
    except a chart's summary sentence, which says the chart could not be drawn, and the content
    of a page whose layout failed, which becomes a French error card. A :class:`NoticeError`
    is shown as it is, and not logged as an error."""
    context = dash.callback_context
    named = context.outputs_grouping if context.using_outputs_grouping else None
    if isinstance(named, dict):  # a callback with named outputs gets its answer by name
        names: list[str] | None = list(named)
        entries, single = list(named.values()), False
    else:
        spec = context.outputs_list
        names, single = None, isinstance(spec, dict)
        entries = [spec] if single else list(spec or [])
    if isinstance(error, NoticeError):
        return _by_name(_notice_outputs(str(error), entries, single), names)
    reference = uuid.uuid4().hex[:12]
    flat = [item for entry in entries for item in (entry if isinstance(entry, list) else [entry])]
    logger.error(
        "erreur %s dans le callback %s",
        reference,
        ", ".join(f"{o.get('id')}.{o.get('property')}" for o in flat) or "?",
        exc_info=error,
    )
    lost = JOB_LOST in str(error)
    cause = JOB_LOST_MESSAGE if lost else database_message(error)
    dash.set_props(NOTICE_ID, {"children": notice_children(reference, cause), "hidden": False})
    ids = [entry.get("id") if isinstance(entry, dict) else None for entry in entries]
    if ids == [PAGES_CONTENT, "_pages_store"]:
        return error_card(reference, cause), {"title": "Erreur — Suivi des territoires"}
    values = [_failed_value(entry, ids, cause if lost else None) for entry in entries]
    if all(value is dash.no_update for value in values):
        return None  # every output keeps its value
    return _by_name(values[0] if single else values, names)


def _by_name(values: Any, names: list[str] | None) -> Any:
    """Positional values as the callback's named outputs, when it has names."""
    return dict(zip(names, values, strict=True)) if names and isinstance(values, list) else values


def _failed_value(entry: Any, ids: list[Any], job_lost: str | None) -> Any:
    """What an output of a failed callback shows: a chart's sentence says it failed; the
    result zone of a lost /import job says so, and its load button can be pressed again."""
    if _is_chart_summary(entry, ids):
        return CHART_FAILED
    if job_lost and isinstance(entry, dict):
        target = (entry.get("id"), entry.get("property"))
        # a check names its request key among its outputs, a load does not
        load = "import-confirmation" in ids and "import-verifie" not in ids
        if target == (LOAD_RESULT_ZONE if load else CHECK_RESULT_ZONE):
            return html.P(job_lost, className="import-refused", role="alert")
        if target == ("import-valider", "disabled") and load:
            return False
    return dash.no_update


# Where a lost /import job says so: a check in its report's place; a load under the report,
# which stays on screen (the same file can be loaded again).
CHECK_RESULT_ZONE = ("import-resultat", "children")
LOAD_RESULT_ZONE = ("import-confirmation", "children")


def _notice_outputs(message: str, entries: list[Any], single: bool) -> Any:
    """The refusal in the callback's first ``children`` output (a background callback sends no
    ``set_props`` side update when it is refused before its job starts), the rest unchanged."""
    logger.info("refus : %s", message)
    values: list[Any] = [dash.no_update] * len(entries)
    for position, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("property") == "children":
            values[position] = html.P(message, className="import-refused", role="alert")
            break
    else:
        dash.set_props(NOTICE_ID, {"children": message, "hidden": False})
        return None
    return values[0] if single else values


def _is_chart_summary(entry: Any, ids: list[Any]) -> bool:
    """The sentence slot of ``chart_block`` (``X-summary``) updated with its chart (``X-graph``
    or ``X``) by the same callback."""
    if not isinstance(entry, dict) or entry.get("property") != "children":
        return False
    component = str(entry.get("id", ""))
    prefix = component.removesuffix("-summary")
    return component != prefix and bool({prefix, f"{prefix}-graph"} & set(ids))


def notice_children(reference: str, cause: str | None = None) -> list[Any]:
    """``cause``: the French sentence of a known failure (database down or busy, lost job)."""
    return [
        html.Strong("Une partie de la page n'a pas pu être mise à jour. "),
        f"{cause} " if cause else "",
        "Les autres éléments restent utilisables ; rechargez la page ou réessayez plus tard. ",
        html.Span(f"Référence de l'erreur : {reference}.", className="small"),
    ]


def error_card(reference: str, cause: str | None = None) -> html.Div:
    title, message = MESSAGES[500]
    return html.Div(
        [
            html.H1(title),
            html.P("Cette page n'a pas pu être affichée. " + (cause or message.split(". ", 1)[1])),
            html.P(f"Référence de l'erreur : {reference}.", className="small"),
            html.P(["Retour à ", html.A("l'accueil", href="/"), "."]),
        ],
        className="card",
    )


def error_notice() -> html.Div:
    """The notice region of the shell, hidden until a callback fails."""
    return html.Div(id=NOTICE_ID, role="alert", hidden=True, className="notice error-notice")


def init_errors(app: Dash) -> None:
    """French error pages for the Flask server, and a cleared notice on each new page."""
    server = app.server
    for status in (400, 401, 403, 404, 405, 413, 429):
        server.register_error_handler(status, handle_http_error)
    server.register_error_handler(500, handle_server_error)
    app.clientside_callback(
        "function(_path) { return true; }",
        Output(NOTICE_ID, "hidden"),
        Input("url", "pathname"),
        prevent_initial_call=True,
    )
