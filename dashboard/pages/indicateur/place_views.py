"""The indicator page's place charts: the map, the ranking and the distribution of one level's
territories at one period, and the area picker that frames them (pure functions, named outputs)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.components.chart import legend
from dashboard.figures import empty_figure, with_caption
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import OUT_OF_RANGE, quantile_classes
from dashboard.figures.ranges import flagged_rows, out_of_range_note, with_note
from dashboard.formatting import format_int, format_period, format_value
from dashboard.pages.indicateur.datasets import (
    default_departement,
    distribution_rows,
    level_table,
    ranking_rows,
    valid_view,
)
from dashboard.pages.indicateur.figures import (
    histogram_figure,
    ordinal,
    ranking_figure,
)
from dashboard.pages.indicateur.texts import (
    distribution_summary,
    ranking_summary,
)
from dashboard.pages.indicateur.trend_datasets import (
    coverage_level,
)
from dashboard.pickers import area_choices
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.summaries import LEVEL_PLURALS, map_summary, total_coverage
from dashboard.url_state import HIGHLIGHT_PARAM
from dashboard.views import source_line
from indicators.catalogue import Indicator
from indicators.catalogue.scales import colour_scale, expected_range

GEOMETRY = {"REG": "regions", "DEP": "departements", "EPCI": "epci"}


def area_picker(
    level: str, within: str | None, code: str, period: str | None, highlight: str | None = None
) -> dict[str, Any]:
    """The area picker follows the level; communes open on the highlighted territory's
    département, else on a département that has values rather than on an empty map."""
    options, label = area_choices(level)
    wanted = "DEP:" if level == "COM" else "REG:"
    if not within or level == "REG" or not within.startswith(wanted):
        within = None
    place = readers.referential().get(highlight) if highlight else None
    if level == "COM" and within is None and place is not None and place.departement:
        within = f"DEP:{place.departement}"
    if level == "COM" and within is None:
        within = default_departement(code, period or None)
    return {
        "options": options,
        "placeholder": options[0]["label"],
        "label": label,
        "disabled": level == "REG",
        "value": within or "",
    }


def place_charts(
    code: str,
    period: str | None,
    level: str | None,
    within: str | None,
    highlight: str | None = None,
) -> dict[str, Any]:
    """The map, the ranking and the distribution read one table: the level's territories;
    ``highlight`` (a typed code) is outlined on the map and keeps its rank in the ranking."""
    definition = readers.catalogue().indicators[code]
    level, within = valid_view(definition, level, within or None)
    return cached_place_charts(code, period or None, level, within, highlight or None)


def chart_values(
    name: str, figure: Any, summary: Any, csv: str | None, xlsx: str | None
) -> dict[str, Any]:
    """The four values of a ``chart_block``, named as its outputs."""
    return {
        f"{name}_figure": figure,
        f"{name}_summary": summary,
        f"{name}_csv": csv,
        f"{name}_xlsx": xlsx,
    }


@by_data_version
def cached_place_charts(
    code: str, period: str | None, level: str, within: str | None, highlight: str | None = None
) -> dict[str, Any]:
    """Computed once per view and data version, shared by every worker through the cache."""
    definition = readers.catalogue().indicators[code]
    plural = LEVEL_PLURALS[level]
    if period is None or (level == "COM" and within is None):
        message = (
            "Choisissez un département pour voir ses communes."
            if period is not None
            else "Aucune valeur n'est encore enregistrée pour cet indicateur."
        )
        return {
            **chart_values("carte", empty_figure(message), message, None, None),
            "carte_legend": [],
            "carte_title": "Carte",
            **chart_values("classement", empty_figure(message), message, None, None),
            **chart_values("distribution", empty_figure(message), message, None, None),
        }
    table = level_table(code, period, level, within)
    reported = table.loc[table["statut"] == "ok", "valeur"]
    # a value outside the expected range is marked on each chart, never put in the scale
    valid = expected_range(definition)
    flags = flagged_rows(table, valid)
    scaled = table.loc[(table["statut"] == "ok") & ~flags, "valeur"]
    classes = quantile_classes(
        scaled,
        definition.direction.value,
        definition.unit,
        centre=colour_scale(definition).centre,
    )
    note = out_of_range_note(table, valid, definition.unit)
    geometry = geometry_url(
        GEOMETRY.get(level) or f"communes-{(within or '').removeprefix('DEP:')}"
    )
    params = {"indicateur": code, "periode": period, "niveau": level, "dans": within}
    area = f" — {readers.referential().name(within)}" if within else ""
    # why a chart is empty: nothing sent for these territories, or only secrets and gaps
    where = f"{readers.referential().name(within)}, " if within else ""
    nothing = (
        f"{where}{format_period(period)} : aucune valeur transmise pour les {plural}."
        if (table["statut"] == "missing").all()
        else f"{where}{format_period(period)} : aucune valeur publiable pour les {plural} "
        "(secret statistique, sans objet ou non renseigné)."
    )
    # the same rows as the exports ``indicateur-classement`` and ``indicateur-distribution``
    ranking = ranking_rows(table, highlight=highlight)
    distribution = distribution_rows(table, code, period)
    source = source_line(code, period)
    shown = f"{plural}{area}, {format_period(period)}"
    return {
        **chart_values(
            "carte",
            with_caption(
                choropleth_figure(
                    table,
                    classes,
                    geometry,
                    definition.unit,
                    valid_range=valid,
                    highlight=highlight,
                ),
                f"{definition.label} — carte des {shown}",
                source,
            ),
            with_note(
                map_summary(
                    table, definition.label, definition.unit, period, level, left_out=flags
                ),
                note,
            ),
            export_url("carte", "csv", **params),
            export_url("carte", "xlsx", **params),
        ),
        "carte_legend": legend(
            classes, set(table["statut"]) | ({OUT_OF_RANGE} if flags.any() else set())
        ),
        "carte_title": f"Carte des {plural}{area} — {format_period(period)}",
        **chart_values(
            "classement",
            with_caption(
                ranking_figure(
                    ranking,
                    len(reported),
                    definition.unit,
                    classes,
                    empty=nothing,
                    valid_range=valid,
                    highlight=highlight,
                ),
                f"{definition.label} — classement des {shown}",
                source,
            ),
            with_note(
                ranking_summary(
                    ranking,
                    len(reported),
                    definition.unit,
                    period,
                    plural,
                    definition.direction.value,
                )
                + highlight_rank(ranking, highlight, len(reported), definition.unit),
                note,
            ),
            export_url("indicateur-classement", "csv", **params, **{HIGHLIGHT_PARAM: highlight}),
            export_url("indicateur-classement", "xlsx", **params, **{HIGHLIGHT_PARAM: highlight}),
        ),
        **chart_values(
            "distribution",
            with_caption(
                histogram_figure(distribution, definition.unit, plural, empty=nothing),
                f"{definition.label} — distribution des valeurs des {shown}",
                source,
            ),
            with_note(
                with_note(
                    distribution_summary(distribution, scaled, definition.unit, period, plural),
                    _france_line_coverage(definition, distribution, period),
                ),
                out_of_range_note(table, valid, definition.unit, "de l'histogramme"),
            ),
            export_url("indicateur-distribution", "csv", **params),
            export_url("indicateur-distribution", "xlsx", **params),
        ),
    }


def _france_line_coverage(definition: Indicator, distribution: pd.DataFrame, period: str) -> str:
    """What the histogram's "France entière" line rests on, when it is drawn."""
    if not (distribution["nature"] == "France").any():
        return ""
    values = readers.values_over_time(definition.code, "FR")
    row = values[(values["period"] == period) & (values["status"] == "ok")]
    if row.empty:
        return ""
    sentence = total_coverage(
        "France",
        definition.aggregation.value,
        int(row["reported"].iloc[0]),
        int(row["expected"].iloc[0]),
        coverage_level(definition),
    )
    return f"{sentence}." if sentence else ""


def highlight_rank(ranking: Any, highlight: str | None, total: int, unit: str) -> str:
    """`` Bastia : 3e sur 12 (12,5 %).``: the highlighted territory's place, in words."""
    row = ranking[ranking["code"] == highlight] if highlight else ranking.iloc[:0]
    if row.empty:
        return ""
    first = row.iloc[0]
    return (
        f" {first['nom']} : {ordinal(int(first['rang']))} sur {format_int(total)} "
        f"({format_value(float(first['valeur']), unit)})."
    )
