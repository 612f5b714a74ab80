"""The callbacks of ``administration_catalogue``: save a definition, show its versions. ``page.py``
runs this module once per app. Both are for administrators only (403 for anyone else)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Input, Output, State, callback

from dashboard import readers
from dashboard.audit import audit
from dashboard.auth import current_user, requires
from dashboard.context import app_context, db_session
from dashboard.pages.administration_catalogue import saving, views
from dashboard.pages.administration_catalogue.targets import FormError
from dashboard.routes.errors import DATABASE_MESSAGES
from indicators.catalogue import CatalogueError
from indicators.catalogue.edits import edit_history
from indicators.catalogue.tables import EDITABLE_KINDS, TableEdit
from indicators.precompute.catalogue_edit import save_edit
from indicators.precompute.lineage import indicator_versions
from indicators.store import DatabaseError, database_errors


@callback(
    output={
        "resultat": Output("catadmin-resultat", "children"),
        "erreurs": Output({"type": views.ERROR, "key": ALL}, "children"),
        "enregistre": Output("catadmin-enregistre", "data"),
    },
    inputs={"clicks": Input("catadmin-enregistrer", "n_clicks")},
    state={
        "kind": State("catadmin-type", "data"),
        "code": State("catadmin-code", "data"),
        "ids": State({"type": views.FIELD, "key": ALL}, "id"),
        "values": State({"type": views.FIELD, "key": ALL}, "value"),
        "error_ids": State({"type": views.ERROR, "key": ALL}, "id"),
    },
    prevent_initial_call=True,
)
@requires("admin")
def save_definition(
    clicks: int | None,
    kind: str,
    code: str | None,
    ids: list[dict[str, str]],
    values: list[Any],
    error_ids: list[dict[str, str]],
) -> dict[str, Any]:
    form = {ident["key"]: value for ident, value in zip(ids, values, strict=True)}
    keys = [ident["key"] for ident in error_ids]
    return save_outputs(kind, code, form, keys).outputs()


def save_outputs(
    kind: str, code: str | None, form: Mapping[str, Any], error_keys: Sequence[str]
) -> saving.SaveOutputs:
    """Check and save the form of one definition (``code``: the one edited, ``None`` for a new
    one); audited in the same transaction."""
    if kind not in EDITABLE_KINDS:
        return saving.message_outputs(f"Type de définition inconnu : {kind}", error_keys)
    catalogue = readers.catalogue()
    current = views.current_table(kind, code, catalogue) if code else None
    try:
        table = saving.form_table(kind, form, current)
    except FormError as error:
        return saving.form_error_outputs(error, error_keys)
    if code:
        table["code"] = code  # the code names the definition: it is not changed here
    edit = TableEdit(kind, str(table.get("code", "")), table)
    if code is None and views.current_table(kind, edit.code, catalogue) is not None:
        taken = CatalogueError(edit.source, 2, saving.exists_message(kind, edit.code))
        return saving.refused_outputs(edit, [taken], error_keys)
    user = current_user()
    try:
        with database_errors(), db_session() as session, session.begin():
            outcome = save_edit(session, edit, user.username, app_context().settings.catalogue_dir)
            if outcome.saved:
                audit(
                    "catalogue-edited",
                    session,
                    kind=kind,
                    code=edit.code,
                    created=outcome.created,
                    version=outcome.version,
                )
    except DatabaseError as error:
        return saving.message_outputs(DATABASE_MESSAGES.get(error.code, str(error)), error_keys)
    if outcome.errors:
        return saving.refused_outputs(edit, outcome.errors, error_keys)
    if outcome.refused:
        return saving.message_outputs(outcome.refused, error_keys)
    readers.forget_catalogue()
    return saving.saved_outputs(kind, edit.code, outcome.created, outcome.version, error_keys)


@callback(
    Output("catadmin-historique", "children"),
    Input("catadmin-enregistre", "data"),
    State("catadmin-type", "data"),
    State("catadmin-code", "data"),
)
@requires("admin")
def show_history(saved: dict[str, str] | None, kind: str, code: str | None) -> Any:
    code = (saved or {}).get("code") or code
    if not code:
        return None
    with db_session() as session:
        history = edit_history(session, kind, code)
        versions = indicator_versions(session, code) if kind == "indicator" else None
    return views.history(versions, history)
