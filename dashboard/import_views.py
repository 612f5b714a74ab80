"""What the import and load-history pages show: pure functions from the ingest API's values
(analyses, issues, loads, effects) to Dash components, testable without a server."""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable, Sequence
from typing import Any, Final

import pandas as pd
from dash import dcc, html

from dashboard.components.table import table
from dashboard.formatting import format_int
from indicators.french import stored_value_text
from indicators.ingest import (
    MEGABYTE,
    Analysis,
    Issue,
    IssueCode,
    LoadSummary,
    UploadedFile,
    issue_title,
)

ROWS_SHOWN: Final = 200
TABLE_CLASS: Final = "table import-table"  # captions shown above (assets/import.css)
ACTIONS: Final = {
    "created": "créée",
    "updated": "modifiée",
    "unchanged": "inchangée",
    "withdrawn": "retirée",
    "replaced-since": "remplacée depuis",
    "undone": "annulée",
}
STATUSES: Final = {
    "committed": "enregistré",
    "unchanged": "sans changement",
    "refused": "refusé",
    "rolled_back": "annulé",
}


class UploadTooLarge(ValueError):
    """The file is over the size limit; the message says so in French."""


def decode_upload(filename: str, contents: str, max_bytes: int) -> UploadedFile:
    """The bytes of what ``dcc.Upload`` sends (``data:<type>;base64,<data>``), size-checked
    before decoding so that an oversized file is refused without holding it twice."""
    _, _, encoded = contents.partition(",")
    size = len(encoded) * 3 // 4 - encoded[-2:].count("=")
    if size > max_bytes:
        raise UploadTooLarge(too_large_message(size, max_bytes))
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise UploadTooLarge(
            "Fichier illisible : le navigateur l'a mal transmis, réessayez."
        ) from None
    return UploadedFile(filename, data)


def too_large_message(size: int, max_bytes: int) -> str:
    return (
        f"Fichier trop volumineux ({megabytes(size)}) : la limite est de {megabytes(max_bytes)}. "
        "Découpez-le en plusieurs fichiers (par exemple par indicateur ou par période), ou "
        "enregistrez-le en CSV, plus léger qu'un classeur XLSX."
    )


def megabytes(size: int) -> str:
    """``850 Ko``, ``1,5 Mo``, ``50 Mo``: a size as people read it."""
    if size < MEGABYTE:
        return f"{max(1, math.ceil(size / 1024))} Ko"
    value = size / MEGABYTE
    shown = f"{value:.1f}".replace(".", ",") if value < 10 else f"{math.ceil(value)}"
    return f"{shown.removesuffix(',0')} Mo"


def counts_list(counts: dict[str, int]) -> html.Dl:
    """Créées, modifiées, inchangées, retirées, rejetées, avertissements, as a definition list."""
    shown = [
        ("Créées", counts.get("created", 0)),
        ("Modifiées", counts.get("updated", 0)),
        ("Inchangées", counts.get("unchanged", 0)),
        ("Retirées", counts.get("withdrawn", 0)),
        ("Rejetées", counts.get("rejected", 0)),
        ("Avertissements", counts.get("warnings", 0)),
    ]
    items: list[Any] = []
    for label, count in shown:
        items.append(
            html.Div(
                [html.Dt(label), html.Dd(format_int(count))],
                className=f"import-count import-count-{label.lower()}",
            )
        )
    return html.Dl(items, className="import-counts")


def issues_table(issues: Sequence[Issue], caption: str = "Anomalies") -> html.Div:
    shown = issues[:ROWS_SHOWN]
    rows = [
        [
            issue.line if issue.line is not None else "fichier",
            issue.column or "",
            html.Span(issue_title(issue.code), title=issue.code),
            issue.value,
            issue.message if issue.is_error else f"(avertissement) {issue.message}",
        ]
        for issue in shown
    ]
    more = (
        html.P(
            f"Les {ROWS_SHOWN} premières anomalies sur {format_int(len(issues))} : téléchargez les "
            "lignes à corriger pour les voir toutes."
        )
        if len(issues) > ROWS_SHOWN
        else None
    )
    return html.Div(
        [
            table(
                ["Ligne", "Colonne", "Problème", "Valeur", "Message"],
                rows,
                {0},
                caption,
                TABLE_CLASS,
            ),
            more,
        ],
        className="table-scroll",
    )


def corrections_link(href: str) -> html.A:
    """The "lignes à corriger" CSV, served by ``/import/lignes-a-corriger/…`` (never a
    ``data:`` URI: the page would carry every issue of the file)."""
    return html.A(
        "Télécharger les lignes à corriger (CSV)",
        id="import-corrections",
        href=href,
        className="download",
    )


