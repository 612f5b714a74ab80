"""French number and date formatting for the interface (1 234,5 ; 24/11/2026)."""

from __future__ import annotations

from datetime import datetime

NARROW_NBSP = "\u202f"


def format_int(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}".replace(",", NARROW_NBSP)


def format_number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "jamais"
    return value.strftime("%d/%m/%Y à %H:%M")
