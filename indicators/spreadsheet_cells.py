"""Cells written to a CSV or XLSX file that a person opens in a spreadsheet (issue #12).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel or LibreOffice as a formula (``=HYPERLINK(...)``, ``=cmd|...``): every export — the data
twins of the charts, the "lignes à corriger", the evaluation report's tables — writes it with a
leading apostrophe instead, so it stays text. Numbers, and text that reads as a number (``-3,5``),
are left as they are.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _reads_as_number(text: str) -> bool:
    try:
        float(text.replace("\u202f", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return False
    return True


def safe_cell(value: object) -> object:
    """``value``, or the text prefixed with ``'`` when a spreadsheet would run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _reads_as_number(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe to open."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(name) if isinstance(name, str) else name for name in safe.columns]
    return safe
