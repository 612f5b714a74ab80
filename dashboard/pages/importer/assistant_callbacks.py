"""The mapping assistant's and the profiles' callbacks on ``/import`` (issue #14): thin wrappers
around ``assistant_views`` (with ``assistant_reading``, ``assistant_form`` and
``assistant_preview``) and ``profiles_views``. ``page.py`` runs this module once per app.

Every one needs ``upload``; the partner scope of the person (a déposant's partner) goes to the
core, which refuses another partner's profile whatever the page sends."""

from __future__ import annotations

from typing import Any

from dash import ALL, Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import readers
from dashboard.auth import current_user, requires
from dashboard.context import app_context, db_session
from dashboard.pages.importer import (
    assistant_form,
    assistant_preview,
    assistant_reading,
    assistant_views,
    profiles_views,
)
from dashboard.pages.importer.assistant_choices import SKIP
from dashboard.pages.importer.uploads import UploadExpired, kept_upload
from dashboard.pages.importer.views import AUTO_PROFILE, max_bytes
from indicators.ingest import ProfileNotFound, SourceError, UploadedFile
from indicators.ingest.source import SourceTable

UNRECOGNISED = (
    "Colonnes non reconnues : ce fichier n'est ni au format long, ni au format large, et aucun "
    "profil n'est enregistré pour son en-tête. Dites ci-dessous quelle colonne contient quoi ; "
    "les choix sont pré-remplis d'après les premières lignes."
)
ON_REQUEST = (
    "Dites quelle colonne contient quoi ; les choix sont pré-remplis d'après les premières "
    "lignes. L'aperçu suit vos choix."
)
EDITING = "Modification du profil « {name} » : changez les choix, puis enregistrez."


def _upload(stored: dict[str, Any] | None) -> UploadedFile | None:
    if not stored:
        return None
    settings = app_context().settings
    return kept_upload(
        stored["token"], settings.raw_files_dir, settings.secret_key, current_user().username
    )


def _table(stored: dict[str, Any] | None) -> SourceTable | None:
    upload = _upload(stored)
    return assistant_reading.read_table(upload, max_bytes()) if upload is not None else None


def _clicked() -> bool:
    """A pattern-matched button really clicked (not a list drawn again with n_clicks 0)."""
    return any(item.get("value") for item in ctx.triggered)


@callback(
    output={
        "form": Output("assistant-zone", "children"),
        "hidden": Output("assistant-zone", "hidden"),
        "columns": Output("assistant-colonnes", "data"),
    },
    inputs={
        "stored": Input("import-contenu", "data"),
        "_ask": Input("assistant-ouvrir", "n_clicks"),
        "_edit": Input({"type": "profil-modifier", "profil": ALL}, "n_clicks"),
    },
    state={"partner": State("import-partenaire", "value")},
    prevent_initial_call=True,
)
@requires("upload")
def open_assistant(
    stored: dict[str, Any] | None, _ask: int, _edit: list[int], partner: str | None
) -> dict[str, Any]:
    """Open on a file not recognised, on « Décrire ce fichier », or on a profile to edit."""
    trigger = ctx.triggered_id
    user = current_user()
    scope = user.partner_scope
    catalogue, referential = readers.catalogue(), readers.referential()
    try:
        table = _table(stored)
    except (UploadExpired, SourceError) as error:
        return assistant_views.closed_outputs(str(error))
    if isinstance(trigger, dict):  # « Modifier » on a profile
        if not _clicked():
            raise PreventUpdate
        with db_session() as session:
            try:
                profile = profiles_views.scoped_profile(session, trigger["profil"], scope)
            except ProfileNotFound as error:
                return assistant_views.closed_outputs(str(error))
        header = list(table.columns) if table is not None else list(profile.profile.header)
        columns = header or profile.profile.columns_used()
        choices = assistant_views.edited_choices(profile, columns)
        intro = EDITING.format(name=profile.name)
        return assistant_views.open_outputs(
            table, columns, choices, catalogue, referential, scope, intro, header
        )
    if table is None:
        if trigger == "assistant-ouvrir":
            return assistant_views.closed_outputs("Déposez d'abord un fichier à décrire.")
        return assistant_views.closed_outputs()
    with db_session() as session:
        known = assistant_reading.is_recognised(
            table.columns, catalogue, session, partner or None, scope
        )
    if known and trigger == "import-contenu":
        return assistant_views.closed_outputs()
    # asked again on a file not recognised: the reason stays on screen
    intro = ON_REQUEST if known else UNRECOGNISED
    if table.frame.empty:
        intro = "Le fichier n'a aucune ligne de données : seules ses colonnes sont proposées."
    choices = assistant_views.guessed_choices(table, catalogue, referential, scope)
    return assistant_views.open_outputs(
        table, list(table.columns), choices, catalogue, referential, scope, intro
    )


