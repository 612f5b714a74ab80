"""Whole chart views (figure, sentence, legend), memoized in the shared cache by their
parameters and the data version: a view asked twice is computed once per data version, in any
worker or host."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.datasets import map_dataset
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import OUT_OF_RANGE, ColourClass, quantile_classes
from dashboard.figures.ranges import flagged_rows, out_of_range_note, with_note
from dashboard.formatting import format_period
from dashboard.summaries import map_summary
from indicators.catalogue.scales import colour_scale, expected_range


def source_line(indicator_code: str, period: str | None = None) -> str:
    """« Source : <producer> — <period> », the line a chart's image carries under it."""
    catalogue = readers.catalogue()
    indicator = catalogue.indicators[indicator_code]
    partner = catalogue.partners.get(indicator.partner)
    line = f"Source : {partner.name if partner else indicator.partner}"
    return line + (f" — {format_period(period)}" if period else "")


@dataclass(frozen=True)
class MapView:
    figure: dict[str, Any]
    summary: str
    classes: list[ColourClass]
    statuses: frozenset[str]  # with ``out_of_range`` when a value is outside the range


def map_view(
    indicator_code: str, period: str, level: str, within: str | None, geometry: str
) -> MapView:
    return _map_view(indicator_code, period, level, within, geometry)


@by_data_version
def _map_view(
    indicator_code: str, period: str, level: str, within: str | None, geometry: str
) -> MapView:
    indicator = readers.catalogue().indicators[indicator_code]
    table = map_dataset(indicator_code, period, level, within)
    valid = expected_range(indicator)
    flags = flagged_rows(table, valid)
    classes = quantile_classes(
        table.loc[(table["statut"] == "ok") & ~flags, "valeur"],
        indicator.direction.value,
        indicator.unit,
        centre=colour_scale(indicator).centre,
    )
    return MapView(
        figure=choropleth_figure(table, classes, geometry, indicator.unit, valid_range=valid),
        summary=with_note(
            map_summary(table, indicator.label, indicator.unit, period, level, left_out=flags),
            out_of_range_note(table, valid, indicator.unit),
        ),
        classes=classes,
        statuses=frozenset(table["statut"]) | ({OUT_OF_RANGE} if flags.any() else frozenset()),
    )
