"""The mapping assistant's live preview: the normalised rows and the dry-run counts of the
choices on the file's first :data:`~dashboard.pages.importer.assistant_reading.SAMPLE_ROWS` rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from dash import html

from dashboard import readers
from dashboard.components.table import table as html_table
from dashboard.import_views import TABLE_CLASS
from dashboard.pages.importer.assistant_choices import (
    VALUE_TYPE_LABELS,
    level_sentence,
    profile_document,
)
from dashboard.pages.importer.assistant_reading import (
    SAMPLE_ROWS,
    head_rows,
    is_partial,
    read_table,
)
from indicators.catalogue import Catalogue
from indicators.french import plain_number, thousands
from indicators.ingest import ProfileError, SourceError, UploadedFile, parse_profile
from indicators.ingest.issues import Issue
from indicators.ingest.partner_scope import scope_to_partner
from indicators.ingest.validate import validate_table
from indicators.territories import Referential

PREVIEW_ROWS: Final = 10  # normalised rows shown
ISSUE_GROUPS: Final = 5  # distinct messages shown under the preview
LISTED_LINES: Final = 6  # line numbers named before « et N autres »
STATUS_LABELS: Final = {
    "ok": "",
    "missing": "manquante",
    "secret": "secret",
    "not_applicable": "sans objet",
}


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
    sample = head_rows(table, SAMPLE_ROWS)
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
                f"Aperçu sur les {thousands(len(sample))} premières lignes du fichier : "
                "« Vérifier » contrôle le fichier entier.",
                className="assistant-note",
            )
        )
    elif len(table) > len(sample):
        parts.append(
            html.P(
                f"Aperçu sur les {thousands(len(sample))} premières lignes du fichier "
                f"({thousands(len(table))} en tout) : « Vérifier » contrôle le fichier entier.",
                className="assistant-note",
            )
        )
    parts.append(
        html.Dl(
            [
                html.Div([html.Dt(label), html.Dd(thousands(count))], className="import-count")
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
                numeric={5},
                caption=f"Les {len(shown)} premières valeurs lues",
                class_name=TABLE_CLASS,
            )
        )
    for title, severe in (("Valeurs rejetées", True), ("Avertissements", False)):
        grouped = grouped_issues([i for i in validated.issues if i.is_error == severe])
        if grouped:
            parts.append(
                html.Div(
                    [
                        html.P(title, className="assistant-issues-title"),
                        html.Ul([html.Li(line) for line in grouped[:ISSUE_GROUPS]]),
                    ],
                    className="assistant-issues",
                )
            )
    return {"apercu": parts, "niveau": sentence}


def grouped_issues(issues: Sequence[Issue]) -> list[str]:
    """One line per distinct message, with the file lines it concerns: « lignes 3, 7 et 9 : … »
    (a message about the whole file has no line)."""
    lines: dict[str, list[int]] = {}
    for issue in issues:
        found = lines.setdefault(issue.message, [])
        if issue.line is not None and issue.line not in found:
            found.append(issue.line)
    return [f"{_lines(found)}{message}" for message, found in lines.items()]


def _lines(found: Sequence[int]) -> str:
    if not found:
        return ""
    if len(found) == 1:
        return f"ligne {found[0]} : "
    shown = [str(line) for line in found[:LISTED_LINES]]
    if len(found) > LISTED_LINES:
        return f"lignes {', '.join(shown)} et {len(found) - LISTED_LINES} autres : "
    return f"lignes {', '.join(shown[:-1])} et {shown[-1]} : "


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
