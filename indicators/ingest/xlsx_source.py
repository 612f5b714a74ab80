"""Read one sheet of an XLSX upload, guarded against zip bombs and absurd dimensions.

An XLSX file is a zip archive of XML: a few kilobytes can declare gigabytes once inflated, or a
sheet of a million columns. Before openpyxl parses anything, the archive's declared sizes are
checked (zipfile never inflates a member beyond its declared size, so the check holds); while the
rows are read, their number and width are bounded too.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, Final

import openpyxl

from indicators.french import thousands
from indicators.ingest.source import MAX_COLUMNS, SourceError, SourceTable, table_from_records
from indicators.issue_codes import IssueCode

MAX_ROWS: Final = 2_000_000
MAX_CELLS: Final = 10_000_000  # cells read (rows x their width): a long file of 2.5 M rows
MAX_RATIO: Final = 200  # inflated / compressed, per member; sheets of numbers stay well below
INFLATED_FACTOR: Final = 10  # the archive inflates to at most 10 x the upload limit (issue #12)


def inflated_limit_for(upload_limit: int) -> int:
    return INFLATED_FACTOR * upload_limit


def read_xlsx_source(
    data: bytes, *, sheet: str | int | None = None, header_line: int = 1, limit: int
) -> SourceTable:
    """The rows of ``sheet`` (a name, a 0-based position, or the first sheet)."""
    check_archive(data, inflated_limit=inflated_limit_for(limit))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SourceError(
            IssueCode.UNREADABLE_FILE, f"Classeur XLSX illisible ({type(error).__name__}) : {error}"
        ) from None
    try:
        names = tuple(workbook.sheetnames)
        name = _sheet_name(names, sheet)
        worksheet = workbook[name]
        records = list(_records(worksheet))
    finally:
        workbook.close()
    return table_from_records(
        records, header_line, format="xlsx", sheet=name, sheets=names, encoding=None
    )


def check_archive(data: bytes, *, inflated_limit: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SourceError(
            IssueCode.UNREADABLE_FILE, "Fichier ZIP/XLSX endommagé : illisible"
        ) from None
    with archive:
        members = archive.infolist()
        total = sum(member.file_size for member in members)
        if total > inflated_limit:
            raise SourceError(
                IssueCode.XLSX_TOO_LARGE,
                f"Classeur refusé : {_megabytes(total)} Mo une fois décompressé (au plus "
                f"{_megabytes(inflated_limit)} Mo, {INFLATED_FACTOR} fois la taille maximale "
                "d'un fichier chargé) : enregistrez-le en CSV ou découpez-le",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_RATIO:
                raise SourceError(
                    IssueCode.XLSX_TOO_LARGE,
                    f"Classeur refusé : « {member.filename} » se décompresse {ratio:.0f} fois "
                    "(bombe de décompression probable)",
                )
        if "xl/workbook.xml" not in archive.namelist():
            raise SourceError(
                IssueCode.UNSUPPORTED_FORMAT,
                "Archive ZIP qui n'est pas un classeur XLSX : enregistrez le fichier au format "
                ".xlsx ou .csv",
            )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}" if size >= 1024 * 1024 else f"{size / 1024 / 1024:.1f}"


def _sheet_name(names: tuple[str, ...], sheet: str | int | None) -> str:
    if sheet is None or sheet == "":
        if not names:
            raise SourceError(IssueCode.UNREADABLE_FILE, "Classeur sans aucune feuille")
        return names[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
    elif sheet in names:
        return sheet
    raise SourceError(
        IssueCode.UNKNOWN_SHEET,
        f"Feuille « {sheet} » absente ; feuilles du classeur : {', '.join(names)}",
    )


def _records(worksheet: Any) -> Iterator[tuple[int, list[str]]]:
    if (worksheet.max_column or 0) > MAX_COLUMNS or (worksheet.max_row or 0) > MAX_ROWS:
        # the declared dimension may only reflect formatting: trust the rows actually present
        worksheet.reset_dimensions()
    cells_read = 0
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise SourceError(
                IssueCode.XLSX_TOO_LARGE,
                f"Feuille refusée : plus de {thousands(MAX_ROWS)} lignes",
            )
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise SourceError(
                IssueCode.XLSX_TOO_LARGE,
                f"Feuille refusée : ligne {number} de {len(cells)} colonnes "
                f"(au plus {MAX_COLUMNS})",
            )
        cells_read += len(cells)
        if cells_read > MAX_CELLS:
            raise SourceError(
                IssueCode.XLSX_TOO_LARGE,
                f"Feuille refusée : plus de {thousands(MAX_CELLS)} cellules"
                + " ; enregistrez-la en CSV ou découpez-la",
            )
        if cells:
            yield number, cells


def cell_text(value: object) -> str:
    """A cell as a person reads it: whole numbers without ``.0``, dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
