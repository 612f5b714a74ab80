"""The tables behind the indicator page and the catalogue. As in :mod:`dashboard.datasets`, a
chart and its download call the same function with the same parameters, so the file holds
exactly what is drawn; every table is registered here as an export."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.context import db_session
from dashboard.datasets import map_dataset
from dashboard.routes.exports import register_dataset
from dashboard.url_state import HIGHLIGHT_PARAM
from indicators.catalogue import Aggregation, Indicator
from indicators.catalogue.scales import expected_range, outside_range
from indicators.precompute.coverage import first_reporting_territory
from indicators.territories.levels import MAP_LEVELS, nouns

RANKING_SIZE = 10
MAX_BINS = 20
LEVEL_LABELS = {
    **nouns(("COM", "EPCI", "DEP", "REG", "FR")),
    "GRP": "ensemble de territoires",
    "TYPE": "classe de taille",
    "MED": "médiane d'une classe",
    "autre": "autre",
}


def indicator(code: str) -> Indicator:
    """The definition, or ``KeyError`` with a French message (the export route turns it into a
    404)."""
    try:
        return readers.catalogue().indicators[code]
    except KeyError:
        raise KeyError(f"indicateur inconnu « {code} »") from None


def map_levels(definition: Indicator) -> list[str]:
    """Levels the indicator can be mapped at, coarsest first (France is one number, no map)."""
    published = {level.value for level in definition.levels}
    return [level for level in MAP_LEVELS if level in published]


def valid_view(
    definition: Indicator, level: str | None, within: str | None
) -> tuple[str, str | None]:
    """A mappable level (the département level if published, else the first one) and an area
    that fits it: a région for départements and EPCI, a département for communes."""
    levels = map_levels(definition)
    if level not in levels:
        level = "DEP" if "DEP" in levels else (levels[0] if levels else "DEP")
    if within is not None:
        wanted = "DEP:" if level == "COM" else "REG:"
        if level == "REG" or not within.startswith(wanted):
            within = None
    return level, within


@by_data_version
def _first_commune(code: str, period: str) -> str | None:
    with db_session() as session:
        return first_reporting_territory(session, code, period, "COM")


def default_departement(code: str, period: str | None) -> str | None:
    """A département to open the communes' map on: the one of the first commune that reported
    for ``period`` (the latest period when none is given)."""
    if period is None:
        periods = readers.periods_of(code)
        period = periods[-1] if periods else None
    if period is None:
        return None
    commune = _first_commune(code, period)
    if commune is None:
        return None
    place = readers.referential().get(commune)
    return f"DEP:{place.departement}" if place and place.departement else None


# --- Map, ranking, distribution: one table of the territories of a level ------------------------


def level_table(code: str, period: str, level: str, within: str | None = None) -> pd.DataFrame:
    indicator(code)
    return map_dataset(code, period, level, within)


RANKING_COLUMNS = [
    "rang",
    "code",
    "code_officiel",
    "nom",
    "valeur",
    "territoires_renseignes",
    "territoires_attendus",
]


def ranking_dataset(
    code: str,
    period: str,
    level: str,
    within: str | None = None,
    highlight: str | None = None,
) -> pd.DataFrame:
    """The highest and lowest values of the level, and ``highlight``'s (see
    :func:`ranking_rows`)."""
    return ranking_rows(level_table(code, period, level, within), highlight=highlight)


def ranking_rows(
    table: pd.DataFrame, size: int = RANKING_SIZE, highlight: str | None = None
) -> pd.DataFrame:
    """The ``size`` highest and ``size`` lowest reported values of a map table, highest first,
    with their rank among every territory that reported (all of them when there are few). The
    territory ``highlight`` keeps its row, with its rank, wherever it stands."""
    reported = table[table["statut"] == "ok"].sort_values(
        ["valeur", "nom"], ascending=[False, True], kind="stable"
    )
    ranked = reported.assign(rang=np.arange(1, len(reported) + 1))
    if len(ranked) > 2 * size:
        middle = ranked.iloc[size:-size]
        ranked = pd.concat(
            [ranked.head(size), middle[middle["code"] == highlight], ranked.tail(size)]
        )
    return ranked[RANKING_COLUMNS].reset_index(drop=True)


DISTRIBUTION_COLUMNS = [
    "nature",
    "libelle",
    "borne_basse",
    "borne_haute",
    "territoires",
    "valeur",
]


def nice_step(span: float, bins: int) -> float:
    """The round bin width (1, 2, 2.5 or 5 times a power of ten) closest to ``span / bins``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / bins
    power = 10 ** math.floor(math.log10(raw))
    candidates = [multiple * power for multiple in (1, 2, 2.5, 5, 10)]
    return float(min(candidates, key=lambda step: abs(math.log(step / raw))))


