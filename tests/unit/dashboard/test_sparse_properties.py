"""Property-based tests (issue #11): the dataset, summary and figure functions on generated
sparse frames — no row, one period, one territory, only secrets or gaps, NaN, infinities,
negative and huge values. Each must answer with its columns, a French sentence and a figure
that draws something or says why it is empty; none may raise."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.datasets import MAP_COLUMNS, SERIES_COLUMNS
from dashboard.figures import empty_reason
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import class_index, quantile_classes
from dashboard.figures.event_study import event_study_figure
from dashboard.figures.ranges import out_of_range_note, series_note
from dashboard.figures.trend import trend_figure
from dashboard.pages.indicateur import datasets as indicator_datasets
from dashboard.pages.indicateur.datasets import (
    DISTRIBUTION_COLUMNS,
    RANKING_COLUMNS,
    distribution_rows,
    histogram_bins,
    ranking_rows,
)
from dashboard.pages.indicateur.figures import (
    coverage_figure,
    histogram_figure,
    national_trend_figure,
    ranking_figure,
)
from dashboard.pages.indicateur.texts import (
    coverage_summary,
    distribution_summary,
    ranking_summary,
    trend_summary,
)
from dashboard.pages.indicateur.trend_datasets import COVERAGE_COLUMNS
from dashboard.pages.programmes.texts import trend_summary as programme_trend_summary
from dashboard.readers import unusable_as_missing
from dashboard.summaries import map_summary, series_summary
from indicators.catalogue import load_catalogue
from indicators.catalogue.scales import expected_range, outside_range
from indicators.precompute.read import VALUE_COLUMNS

pytestmark = pytest.mark.unit
RATE_DEFINITION = load_catalogue().indicators["SAN_TAUX_SANS_MT"]  # a ratio: France is drawn

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STATUSES = ["ok", "missing", "secret", "not_applicable"]
UNITS = ["%", "nombre", "€", "minutes", "‰"]
PERIODS = ["2019", "2020", "2024-S1", "2024-T3", "2025-07", "2025"]
# what partners' values look like: small, negative, zero, huge
FINITE = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.sampled_from([0.0, -0.0, 1e-12, -5.0, 1e15, -1e15, 1e300, -1e300]),
)
# and what they should not be but might: the readers turn these into missing values
VALUES = st.one_of(FINITE, st.sampled_from([math.nan, math.inf, -math.inf]))
NAMES = st.sampled_from(["Ain", "Aisne", "Corse-du-Sud", "Martinique", "Ajaccio", "Ain"])


def _readable(text: Any) -> None:
    """A French sentence with no raw float noise in it."""
    assert isinstance(text, str) and text.strip()
    assert not re.search(r"\b(nan|inf|None)\b", text), text


def _figure_says_something(figure: dict[str, Any]) -> None:
    """Draws a trace, or says in its plot area why it is empty; plain JSON either way."""
    assert figure["data"] or empty_reason(figure), figure
    json.dumps(figure, allow_nan=True)


@st.composite
def map_tables(draw: st.DrawFn) -> pd.DataFrame:
    """A map dataset: 0 to 25 territories, each with a status and a value (NaN unless ok)."""
    size = draw(st.integers(min_value=0, max_value=25))
    statuses = draw(st.lists(st.sampled_from(STATUSES), min_size=size, max_size=size))
    values = draw(st.lists(FINITE, min_size=size, max_size=size))
    names = draw(st.lists(NAMES, min_size=size, max_size=size))
    values = [v if s == "ok" else math.nan for v, s in zip(values, statuses, strict=True)]
    return pd.DataFrame(
        {
            "code": [f"DEP:{i:02d}" for i in range(size)],
            "code_officiel": [f"{i:02d}" for i in range(size)],
            "nom": names,
            "valeur": pd.Series(values, dtype=float),
            "statut": pd.Series(statuses, dtype=object),
            "statut_libelle": statuses,
            "territoires_renseignes": [1] * size,
            "territoires_attendus": [1] * size,
            "origine": ["—"] * size,
            "zone": draw(
                st.lists(st.sampled_from(["metropole", "Martinique"]), min_size=size, max_size=size)
            ),
        }
    )[MAP_COLUMNS]


@st.composite
def series_tables(draw: st.DrawFn) -> pd.DataFrame:
    """A series dataset: 0 to 3 series over 0 to 6 periods, some statuses not ok, targets."""
    rows = []
    for serie, code in draw(
        st.lists(
            st.sampled_from([("Ain", "DEP:01"), ("France", "FR"), ("Médiane", "MED:moins_20k")]),
            max_size=3,
            unique=True,
        )
    ):
        for period in draw(st.lists(st.sampled_from(PERIODS), max_size=6, unique=True)):
            status = draw(st.sampled_from(STATUSES))
            value = draw(FINITE) if status == "ok" else math.nan
            rows.append((serie, code, period, value, status, "valeur"))
    if draw(st.booleans()):
        rows.append(("Cible", "all", "2026", draw(FINITE), "ok", "cible"))
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS).astype({"valeur": float})
    return frame.sort_values("periode", kind="stable").reset_index(drop=True)


# --- the indicator page's map table: ranking, distribution, summaries, figures ----------------


@PROPERTIES
@given(
    map_tables(),
    st.sampled_from(UNITS),
    st.sampled_from(["up", "down", "neutral"]),
    st.sampled_from([None, 0.0]),
)
def test_map_table_gives_ranking_classes_map_and_sentences(
    table: pd.DataFrame, unit: str, direction: str, centre: float | None
) -> None:
    ranking = ranking_rows(table)
    assert list(ranking.columns) == RANKING_COLUMNS
    assert len(ranking) <= len(table)
    reported = table.loc[table["statut"] == "ok", "valeur"]
    classes = quantile_classes(reported, direction, unit, centre=centre)
    assert all(math.isfinite(c.lower) and math.isfinite(c.upper) for c in classes)
    index = class_index(ranking["valeur"], classes)
    assert index.dropna().between(0, max(len(classes) - 1, 0)).all()
    valid = expected_range(RATE_DEFINITION)  # 0-100: the generated values often leave it
    _figure_says_something(
        choropleth_figure(table, classes, "/geo/dep.json", unit, valid_range=valid)
    )
    _figure_says_something(ranking_figure(ranking, len(reported), unit, classes, valid_range=valid))
    _readable(out_of_range_note(table, valid, unit) or "rien")
    _readable(map_summary(table, "Indicateur", unit, "2024", "DEP"))
    _readable(ranking_summary(ranking, len(reported), unit, "2024", "départements", direction))


@PROPERTIES
@given(map_tables(), st.sampled_from(UNITS), st.one_of(st.none(), FINITE))
def test_map_table_gives_a_distribution(
    table: pd.DataFrame, unit: str, france: float | None
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indicator_datasets, "national_value", lambda code, period: france)
        patch.setattr(indicator_datasets, "indicator", lambda code: RATE_DEFINITION)
        distribution = distribution_rows(table, "SAN_TAUX_SANS_MT", "2024")
    assert list(distribution.columns) == DISTRIBUTION_COLUMNS
    bins = distribution[distribution["nature"] == "classe"]
    assert np.isfinite(bins[["borne_basse", "borne_haute"]].to_numpy(dtype=float)).all()
    finite = table.loc[table["statut"] == "ok", "valeur"]
    # values outside the rate's 0-100 range are left out of the histogram
    finite = finite[np.isfinite(finite) & ~outside_range(finite, RATE_DEFINITION.valid_range)]
    assert int(bins["territoires"].sum()) == len(finite)
    _figure_says_something(histogram_figure(distribution, unit, "départements"))
    reported = table.loc[table["statut"] == "ok", "valeur"]
    _readable(distribution_summary(distribution, reported, unit, "2024", "départements"))


@PROPERTIES
@given(st.lists(VALUES, max_size=40))
def test_histogram_bins_count_every_finite_value_once(values: list[float]) -> None:
    bins = histogram_bins(pd.Series(values, dtype=float))
    finite = [v for v in values if math.isfinite(v)]
    assert list(bins.columns) == ["borne_basse", "borne_haute", "territoires"]
    assert int(bins["territoires"].sum()) == len(finite)
    assert len(bins) <= indicator_datasets.MAX_BINS + 1


# --- series: a territory's trend, the national trend ------------------------------------------


@PROPERTIES
@given(series_tables(), st.sampled_from(UNITS))
def test_series_give_a_trend_figure_and_sentences(table: pd.DataFrame, unit: str) -> None:
    valid = expected_range(RATE_DEFINITION)
    _figure_says_something(trend_figure(table, unit, empty="Ain : aucune valeur transmise."))
    _figure_says_something(trend_figure(table, unit, valid_range=valid))
    _figure_says_something(national_trend_figure(table, unit, {"Cible": "France"}))
    _readable(series_note(table, valid, unit) or "rien")
    own = table[table["code"] == "DEP:01"].rename(
        columns={"periode": "period", "valeur": "value", "statut": "status"}
    )
    _readable(series_summary(own, "Indicateur", unit, "Ain"))
    _readable(trend_summary(table, "Indicateur", unit))
    _readable(programme_trend_summary(table, "Indicateur", unit))


def test_a_trend_without_values_says_whose_values_are_missing() -> None:
    figure = trend_figure(pd.DataFrame(columns=SERIES_COLUMNS), "%", empty="Ain : aucune valeur.")
    assert figure["data"] == [] and empty_reason(figure) == "Ain : aucune valeur."


# --- coverage and the event study -------------------------------------------------------------


@st.composite
def coverage_tables(draw: st.DrawFn) -> pd.DataFrame:
    periods = draw(st.lists(st.sampled_from(PERIODS), max_size=5, unique=True))
    counts = st.integers(min_value=0, max_value=40)
    rows = []
    for period in sorted(periods):
        reported, secret, absent = draw(counts), draw(counts), draw(counts)
        expected = draw(st.integers(min_value=0, max_value=120))
        rate = 100 * reported / expected if expected else math.nan
        rows.append((period, reported, secret, absent, 0, expected, round(rate, 1)))
    columns = ["periode", "renseignes", "secret", "sans_objet", "manquants", "attendus"]
    return pd.DataFrame(rows, columns=[*columns, "taux_couverture"])[COVERAGE_COLUMNS]


@PROPERTIES
@given(coverage_tables())
def test_coverage_gives_a_figure_and_a_sentence(table: pd.DataFrame) -> None:
    _figure_says_something(coverage_figure(table, "communes"))
    _readable(coverage_summary(table, "communes"))


@PROPERTIES
@given(st.lists(st.tuples(st.integers(-4, 4), VALUES, VALUES, VALUES), max_size=8))
def test_event_study_draws_or_says_why(rows: list[tuple[int, float, float, float]]) -> None:
    frame = pd.DataFrame(rows, columns=["event_time", "estimate", "ci_low", "ci_high"])
    _figure_says_something(event_study_figure(frame.astype({"estimate": float}), "%"))


# --- the readers: a stored NaN or infinity is no value -----------------------------------------


@PROPERTIES
@given(st.lists(st.tuples(VALUES, st.sampled_from(STATUSES)), max_size=12))
def test_readers_turn_unusable_values_into_missing_ones(rows: list[tuple[float, str]]) -> None:
    values = pd.DataFrame(
        [(f"DEP:{i:02d}", "2024", v, s, 1, 1, "—") for i, (v, s) in enumerate(rows)],
        columns=VALUE_COLUMNS,
    )
    cleaned = unusable_as_missing(values)
    ok = cleaned[cleaned["status"] == "ok"]
    assert np.isfinite(ok["value"].to_numpy(dtype=float)).all()
    kept = [s == "ok" and math.isfinite(v) for v, s in rows]
    assert len(ok) == sum(kept)
    assert list(cleaned.columns) == VALUE_COLUMNS and len(cleaned) == len(values)


@PROPERTIES
@given(st.lists(VALUES, max_size=30), st.sampled_from(["up", "down", "neutral"]))
def test_classes_ignore_infinities_and_nan(values: list[float], direction: str) -> None:
    classes = quantile_classes(pd.Series(values, dtype=float), direction, "%")
    assert all(math.isfinite(c.lower) and math.isfinite(c.upper) for c in classes)
    assert bool(classes) == any(math.isfinite(v) for v in values)


# --- datasets read through the readers, fed with generated sparse values -----------------------

CATALOGUE = load_catalogue()
INDICATORS = sorted(CATALOGUE.indicators)
GROUPS = ["FR", "TYPE:moins_20k", "TYPE:20k_100k", "TYPE:plus_100k", "MED:moins_20k"]


@st.composite
def stored_series(draw: st.DrawFn) -> pd.DataFrame:
    """What ``readers.values_over_time`` returns: 0 to 6 periods of one territory or group,
    oldest first, NaN and infinities already turned into missing values."""
    periods = sorted(draw(st.lists(st.sampled_from(PERIODS), max_size=6, unique=True)))
    rows = [
        ("X", p, draw(VALUES), draw(st.sampled_from(STATUSES)), draw(st.integers(0, 9)), 9, "—")
        for p in periods
    ]
    return unusable_as_missing(pd.DataFrame(rows, columns=VALUE_COLUMNS).astype({"value": float}))


class FakeReaders:
    """Stand-ins for the database readers: each (indicator, territory) gets its own draw."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.drawn: dict[tuple[str, str], pd.DataFrame] = {}

    def values_over_time(self, indicator: str, territory: str) -> pd.DataFrame:
        key = (indicator, territory)
        if key not in self.drawn:
            self.drawn[key] = self.data.draw(stored_series(), label=f"{indicator} {territory}")
        return self.drawn[key]


