"""A first look at an upload, for the web page's profile editor: the columns (the drop-downs'
choices), the first rows, the sheets of a workbook, and the roles already recognised."""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.ingest.issues import Issue, file_issue
from indicators.ingest.layouts import find_columns
from indicators.ingest.reading import read_source
from indicators.ingest.source import SourceError, UploadedFile


@dataclass(frozen=True)
class Preview:
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    lines: tuple[int, ...] = ()
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    roles: dict[str, str] = field(default_factory=dict)  # role of the long layout -> column
    issue: Issue | None = None


def preview_upload(
    upload: UploadedFile,
    *,
    max_bytes: int,
    sheet: str | int | None = None,
    header_line: int = 1,
    rows: int = 20,
) -> Preview:
    try:
        table = read_source(upload, max_bytes=max_bytes, sheet=sheet, header_line=header_line)
    except SourceError as error:
        return Preview(issue=file_issue(error.code, str(error)))
    head = table.frame.head(rows)
    return Preview(
        columns=table.columns,
        rows=tuple(tuple(str(cell) for cell in row) for row in head.itertuples(index=False)),
        lines=tuple(int(line) for line in table.lines[:rows]),
        sheets=table.sheets,
        sheet=table.sheet,
        encoding=table.encoding,
        delimiter=table.delimiter,
        roles=find_columns(table.columns),
    )
