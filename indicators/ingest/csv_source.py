"""Read a CSV upload: encoding and separator detection (shared with the membership lists in
:mod:`indicators.territories.tabular`), then the cells with the line each row starts on.

Two paths give the same table. The fast one parses with pandas' C reader and numbers rows by
their position; it is taken only when every record fits on one physical line (the number of
records equals the number of lines) and no row is longer than the header. Otherwise — a quoted
field holding a line break, a ragged row — the records come from the line-counting reader of
``tabular``, slower but exact about lines.

Before either, the dimensions are checked on the text (issue #12): a header wider than
:data:`MAX_COLUMNS` or a physical line longer than :data:`MAX_LINE_CHARS` is refused at once, in
time linear in the file's size, whatever the parsers would make of it.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from indicators.french import thousands
from indicators.ingest.source import (
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    SourceError,
    SourceTable,
    own_width,
    table_from_records,
)
from indicators.issue_codes import IssueCode
from indicators.territories.tabular import column_names, csv_records, decode_bytes, sniff_delimiter


def read_csv_source(data: bytes, header_line: int = 1) -> SourceTable:
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise SourceError(IssueCode.EMPTY_FILE, "Fichier vide : aucune ligne à lire")
    # title lines above the header would mislead the separator detection
    delimiter = sniff_delimiter(text.split("\n", header_line - 1)[-1])
    check_csv_dimensions(text, delimiter, header_line)
    fast = _fast_table(text, delimiter, header_line, encoding)
    if fast is not None:
        return fast
    records = list(csv_records(text, delimiter))
    return table_from_records(
        records, header_line, format="csv", encoding=encoding, delimiter=delimiter
    )


def check_csv_dimensions(text: str, delimiter: str, header_line: int = 1) -> None:
    """Refuse a header of more than :data:`MAX_COLUMNS` columns, or a line of more than
    :data:`MAX_LINE_CHARS` characters, before any parser sees the file."""
    width = _field_count(_physical_line(text, header_line), delimiter)
    if width > MAX_COLUMNS:
        raise SourceError(
            IssueCode.TOO_MANY_COLUMNS,
            f"Fichier refusé : {thousands(width)} colonnes sur la ligne d'en-tête (au plus "
            f"{thousands(MAX_COLUMNS)}). Un fichier d'indicateurs a au plus une colonne par "
            "indicateur : vérifiez le séparateur, ou découpez le fichier.",
        )
    if len(text) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise SourceError(
                IssueCode.LINE_TOO_LONG,
                f"Fichier refusé : la ligne {thousands(number)} compte {thousands(len(line))} "
                f"caractères (au plus {thousands(MAX_LINE_CHARS)}). Vérifiez qu'il s'agit bien "
                "d'un fichier CSV, une ligne par valeur ou par territoire.",
            )


def _physical_line(text: str, number: int) -> str:
    start = 0
    for _ in range(number - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].rstrip("\r")


def _field_count(line: str, delimiter: str) -> int:
    """Fields of the header line; its delimiters when a quote is left open or a field is huge."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return line.count(delimiter) + 1


def _physical_lines(text: str) -> int:
    terminators = text.count("\n") + text.count("\r") - text.count("\r\n")
    return terminators + (0 if text.endswith(("\n", "\r")) else 1)


def _fast_table(text: str, delimiter: str, header_line: int, encoding: str) -> SourceTable | None:
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if len(frame) != _physical_lines(text) or len(frame) < header_line:
        return None
    frame = frame.fillna("")
    header = [str(value) for value in frame.iloc[header_line - 1].tolist()]
    if not any(header):
        raise SourceError(
            IssueCode.MISSING_HEADER,
            f"Ligne d'en-tête {header_line} vide : aucun nom de colonne à lire",
        )
    names = column_names(header)
    width = own_width(names)  # without the columns a "lignes à corriger" file adds
    body = frame.iloc[header_line:, :width]
    lines = np.arange(header_line + 1, header_line + 1 + len(body), dtype=np.int64)
    blank = (body == "").all(axis=1).to_numpy()
    if blank.any():
        body, lines = body[~blank], lines[~blank]
    body = body.reset_index(drop=True)
    body.columns = pd.Index(names[:width])
    return SourceTable(
        tuple(body.columns),
        body,
        lines,
        "csv",
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
    )
