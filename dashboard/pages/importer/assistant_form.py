"""The mapping assistant's form: the file's first lines, then every choice (territories,
periods, indicator, value columns, cells), pre-filled with the guesses."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.table import table as html_table
from dashboard.import_views import TABLE_CLASS
from dashboard.pages.importer.assistant_choices import (
    COMBINE_LABELS,
    INDICATOR_MODES,
    LEVEL_LABELS,
    PERIOD_FORMAT_LABELS,
    SKIP,
    VALUE_TYPE_LABELS,
    level_sentence,
)
from dashboard.pages.importer.assistant_reading import MAPPED_VALUES, distinct_values
from indicators.ingest.source import SourceTable
from indicators.territories import Referential

FIRST_LINES: Final = 5  # lines of the file shown above the form
NO_COLUMN: Final = {"label": "Aucune", "value": ""}


def _options(labels: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in labels.items()]


def _column_options(columns: Sequence[str]) -> list[dict[str, str]]:
    return [{"label": column, "value": column} for column in columns]


def _field(label: str, control: Any, control_id: str, hint: Any = None, **div: Any) -> html.Div:
    parts = [html.Label(label, htmlFor=control_id), control]
    if hint is not None:
        parts.append(hint)
    return html.Div(parts, className="control", **div)


def _select_field(
    label: str, control_id: str, options: list[Any], value: Any, hint: Any = None, **div: Any
) -> html.Div:
    """A labelled ``dbc.Select`` (the assistant's usual field)."""
    return _field(
        label, dbc.Select(id=control_id, options=options, value=value), control_id, hint, **div
    )


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
            caption=f"Les {FIRST_LINES} premières lignes du fichier",
            class_name=TABLE_CLASS,
        ),
        className="assistant-head",
    )


def _hidden_label(text: str, control_id: dict[str, str]) -> html.Label:
    """A label for a control of a table row, read by assistive technologies only (the row and
    column headers show it); Dash writes a pattern id as sorted compact JSON."""
    target = json.dumps(control_id, sort_keys=True, separators=(",", ":"))
    return html.Label(text, htmlFor=target, className="visually-hidden")


def reading_options(mode: str | None, options: list[dict[str, str]]) -> list[dict[str, str]]:
    """What a value column may be read as: with one indicator per column there is no file's
    indicator to fall back on."""
    own = (
        []
        if mode == "colonnes"
        else [{"label": "L'indicateur du fichier (ci-dessus)", "value": ""}]
    )
    return [{"label": "Ne pas lire", "value": SKIP}, *own, *options]


def value_rows(
    columns: Sequence[str], choices: Mapping[str, Any], options: list[dict[str, str]]
) -> html.Table:
    """One line per column of the file: read it as which indicator, and as which value type."""
    reading = reading_options(choices.get("indicator_mode"), options)
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
                            _select_field(
                                "Colonne des territoires",
                                "assistant-territoire",
                                [NO_COLUMN, *column_options],
                                choices.get("territory_column"),
                            ),
                            _select_field(
                                "Niveau des territoires",
                                "assistant-niveau",
                                _options(LEVEL_LABELS),
                                choices.get("territory_level") or "",
                                html.P(
                                    sentence,
                                    id="assistant-niveau-deduit",
                                    role="status",
                                    className="assistant-note",
                                ),
                            ),
                            _select_field(
                                "Colonne des périodes",
                                "assistant-periode",
                                [NO_COLUMN, *column_options],
                                choices.get("period_column"),
                            ),
                            _select_field(
                                "Format des périodes",
                                "assistant-periode-format",
                                _options(PERIOD_FORMAT_LABELS),
                                choices.get("period_format") or "auto",
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
                            _select_field(
                                "Colonne qui nomme l'indicateur",
                                "assistant-indicateur-colonne",
                                [NO_COLUMN, *column_options],
                                choices.get("indicator_column"),
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
                            _select_field(
                                "Plusieurs lignes pour une même période",
                                "assistant-combiner",
                                _options(COMBINE_LABELS),
                                choices.get("combine") or "error",
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