@callback(
    output={"hidden": Output("assistant-ouvrir", "hidden")},
    inputs={
        "stored": Input("import-contenu", "data"),
        "result": Input("import-resultat", "children"),
    },
    prevent_initial_call=True,
)
@requires("upload")
def show_describe_button(stored: dict[str, Any] | None, result: Any) -> dict[str, bool]:
    """« Décrire ce fichier » only while there is a file not yet loaded."""
    loaded = ctx.triggered_id == "import-resultat" and assistant_views.is_loaded_panel(result)
    return {"hidden": not stored or loaded}


@callback(
    output={"pickers": Output("assistant-correspondances", "children")},
    inputs={"column": Input("assistant-indicateur-colonne", "value")},
    state={"stored": State("import-contenu", "data")},
    prevent_initial_call=True,
)
@requires("upload")
def update_mapping(column: str | None, stored: dict[str, Any] | None) -> dict[str, Any]:
    """A picker per distinct value of the column that names the indicator."""
    try:
        table = _table(stored)
    except (UploadExpired, SourceError):
        table = None
    catalogue = readers.catalogue()
    codes = assistant_reading.indicator_codes(catalogue, current_user().partner_scope)
    options = assistant_reading.indicator_options(catalogue, codes)
    values = assistant_reading.distinct_values(table, column)
    known = {code.upper(): code for code in codes}
    guessed = {value: known.get(value.strip().upper(), "") for value in values}
    return {"pickers": assistant_form.mapping_pickers(values, guessed, options)}


@callback(
    output={
        "fixed": Output("assistant-champ-indicateur", "hidden"),
        "column": Output("assistant-champ-colonne", "hidden"),
        "pickers": Output("assistant-correspondances", "hidden"),
        "codes": Output({"type": "assistant-colonne-indicateur", "colonne": ALL}, "value"),
        "options": Output({"type": "assistant-colonne-indicateur", "colonne": ALL}, "options"),
    },
    inputs={"mode": Input("assistant-indicateur-mode", "value")},
    state={"codes": State({"type": "assistant-colonne-indicateur", "colonne": ALL}, "value")},
    prevent_initial_call=True,
)
@requires("upload")
def show_indicator_controls(mode: str | None, codes: list[str | None]) -> dict[str, Any]:
    catalogue = readers.catalogue()
    scope = current_user().partner_scope
    options = assistant_reading.indicator_options(
        catalogue, assistant_reading.indicator_codes(catalogue, scope)
    )
    return assistant_views.mode_outputs(mode, codes, options)


CHOICE_INPUTS = {
    "territory_column": Input("assistant-territoire", "value"),
    "territory_level": Input("assistant-niveau", "value"),
    "period_column": Input("assistant-periode", "value"),
    "period_format": Input("assistant-periode-format", "value"),
    "indicator_mode": Input("assistant-indicateur-mode", "value"),
    "indicator": Input("assistant-indicateur", "value"),
    "indicator_column": Input("assistant-indicateur-colonne", "value"),
    "map_codes": Input({"type": "assistant-correspondance", "valeur": ALL}, "value"),
    "value_codes": Input({"type": "assistant-colonne-indicateur", "colonne": ALL}, "value"),
    "value_types": Input({"type": "assistant-colonne-type", "colonne": ALL}, "value"),
    "missing": Input("assistant-manquant", "value"),
    "secret": Input("assistant-secret", "value"),
    "not_applicable": Input("assistant-sans-objet", "value"),
    "scale": Input("assistant-echelle", "value"),
    "combine": Input("assistant-combiner", "value"),
}
CHOICE_IDS = {
    "map_ids": State({"type": "assistant-correspondance", "valeur": ALL}, "id"),
    "value_ids": State({"type": "assistant-colonne-indicateur", "colonne": ALL}, "id"),
}


def collect_choices(values: dict[str, Any]) -> dict[str, Any]:
    """The choices dict of the assistant (see ``assistant_choices``) from its controls."""
    choices = {
        key: values.get(key)
        for key in CHOICE_INPUTS
        if key not in ("map_codes", "value_codes", "value_types")
    }
    choices["indicator_map"] = {
        ident["valeur"]: code or ""
        for ident, code in zip(values["map_ids"], values["map_codes"], strict=False)
    }
    choices["values"] = {
        ident["colonne"]: {"indicator": SKIP if code is None else code, "value_type": kind}
        for ident, code, kind in zip(
            values["value_ids"], values["value_codes"], values["value_types"], strict=False
        )
    }
    choices["name"] = values.get("name")
    return choices


