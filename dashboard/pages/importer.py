"""``/import``: send an indicator file, check it (dry run: counts, issues, changes), then load it.

The page drives the same API as ``suivi load`` (:mod:`indicators.ingest`). The file is sent once
and kept on the server (:mod:`dashboard.uploads`); the page holds only a signed token. The check
and the load are background callbacks (:mod:`dashboard.background`, issue #5 point 7): a progress
bar follows the ingest's stages, the buttons are disabled meanwhile, and « Annuler » stops the
job (a load is one transaction: stopped, it writes nothing). The load analyses the file again,
so what is written is compared with the values stored at that moment.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import readers
from dashboard.auth import NotAllowed, User, current_user, is_allowed, requires
from dashboard.background import JobTimedOut, background_job
from dashboard.context import app_context, db_session
from dashboard.import_views import UploadTooLarge, decode_upload, dry_run_report, megabytes
from dashboard.progress import CHECK_STAGES, LOAD_STAGES, ThrottledProgress
from dashboard.routes.corrections import keep_corrections
from dashboard.routes.errors import DATABASE_MESSAGES
from dashboard.uploads import UploadExpired, keep_upload, kept_upload
from indicators.accounts import record_event
from indicators.ingest import (
    MEGABYTE,
    Analysis,
    LoadOptions,
    ProfileError,
    ProfileNotFound,
    ProgressCallback,
    RawFileNotStored,
    SourceError,
    analyse,
    check_upload,
    commit_analysis,
    get_profile,
    list_profiles,
    loaded_files,
    prune_raw_files,
    safe_filename,
)
from indicators.store import DatabaseError, database_errors

dash.register_page(
    __name__,
    path="/import",
    name="Importer",
    title="Importer un fichier — Suivi des territoires",
    order=50,
)

AUTO_PROFILE = ""
UPLOAD_NOT_STORED = {
    "disk-full": (
        "Le serveur n'a plus de place pour enregistrer ce fichier : rien n'a été enregistré. "
        "Prévenez l'administrateur du service, puis déposez le fichier de nouveau."
    ),
}
POLL_MS = 500  # how often the browser asks a running job for its progress
UNLOADED_KEPT_S = 24 * 3600  # an upload never loaded is deleted a day later

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


def max_bytes() -> int:
    return int(app_context().settings.max_upload_mb) * MEGABYTE


def layout(**_query: str) -> html.Div:
    user = current_user()
    if not is_allowed(user, "upload"):  # its callbacks refuse them too (403)
        return html.Div(
            [
                html.H1("Importer un fichier d'indicateurs"),
                html.P(
                    [
                        "Le chargement de fichiers est réservé aux déposants des partenaires et "
                        "aux administrateurs. ",
                        html.A("Se connecter", href="/connexion?next=/import")
                        if user.is_anonymous
                        else "Votre profil ne le permet pas.",
                    ],
                    role="alert",
                ),
            ],
            className="card",
        )
    scope = user.partner_scope  # a déposant loads for its own partner only
    partners = [
        {"label": f"{partner.name} ({code})", "value": code}
        for code, partner in readers.catalogue().partners.items()
        if scope is None or code == scope
    ]
    return html.Div(
        [
            html.H1("Importer un fichier d'indicateurs"),
            html.P(
                [
                    "Déposez un fichier CSV ou XLSX au format long (colonnes indicateur, "
                    "territoire, periode, valeur), au format large (territoire, periode et une "
                    "colonne par code d'indicateur) ou lu par un profil d'import. ",
                    html.Strong("Vérifiez"),
                    " d'abord (essai à blanc, rien n'est enregistré), puis validez le chargement.",
                ]
            ),
            # The label names the file input for assistive technologies; the native input,
            # reached with Tab, opens the file dialog (so the drop zone's own click is off,
            # or a click would open it twice).
            html.Label(
                dcc.Upload(
                    html.Div(
                        [
                            "Glissez-déposez le fichier ici ou ",
                            html.Span("choisissez-le", className="import-upload-link"),
                            html.Span(id="import-limite", className="import-limit"),
                        ]
                    ),
                    id="import-upload",
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    multiple=False,
                    disable_click=True,
                    className="import-upload",
                ),
                className="import-upload-label",
            ),
            html.P(id="import-fichier", className="import-file", role="status"),
            dcc.Store(id="import-contenu"),
            dcc.Store(id="import-verifie"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Partenaire", htmlFor="import-partenaire"),
                            dbc.Select(
                                id="import-partenaire",
                                options=partners,
                                value=scope,
                                placeholder="Aucun (fichier partagé)",
                            ),
                        ],
                        className="control",
                    ),
                    html.Div(
                        [
                            html.Label("Profil d'import", htmlFor="import-profil"),
                            dbc.Select(
                                id="import-profil",
                                options=[],
                                value=AUTO_PROFILE,
                                placeholder="Détection automatique",
                            ),
                        ],
                        className="control",
                    ),
                    html.Div(
                        html.Fieldset(
                            [
                                html.Legend("Options", className="label"),
                                dbc.Checklist(
                                    id="import-options",
                                    options=[
                                        {
                                            "label": "Charger seulement les lignes valides",
                                            "value": "partial",
                                        },
                                        {
                                            "label": "Remplacer le périmètre du fichier (retirer "
                                            "les valeurs qu'il ne contient plus)",
                                            "value": "replace",
                                        },
                                    ],
                                    value=[],
                                ),
                            ],
                            className="fieldset",
                        ),
                        className="control wide",
                    ),
                ],
                className="controls",
            ),
            # a disabled fieldset disables both buttons while a job runs, whatever each one's own
            # state (the check decides whether the load button is enabled)
            html.Fieldset(
                [
                    html.Button(
                        "Vérifier (essai à blanc)",
                        id="import-verifier",
                        className="btn btn-primary",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Valider le chargement",
                        id="import-valider",
                        className="btn btn-success",
                        n_clicks=0,
                        disabled=True,
                    ),
                ],
                id="import-actions",
                className="import-actions",
            ),
            progress_zone(),
            html.Div(id="import-resultat", className="import-result"),
            html.Div(id="import-confirmation", role="status"),
        ],
        className="import-page",
    )


def progress_zone() -> html.Div:
    """The progress bar of a running check or load, named by its stage and percentage.

    A native ``<progress>`` named by its ``<label>``: ``dbc.Progress`` offers no way to name its
    ``role=progressbar`` element, which axe-core reports as a serious violation."""
    return html.Div(
        [
            html.Label(
                "Démarrage…",
                id="import-progression-texte",
                htmlFor="import-progression",
                className="import-progress-text",
            ),
            html.Progress(
                id="import-progression", value="0", max="100", className="import-progress"
            ),
            html.Button(
                "Annuler",
                id="import-annuler",
                className="btn btn-outline-secondary",
                n_clicks=0,
            ),
        ],
        id="import-progression-zone",
        className="import-progress-zone",
        hidden=True,
    )


@callback(Output("import-limite", "children"), Input("import-upload", "id"))
@requires("view")
def show_size_limit(_id: str) -> str:
    return f" (CSV ou XLSX, {megabytes(max_bytes())} au plus)"


@callback(
    Output("import-contenu", "data"),
    Output("import-fichier", "children"),
    Input("import-upload", "contents"),
    State("import-upload", "filename"),
    prevent_initial_call=True,
)
@requires("upload")
def receive_upload(contents: str | None, filename: str | None) -> tuple[Any, str]:
    """Keep the file on the server, the page gets a token; refuse it at once when too large,
    too wide, with too long a line, or an XLSX that would inflate too much (issue #12): such a
    file is not kept."""
    if not contents:
        return None, ""
    name = safe_filename(filename or "fichier")
    try:
        upload = decode_upload(name, contents, max_bytes())
        check_upload(upload, max_bytes=max_bytes())
    except (UploadTooLarge, SourceError) as error:
        return None, f"« {name} » refusé, rien n'a été enregistré. {error}"
    settings = app_context().settings
    try:
        token = keep_upload(
            upload, settings.raw_files_dir, settings.secret_key, current_user().username
        )
    except RawFileNotStored as error:
        return None, f"« {name} » non enregistré. {UPLOAD_NOT_STORED[error.code]}"
    with db_session() as session:  # files checked but never loaded do not pile up
        prune_raw_files(
            settings.raw_files_dir, loaded_files(session) | {upload.sha256}, UNLOADED_KEPT_S
        )
    return (
        {"filename": name, "size": upload.size, "token": token},
        f"Fichier reçu : « {name} » ({megabytes(upload.size)}). Cliquez sur « Vérifier ».",
    )


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


def _analyse(
    stored: dict[str, Any],
    partner: str | None,
    profile_id: str | None,
    options: list[str],
    user: User,
    progress: ProgressCallback | None,
) -> Analysis:
    """The dry run of the kept file, as ``suivi load --dry-run`` does it; a déposant's load is
    checked by the core against its partner (``partner_scope``)."""
    settings = app_context().settings
    if user.partner_scope and partner != user.partner_scope:
        raise NotAllowed(
            f"Vous chargez pour le partenaire {user.partner_scope} uniquement : choisissez-le "
            "dans la liste « Partenaire »."
        )
    upload = kept_upload(
        stored["token"], settings.raw_files_dir, settings.secret_key, user.username
    )
    load_options = LoadOptions(
        accept_partial="partial" in options,
        replace_scope="replace" in options,
        max_bytes=max_bytes(),
    )
    with db_session() as session:
        profile = get_profile(session, profile_id, partner) if profile_id else None
        return analyse(
            upload,
            catalogue=readers.catalogue(),
            referential=readers.referential(),
            session=session,
            profile=profile,
            partner_code=partner,
            options=load_options,
            progress=progress,
            partner_scope=user.partner_scope,
        )


def _request_key(
    stored: dict[str, Any], partner: str | None, profile_id: str | None, options: list[str]
) -> str:
    """What the dry run was asked: the load must be asked exactly the same."""
    text = json.dumps([stored["token"], partner or None, profile_id or None, sorted(options)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _to_bar(set_progress: Any) -> Any:
    """``(45, "Contrôle des valeurs — 45 %")`` to the bar and its label (``<progress>`` takes
    its value as text)."""
    return lambda pair: set_progress((str(pair[0]), pair[1]))


def _alert(message: str) -> html.P:
    return html.P(message, className="import-refused", role="alert")


@callback(
    Output("import-resultat", "children"),
    Output("import-valider", "disabled"),
    Output("import-verifie", "data"),
    Output("import-confirmation", "children"),
    Input("import-verifier", "n_clicks"),
    State("import-contenu", "data"),
    State("import-partenaire", "value"),
    State("import-profil", "value"),
    State("import-options", "value"),
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
) -> tuple[Any, bool, Any, Any]:
    """A background job: the user was captured in the request and is checked again here."""
    try:
        with background_job("upload") as user:
            progress = ThrottledProgress(_to_bar(set_progress), CHECK_STAGES)
            return check_outputs(stored, partner or None, profile_id, options or [], user, progress)
    except (NotAllowed, JobTimedOut) as error:
        return _alert(str(error)), True, None, None


def check_outputs(
    stored: dict[str, Any] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str],
    user: User,
    progress: ProgressCallback | None = None,
) -> tuple[Any, bool, Any, Any]:
    """The report, whether the load button is enabled, the request key, the confirmation."""
    if not stored:
        return html.P("Déposez d'abord un fichier.", role="alert"), True, None, None
    try:
        with database_errors():
            analysis = _analyse(stored, partner, profile_id, options, user, progress)
    except (UploadExpired, NotAllowed) as error:
        return _alert(str(error)), True, None, None
    except DatabaseError as error:
        return _alert(DATABASE_MESSAGES[error.code]), True, None, None
    except (ProfileNotFound, ProfileError) as error:
        return _alert(f"Profil d'import inutilisable : {error}"), True, None, None
    loadable = analysis.verdict == "valid" and analysis.writes > 0
    key = _request_key(stored, partner, profile_id, options) if loadable else None
    report = dry_run_report(analysis, readers.referential().name, _corrections(analysis, user))
    return report, not loadable, key, None


def _corrections(analysis: Analysis, user: User) -> str | None:
    if not analysis.issues:
        return None
    return keep_corrections(analysis.issues, analysis.upload.filename, user.username)


@callback(
    Output("import-confirmation", "children", allow_duplicate=True),
    Output("import-valider", "disabled", allow_duplicate=True),
    Input("import-valider", "n_clicks"),
    State("import-contenu", "data"),
    State("import-partenaire", "value"),
    State("import-profil", "value"),
    State("import-options", "value"),
    State("import-verifie", "data"),
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
) -> tuple[Any, bool]:
    """A background job: the user was captured in the request and is checked again here."""
    if not clicks:
        raise PreventUpdate
    try:
        with background_job("upload") as user:
            progress = ThrottledProgress(_to_bar(set_progress), LOAD_STAGES)
            return load_outputs(
                stored, partner or None, profile_id, options or [], checked, user, progress
            )
    except (NotAllowed, JobTimedOut) as error:
        return _alert(str(error)), True


def load_outputs(
    stored: dict[str, Any] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str],
    checked: str | None,
    user: User,
    progress: ProgressCallback | None = None,
) -> tuple[Any, bool]:
    """The confirmation (or why nothing was written) and the load button's ``disabled``."""
    if not stored or checked != _request_key(stored, partner, profile_id, options):
        message = "Le fichier ou les options ont changé : relancez la vérification."
        return html.P(message, role="alert"), True
    try:
        with database_errors():
            analysis = _analyse(stored, partner, profile_id, options, user, progress)
    except (UploadExpired, ProfileNotFound, ProfileError, NotAllowed) as error:
        return _alert(str(error)), True
    except DatabaseError as error:
        return _alert(DATABASE_MESSAGES[error.code]), False
    if analysis.verdict != "valid":
        # the data changed since the check, or the file is refused: nothing is written
        report = dry_run_report(analysis, readers.referential().name, _corrections(analysis, user))
        return html.Div(report), True
    try:
        with db_session() as session, session.begin():
            outcome = commit_analysis(
                session,
                analysis,
                catalogue=readers.catalogue(),
                raw_dir=app_context().settings.raw_files_dir,
                username=user.username or "web",
                partner_code=partner,
                progress=progress,
            )
            record_event(
                session,
                "load",
                username=user.username or None,
                ip=user.address,
                load_id=outcome.load_id,
                status=outcome.status,
                filename=analysis.upload.filename,
                partner=partner,
                counts=outcome.counts,
            )
    except DatabaseError as error:
        # nothing was written (another load holds the lock, the database went away…): the
        # same file can be loaded again as it is
        return _alert(DATABASE_MESSAGES[error.code]), False
    except RawFileNotStored as error:
        return _alert(UPLOAD_NOT_STORED[error.code]), False
    counts = outcome.counts
    if outcome.status == "unchanged":
        text = "Rien n'a changé : les valeurs du fichier sont déjà en base."
    else:
        text = (
            f"Chargement n°{outcome.load_id} enregistré : {counts['created']} valeur(s) "
            f"créée(s), {counts['updated']} modifiée(s), {counts['withdrawn']} retirée(s), "
            f"{counts['rejected']} rejetée(s)."
        )
    return (
        html.Div(
            [
                html.P(text, className="import-valid", id="import-load-id"),
                dcc.Link(
                    f"Voir le chargement n°{outcome.load_id} dans l'historique",
                    href=f"/chargements?id={outcome.load_id}",
                ),
            ]
        ),
        True,
    )
