"""What each callback of the mapping assistant of ``/import`` answers (issue #14): the form
opened or closed, the indicator mode, and saving the profile. Pure of Dash's request: tests call
them without HTTP. The form is built by ``assistant_form``, the preview by ``assistant_preview``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from dashboard.auth import User
from dashboard.pages.importer.assistant_choices import (
    SKIP,
    choices_from_document,
    guess_choices,
    profile_document,
)
from dashboard.pages.importer.assistant_form import assistant_form, reading_options
from dashboard.pages.importer.assistant_reading import indicator_codes, indicator_options
from indicators.catalogue import Catalogue
from indicators.ingest import (
    ProfileError,
    ProfileNotAllowed,
    StoredProfile,
    save_profile,
)
from indicators.ingest.source import SourceTable
from indicators.territories import Referential


def mode_outputs(
    mode: str | None, codes: Sequence[str | None], options: list[dict[str, str]]
) -> dict[str, Any]:
    """Which indicator controls the mode shows (the others stay, hidden, with their choice),
    and the value columns' choices valid in that mode: with one indicator per column, a column
    read as « the file's indicator » is no longer read."""
    stale = mode == "colonnes"
    return {
        "fixed": mode != "fixe",
        "column": mode != "colonne",
        "pickers": mode != "colonne",
        "codes": [SKIP if stale and code == "" else code for code in codes],
        "options": [reading_options(mode, options)] * len(codes),
    }


def open_outputs(
    table: SourceTable | None,
    columns: Sequence[str],
    choices: Mapping[str, Any],
    catalogue: Catalogue,
    referential: Referential,
    scope: str | None,
    intro: str,
    header: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The assistant opened; ``columns``: the choices offered, ``header``: what the saved profile
    will recognise (a file's columns; editing without a file, the profile's own header)."""
    options = indicator_options(catalogue, indicator_codes(catalogue, scope))
    return {
        "form": assistant_form(table, columns, choices, options, referential, intro),
        "hidden": False,
        "columns": {
            "columns": list(columns),
            "header": list(columns) if header is None else list(header),
            "file": table is not None,
        },
    }


def is_loaded_panel(result: Any) -> bool:
    """The page's result zone shows a load done (``views.loaded_panel``, as the browser sends
    it back), not a check's report."""
    props = result.get("props") if isinstance(result, Mapping) else None
    return isinstance(props, Mapping) and props.get("className") == "import-loaded"


def closed_outputs(message: str = "") -> dict[str, Any]:
    note = html.P(message, className="assistant-note") if message else None
    return {"form": note, "hidden": not message, "columns": None}


def guessed_choices(
    table: SourceTable, catalogue: Catalogue, referential: Referential, scope: str | None
) -> dict[str, Any]:
    return guess_choices(table.frame, catalogue, referential, indicator_codes(catalogue, scope))


def edited_choices(stored: StoredProfile, columns: Sequence[str]) -> dict[str, Any]:
    return choices_from_document(stored.document, columns)


def save_outputs(
    session: Any,
    choices: Mapping[str, Any],
    described: Mapping[str, Any],
    user: User,
    partner: str | None,
) -> tuple[StoredProfile | None, Any]:
    """Save ``choices`` as a profile of the user's partner (the staff: of the partner chosen on
    the page, or shared); the stored profile, or ``None`` and the French reason."""
    name = str(choices.get("name") or "").strip()
    columns = list(described.get("columns") or [])
    document, problems = profile_document(choices, columns)
    if not name:
        problems.insert(0, "Donnez un nom au profil.")
    if document is None or problems:
        return None, _refused_save(problems)
    owner = user.partner_scope or partner or None
    try:
        stored = save_profile(
            session,
            document,
            name=name,
            partner_code=owner,
            header=list(described.get("header") or []),
            partner_scope=user.partner_scope,
        )
    except ProfileError as error:
        return None, _refused_save(list(error.problems))
    except ProfileNotAllowed as error:
        return None, _refused_save([str(error)])
    return stored, html.P(
        f"Profil « {stored.name} » enregistré pour "
        f"{stored.partner_code or 'tous les partenaires'} : un fichier de même en-tête sera lu "
        "avec ce profil sans rien demander."
        + (" Le fichier est vérifié à nouveau ci-dessous." if described.get("file") else ""),
        className="import-valid",
        id="assistant-enregistre",
    )


def _refused_save(problems: Sequence[str]) -> html.Div:
    return html.Div(
        [
            html.P("Profil non enregistré, rien n'a été modifié :", className="import-refused"),
            html.Ul([html.Li(problem) for problem in problems]),
        ],
        role="alert",
    )
