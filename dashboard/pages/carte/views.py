"""What the callbacks of ``carte`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from typing import Any

from dashboard import readers
from dashboard.components.chart import legend
from dashboard.figures import empty_figure
from dashboard.formatting import format_period
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.views import map_view
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


def map_outputs(
    indicator_code: str, period: str | None, level: str, within: str | None
) -> dict[str, Any]:
    """The map of an indicator, its sentence, legend, files and title; without a period or a
    département for communes, the same outputs say what to choose."""
    indicator = readers.catalogue().indicators[indicator_code]
    within = _valid_area(level, within)
    if period is None or (level == "COM" and within is None):
        message = (
            "Choisissez un département pour voir ses communes."
            if level == "COM"
            else "Aucune valeur disponible pour cet indicateur."
        )
        return {
            "figure": empty_figure(message),
            "summary": message,
            "legend": [],
            "csv": None,
            "xlsx": None,
            "title": indicator.label,
        }
    geometry = geometry_url(
        GEOMETRY.get(level) or f"communes-{(within or '').removeprefix('DEP:')}"
    )
    view = map_view(indicator_code, period, level, within, geometry)
    params = {"indicateur": indicator_code, "periode": period, "niveau": level, "dans": within}
    return {
        "figure": view.figure,
        "summary": view.summary,
        "legend": legend(view.classes, set(view.statuses)),
        "csv": export_url("carte", "csv", **params),
        "xlsx": export_url("carte", "xlsx", **params),
        "title": f"{indicator.label} — {format_period(period)}",
    }
