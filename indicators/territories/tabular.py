"""Read a small list file (CSV or GeoJSON/JSON) into rows that remember their line in the file.

Line numbers are the ones a person sees in a text editor: the header is line 1, and a record whose
quoted field spans several lines is numbered by the line where it starts. A GeoJSON feature is
numbered by the line of its opening brace.

Partners' CSV files come as UTF-8 with or without BOM, or Windows-1252, with ``,`` ``;`` tab or
``|`` separators: :func:`decode_bytes` and :func:`sniff_delimiter` cope with each.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

import charset_normalizer

DELIMITERS: Final = (",", ";", "\t", "|")
_SNIFF_CHARS: Final = 64_000
_SNIFF_RECORDS: Final = 50


class TableError(ValueError):
    """The file cannot be read as a table; the message says why, in French."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    values: dict[str, object]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    format: Literal["csv", "geojson", "json"]
    encoding: str
    delimiter: str | None = None
    has_header: bool = True


def decode_bytes(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: BOMs first, then strict UTF-8, then Windows-1252 (what French
    spreadsheets write), then charset-normalizer's guess for anything else."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" not in data[:4096]:  # NUL bytes mean UTF-16/32 without BOM: not cp1252
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best), str(best.encoding)
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first records into the most, equally long, fields.

    ``csv.Sniffer`` is thrown off by quoted fields holding line breaks or separators (the France
    Services file has both); parsing a sample with each candidate and comparing field counts is
    not.
    """
    sample = text[:_SNIFF_CHARS]
    complete = len(text) <= _SNIFF_CHARS
    best: tuple[tuple[bool, float, int], str] | None = None
    for delimiter in DELIMITERS:
        records = [r for r in _records(sample, delimiter, _SNIFF_RECORDS + 1) if r[1]]
        if not complete and len(records) > 1:
            records = records[:-1]  # the sample may cut the last record short
        if not records:
            continue
        width = len(records[0][1])
        consistent = sum(len(fields) == width for _, fields in records) / len(records)
        score = (width > 1, consistent, width)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else ","


def _records(
    text: str, delimiter: str, limit: int | None = None
) -> Iterator[tuple[int, list[str]]]:
    """``(start line, fields)`` of each record, blank lines included as empty lists."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous_end = 0
    for count, fields in enumerate(reader):
        if limit is not None and count >= limit:
            return
        yield previous_end + 1, fields
        previous_end = reader.line_num


def csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of each non-blank record, numbered as a person sees them (the ingest
    reads its columns from these when a quoted field spans several lines)."""
    return ((line, fields) for line, fields in _records(text, delimiter) if any(fields))


def read_csv_table(text: str, encoding: str, delimiter: str | None = None) -> Table:
    delimiter = delimiter or sniff_delimiter(text)
    records = [(line, fields) for line, fields in _records(text, delimiter) if any(fields)]
    if not records:
        raise TableError("Fichier vide : aucune ligne à lire")
    columns = column_names(records[0][1])
    rows = tuple(
        Row(line, {column: value.strip() for column, value in zip(columns, fields, strict=False)})
        for line, fields in records[1:]
    )
    return Table(columns, rows, "csv", encoding, delimiter)


def without_header(table: Table) -> Table:
    """The same file read as headerless: the first line becomes a data row."""
    if not table.has_header or table.format != "csv":
        return table
    names = tuple(f"colonne {i}" for i in range(1, len(table.columns) + 1))
    first = Row(1, dict(zip(names, table.columns, strict=True)))
    rows = (
        first,
        *(Row(row.line, dict(zip(names, row.values.values(), strict=False))) for row in table.rows),
    )
    return Table(names, rows, table.format, table.encoding, table.delimiter, has_header=False)


def column_names(header: list[str]) -> tuple[str, ...]:
    """Trimmed header names; blank ones become ``colonne N``, repeated ones get their position."""
    names: list[str] = []
    seen: set[str] = set()  # a set, not the list: linear in the number of columns (issue #12)
    for position, raw in enumerate(header, start=1):
        name = raw.strip().lstrip("\ufeff") or f"colonne {position}"
        while name in seen:  # duplicated headers stay addressable
            name = f"{name} ({position})"
        names.append(name)
        seen.add(name)
    return tuple(names)


_FEATURES: Final = re.compile(r'"features"\s*:\s*\[')


def read_json_table(text: str, encoding: str) -> Table:
    """A GeoJSON FeatureCollection (one row per feature, its ``properties``) or a JSON array of
    objects (one row per object)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise TableError(
            f"JSON illisible ligne {error.lineno}, colonne {error.colno} : {error.msg}"
        ) from None
    if isinstance(document, dict) and isinstance(document.get("features"), list):
        items, kind = document["features"], "geojson"
    elif isinstance(document, list):
        items, kind = document, "json"
    else:
        raise TableError("JSON inattendu : ni FeatureCollection GeoJSON, ni liste d'objets")
    lines = _item_lines(text, len(items), kind == "geojson")
    columns: dict[str, None] = {}
    rows: list[Row] = []
    for item, line in zip(items, lines, strict=True):
        values = item.get("properties") if kind == "geojson" and isinstance(item, dict) else item
        if not isinstance(values, dict):
            values = {}
        columns.update(dict.fromkeys(str(key) for key in values))
        rows.append(Row(line, {str(key): value for key, value in values.items()}))
    return Table(tuple(columns), tuple(rows), "geojson" if kind == "geojson" else "json", encoding)


def _item_lines(text: str, count: int, geojson: bool) -> list[int]:
    """Line of each array item's first character, by decoding the items one after the other.

    Falls back to the item's position (1, 2, …) if the layout is not the expected one.
    """
    match = _FEATURES.search(text) if geojson else re.match(r"\s*\[", text)
    if match is None:
        return list(range(1, count + 1))
    decoder = json.JSONDecoder()
    position = match.end()
    lines: list[int] = []
    line, counted_to = 1, 0
    try:
        for _ in range(count):
            while text[position] in " \t\r\n,":
                position += 1
            line += text.count("\n", counted_to, position)
            counted_to = position
            lines.append(line)
            _, position = decoder.raw_decode(text, position)
    except (IndexError, json.JSONDecodeError):
        return list(range(1, count + 1))
    return lines


def read_table(data: bytes, filename: str | None = None, delimiter: str | None = None) -> Table:
    """Decode and read a CSV or JSON file; the format comes from the name, else the content."""
    text, encoding = decode_bytes(data)
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    looks_json = text.lstrip()[:1] in ("{", "[")
    if suffix in ("json", "geojson") or (suffix not in ("csv", "txt", "tsv") and looks_json):
        return read_json_table(text, encoding)
    return read_csv_table(text, encoding, delimiter)