@callback(
    output={
        "apercu": Output("assistant-apercu", "children"),
        "niveau": Output("assistant-niveau-deduit", "children"),
    },
    inputs=CHOICE_INPUTS,
    state={**CHOICE_IDS, "stored": State("import-contenu", "data")},
)
@requires("upload")
def update_preview(**values: Any) -> dict[str, Any]:
    """The normalised rows and the counts of the current choices, on the file's first rows."""
    try:
        upload = _upload(values["stored"])
    except UploadExpired as error:
        return {"apercu": assistant_preview.refused_preview([str(error)]), "niveau": ""}
    return assistant_preview.assistant_preview(
        upload,
        collect_choices(values),
        catalogue=readers.catalogue(),
        referential=readers.referential(),
        partner_scope=current_user().partner_scope,
        max_bytes=max_bytes(),
    )


@callback(
    output={
        "message": Output("assistant-message", "children"),
        "check": Output("import-verifier", "n_clicks"),
        "profile": Output("import-profil", "value"),
        "version": Output("assistant-profils-version", "data", allow_duplicate=True),
    },
    inputs={"_save": Input("assistant-enregistrer", "n_clicks")},
    state={
        **{key: State(i.component_id, i.component_property) for key, i in CHOICE_INPUTS.items()},
        **CHOICE_IDS,
        "name": State("assistant-nom", "value"),
        "columns": State("assistant-colonnes", "data"),
        "stored": State("import-contenu", "data"),
        "partner": State("import-partenaire", "value"),
        "checks": State("import-verifier", "n_clicks"),
        "version": State("assistant-profils-version", "data"),
    },
    prevent_initial_call=True,
)
@requires("upload")
def save_assistant_profile(_save: int, **values: Any) -> dict[str, Any]:
    """Save the choices as the partner's profile, then check the file again: its header now
    names that profile, so « Vérifier » reads it without being asked."""
    if not _save:
        raise PreventUpdate
    user = current_user()
    described = values["columns"] or {}
    with db_session() as session, session.begin():
        saved, message = assistant_views.save_outputs(
            session, collect_choices(values), described, user, values["partner"] or None
        )
    if saved is None:
        return {"message": message, "check": no_update, "profile": no_update, "version": no_update}
    recheck = (values["checks"] or 0) + 1 if values["stored"] else no_update
    return {
        "message": message,
        "check": recheck,
        "profile": AUTO_PROFILE,
        "version": (values["version"] or 0) + 1,
    }


@callback(
    output={"liste": Output("profils-liste", "children")},
    inputs={
        "_version": Input("assistant-profils-version", "data"),
        "_partner": Input("import-partenaire", "value"),
    },
)
@requires("upload")
def show_profiles(_version: int, _partner: str | None) -> dict[str, Any]:
    with db_session() as session:
        found = profiles_views.visible_profiles(session, current_user().partner_scope)
    return {"liste": profiles_views.profiles_table(found)}


@callback(
    output={
        "message": Output("profils-message", "children"),
        "version": Output("assistant-profils-version", "data"),
        "confirm": Output("profil-confirmation", "displayed"),
        "question": Output("profil-confirmation", "message"),
        "pending": Output("profil-a-supprimer", "data"),
    },
    inputs={
        "_copy": Input({"type": "profil-dupliquer", "profil": ALL}, "n_clicks"),
        "_delete": Input({"type": "profil-supprimer", "profil": ALL}, "n_clicks"),
        "_confirmed": Input("profil-confirmation", "submit_n_clicks"),
    },
    state={
        "pending": State("profil-a-supprimer", "data"),
        "version": State("assistant-profils-version", "data"),
    },
    prevent_initial_call=True,
)
@requires("upload")
def act_on_profile(
    _copy: list[int], _delete: list[int], _confirmed: int | None, pending: int | None, version: int
) -> dict[str, Any]:
    """Duplicate at once; delete after the confirmation."""
    trigger = ctx.triggered_id
    scope = current_user().partner_scope
    unchanged = {
        "message": no_update,
        "version": no_update,
        "confirm": False,
        "question": no_update,
        "pending": no_update,
    }
    if trigger == "profil-confirmation":
        if not _confirmed or pending is None:
            raise PreventUpdate
        try:
            with db_session() as session, session.begin():
                said = profiles_views.delete(session, int(pending), scope)
        except ProfileNotFound as error:
            said = str(error)
        return {**unchanged, "message": said, "version": (version or 0) + 1, "pending": None}
    if not isinstance(trigger, dict) or not _clicked():
        raise PreventUpdate
    with db_session() as session, session.begin():
        try:
            if trigger["type"] == "profil-supprimer":
                stored = profiles_views.scoped_profile(session, trigger["profil"], scope)
                question = (
                    f"Supprimer le profil « {stored.name} » ? Les fichiers de cet en-tête ne "
                    "seront plus reconnus automatiquement."
                )
                return {**unchanged, "confirm": True, "question": question, "pending": stored.id}
            copy = profiles_views.duplicate(session, trigger["profil"], scope)
        except ProfileNotFound as error:
            return {**unchanged, "message": str(error)}
    said = f"Copie enregistrée sous le nom « {copy.name} » : modifiez-la pour l'adapter."
    return {**unchanged, "message": said, "version": (version or 0) + 1}