def histogram_bins(values: pd.Series, max_bins: int = MAX_BINS) -> pd.DataFrame:
    """Counts of ``values`` in round, equal-width bins ``[low, high[`` (the last one closed)."""
    numbers = values.to_numpy(dtype=float)
    finite = numbers[np.isfinite(numbers)]
    if finite.size == 0:
        return pd.DataFrame(columns=["borne_basse", "borne_haute", "territoires"])
    bins = max(1, min(max_bins, math.ceil(math.sqrt(finite.size)) + 1))
    low, high = float(finite.min()), float(finite.max())
    step = nice_step(high - low, bins)
    start = math.floor(low / step) * step
    count = max(1, math.ceil((high - start) / step + 1e-9))
    if start + count * step <= high:  # the maximum sits on an edge: give it a bin of its own
        count += 1
    edges = start + step * np.arange(count + 1)
    # at extreme magnitudes rounding can leave the minimum or maximum outside: keep them in
    edges[0], edges[-1] = min(edges[0], low), max(edges[-1], high)
    counts, _ = np.histogram(finite, bins=edges)
    return pd.DataFrame(
        {"borne_basse": edges[:-1], "borne_haute": edges[1:], "territoires": counts}
    ).astype({"territoires": "int64"})


def distribution_dataset(
    code: str, period: str, level: str, within: str | None = None
) -> pd.DataFrame:
    """The histogram of the level's values and its reference lines (see
    :func:`distribution_rows`)."""
    return distribution_rows(level_table(code, period, level, within), code, period)


def distribution_rows(table: pd.DataFrame, code: str, period: str) -> pd.DataFrame:
    """The histogram of a map table's reported values (``nature`` = ``classe``) and the
    reference lines drawn on it (``médiane``, and ``France`` for rates and means, whose national
    value is on the same scale as the territories'). Values outside the indicator's expected
    range are not counted."""
    definition = indicator(code)
    # a value outside the expected range would stretch the axis: left out, and said so
    values = table.loc[
        (table["statut"] == "ok")
        & ~outside_range(table["valeur"], expected_range(definition), table["statut"]),
        "valeur",
    ]
    bins = histogram_bins(values).assign(nature="classe", libelle="", valeur=np.nan)
    rows = [bins]
    if not values.empty:
        rows.append(_reference("médiane", "Médiane", float(values.median())))
        france = national_value(code, period)
        if france is not None and definition.aggregation in (
            Aggregation.RATIO,
            Aggregation.WEIGHTED_MEAN,
        ):
            rows.append(_reference("France", "France entière", france))
    drawn = [r for r in rows if not r.empty]
    if not drawn:  # nothing reported: the headers alone (pd.concat of nothing raises)
        return pd.DataFrame(columns=DISTRIBUTION_COLUMNS)
    return pd.concat(drawn, ignore_index=True).reindex(columns=DISTRIBUTION_COLUMNS)


def _reference(nature: str, label: str, value: float) -> pd.DataFrame:
    return pd.DataFrame([{"nature": nature, "libelle": label, "valeur": value}])


def national_value(code: str, period: str) -> float | None:
    values = readers.values_over_time(code, "FR")
    row = values[(values["period"] == period) & (values["status"] == "ok")]
    return float(row["value"].iloc[0]) if not row.empty else None


PLACE_PARAMS = ("indicateur", "periode", "niveau", "dans")
register_dataset(
    "indicateur-classement", ranking_dataset, (*PLACE_PARAMS, HIGHLIGHT_PARAM), PLACE_PARAMS[:3]
)
register_dataset("indicateur-distribution", distribution_dataset, PLACE_PARAMS, PLACE_PARAMS[:3])
