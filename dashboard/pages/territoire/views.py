"""What the callbacks of ``territoire`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from typing import Any

from dashboard import readers
from dashboard.components.chart import legend
from dashboard.datasets import map_dataset, territory_series_dataset
from dashboard.figures import empty_figure
from dashboard.figures.ranges import series_note, with_note
from dashboard.figures.trend import trend_figure
from dashboard.formatting import format_period
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.summaries import LEVEL_PLURALS, series_summary, total_coverage
from dashboard.views import map_view
from indicators.catalogue import Indicator
from indicators.catalogue.scales import expected_range
from indicators.precompute.scope import base_level
from indicators.territories.referential import Territory

CHILD_LEVEL = {"FR": "REG", "REG": "DEP", "DEP": "COM", "EPCI": "COM"}


SET_KIND_LABELS = {
    "programme": "Programme",
    "mesure_test": "Territoire test",
    "mesure_temoin": "Territoire témoin",
    "groupe": "Groupe",
}


def indicator_options(level: str) -> list[dict[str, str]]:
    return [
        {"label": f"{i.label} ({i.unit})", "value": code}
        for code, i in readers.catalogue().indicators.items()
        if level in {lvl.value for lvl in i.levels}
    ]


def _child_geometry(place: Territory, level: str) -> str:
    if level == "REG":
        return geometry_url("regions")
    if level == "DEP":
        return geometry_url("departements")
    departement = place.local_code if place.level == "DEP" else place.departement
    return geometry_url(f"communes-{departement}")


def _children_outputs(
    figure: Any, summary: Any, legend_items: Any, csv: str | None, xlsx: str | None, rows: Any
) -> dict[str, Any]:
    """The children block's outputs by name: the empty states and the full one share it."""
    return {
        "figure": figure,
        "summary": summary,
        "legend": legend_items,
        "csv": csv,
        "xlsx": xlsx,
        "rows": rows,
    }


def children_view(indicator_code: str | None, period: str | None, code: str) -> dict[str, Any]:
    """The territory's children on a map and in a table, for an indicator and a period."""
    referential = readers.referential()
    place = referential.territory(code)
    level = CHILD_LEVEL.get(place.level)
    if level is None:  # a commune has no children block; a forged request gets an empty state
        message = f"{place.name} n'est pas découpé en territoires plus petits."
        return _children_outputs(empty_figure(message), message, [], None, None, [])
    if not indicator_code or not period:
        message = (
            "Aucun indicateur publié à ce niveau."
            if not indicator_code
            else f"Aucune valeur transmise pour les {LEVEL_PLURALS[level]} de {place.name}."
        )
        return _children_outputs(empty_figure(message), message, [], None, None, [])
    within = None if place.level == "FR" else code
    view = map_view(indicator_code, period, level, within, _child_geometry(place, level))
    table = map_dataset(indicator_code, period, level, within)  # values come from the cache
    params = {"indicateur": indicator_code, "periode": period, "niveau": level, "dans": within}
    # the link keeps the indicator: drilling down should not lose what one is looking at
    links = [
        f"[{n}](/territoire/{c}?indicateur={indicator_code})"
        for n, c in zip(table["nom"], table["code"], strict=True)
    ]
    rows = table.assign(
        nom_lien=links,
        valeur=table["valeur"].round(2),
    )[["nom_lien", "code_officiel", "valeur", "statut_libelle"]]
    return _children_outputs(
        view.figure,
        view.summary,
        legend(view.classes, set(view.statuses)),
        export_url("carte", "csv", **params),
        export_url("carte", "xlsx", **params),
        rows.to_dict("records"),
    )


def _trend_outputs(
    figure: Any, summary: Any, csv: str | None, xlsx: str | None, title: str
) -> dict[str, Any]:
    """The trend block's outputs by name: the empty state and the full one share it."""
    return {"figure": figure, "summary": summary, "csv": csv, "xlsx": xlsx, "title": title}


def _coverage_sentence(indicator: Indicator, code: str, name: str) -> str:
    """For an aggregated value (France, a région…), what its latest value rests on."""
    values = readers.values_over_time(indicator.code, code)
    latest = values[values["status"] == "ok"].tail(1)
    if latest.empty:
        return ""
    row = latest.iloc[0]
    sentence = total_coverage(
        name,
        indicator.aggregation.value,
        int(row["reported"]),
        int(row["expected"]),
        base_level(indicator.levels).value,
    )
    return f" {sentence} en {format_period(row['period'])}." if sentence else ""


def trend_view(indicator_code: str | None, code: str) -> dict[str, Any]:
    """The territory's values of an indicator over time, beside its parent and peers."""
    if not indicator_code:
        message = "Aucun indicateur publié à ce niveau."
        return _trend_outputs(empty_figure(message), message, None, None, "Évolution")
    indicator = readers.catalogue().indicators[indicator_code]
    table = territory_series_dataset(indicator_code, code)
    own = table[table["code"] == code].rename(
        columns={"periode": "period", "valeur": "value", "statut": "status"}
    )
    name = readers.referential().name(code)
    valid = expected_range(indicator)
    summary = with_note(
        series_summary(own, indicator.label, indicator.unit, name)
        + _coverage_sentence(indicator, code, name),
        series_note(table, valid, indicator.unit),
    )
    params = {"indicateur": indicator_code, "territoire": code}
    return _trend_outputs(
        trend_figure(
            table, indicator.unit, empty=f"{name} : aucune valeur transmise.", valid_range=valid
        ),
        summary,
        export_url("serie", "csv", **params),
        export_url("serie", "xlsx", **params),
        f"Évolution — {indicator.label}",
    )
