"""Numbers as French files write them: ``12,5``, ``1 234,5``, ``1.234,5``, ``12,5 %``; and the
cell values that stand for a status instead of a number (``NA``, ``-9999``, ``s``…).

Vectorised for large files: the common case (digits with a ``,`` or ``.`` decimal separator) is
read by one pandas conversion; only the cells that fail it go through the slower cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

DEFAULT_MISSING: Final = frozenset(
    {"", "NA", "N/A", "#N/A", "ND", "NC", "NR", "-", "--", "NAN", "NULL", "-9999", "-999999"}
)
DEFAULT_SECRET: Final = frozenset({"S", "(S)", "SECRET", "SECRET STATISTIQUE", "C"})
DEFAULT_NOT_APPLICABLE: Final = frozenset({"SO", "S.O.", "SANS OBJET", "NON APPLICABLE"})

_SPACES: Final = re.compile(r"[\s\u00a0\u202f']")
_DOT_THOUSANDS: Final = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+,\d*")
_COMMA_THOUSANDS: Final = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+\.\d*")


@dataclass(frozen=True)
class StatusTokens:
    """Cell values (compared upper-cased, trimmed) that mean a status rather than a number."""

    missing: frozenset[str] = DEFAULT_MISSING
    secret: frozenset[str] = DEFAULT_SECRET
    not_applicable: frozenset[str] = DEFAULT_NOT_APPLICABLE

    @classmethod
    def of(
        cls,
        missing: Iterable[str] | None = None,
        secret: Iterable[str] | None = None,
        not_applicable: Iterable[str] | None = None,
    ) -> StatusTokens:
        def folded(values: Iterable[str] | None, default: frozenset[str]) -> frozenset[str]:
            return default if values is None else frozenset(v.strip().upper() for v in values)

        return cls(
            folded(missing, DEFAULT_MISSING),
            folded(secret, DEFAULT_SECRET),
            folded(not_applicable, DEFAULT_NOT_APPLICABLE),
        )

    def status_of(self, upper: str) -> str | None:
        if upper in self.missing:
            return "missing"
        if upper in self.secret:
            return "secret"
        if upper in self.not_applicable:
            return "not_applicable"
        return None


@dataclass(frozen=True)
class ParsedNumbers:
    """``values`` (NaN unless a number), ``status`` (``ok`` for a number, else the token's
    status, ``""`` when the cell is neither), ``invalid`` marks the cells that are neither."""

    values: npt.NDArray[np.float64]
    status: npt.NDArray[np.object_]
    invalid: npt.NDArray[np.bool_]

    def spread(self, codes: npt.NDArray[np.intp]) -> ParsedNumbers:
        """The answers for distinct values, given to each row by its code."""
        return ParsedNumbers(self.values[codes], self.status[codes], self.invalid[codes])


def parse_numbers(raw: pd.Series, tokens: StatusTokens = StatusTokens()) -> ParsedNumbers:
    """Read every cell; each distinct text is read once."""
    codes, uniques = pd.factorize(np.asarray(raw, dtype=object), use_na_sentinel=False)
    return parse_distinct(pd.Series(uniques, dtype=object), tokens).spread(codes)


def parse_distinct(raw: pd.Series, tokens: StatusTokens = StatusTokens()) -> ParsedNumbers:
    text = raw.astype(str).str.strip()
    values = np.array(
        pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce"),
        dtype=np.float64,
    )
    status = np.full(len(text), "ok", dtype=object)
    # a token may look like a number (-9999): tokens first, on the distinct values only
    token_status = {
        value: found
        for value in pd.unique(text[~np.isfinite(values) | text.str.startswith("-").to_numpy()])
        if (found := tokens.status_of(str(value).upper())) is not None
    }
    if token_status:
        mapped = np.array(text.map(token_status), dtype=object)
        is_token = pd.notna(mapped)
        status[is_token] = mapped[is_token]
        values[is_token] = np.nan
    else:
        is_token = np.zeros(len(text), dtype=bool)
    pending = ~np.isfinite(values) & ~is_token
    if pending.any():
        cleaned = np.array([_clean_number(t) for t in text.to_numpy()[pending]], dtype=np.float64)
        values[pending] = cleaned
    invalid = ~np.isfinite(values) & ~is_token
    status[invalid] = ""
    values[invalid] = np.nan
    return ParsedNumbers(values, status, invalid)


def _clean_number(text: str) -> float:
    """The slow path: spaces between digit groups, a trailing ``%``, both separators."""
    cleaned = _SPACES.sub("", str(text)).removesuffix("%").removeprefix("+")
    if _DOT_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _COMMA_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return float("nan")
    return value if np.isfinite(value) else float("nan")
