"""Calendar dates as partners write them in membership lists: French or ISO, full or partial.

``15/03/2021``, ``15-03-2021``, ``15.03.21``, ``2021-03-15`` (with or without a time), ``03/2021``,
``2021-03``, ``2021``. A partial date names a period: it opens on the period's first day when it
starts a membership and closes on its last day when it ends one (``fin : 2024`` = 31/12/2024).
Two-digit years are 20xx up to 69 and 19xx from 70, as spreadsheets read them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Final, Literal

Bound = Literal["start", "end"]

_DAY_FIRST: Final = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_MONTH_YEAR: Final = re.compile(r"(\d{1,2})[/.-](\d{4})")
_YEAR_MONTH: Final = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR: Final = re.compile(r"(\d{4})(?:\.0)?")


class DateError(ValueError):
    """Not a date; the message is French and names the value."""


def parse_date(raw: object, bound: Bound = "start") -> date | None:
    """The date a cell holds, ``None`` for an empty cell; :class:`DateError` when unreadable."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not text or text.upper() in ("NA", "N/A", "NULL", "-"):
        return None
    try:
        return _parse(text, bound)
    except ValueError:  # an impossible day such as 31/02/2021
        pass
    raise DateError(f"Date illisible « {text} » : attendu JJ/MM/AAAA, AAAA-MM-JJ, MM/AAAA ou AAAA")


def _parse(text: str, bound: Bound) -> date:
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return date(_full_year(year, match.group(3)), month, day)
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    if match := _MONTH_YEAR.fullmatch(text):
        return _month(int(match.group(2)), int(match.group(1)), bound)
    if match := _YEAR_MONTH.fullmatch(text):
        return _month(int(match.group(1)), int(match.group(2)), bound)
    if match := _YEAR.fullmatch(text):
        year = int(match.group(1))
        return date(year, 1, 1) if bound == "start" else date(year, 12, 31)
    raise ValueError(text)


def _full_year(year: int, written: str) -> int:
    if len(written) == 4:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _month(year: int, month: int, bound: Bound) -> date:
    if bound == "start":
        return date(year, month, 1)
    return date(year, month, calendar.monthrange(year, month)[1])
