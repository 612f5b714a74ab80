"""The import page's callbacks: thin wrappers around ``views``. ``page.py`` runs this module
once per app."""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import Input, Output, State, callback, no_update
from dash.exceptions import PreventUpdate

from dashboard.auth import NotAllowed, current_user, requires
from dashboard.background import JobTimedOut, background_job
from dashboard.context import app_context, db_session
from dashboard.import_views import UploadTooLarge, decode_upload, megabytes
from dashboard.pages.importer.progress import CHECK_STAGES, LOAD_STAGES, ThrottledProgress
from dashboard.pages.importer.uploads import keep_upload
from dashboard.pages.importer.views import (
    AUTO_PROFILE,
    UNLOADED_KEPT_S,
    UPLOAD_NOT_STORED,
    _alert,
    _to_bar,
    check_outputs,
    load_outputs,
    max_bytes,
    partner_help,
)
from indicators.ingest import (
    RawFileNotStored,
    SourceError,
    check_upload,
    list_profiles,
    loaded_files,
    prune_raw_files,
    safe_filename,
)

POLL_MS = 500  # how often the browser asks a running job for its progress


# While a check or a load runs: no second click, no other file, the progress bar shown.
RUNNING = [
    (Output("import-actions", "disabled"), True, False),
    (Output("import-upload", "disabled"), True, False),
    (Output("import-progression-zone", "hidden"), False, True),
]


PROGRESS = [Output("import-progression", "value"), Output("import-progression-texte", "children")]


BACKGROUND: dict[str, Any] = {
    "background": True,
    "running": RUNNING,
    "progress": PROGRESS,
    "progress_default": ["0", "Démarrage…"],
    "cancel": [Input("import-annuler", "n_clicks")],
    "interval": POLL_MS,
}


@callback(Output("import-limite", "children"), Input("import-upload", "id"))
@requires("view")
def show_size_limit(_id: str) -> str:
    return f" (CSV ou XLSX, {megabytes(max_bytes())} au plus)"


@callback(
    output={
        "stored": Output("import-contenu", "data"),
        "line": Output("import-fichier", "children"),
    },
    inputs={
        "contents": Input("import-upload", "contents"),
        "filename": State("import-upload", "filename"),
    },
    prevent_initial_call=True,
)
@requires("upload")
def receive_upload(contents: str | None, filename: str | None) -> dict[str, Any]:
    """Keep the file on the server, the page gets a token; refuse it at once when too large,
    too wide, with too long a line, or an XLSX that would inflate too much (issue #12): such a
    file is not kept."""
    if not contents:
        return {"stored": None, "line": ""}
    name = safe_filename(filename or "fichier")
    try:
        upload = decode_upload(name, contents, max_bytes())
        check_upload(upload, max_bytes=max_bytes())
    except (UploadTooLarge, SourceError) as error:
        return {"stored": None, "line": f"« {name} » refusé, rien n'a été enregistré. {error}"}
    settings = app_context().settings
    try:
        token = keep_upload(
            upload, settings.raw_files_dir, settings.secret_key, current_user().username
        )
    except RawFileNotStored as error:
        return {
            "stored": None,
            "line": f"« {name} » non enregistré. {UPLOAD_NOT_STORED[error.code]}",
        }
    with db_session() as session:  # files checked but never loaded do not pile up
        prune_raw_files(
            settings.raw_files_dir, loaded_files(session) | {upload.sha256}, UNLOADED_KEPT_S
        )
    return {
        "stored": {"filename": name, "size": upload.size, "token": token},
        "line": f"Fichier reçu : « {name} » ({megabytes(upload.size)}). Cliquez sur « Vérifier ».",
    }


@callback(Output("import-profil", "options"), Input("import-partenaire", "value"))
@requires("upload")
def update_profile_choices(partner: str | None) -> list[dict[str, str]]:
    with db_session() as session:
        profiles = list_profiles(session)
    scope = current_user().partner_scope
    partner = scope or partner or None  # a déposant never sees another partner's profiles
    options = [{"label": "Détection automatique", "value": AUTO_PROFILE}]
    for stored in profiles:
        if stored.partner_code not in (None, partner):
            continue
        owner = f" ({stored.partner_code})" if stored.partner_code else ""
        options.append({"label": f"{stored.name}{owner}", "value": str(stored.id)})
    return options


@callback(
    output={
        "report": Output("import-resultat", "children"),
        "disabled": Output("import-valider", "disabled"),
        "key": Output("import-verifie", "data"),
        "confirmation": Output("import-confirmation", "children"),
    },
    inputs={
        "_clicks": Input("import-verifier", "n_clicks"),
        "stored": State("import-contenu", "data"),
        "partner": State("import-partenaire", "value"),
        "profile_id": State("import-profil", "value"),
        "options": State("import-options", "value"),
    },
    prevent_initial_call=True,
    **BACKGROUND,
)
@requires("upload")
def check_file(
    set_progress: Any,
    _clicks: int,
    stored: dict[str, Any] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str] | None,
) -> dict[str, Any]:
    """A background job: the user was captured in the request and is checked again here."""
    try:
        with background_job("upload") as user:
            progress = ThrottledProgress(_to_bar(set_progress), CHECK_STAGES)
            return check_outputs(stored, partner or None, profile_id, options or [], user, progress)
    except (NotAllowed, JobTimedOut) as error:
        return {"report": _alert(str(error)), "disabled": True, "key": None, "confirmation": None}


@callback(
    output={
        "result": Output("import-resultat", "children", allow_duplicate=True),
        "file": Output("import-fichier", "children", allow_duplicate=True),
        "confirmation": Output("import-confirmation", "children", allow_duplicate=True),
        "disabled": Output("import-valider", "disabled", allow_duplicate=True),
    },
    inputs={
        "clicks": Input("import-valider", "n_clicks"),
        "stored": State("import-contenu", "data"),
        "partner": State("import-partenaire", "value"),
        "profile_id": State("import-profil", "value"),
        "options": State("import-options", "value"),
        "checked": State("import-verifie", "data"),
    },
    prevent_initial_call=True,
    **BACKGROUND,
)
@requires("upload")
def load_file(
    set_progress: Any,
    clicks: int,
    stored: dict[str, Any] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str] | None,
    checked: str | None,
) -> dict[str, Any]:
    """A background job: the user was captured in the request and is checked again here. The
    loaded panel replaces the dry run's report."""
    if not clicks:
        raise PreventUpdate
    try:
        with background_job("upload") as user:
            progress = ThrottledProgress(_to_bar(set_progress), LOAD_STAGES)
            return load_outputs(
                stored, partner or None, profile_id, options or [], checked, user, progress
            )
    except (NotAllowed, JobTimedOut) as error:
        return {
            "result": no_update,
            "file": no_update,
            "confirmation": _alert(str(error)),
            "disabled": True,
        }


@callback(
    Output("import-modele", "children"),
    Input("import-partenaire", "value"),
    prevent_initial_call=True,
)
@requires("upload")
def update_partner_help(partner: str | None) -> Any:
    """The template and indicator codes of the partner chosen (a déposant: its own)."""
    scope = current_user().partner_scope
    return partner_help(scope or partner or None, date.today())