def _patched(data: st.DataObject) -> pytest.MonkeyPatch:
    from dashboard import readers

    patch = pytest.MonkeyPatch()
    patch.setattr(readers, "values_over_time", FakeReaders(data).values_over_time)
    patch.setattr(readers, "referential", _referential)
    return patch


def _referential() -> Any:
    from indicators.territories.referential import load_referential

    global REFERENTIAL
    if REFERENTIAL is None:
        REFERENTIAL = load_referential()
    return REFERENTIAL


REFERENTIAL: Any = None
TERRITORIES = ["FR", "REG:94", "DEP:2A", "DEP:01", "EPCI:200040715", "COM:2A004", "COM:97209"]


@PROPERTIES
@given(st.data(), st.sampled_from(INDICATORS), st.sampled_from(TERRITORIES))
def test_territory_series_dataset_on_sparse_values(
    data: st.DataObject, code: str, territory: str
) -> None:
    from dashboard.datasets import territory_series_dataset

    patch = _patched(data)
    try:
        table = territory_series_dataset(code, territory)
    finally:
        patch.undo()
    assert list(table.columns) == SERIES_COLUMNS
    definition = CATALOGUE.indicators[code]
    _figure_says_something(trend_figure(table, definition.unit, empty="Ain : aucune valeur."))
    own = table[table["code"] == territory].rename(
        columns={"periode": "period", "valeur": "value", "statut": "status"}
    )
    _readable(series_summary(own, definition.label, definition.unit, "Ajaccio"))


