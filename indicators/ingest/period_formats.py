"""Periods as partners write them, read into :class:`~indicators.periods.Period`.

A profile says which format a period column holds; the canonical format uses ``auto``:

========== ================================================ =====================================
format     examples                                         reads as
========== ================================================ =====================================
``auto``   ``2025``, ``2025-S1``, ``2025-T3``, ``2025-07``  the canonical forms, plus the
           ``T3 2025``, ``2025Q3``, ``07/2025``             quarter, semester and month variants
``year``   ``2025``                                         the year
``year2``  ``25``, ``98``                                   2025, 1998 (00–69 -> 2000s)
``semester`` ``S1 2025``, ``2025-S1``, ``1er semestre 2025`` the semester
``quarter`` ``T3 2025``, ``2025Q3``, ``3T2025``, ``T3-25``  the quarter
``month``  ``2025-07``, ``07/2025``, ``202507``, ``juillet 2025``, ``juil.-25`` the month
``date``   ``2025-07-31``, ``31/07/2025``, ``31/07/25``     the period of the indicator's
                                                            periodicity that contains the day
========== ================================================ =====================================

A date names a day, so it needs the periodicity (``kind``) to become a period; other formats
ignore ``kind``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, Literal, get_args

from indicators.periods import Period, PeriodError, PeriodKind, parse_period, period_containing
from indicators.territories.folding import strip_accents

PeriodFormat = Literal["auto", "year", "year2", "semester", "quarter", "month", "date"]
PERIOD_FORMATS: Final[tuple[str, ...]] = get_args(PeriodFormat)

_YEAR: Final = re.compile(r"(\d{4})")
_YEAR2: Final = re.compile(r"(\d{2})")
_SEMESTER: Final = (
    re.compile(r"(?P<y>\d{4}|\d{2})\s*[-_/ ]?\s*S(?P<i>[12])"),
    re.compile(r"S(?P<i>[12])\s*[-_/ ]?\s*(?P<y>\d{4}|\d{2})"),
    re.compile(r"(?P<i>[12])\s*(?:ER|E|ND|EME)?\s*SEMESTRE\s*(?P<y>\d{4})"),
)
_QUARTER: Final = (
    re.compile(r"(?P<y>\d{4}|\d{2})\s*[-_/ ]?\s*[TQ](?P<i>[1-4])"),
    re.compile(r"[TQ](?P<i>[1-4])\s*[-_/ ]?\s*(?P<y>\d{4}|\d{2})"),
    re.compile(r"(?P<i>[1-4])\s*[TQ]\s*(?P<y>\d{4})"),
    re.compile(r"(?P<i>[1-4])\s*(?:ER|E|EME)?\s*TRIMESTRE\s*(?P<y>\d{4})"),
)
_MONTH: Final = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<m>\d{1,2})[-/.](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"),
)
_MONTH_NAMES: Final = {
    "JANV": 1, "JANVIER": 1, "FEV": 2, "FEVR": 2, "FEVRIER": 2, "MARS": 3, "AVR": 4, "AVRIL": 4,
    "MAI": 5, "JUIN": 6, "JUIL": 7, "JUILLET": 7, "AOUT": 8, "SEPT": 9, "SEPTEMBRE": 9,
    "OCT": 10, "OCTOBRE": 10, "NOV": 11, "NOVEMBRE": 11, "DEC": 12, "DECEMBRE": 12,
}  # fmt: skip
_NAMED_MONTH: Final = re.compile(r"(?P<name>[A-Z]+)\.?\s*[-/ ]?\s*(?P<y>\d{4}|\d{2})")
_DATE: Final = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ][\d:.]+Z?)?"),
    re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?:\s+[\d:.]+)?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def read_period(text: str, fmt: PeriodFormat = "auto", kind: PeriodKind | None = None) -> Period:
    """Read ``text`` in format ``fmt``; raise :class:`PeriodError` (French message) otherwise."""
    cleaned = " ".join(strip_accents(text).upper().split())
    if not cleaned:
        raise PeriodError("période vide")
    try:
        found = _READERS[fmt](cleaned, kind)
    except PeriodError as error:  # well formed, but a month 13 or a year 1850
        raise PeriodError(f"période invalide « {text} » : {error}") from None
    except ValueError:  # a day that does not exist (31/02)
        found = None
    if found is None:
        raise PeriodError(f"période illisible « {text} » : {_EXPECTED[fmt]}")
    return found


def written_forms(period: Period) -> tuple[str, ...]:
    """Ways to write ``period`` that ``read_period`` (format ``auto``) reads back as it: the
    canonical code first, then the variants partners use (the help of ``/import``)."""
    year, index = period.year, period.index
    if period.kind is PeriodKind.YEAR:
        return (str(period),)
    if period.kind is PeriodKind.SEMESTER:
        return (
            str(period),
            f"S{index} {year}",
            f"{year}S{index}",
            f"{_ordinal(index)} semestre {year}",
        )
    if period.kind is PeriodKind.QUARTER:
        return (
            str(period),
            f"{year}-Q{index}",
            f"T{index} {year}",
            f"{year}Q{index}",
            f"{index}T{year}",
            f"{_ordinal(index)} trimestre {year}",
        )
    return (
        str(period),
        f"{index:02d}/{year}",
        f"{year}{index:02d}",
        f"{_MONTH_WORDS[index - 1]} {year}",
    )


def _ordinal(index: int) -> str:
    return "1er" if index == 1 else f"{index}e"


_MONTH_WORDS: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def period_moment(text: str, fmt: PeriodFormat = "auto") -> str:
    """When within its period a text falls, as sortable ISO text: the day of a date, else the
    first day of the period written (``""`` when unreadable). ``combine: last`` keeps the row
    with the latest moment of each period."""
    cleaned = " ".join(strip_accents(text).upper().split())
    try:
        if fmt == "date":
            day = _day(cleaned)
            return day.isoformat() if day else ""
        found = _READERS[fmt](cleaned, None)
    except (PeriodError, ValueError):
        return ""
    return found.start.isoformat() if found is not None else ""


def _full_year(digits: str) -> int:
    # the pivot of strptime's %y: 00–68 are the 2000s; the data we follow are all recent
    year = int(digits)
    return year if len(digits) == 4 else (2000 + year if year < 69 else 1900 + year)


def _match(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.fullmatch(text)
        if match:
            return match
    return None


def _year(text: str, kind: PeriodKind | None) -> Period | None:
    return Period(int(text)) if _YEAR.fullmatch(text) else None


def _year2(text: str, kind: PeriodKind | None) -> Period | None:
    if _YEAR2.fullmatch(text) or _YEAR.fullmatch(text):
        return Period(_full_year(text))
    return None


def _semester(text: str, kind: PeriodKind | None) -> Period | None:
    match = _match(_SEMESTER, text)
    if match is None:
        return None
    return Period(_full_year(match["y"]), PeriodKind.SEMESTER, int(match["i"]))


def _quarter(text: str, kind: PeriodKind | None) -> Period | None:
    match = _match(_QUARTER, text)
    if match is None:
        return None
    return Period(_full_year(match["y"]), PeriodKind.QUARTER, int(match["i"]))


def _month(text: str, kind: PeriodKind | None) -> Period | None:
    match = _match(_MONTH, text)
    if match is not None:
        return Period(int(match["y"]), PeriodKind.MONTH, int(match["m"]))
    named = _NAMED_MONTH.fullmatch(text)
    if named is None:
        return None
    month = _MONTH_NAMES.get(named["name"])
    return Period(_full_year(named["y"]), PeriodKind.MONTH, month) if month else None


def _day(text: str) -> date | None:
    match = _match(_DATE, text)
    if match is None:
        return None
    return date(_full_year(match["y"]), int(match["m"]), int(match["d"]))


def _date(text: str, kind: PeriodKind | None) -> Period | None:
    day = _day(text)
    if day is None:
        return None
    return period_containing(day, kind or PeriodKind.YEAR)


def _auto(text: str, kind: PeriodKind | None) -> Period | None:
    try:
        return parse_period(text)
    except PeriodError:
        pass
    for reader in (_semester, _quarter, _month):
        found = reader(text, kind)
        if found is not None:
            return found
    return None


_READERS: Final = {
    "auto": _auto,
    "year": _year,
    "year2": _year2,
    "semester": _semester,
    "quarter": _quarter,
    "month": _month,
    "date": _date,
}
_EXPECTED: Final = {
    "auto": "formats acceptés 2025, 2025-S1, 2025-T3, 2025-07 (ou T3 2025, 07/2025)",
    "year": "année sur quatre chiffres attendue (2025)",
    "year2": "année sur deux chiffres attendue (25)",
    "semester": "semestre attendu (S1 2025, 2025-S1)",
    "quarter": "trimestre attendu (T3 2025, 2025-T3, 2025Q3)",
    "month": "mois attendu (2025-07, 07/2025, juillet 2025)",
    "date": "date attendue (2025-07-31 ou 31/07/2025)",
}
