"""``/import``: send an indicator file, check it (dry run: counts, issues, changes), then load it.

The page drives the same API as ``suivi load`` (:mod:`indicators.ingest`). The file's content
stays in the browser (a ``dcc.Store``) between the check and the load; the load analyses it
again, so what is written is compared with the values stored at that moment.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import readers
from dashboard.auth import current_user
from dashboard.context import app_context, db_session
from dashboard.import_views import UploadTooLarge, decode_upload, dry_run_report, megabytes
from indicators.ingest import (
    MEGABYTE,
    Analysis,
    LoadOptions,
    ProfileError,
    ProfileNotFound,
    analyse,
    commit_analysis,
    get_profile,
    list_profiles,
)

dash.register_page(
    __name__,
    path="/import",
    name="Importer",
    title="Importer un fichier — Suivi des territoires",
    order=50,
)

AUTO_PROFILE = ""


def max_bytes() -> int:
    return int(app_context().settings.max_upload_mb) * MEGABYTE


def layout(**_query: str) -> html.Div:
    partners = [
        {"label": f"{partner.name} ({code})", "value": code}
        for code, partner in readers.catalogue().partners.items()
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
            html.Div(
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
                className="import-actions",
            ),
            dcc.Loading(html.Div(id="import-resultat", className="import-result")),
            dcc.Loading(html.Div(id="import-confirmation", role="status")),
        ],
        className="import-page",
    )


@callback(Output("import-limite", "children"), Input("import-upload", "id"))
def show_size_limit(_id: str) -> str:
    return f" (CSV ou XLSX, {megabytes(max_bytes())} au plus)"


@callback(
    Output("import-contenu", "data"),
    Output("import-fichier", "children"),
    Input("import-upload", "contents"),
    State("import-upload", "filename"),
    prevent_initial_call=True,
)
def keep_upload(contents: str | None, filename: str | None) -> tuple[Any, str]:
    """Keep the file in the browser; refuse it at once when it is over the size limit."""
    if not contents:
        return None, ""
    name = filename or "fichier"
    try:
        upload = decode_upload(name, contents, max_bytes())
    except UploadTooLarge as error:
        return None, f"« {name} » refusé. {error}"
    return (
        {"filename": name, "contents": contents},
        f"Fichier reçu : « {name} » ({megabytes(upload.size)}). Cliquez sur « Vérifier ».",
    )


@callback(Output("import-profil", "options"), Input("import-partenaire", "value"))
def update_profile_choices(partner: str | None) -> list[dict[str, str]]:
    with db_session() as session:
        profiles = list_profiles(session)
    partner = partner or None
    options = [{"label": "Détection automatique", "value": AUTO_PROFILE}]
    for stored in profiles:
        if stored.partner_code not in (None, partner):
            continue
        owner = f" ({stored.partner_code})" if stored.partner_code else ""
        options.append({"label": f"{stored.name}{owner}", "value": str(stored.id)})
    return options


def _analyse(
    stored: dict[str, str], partner: str | None, profile_id: str | None, options: list[str]
) -> Analysis:
    """The dry run of the kept file, as ``suivi load --dry-run`` does it."""
    limit = max_bytes()
    upload = decode_upload(stored["filename"], stored["contents"], limit)
    load_options = LoadOptions(
        accept_partial="partial" in (options or []),
        replace_scope="replace" in (options or []),
        max_bytes=limit,
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
        )


def _request_key(
    stored: dict[str, str], partner: str | None, profile_id: str | None, options: list[str]
) -> str:
    """What the dry run was asked: the load must be asked exactly the same."""
    text = json.dumps(
        [stored["contents"], partner or None, profile_id or None, sorted(options or [])]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
)
def check_file(
    _clicks: int,
    stored: dict[str, str] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str] | None,
) -> tuple[Any, bool, Any, Any]:
    if not stored:
        return html.P("Déposez d'abord un fichier.", role="alert"), True, None, None
    partner = partner or None
    try:
        analysis = _analyse(stored, partner, profile_id, options or [])
    except UploadTooLarge as error:
        return html.P(str(error), className="import-refused", role="alert"), True, None, None
    except (ProfileNotFound, ProfileError) as error:
        message = f"Profil d'import inutilisable : {error}"
        return html.P(message, className="import-refused", role="alert"), True, None, None
    loadable = analysis.verdict == "valid" and analysis.writes > 0
    key = _request_key(stored, partner, profile_id, options or []) if loadable else None
    return dry_run_report(analysis, readers.referential().name), not loadable, key, None


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
)
def load_file(
    clicks: int,
    stored: dict[str, str] | None,
    partner: str | None,
    profile_id: str | None,
    options: list[str] | None,
    checked: str | None,
) -> tuple[Any, Any]:
    if not clicks:
        return no_update, no_update
    partner = partner or None
    if not stored or checked != _request_key(stored, partner, profile_id, options or []):
        message = "Le fichier ou les options ont changé : relancez la vérification."
        return html.P(message, role="alert"), True
    try:
        analysis = _analyse(stored, partner, profile_id, options or [])
    except (UploadTooLarge, ProfileNotFound, ProfileError) as error:
        return html.P(str(error), className="import-refused", role="alert"), True
    if analysis.verdict != "valid":
        # the data changed since the check, or the file is refused: nothing is written
        return html.Div(dry_run_report(analysis, readers.referential().name)), True
    user = current_user()
    with db_session() as session, session.begin():
        outcome = commit_analysis(
            session,
            analysis,
            catalogue=readers.catalogue(),
            raw_dir=app_context().settings.raw_files_dir,
            username=user.username or "web",
            partner_code=partner,
        )
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