@PROPERTIES
@given(st.data(), st.sampled_from(INDICATORS))
def test_national_trend_dataset_on_sparse_values(data: st.DataObject, code: str) -> None:
    from dashboard.pages.indicateur.trend_datasets import TREND_COLUMNS, national_trend_dataset

    patch = _patched(data)
    try:
        table = national_trend_dataset(code)
    finally:
        patch.undo()
    assert list(table.columns) == TREND_COLUMNS
    definition = CATALOGUE.indicators[code]
    _figure_says_something(national_trend_figure(table, definition.unit, {}))
    _readable(trend_summary(table, definition.label, definition.unit))


@PROPERTIES
@given(st.data(), st.sampled_from([None, "moins_20k", "plus_100k"]), st.sampled_from([None, 2024]))
def test_measure_cards_on_sparse_values(
    data: st.DataObject, typology: str | None, year: int | None
) -> None:
    from dashboard.datasets import CARD_COLUMNS, measure_cards_dataset

    patch = _patched(data)
    try:
        cards = measure_cards_dataset(typology, year)
    finally:
        patch.undo()
    assert list(cards.columns) == CARD_COLUMNS
    assert len(cards) == len(CATALOGUE.measures)
    shown = cards.dropna(subset=["valeur"])
    assert np.isfinite(shown["valeur"].to_numpy(dtype=float)).all()


PROGRAMME_INDICATORS = sorted(
    (p, code) for code, i in CATALOGUE.indicators.items() for p in i.programmes
)


@PROPERTIES
@given(st.data(), st.sampled_from(PROGRAMME_INDICATORS))
def test_programme_datasets_on_sparse_values(data: st.DataObject, pair: tuple[str, str]) -> None:
    from dashboard.pages.programmes.datasets import (
        PROGRESS_COLUMNS,
        programme_trend_dataset,
        progress_dataset,
    )
    from dashboard.pages.programmes.figures import progress_figure
    from dashboard.pages.programmes.texts import progress_summary

    programme, code = pair
    patch = _patched(data)
    try:
        trend = programme_trend_dataset(programme, code)
        progress = progress_dataset(programme)
    finally:
        patch.undo()
    definition = CATALOGUE.indicators[code]
    _figure_says_something(trend_figure(trend, definition.unit))
    _readable(programme_trend_summary(trend, definition.label, definition.unit))
    assert list(progress.columns) == PROGRESS_COLUMNS
    _readable(progress_summary(progress))
    if not progress.empty:
        _figure_says_something(progress_figure(progress))
