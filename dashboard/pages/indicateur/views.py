"""What each part of the indicator page shows, as named outputs: pure functions of the page's
inputs that tests call without HTTP (the callbacks only pass them on). The empty states come
from the same functions as the full ones."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.components.chart import legend
from dashboard.figures import empty_figure, with_caption
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import OUT_OF_RANGE, quantile_classes
from dashboard.figures.ranges import flagged_rows, out_of_range_note, series_note, with_note
from dashboard.formatting import format_datetime, format_int, format_period, format_value
from dashboard.pages.indicateur.components import indicator_link, simple_table
from dashboard.pages.indicateur.datasets import (
    coverage_dataset,
    coverage_level,
    default_departement,
    distribution_rows,
    level_table,
    lineage_computed_dataset,
    lineage_loads_dataset,
    national_trend_dataset,
    ranking_rows,
    target_name,
    target_series,
    valid_view,
    versions_table,
)
from dashboard.pages.indicateur.figures import (
    coverage_figure,
    histogram_figure,
    national_trend_figure,
    ordinal,
    ranking_figure,
)
from dashboard.pages.indicateur.texts import (
    FIELD_NAMES,
    agree,
    coverage_summary,
    distribution_summary,
    lineage_summary,
    ranking_summary,
    trend_summary,
)
from dashboard.pickers import area_choices
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.summaries import LEVEL_PLURALS, map_summary, total_coverage
from dashboard.url_state import HIGHLIGHT_PARAM
from dashboard.views import source_line
from indicators.catalogue import Aggregation, Indicator, definition_hash
from indicators.catalogue.scales import colour_scale, expected_range

GEOMETRY = {"REG": "regions", "DEP": "departements", "EPCI": "epci"}


def versions_view(code: str) -> Any:
    """The definition's versions, the one in force last, and whether the files differ from it."""
    versions = versions_table(code)
    if versions.empty:
        return html.P(
            "Aucune version enregistrée en base : lancez « suivi init » pour y inscrire "
            "le catalogue.",
            className="notice",
        )
    latest = versions.iloc[-1]
    rows = [
        [
            str(int(row["version"])),
            format_datetime(row["valid_from"]),
            ", ".join(FIELD_NAMES.get(k, k) for k in row["changed"]) or "première version",
        ]
        for _, row in versions.iterrows()
    ]
    rows[-1][0] = f"{int(latest['version'])} (en vigueur)"
    table = simple_table(["Version", "En vigueur depuis le", "Ce qui a changé"], rows, set())
    table.className = "table versions-table"
    content: list[Any] = [table]
    definition = readers.catalogue().indicators[code]
    if latest["definition_hash"] != definition_hash(definition):
        content.append(
            html.P(
                "La définition des fichiers du catalogue diffère de la dernière version "
                "enregistrée : elle sera inscrite comme nouvelle version au prochain "
                "« suivi init ».",
                className="notice",
            )
        )
    return content


def period_choices(code: str, current: str | None) -> dict[str, Any]:
    """The indicator's periods, latest first; the current one kept when it still exists."""
    periods = readers.periods_of(code)
    options = [{"label": format_period(p), "value": p} for p in reversed(periods)]
    if current in periods:
        return {"options": options, "value": current}
    return {"options": options, "value": periods[-1] if periods else None}


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


def _chart(name: str, figure: Any, summary: Any, csv: str | None, xlsx: str | None) -> dict:
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
            **_chart("carte", empty_figure(message), message, None, None),
            "carte_legend": [],
            "carte_title": "Carte",
            **_chart("classement", empty_figure(message), message, None, None),
            **_chart("distribution", empty_figure(message), message, None, None),
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
        **_chart(
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
        **_chart(
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
        **_chart(
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
    return _chart(
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
        **_chart(
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


def _date(value: Any) -> str:
    return format_datetime(value) if pd.notna(value) else "—"


def lineage_view(code: str, period: str | None) -> dict[str, Any]:
    """Where the period's values come from: the loads and the computations."""
    if not period:
        nothing = html.P("Aucune valeur.", className="muted")
        loads_view: Any = nothing
        computed_view: Any = nothing
        summary = "Aucune valeur enregistrée."
        params: dict[str, str] | None = None
    else:
        loads = lineage_loads_dataset(code, period)
        computed = lineage_computed_dataset(code, period)
        loads_view = _loads_table(loads, code)
        computed_view = _computed_table(computed)
        summary = lineage_summary(loads, computed, period)
        params = {"indicateur": code, "periode": period}
    return {
        "summary": summary,
        "loads": loads_view,
        "loads_csv": export_url("indicateur-chargements", "csv", **params) if params else None,
        "loads_xlsx": export_url("indicateur-chargements", "xlsx", **params) if params else None,
        "computed": computed_view,
        "computed_csv": export_url("indicateur-calculs", "csv", **params) if params else None,
        "computed_xlsx": export_url("indicateur-calculs", "xlsx", **params) if params else None,
    }


def _loads_table(loads: pd.DataFrame, code: str) -> Any:
    rows = [
        [
            "—" if pd.isna(row["chargement"]) else f"n° {int(row['chargement'])}",
            row["fichier"],
            row["utilisateur"],
            row["partenaire"],
            _date(row["date"]),
            indicator_link(row["indicateur"])
            if row["indicateur"] != code
            else f"{code} (cet indicateur)",
            row["niveau"],
            format_int(int(row["valeurs"])),
        ]
        for _, row in loads.iterrows()
    ]
    if not rows:
        return html.P(
            "Aucune valeur chargée pour cette période : les valeurs sont toutes calculées.",
            className="muted",
        )
    headers = ["Chargement", "Fichier", "Par", "Partenaire", "Le", "Indicateur", "Niveau"]
    return simple_table([*headers, "Valeurs"], rows, {7})


def _computed_table(computed: pd.DataFrame) -> Any:
    rows = [
        [
            "—" if pd.isna(row["version"]) else str(int(row["version"])),
            _date(row["en_vigueur_depuis"]),
            row["niveau"],
            format_int(int(row["valeurs"])),
            _date(row["calcule_le"]),
        ]
        for _, row in computed.iterrows()
    ]
    if not rows:
        return html.P("Aucune valeur calculée pour cette période.", className="muted")
    headers = ["Version de la définition", "En vigueur depuis le", "Niveau", "Valeurs"]
    return simple_table([*headers, "Calculées le"], rows, {3})


def territory_address(click: dict[str, Any] | None, code: str) -> str | None:
    """The page of the territory clicked on the map or the ranking, on this indicator."""
    points = (click or {}).get("points") or []
    territory = points[0].get("customdata") if points else None
    if not isinstance(territory, str):
        return None
    return f"/territoire/{territory}?indicateur={code}"
