"""What the callbacks of ``carte`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from dashboard import readers

LEVELS = {
    "REG": "Régions",
    "DEP": "Départements",
    "EPCI": "Intercommunalités",
    "COM": "Communes d'un département",
}


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
