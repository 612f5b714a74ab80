"""What each part of the indicator page shows, as named outputs: pure functions of the page's
inputs that tests call without HTTP (the callbacks only pass them on). The empty states come
from the same functions as the full ones.

This module holds the national trend and the coverage over time; the place charts (map, ranking,
distribution) are in :mod:`.place_views`, the provenance (versions, loads) in
:mod:`.provenance_views`. The callbacks reach all three through this module."""

from __future__ import annotations

from typing import Any

from dashboard import readers
from dashboard.figures import with_caption
from dashboard.figures.ranges import series_note, with_note
from dashboard.formatting import format_period
from dashboard.pages.indicateur.figures import (
    coverage_figure,
    national_trend_figure,
)
from dashboard.pages.indicateur.place_views import area_picker, chart_values, place_charts
from dashboard.pages.indicateur.provenance_views import lineage_view, versions_view
from dashboard.pages.indicateur.texts import (
    agree,
    coverage_summary,
    trend_summary,
)
from dashboard.pages.indicateur.trend_datasets import (
    coverage_dataset,
    coverage_level,
    national_trend_dataset,
    target_name,
    target_series,
)
from dashboard.routes.exports import export_url
from dashboard.summaries import LEVEL_PLURALS, total_coverage
from dashboard.views import source_line
from indicators.catalogue import Aggregation
from indicators.catalogue.scales import expected_range

__all__ = [
    "area_picker",
    "coverage_view",
    "lineage_view",
    "period_choices",
    "place_charts",
    "territory_address",
    "trend_view",
    "versions_view",
]


def period_choices(code: str, current: str | None) -> dict[str, Any]:
    """The indicator's periods, latest first; the current one kept when it still exists."""
    periods = readers.periods_of(code)
    options = [{"label": format_period(p), "value": p} for p in reversed(periods)]
    if current in periods:
        return {"options": options, "value": current}
    return {"options": options, "value": periods[-1] if periods else None}


def trend_view(code: str) -> dict[str, Any]:
    """The indicator in France and by size class, with its targets."""
    definition = readers.catalogue().indicators[code]
    table = national_trend_dataset(code)
    target_of = {
        name: series
        for target in definition.targets
        if (name := target_name(target.scope)) and (series := target_series(target.scope))
    }
    summary = (
        f"{definition.label} : indicateur non agrégeable, publié commune par commune ; il n'a "
        "pas de valeur nationale ni par taille de territoire."
        if definition.aggregation is Aggregation.NONE
        else trend_summary(
            table,
            definition.label,
            definition.unit,
            definition.aggregation.value,
            coverage_level(definition),
        )
    )
    valid = expected_range(definition)
    france = table[(table["code"] == "FR") & table["territoires_attendus"].notna()]
    coverage = {
        period: total_coverage(
            "France", definition.aggregation.value, int(k), int(n), coverage_level(definition)
        )
        for period, k, n in zip(
            france["periode"],
            france["territoires_renseignes"],
            france["territoires_attendus"],
            strict=True,
        )
    }
    return chart_values(
        "evolution",
        with_caption(
            national_trend_figure(
                table, definition.unit, target_of, valid_range=valid, france_coverage=coverage
            ),
            f"{definition.label} — en France et par taille de territoire",
            source_line(code),
        ),
        with_note(summary, series_note(table, valid, definition.unit)),
        export_url("indicateur-evolution", "csv", indicateur=code),
        export_url("indicateur-evolution", "xlsx", indicateur=code),
    )


def coverage_view(code: str) -> dict[str, Any]:
    """How many territories report the indicator, period by period."""
    definition = readers.catalogue().indicators[code]
    plural = LEVEL_PLURALS.get(coverage_level(definition), "territoires")
    table = coverage_dataset(code)
    return {
        **chart_values(
            "couverture",
            with_caption(
                coverage_figure(table, plural),
                f"{definition.label} — couverture, période par période",
                source_line(code),
            ),
            coverage_summary(table, plural),
            export_url("indicateur-couverture", "csv", indicateur=code),
            export_url("indicateur-couverture", "xlsx", indicateur=code),
        ),
        "couverture_title": (
            f"Couverture : {plural} {agree('renseignés', plural)} en France, période par période"
        ),
    }


def territory_address(click: dict[str, Any] | None, code: str) -> str | None:
    """The page of the territory clicked on the map or the ranking, on this indicator."""
    points = (click or {}).get("points") or []
    territory = points[0].get("customdata") if points else None
    if not isinstance(territory, str):
        return None
    return f"/territoire/{territory}?indicateur={code}"
