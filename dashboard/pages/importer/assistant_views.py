"""What the mapping assistant of ``/import`` shows (issue #14): the file's first lines, the form
pre-filled with guesses, the live preview of the normalised rows with the dry-run counts, and
what saving the profile answers. Pure of Dash's request: tests call them without HTTP.

The preview reads the already-stored upload once per process (a small cache keyed by its
sha256), of a large CSV only its first :data:`HEAD_BYTES`, and validates its first
:data:`SAMPLE_ROWS` rows only, so a choice changed on a large file answers at once; the full dry
run stays « Vérifier »'s job.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Final

import dash_bootstrap_components as dbc
import numpy as np
from dash import dcc, html

from dashboard import readers
from dashboard.auth import User
from dashboard.formatting import NARROW_NBSP
from dashboard.import_views import table as html_table
from dashboard.pages.importer.assistant_choices import (
    COMBINE_LABELS,
    INDICATOR_MODES,
    LEVEL_LABELS,
    PERIOD_FORMAT_LABELS,
    SKIP,
    VALUE_TYPE_LABELS,
    choices_from_document,
    guess_choices,
    level_sentence,
    profile_document,
)
from indicators.catalogue import Catalogue
from indicators.french import plain_number
from indicators.ingest import (
    ProfileError,
    ProfileNotAllowed,
    SourceError,
    StoredProfile,
    UploadedFile,
    find_profile_for_header,
    parse_profile,
    save_profile,
)
from indicators.ingest.layouts import detect_layout
from indicators.ingest.partner_scope import scope_to_partner
from indicators.ingest.reading import read_source, sniff_format
from indicators.ingest.source import SourceTable
from indicators.ingest.validate import validate_table
from indicators.territories import Referential

FIRST_LINES: Final = 5  # lines of the file shown above the form
PREVIEW_ROWS: Final = 10  # normalised rows shown
SAMPLE_ROWS: Final = 2000  # rows validated by the live preview
MAPPED_VALUES: Final = 50  # distinct values of an indicator column offered a picker
_CACHED_FILES: Final = 4
HEAD_BYTES: Final = 2 * 1024 * 1024  # of a large CSV, what the assistant reads
NO_COLUMN: Final = {"label": "Aucune", "value": ""}
STATUS_LABELS: Final = {
    "ok": "",
    "missing": "manquante",
    "secret": "secret",
    "not_applicable": "sans objet",
}

_tables: OrderedDict[tuple[str, int, int], SourceTable] = OrderedDict()
_tables_lock = threading.Lock()


def is_partial(upload: UploadedFile) -> bool:
    """Is the assistant reading only the head of this file (a CSV larger than HEAD_BYTES)?"""
    return len(upload.data) > HEAD_BYTES and sniff_format(upload) == "csv"


def read_table(upload: UploadedFile, max_bytes: int) -> SourceTable:
    """The upload (its first :data:`HEAD_BYTES` for a large CSV) read as a table, once per
    process for the last few files (two people at once each get their own: the key is the
    content's sha256). The assistant needs the header and the first rows, never the whole of a
    large file: « Vérifier » reads that."""
    key = (upload.sha256, max_bytes, HEAD_BYTES)
    with _tables_lock:
        if key in _tables:
            _tables.move_to_end(key)
            return _tables[key]
    if is_partial(upload):
        # cut on a line end (never inside a UTF-8 character), and drop the last row, which a
        # quoted field holding a line break may have cut short
        head = upload.data[:HEAD_BYTES]
        head = head[: head.rfind(b"\n") + 1] or head
        table = read_source(UploadedFile(upload.filename, head), max_bytes=max_bytes)
        table = _head(table, max(len(table) - 1, 0))
    else:
        table = read_source(upload, max_bytes=max_bytes)
    with _tables_lock:
        _tables[key] = table
        while len(_tables) > _CACHED_FILES:
            _tables.popitem(last=False)
    return table


def indicator_codes(catalogue: Catalogue, scope: str | None) -> list[str]:
    """The indicators a person may map a file to: its partner's (all for the staff); computed
    ones are loaded through their inputs, never directly."""
    return [
        code
        for code, indicator in catalogue.indicators.items()
        if (scope is None or indicator.partner == scope) and not indicator.is_derived
    ]


def indicator_options(catalogue: Catalogue, codes: Sequence[str]) -> list[dict[str, str]]:
    return [
        {"label": f"{code} — {catalogue.indicators[code].label}", "value": code} for code in codes
    ]


def is_recognised(
    columns: Sequence[str],
    catalogue: Catalogue,
    session: Any,
    partner: str | None,
    scope: str | None,
) -> bool:
    """Will « Vérifier » read this header without being told how (a profile saved for it, or
    the long or wide layout)? Then the assistant stays closed."""
    if detect_layout(columns, catalogue) is not None:
        return True
    found = find_profile_for_header(session, columns, scope or partner, own_or_shared=bool(scope))
    return found is not None


# --- the form ------------------------------------------------------------------------------


def _options(labels: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in labels.items()]


def _column_options(columns: Sequence[str]) -> list[dict[str, str]]:
    return [{"label": column, "value": column} for column in columns]


def _field(label: str, control: Any, control_id: str, hint: Any = None, **div: Any) -> html.Div:
    parts = [html.Label(label, htmlFor=control_id), control]
    if hint is not None:
        parts.append(hint)
    return html.Div(parts, className="control", **div)


def first_lines(table: SourceTable | None, columns: Sequence[str]) -> Any:
    if table is None:
        return html.P(
            "Aucun fichier : déposez un fichier de cette forme pour voir ses premières lignes et "
            "l'aperçu.",
            className="assistant-note",
        )
    rows = table.frame.head(FIRST_LINES).itertuples(index=False)
    return html.Div(
        html_table(
            ["Ligne", *columns],
            ([int(line), *row] for line, row in zip(table.lines[:FIRST_LINES], rows, strict=False)),
            f"Les {FIRST_LINES} premières lignes du fichier",
            numeric=set(),
        ),
        className="assistant-head",
    )


def _hidden_label(text: str, control_id: dict[str, str]) -> html.Label:
    """A label for a control of a table row, read by assistive technologies only (the row and
    column headers show it); Dash writes a pattern id as sorted compact JSON."""
    target = json.dumps(control_id, sort_keys=True, separators=(",", ":"))
    return html.Label(text, htmlFor=target, className="visually-hidden")


def value_rows(
    columns: Sequence[str], choices: Mapping[str, Any], options: list[dict[str, str]]
) -> html.Table:
    """One line per column of the file: read it as which indicator, and as which value type."""
    reading = [
        {"label": "Ne pas lire", "value": SKIP},
        {"label": "L'indicateur du fichier (ci-dessus)", "value": ""},
        *options,
    ]
    chosen = choices.get("values") or {}
    rows = []
    for column in columns:
        current = chosen.get(column, {})
        reads = {"type": "assistant-colonne-indicateur", "colonne": column}
        kind = {"type": "assistant-colonne-type", "colonne": column}
        rows.append(
            html.Tr(
                [
                    html.Th(column, scope="row"),
                    html.Td(
                        [
                            _hidden_label(f"Colonne « {column} » lue comme", reads),
                            dcc.Dropdown(
                                id=reads,
                                options=reading,
                                value=current.get("indicator", SKIP),
                                clearable=False,
                                searchable=True,
                            ),
                        ]
                    ),
                    html.Td(
                        [
                            _hidden_label(f"Type de valeur de la colonne « {column} »", kind),
                            dbc.Select(
                                id=kind,
                                options=_options(VALUE_TYPE_LABELS),
                                value=current.get("value_type", "valeur"),
                            ),
                        ]
                    ),
                ]
            )
        )
    return html.Table(
        [
            html.Caption("Colonnes de valeurs"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Colonne", scope="col"),
                        html.Th("Lue comme", scope="col"),
                        html.Th("Type de valeur", scope="col"),
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table assistant-values",
    )


def mapping_pickers(
    values: Sequence[str], mapping: Mapping[str, str], options: list[dict[str, str]]
) -> Any:
    """A searchable picker per distinct value of the indicator column."""
    if not values:
        return html.P("Choisissez la colonne qui nomme l'indicateur.", className="assistant-note")
    shown = list(values)[:MAPPED_VALUES]
    items = [
        html.Tr(
            [
                html.Th(value, scope="row"),
                html.Td(
                    [
                        _hidden_label(
                            f"Indicateur de la valeur « {value} »",
                            {"type": "assistant-correspondance", "valeur": value},
                        ),
                        dcc.Dropdown(
                            id={"type": "assistant-correspondance", "valeur": value},
                            options=options,
                            value=mapping.get(value) or None,
                            placeholder="Ignorer cette valeur",
                            searchable=True,
                        ),
                    ]
                ),
            ]
        )
        for value in shown
    ]
    parts: list[Any] = [
        html.Table(
            [
                html.Caption("Indicateur de chaque valeur de la colonne"),
                html.Thead(
                    html.Tr([html.Th("Valeur", scope="col"), html.Th("Indicateur", scope="col")])
                ),
                html.Tbody(items),
            ],
            className="table assistant-map",
        )
    ]
    if len(values) > MAPPED_VALUES:
        parts.append(
            html.P(
                f"Seules les {MAPPED_VALUES} premières valeurs sont proposées ; les autres "
                "seront ignorées.",
                className="assistant-note",
            )
        )
    return parts


def distinct_values(table: SourceTable | None, column: str | None) -> list[str]:
    if table is None or not column or column not in table.frame.columns:
        return []
    cells = table.frame[column].head(SAMPLE_ROWS).str.strip()
    return list(dict.fromkeys(value for value in cells if value))[: MAPPED_VALUES + 1]


def assistant_form(
    table: SourceTable | None,
    columns: Sequence[str],
    choices: Mapping[str, Any],
    options: list[dict[str, str]],
    referential: Referential,
    intro: str,
) -> html.Div:
    """The assistant: the file's first lines, then every choice, pre-filled."""
    column_options = _column_options(columns)
    mode = choices.get("indicator_mode") or "fixe"
    sentence = (
        level_sentence(table.frame, choices.get("territory_column"), referential)
        if (table is not None)
        else ""
    )
    return html.Div(
        [
            html.H2("Décrire ce fichier"),
            html.P(intro, className="assistant-intro"),
            first_lines(table, columns),
            html.Fieldset(
                [
                    html.Legend("Territoires et périodes"),
                    html.Div(
                        [
                            _field(
                                "Colonne des territoires",
                                dbc.Select(
                                    id="assistant-territoire",
                                    options=[NO_COLUMN, *column_options],
                                    value=choices.get("territory_column"),
                                ),
                                "assistant-territoire",
                            ),
                            _field(
                                "Niveau des territoires",
                                dbc.Select(
                                    id="assistant-niveau",
                                    options=_options(LEVEL_LABELS),
                                    value=choices.get("territory_level") or "",
                                ),
                                "assistant-niveau",
                                html.P(
                                    sentence,
                                    id="assistant-niveau-deduit",
                                    role="status",
                                    className="assistant-note",
                                ),
                            ),
                            _field(
                                "Colonne des périodes",
                                dbc.Select(
                                    id="assistant-periode",
                                    options=[NO_COLUMN, *column_options],
                                    value=choices.get("period_column"),
                                ),
                                "assistant-periode",
                            ),
                            _field(
                                "Format des périodes",
                                dbc.Select(
                                    id="assistant-periode-format",
                                    options=_options(PERIOD_FORMAT_LABELS),
                                    value=choices.get("period_format") or "auto",
                                ),
                                "assistant-periode-format",
                                html.P(
                                    "Format détecté d'après les premières lignes."
                                    if choices.get("period_column")
                                    else "",
                                    className="assistant-note",
                                ),
                            ),
                        ],
                        className="controls",
                    ),
                ],
                className="fieldset",
            ),
            html.Fieldset(
                [
                    html.Legend("Indicateur"),
                    dbc.RadioItems(
                        id="assistant-indicateur-mode",
                        options=_options(INDICATOR_MODES),
                        value=mode,
                        className="assistant-modes",
                    ),
                    html.Div(
                        [
                            _field(
                                "Indicateur du fichier",
                                dcc.Dropdown(
                                    id="assistant-indicateur",
                                    options=options,
                                    value=choices.get("indicator"),
                                    placeholder="Tapez un code ou un nom d'indicateur",
                                    searchable=True,
                                ),
                                "assistant-indicateur",
                                id="assistant-champ-indicateur",
                                hidden=mode != "fixe",
                            ),
                            _field(
                                "Colonne qui nomme l'indicateur",
                                dbc.Select(
                                    id="assistant-indicateur-colonne",
                                    options=[NO_COLUMN, *column_options],
                                    value=choices.get("indicator_column"),
                                ),
                                "assistant-indicateur-colonne",
                                id="assistant-champ-colonne",
                                hidden=mode != "colonne",
                            ),
                        ],
                        className="controls",
                    ),
                    html.Div(
                        mapping_pickers(
                            distinct_values(table, choices.get("indicator_column")),
                            choices.get("indicator_map") or {},
                            options,
                        ),
                        id="assistant-correspondances",
                        hidden=mode != "colonne",
                    ),
                    value_rows(columns, choices, options),
                ],
                className="fieldset",
            ),
            html.Fieldset(
                [
                    html.Legend("Cellules et doublons"),
                    html.Div(
                        [
                            _text_field(
                                "Valeurs manquantes", "assistant-manquant", choices.get("missing")
                            ),
                            _text_field(
                                "Secret statistique", "assistant-secret", choices.get("secret")
                            ),
                            _text_field(
                                "Sans objet", "assistant-sans-objet", choices.get("not_applicable")
                            ),
                            _text_field(
                                "Échelle (multiplie chaque valeur)",
                                "assistant-echelle",
                                choices.get("scale") or "1",
                            ),
                            _field(
                                "Plusieurs lignes pour une même période",
                                dbc.Select(
                                    id="assistant-combiner",
                                    options=_options(COMBINE_LABELS),
                                    value=choices.get("combine") or "error",
                                ),
                                "assistant-combiner",
                            ),
                        ],
                        className="controls",
                    ),
                    html.P(
                        "Séparez les valeurs par des virgules ; une cellule vide est toujours "
                        "une valeur manquante.",
                        className="assistant-note",
                    ),
                ],
                className="fieldset",
            ),
            html.H3("Aperçu"),
            html.Div(id="assistant-apercu", role="status"),
            html.Div(
                [
                    _text_field("Nom du profil", "assistant-nom", choices.get("name")),
                    html.Button(
                        "Enregistrer comme profil",
                        id="assistant-enregistrer",
                        className="btn btn-primary",
                        n_clicks=0,
                    ),
                ],
                className="controls assistant-save",
            ),
            html.Div(id="assistant-message", role="status"),
        ],
        className="assistant card",
    )


def _text_field(label: str, control_id: str, value: object) -> html.Div:
    return _field(
        label,
        dcc.Input(
            id=control_id,
            type="text",
            value=str(value or ""),
            debounce=True,
            className="form-control",
        ),
        control_id,
    )


# --- what each callback answers -------------------------------------------------------------


def mode_outputs(mode: str | None) -> dict[str, bool]:
    """Which indicator controls the mode shows (the others stay, hidden, with their choice)."""
    return {
        "fixed": mode != "fixe",
        "column": mode != "colonne",
        "pickers": mode != "colonne",
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


def closed_outputs(message: str = "") -> dict[str, Any]:
    note = html.P(message, className="assistant-note") if message else None
    return {"form": note, "hidden": not message, "columns": None}


def guessed_choices(
    table: SourceTable, catalogue: Catalogue, referential: Referential, scope: str | None
) -> dict[str, Any]:
    return guess_choices(table.frame, catalogue, referential, indicator_codes(catalogue, scope))


def edited_choices(stored: StoredProfile, columns: Sequence[str]) -> dict[str, Any]:
    return choices_from_document(stored.document, columns)


def assistant_preview(
    upload: UploadedFile | None,
    choices: Mapping[str, Any],
    *,
    catalogue: Catalogue | None = None,
    referential: Referential | None = None,
    partner_scope: str | None = None,
    max_bytes: int = 50 * 1024 * 1024,
) -> dict[str, Any]:
    """The normalised rows and the dry-run counts of ``choices`` on the file's first rows.

    Returns ``{"apercu": component, "niveau": sentence}``: the preview, and the inferred level
    of the chosen territory column."""
    catalogue = catalogue or readers.catalogue()
    referential = referential or readers.referential()
    if upload is None:
        note = "Déposez un fichier de cette forme pour voir l'aperçu des lignes lues."
        return {"apercu": html.P(note, className="assistant-note"), "niveau": ""}
    try:
        table = read_table(upload, max_bytes)
    except SourceError as error:
        return {"apercu": refused_preview([str(error)]), "niveau": ""}
    sentence = level_sentence(table.frame, choices.get("territory_column"), referential)
    if table.frame.empty:
        return {
            "apercu": refused_preview(["Le fichier n'a aucune ligne de données."]),
            "niveau": "",
        }
    document, problems = profile_document(choices, table.columns)
    if document is None:
        return {"apercu": refused_preview(problems), "niveau": sentence}
    try:
        profile = parse_profile(document)
    except ProfileError as error:
        return {"apercu": refused_preview(list(error.problems)), "niveau": sentence}
    sample = _head(table, SAMPLE_ROWS)
    validated = validate_table(sample, profile, catalogue, referential)
    if partner_scope:
        column = profile.indicator.column if profile.indicator is not None else None
        validated = scope_to_partner(validated, catalogue, partner_scope, column)
    errors = sum(issue.is_error for issue in validated.issues)
    warnings = len(validated.issues) - errors
    counts = [
        ("Lignes lues", validated.rows_read),
        ("Valeurs valides", len(validated.values)),
        ("Valeurs rejetées", validated.rejected),
        ("Avertissements", warnings),
    ]
    parts: list[Any] = []
    if is_partial(upload):
        parts.append(
            html.P(
                f"Aperçu sur les {_number(len(sample))} premières lignes du fichier : "
                "« Vérifier » contrôle le fichier entier.",
                className="assistant-note",
            )
        )
    elif len(table) > len(sample):
        parts.append(
            html.P(
                f"Aperçu sur les {_number(len(sample))} premières lignes du fichier "
                f"({_number(len(table))} en tout) : « Vérifier » contrôle le fichier entier.",
                className="assistant-note",
            )
        )
    parts.append(
        html.Dl(
            [
                html.Div([html.Dt(label), html.Dd(_number(count))], className="import-count")
                for label, count in counts
            ],
            className="import-counts assistant-counts",
        )
    )
    shown = validated.values.head(PREVIEW_ROWS)
    if not shown.empty:
        parts.append(
            html_table(
                ["Ligne", "Indicateur", "Territoire", "Période", "Type", "Valeur", "Statut"],
                (
                    [
                        int(row.line),
                        row.indicator,
                        row.territory,
                        row.period,
                        VALUE_TYPE_LABELS.get(row.value_type, row.value_type),
                        _value(row.value),
                        STATUS_LABELS.get(row.status, row.status),
                    ]
                    for row in shown.itertuples(index=False)
                ),
                f"Les {len(shown)} premières valeurs lues",
                numeric={5},
            )
        )
    issues = [issue.message for issue in validated.issues[:5]]
    if issues:
        parts.append(
            html.Ul([html.Li(message) for message in issues], className="assistant-issues")
        )
    return {"apercu": parts, "niveau": sentence}


def _head(table: SourceTable, rows: int) -> SourceTable:
    if len(table) <= rows:
        return table
    return replace(table, frame=table.frame.head(rows), lines=np.asarray(table.lines[:rows]))


def _number(count: int) -> str:
    return f"{count:,}".replace(",", NARROW_NBSP)


def _value(value: float) -> str:
    if value != value:
        return "—"
    return plain_number(value)


def refused_preview(problems: Sequence[str]) -> html.Div:
    return html.Div(
        [
            html.P("Aperçu impossible :", className="import-refused"),
            html.Ul([html.Li(problem) for problem in problems]),
        ],
        role="alert",
        className="assistant-problems",
    )


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
