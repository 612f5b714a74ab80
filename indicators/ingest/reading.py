"""Read an upload: tell CSV from XLSX by content (not by name: partners rename files), apply the
size limit, and hand over to :mod:`.csv_source` or :mod:`.xlsx_source`."""

from __future__ import annotations

from indicators.ingest.csv_source import read_csv_source
from indicators.ingest.source import SourceError, SourceFormat, SourceTable, UploadedFile
from indicators.ingest.xlsx_source import read_xlsx_source

MEGABYTE = 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc): a format we do not read


def sniff_format(upload: UploadedFile) -> SourceFormat:
    head = upload.data[:8]
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise SourceError(
            "unsupported-format",
            "Classeur Excel 97-2003 (.xls) non pris en charge : enregistrez-le au format .xlsx "
            "ou .csv",
        )
    return "csv"


def read_source(
    upload: UploadedFile,
    *,
    max_bytes: int,
    sheet: str | int | None = None,
    header_line: int = 1,
) -> SourceTable:
    """Read the uploaded file (CSV or XLSX) within the size limit; raise :class:`SourceError`."""
    if upload.size > max_bytes:
        raise SourceError(
            "file-too-large",
            f"Fichier trop volumineux : {upload.size / MEGABYTE:.1f} Mo pour "
            f"{max_bytes / MEGABYTE:.0f} Mo au plus (réglage SUIVI_MAX_UPLOAD_MB) ; "
            "découpez-le en plusieurs fichiers",
        )
    if not upload.data.strip():
        raise SourceError("empty-file", "Fichier vide : aucune ligne à lire")
    if sniff_format(upload) == "xlsx":
        return read_xlsx_source(upload.data, sheet=sheet, header_line=header_line, limit=max_bytes)
    return read_csv_source(upload.data, header_line=header_line)
