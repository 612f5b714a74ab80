"""What the callbacks of ``carte`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from dashboard import readers
from indicators.territories.levels import MAP_LEVEL_CHOICES

LEVELS = MAP_LEVEL_CHOICES


GEOMETRY = {"REG": "regions", "DEP": "departements", "EPCI": "epci"}


def indicator_options() -> list[dict[str, str]]:
    return [
        {"label": f"{indicator.label} ({indicator.unit})", "value": code}
        for code, indicator in readers.catalogue().indicators.items()
        if indicator.aggregation.value != "none"
    ]


def _valid_area(level: str, within: str | None) -> str | None:
    if not within:
        return None
    if level == "COM":
        return within if within.startswith("DEP:") else None
    return within if within.startswith("REG:") else None
