"""The "lignes à corriger": the lines of the uploaded file that have a problem, as they were
sent (every column, the text of every cell), plus a French column ``Problème`` saying what is
wrong on each and a last column ``code`` for scripts.

A data officer corrects the cells and uploads the file again: the reader drops the two added
columns (:func:`~indicators.ingest.source.own_width`), and the rows that only carried a problem
of the whole file (empty original cells) are then blank, so they are skipped.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np

from indicators.ingest.analysis import Analysis, read_upload
from indicators.ingest.issues import Issue
from indicators.ingest.source import CORRECTION_COLUMNS, SourceError, SourceTable
from indicators.issue_codes import IssueCode, issue_title
from indicators.spreadsheet_cells import safe_cell

SEPARATOR: Final = " ; "
_CODES: Final = frozenset(code.value for code in IssueCode)


def problem_text(issue: Issue) -> str:
    """``Territoire inconnu (territoire) : Code 99999 inconnu… — Utilisez un code officiel…``:
    the code's French title, where, the message's detail, then what to fix when the vocabulary
    says it; a warning says so."""
    where = f" ({issue.column})" if issue.column else ""
    if issue.line is not None and issue.line <= 1:
        where = f" (en-tête, colonne « {issue.column} »)" if issue.column else " (en-tête)"
    warning = "" if issue.is_error else "(avertissement) "
    title, detail = issue_title(issue.code), issue.message
    if detail.casefold().startswith(title.casefold()):  # « Fichier vide : Fichier vide… »
        detail = detail[len(title) :].lstrip(" :")
    hint = IssueCode(issue.code).hint if issue.code in _CODES else ""
    return (
        f"{warning}{title}{where}"
        + (f" : {detail}" if detail else "")
        + (f" — {hint}" if hint else "")
    )


def _original_table(analysis: Analysis) -> SourceTable | None:
    if not analysis.upload.data:
        return None  # too large to be kept: only its size is known
    try:
        return read_upload(analysis.upload, analysis.profile, analysis.options)
    except SourceError:
        return None


def corrections_rows(analysis: Analysis) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    """The header and the rows: first one row per problem of the whole file (original cells
    empty), then each line with a problem, in the file's order, its problems joined after its
    line number in the uploaded file (messages such as a duplicate's name other lines)."""
    table = _original_table(analysis)
    columns = table.columns if table is not None else ()
    by_line: dict[int, list[Issue]] = defaultdict(list)
    whole_file: list[Issue] = []
    lines = table.lines if table is not None else np.empty(0, dtype=np.int64)
    known = set(lines.tolist())
    for issue in analysis.issues:
        if issue.line is not None and issue.line in known:
            by_line[issue.line].append(issue)
        else:
            whole_file.append(issue)
    blank = ("",) * len(columns)
    rows: list[tuple[object, ...]] = [
        (*blank, safe_cell(problem_text(issue)), issue.code) for issue in whole_file
    ]
    if table is not None and by_line:
        wanted = sorted(by_line)
        positions = np.searchsorted(lines, wanted)
        cells = table.frame.iloc[positions].itertuples(index=False, name=None)
        for line, original in zip(wanted, cells, strict=True):
            issues = by_line[line]
            rows.append(
                (
                    *(safe_cell(cell) for cell in original),
                    safe_cell(
                        f"Ligne {line} — " + SEPARATOR.join(problem_text(issue) for issue in issues)
                    ),
                    SEPARATOR.join(dict.fromkeys(issue.code for issue in issues)),
                )
            )
    return (*(str(safe_cell(name)) for name in columns), *CORRECTION_COLUMNS), rows


def corrections_csv(analysis: Analysis) -> bytes:
    """The "lignes à corriger" as a ``;``-separated UTF-8 CSV with a BOM (what French
    spreadsheets open); the cells come from the uploaded file, never as a live formula."""
    header, rows = corrections_rows(analysis)
    return _csv_bytes(header, rows)


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