def changes_table(
    frame: pd.DataFrame, caption: str, name: Callable[[str], str] | None = None
) -> html.Div:
    """Key, action and old -> new, the first rows of ``changes_table()`` or ``load_effects()``;
    ``name`` gives a territory's name (the referential's)."""
    shown = frame.head(ROWS_SHOWN)
    rows = [
        [
            row.indicator,
            territory_label(str(row.territory), name),
            row.period,
            row.value_type,
            ACTIONS.get(str(row.action), str(row.action)),
            stored_value_text(row.old_value, row.old_status),
            stored_value_text(row.value, row.status),
        ]
        for row in shown.itertuples(index=False)
    ]
    more = (
        html.P(f"Les {ROWS_SHOWN} premières valeurs sur {format_int(len(frame))}.")
        if len(frame) > ROWS_SHOWN
        else None
    )
    headers = ["Indicateur", "Territoire", "Période", "Type", "Effet", "Avant", "Après"]
    return html.Div(
        [table(headers, rows, {5, 6}, caption, TABLE_CLASS), more], className="table-scroll"
    )


def territory_label(code: str, name: Callable[[str], str] | None) -> str:
    """``Ajaccio (COM:2A004)``; the bare code when the referential no longer knows it."""
    if name is None:
        return code
    try:
        return f"{name(code)} ({code})"
    except (KeyError, ValueError):
        return code


def refusal_advice(analysis: Analysis) -> str:
    """What to fix, in French, when the file would be refused."""
    codes = {issue.code for issue in analysis.issues if issue.is_error and issue.line is None}
    if IssueCode.UNKNOWN_LAYOUT in codes:
        read = analysis.file.columns
        return (
            "Colonnes non reconnues : utilisez le format long (indicateur, territoire, periode, "
            "valeur), le format large (territoire, periode et une colonne par code "
            "d'indicateur) ou choisissez un profil d'import."
            + (f" Colonnes lues : {', '.join(read)}." if read else "")
        )
    if not analysis.readable:
        return "Fichier refusé, rien n'a été enregistré : corrigez le problème signalé ci-dessous."
    if analysis.errors and not analysis.options.accept_partial:
        return (
            "Fichier refusé, rien n'a été enregistré : corrigez les lignes signalées (téléchargez "
            "les lignes à corriger), ou cochez « charger seulement les lignes valides »."
        )
    return "Fichier refusé : aucune valeur à charger, rien n'a été enregistré."


def dry_run_report(
    analysis: Analysis,
    name: Callable[[str], str] | None = None,
    corrections_href: str | None = None,
) -> list[Any]:
    """The dry run's result: verdict, counts, issues (with the link to their CSV) and changes."""
    counts = analysis.counts
    parts: list[Any] = [html.H2("Résultat de la vérification")]
    how = _how_read(analysis)
    if how:
        parts.append(html.P(how))
    if analysis.verdict == "refused":
        parts.append(html.P(refusal_advice(analysis), className="import-refused", role="alert"))
    elif not analysis.writes:
        previous = (
            f" (fichier identique au chargement n°{analysis.previous_load})"
            if analysis.previous_load
            else ""
        )
        parts.append(
            html.P(
                f"Le chargement ne changerait rien{previous}.",
                className="import-valid",
                role="status",
            )
        )
    else:
        parts.append(
            html.P(
                "Le fichier peut être chargé : vérifiez ci-dessous puis validez le chargement. "
                "Rien n'a encore été enregistré.",
                className="import-valid",
                role="status",
            )
        )
    parts.append(counts_list(counts))
    # the unknown layout is what the refusal above already says: not a second time in the table
    issues = [i for i in analysis.issues if i.code != IssueCode.UNKNOWN_LAYOUT]
    if issues:
        parts.append(issues_table(issues))
        if corrections_href:
            parts.append(corrections_link(corrections_href))
    changed = analysis.changes_table(("created", "updated", "withdrawn"))
    if not changed.empty:
        parts.append(
            changes_table(changed, "Valeurs qui seraient créées, modifiées ou retirées", name)
        )
    return parts


def _how_read(analysis: Analysis) -> str:
    if analysis.profile is not None and analysis.layout == "profile":
        if analysis.profile_matched:
            return f"Profil « {analysis.profile.name} » reconnu par l'en-tête du fichier."
        return f"Lu avec le profil « {analysis.profile.name} »."
    layouts = {"long": "Format long reconnu.", "wide": "Format large reconnu."}
    return layouts.get(analysis.layout or "", "")


def loads_table(loads: Sequence[LoadSummary]) -> html.Div:
    headers = [
        "N°",
        "Date",
        "Fichier",
        "Utilisateur",
        "Partenaire",
        "Statut",
        "Créées",
        "Modifiées",
        "Inchangées",
        "Rejetées",
    ]
    rows = [
        [
            dcc.Link(str(load.id), href=f"/chargements?id={load.id}"),
            f"{load.created_at:%d/%m/%Y %H:%M}",
            load.filename,
            load.username or "—",
            load.partner_code or "—",
            load_status(load),
            format_int(load.created),
            format_int(load.updated),
            format_int(load.unchanged),
            format_int(load.rejected),
        ]
        for load in loads
    ]
    return html.Div(
        table(headers, rows, {0, 6, 7, 8, 9}, "Derniers chargements", TABLE_CLASS),
        className="table-scroll",
    )


def load_status(load: LoadSummary) -> str:
    if load.rollback_of is not None:
        return f"annulation du n°{load.rollback_of}"
    return STATUSES.get(load.status, load.status)
