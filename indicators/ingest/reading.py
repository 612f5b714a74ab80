"""Read an upload: tell CSV from XLSX by content (not by name: partners rename files), apply the
size limit, and hand over to :mod:`.csv_source` or :mod:`.xlsx_source`."""

from __future__ import annotations

from indicators.ingest.csv_source import check_csv_dimensions, read_csv_source
from indicators.ingest.source import SourceError, SourceFormat, SourceTable, UploadedFile
from indicators.ingest.xlsx_source import check_archive, inflated_limit_for, read_xlsx_source
from indicators.issue_codes import IssueCode
from indicators.territories.tabular import decode_bytes, sniff_delimiter

MEGABYTE = 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc): a format we do not read


def sniff_format(upload: UploadedFile) -> SourceFormat:
    head = upload.data[:8]
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise SourceError(
            IssueCode.UNSUPPORTED_FORMAT,
            "Classeur Excel 97-2003 (.xls) non pris en charge : enregistrez-le au format .xlsx "
            "ou .csv",
        )
    return "csv"


def _check_size(upload: UploadedFile, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise SourceError(
            IssueCode.FILE_TOO_LARGE,
            f"Fichier trop volumineux : {upload.size / MEGABYTE:.1f} Mo pour "
            f"{max_bytes / MEGABYTE:.0f} Mo au plus (réglage SUIVI_MAX_UPLOAD_MB) ; "
            "découpez-le en plusieurs fichiers",
        )
    if not upload.data.strip():
        raise SourceError(IssueCode.EMPTY_FILE, "Fichier vide : aucune ligne à lire")


def check_upload(upload: UploadedFile, *, max_bytes: int) -> SourceFormat:
    """The checks that need no parsing (size, format, a CSV's width and line lengths, an XLSX
    archive's inflated size), in time linear in the file's size: the web page runs them when the
    file arrives, before keeping it (issue #12). Raise :class:`SourceError`."""
    _check_size(upload, max_bytes)
    source_format = sniff_format(upload)
    if source_format == "xlsx":
        check_archive(upload.data, inflated_limit=inflated_limit_for(max_bytes))
    else:
        text, _ = decode_bytes(upload.data)
        check_csv_dimensions(text, sniff_delimiter(text[:64_000]))
    return source_format


def read_source(
    upload: UploadedFile,
    *,
    max_bytes: int,
    sheet: str | int | None = None,
    header_line: int = 1,
) -> SourceTable:
    """Read the uploaded file (CSV or XLSX) within the size limit; raise :class:`SourceError`."""
    _check_size(upload, max_bytes)
    if sniff_format(upload) == "xlsx":
        return read_xlsx_source(upload.data, sheet=sheet, header_line=header_line, limit=max_bytes)
    return read_csv_source(upload.data, header_line=header_line)
