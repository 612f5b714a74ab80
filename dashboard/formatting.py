"""French number and date formatting for the interface (1 234,5 ; 24/11/2026)."""

from __future__ import annotations

import math
from datetime import datetime

from indicators.french import NARROW_NBSP, thousands
from indicators.periods import PeriodError, parse_period


def format_int(value: int | None) -> str:
    if value is None:
        return "—"
    return thousands(value)


def format_number(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def decimals_for(unit: str, values: list[float] | None = None) -> int:
    """Counts and euros read as whole numbers; rates keep one decimal."""
    if unit in {"nombre", "€", "k€"}:
        return 0
    return 1


def format_value(value: float | None, unit: str) -> str:
    """A value with its unit, the French way: ``12,5 %``, ``1 234 €``, ``8,2 minutes``."""
    number = format_number(value, decimals_for(unit))
    if number == "—":
        return number
    if unit == "nombre":
        return number
    return f"{number}{NARROW_NBSP}{unit}" if unit in {"%", "‰", "€", "k€"} else f"{number} {unit}"


def format_change(change: float | None, unit: str) -> str:
    """A difference: rates move in points (``2,5 points``), other units keep theirs."""
    if unit in {"%", "‰"}:
        number = format_number(change, 1)
        return number if number == "—" else f"{number} point{'s' if abs(change or 0) >= 2 else ''}"
    return format_value(change, unit)


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "jamais"
    return value.strftime("%d/%m/%Y à %H:%M")


def format_period(period: str) -> str:
    """``2025-T3`` -> ``3e trimestre 2025``; ``2025-S1`` -> ``1er semestre 2025`` (the text
    itself when it is not a period)."""
    try:
        return parse_period(period).label
    except PeriodError:
        return period


def format_period_short(period: str) -> str:
    """``2025-T3`` -> ``T3 2025``, ``2025-S1`` -> ``S1 2025``, ``2025-07`` -> ``07/2025``: tick
    labels of small charts, where full names would pile up."""
    year, _, rest = period.partition("-")
    if not rest:
        return year
    if rest[0] in "TSQ":
        return f"{rest.replace('Q', 'T')} {year}"
    return f"{rest}/{year}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``plural(2, "commune")`` -> ``"2 communes"``; ``many`` for irregular plurals."""
    return f"{format_int(count)} {singular if count <= 1 else many or singular + 's'}"


def at_period(period: str) -> str:
    """``au 1er semestre 2026``, ``au 3e trimestre 2025``, ``en 2026``, ``en juillet 2025``."""
    text = format_period(period)
    return f"au {text}" if "semestre" in text or "trimestre" in text else f"en {text}"
