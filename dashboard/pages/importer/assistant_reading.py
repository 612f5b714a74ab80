"""What the mapping assistant reads of an upload: the head of the file (cached per process), the
indicators a person may map it to, and whether its header is already known.

The assistant reads the already-stored upload once per process (a small cache keyed by its
sha256), of a large CSV only its first :data:`HEAD_BYTES`, and its live preview validates the
first :data:`SAMPLE_ROWS` rows only, so a choice changed on a large file answers at once; the
full dry run stays « Vérifier »'s job.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Final

import numpy as np

from indicators.catalogue import Catalogue
from indicators.ingest import UploadedFile, find_profile_for_header
from indicators.ingest.layouts import detect_layout
from indicators.ingest.reading import read_source, sniff_format
from indicators.ingest.source import SourceTable

SAMPLE_ROWS: Final = 2000  # rows validated by the live preview
MAPPED_VALUES: Final = 50  # distinct values of an indicator column offered a picker
_CACHED_FILES: Final = 4
HEAD_BYTES: Final = 2 * 1024 * 1024  # of a large CSV, what the assistant reads

_tables: OrderedDict[tuple[str, int, int], SourceTable] = OrderedDict()
_tables_lock = threading.Lock()


def is_partial(upload: UploadedFile) -> bool:
    """Is the assistant reading only the head of this file (a CSV larger than HEAD_BYTES)?"""
    return len(upload.data) > HEAD_BYTES and sniff_format(upload) == "csv"


def read_table(upload: UploadedFile, max_bytes: int) -> SourceTable:
    """The upload (its first :data:`HEAD_BYTES` for a large CSV) read as a table, once per
    process for the last few files (two people at once each get their own: the key is the
    content's sha256). The assistant needs the header and the first rows, never the whole of a
    large file: « Vérifier » reads that."""
    key = (upload.sha256, max_bytes, HEAD_BYTES)
    with _tables_lock:
        if key in _tables:
            _tables.move_to_end(key)
            return _tables[key]
    if is_partial(upload):
        # cut on a line end (never inside a UTF-8 character), and drop the last row, which a
        # quoted field holding a line break may have cut short
        head = upload.data[:HEAD_BYTES]
        head = head[: head.rfind(b"\n") + 1] or head
        table = read_source(UploadedFile(upload.filename, head), max_bytes=max_bytes)
        table = head_rows(table, max(len(table) - 1, 0))
    else:
        table = read_source(upload, max_bytes=max_bytes)
    with _tables_lock:
        _tables[key] = table
        while len(_tables) > _CACHED_FILES:
            _tables.popitem(last=False)
    return table


def indicator_codes(catalogue: Catalogue, scope: str | None) -> list[str]:
    """The indicators a person may map a file to: its partner's (all for the staff); computed
    ones are loaded through their inputs, never directly."""
    return [
        code
        for code, indicator in catalogue.indicators.items()
        if (scope is None or indicator.partner == scope) and not indicator.is_derived
    ]


def indicator_options(catalogue: Catalogue, codes: Sequence[str]) -> list[dict[str, str]]:
    return [
        {"label": f"{code} — {catalogue.indicators[code].label}", "value": code} for code in codes
    ]


def is_recognised(
    columns: Sequence[str],
    catalogue: Catalogue,
    session: Any,
    partner: str | None,
    scope: str | None,
) -> bool:
    """Will « Vérifier » read this header without being told how (a profile saved for it, or
    the long or wide layout)? Then the assistant stays closed."""
    if detect_layout(columns, catalogue) is not None:
        return True
    found = find_profile_for_header(session, columns, scope or partner, own_or_shared=bool(scope))
    return found is not None


def distinct_values(table: SourceTable | None, column: str | None) -> list[str]:
    if table is None or not column or column not in table.frame.columns:
        return []
    cells = table.frame[column].head(SAMPLE_ROWS).str.strip()
    return list(dict.fromkeys(value for value in cells if value))[: MAPPED_VALUES + 1]


def head_rows(table: SourceTable, rows: int) -> SourceTable:
    if len(table) <= rows:
        return table
    return replace(table, frame=table.frame.head(rows), lines=np.asarray(table.lines[:rows]))
