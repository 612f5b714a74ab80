"""The effects written in effects.toml are in the data: a plain difference-in-differences on the
stored values (test communes vs untreated communes of the same type, before vs after each
member's own start date) finds them, and finds nothing for the placebo measure."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from indicators.catalogue import Catalogue
from indicators.demo import DemoReport, load_effects
from indicators.periods import parse_period
from indicators.territories.typology import TYPOLOGY_CLASSES

pytestmark = pytest.mark.integration

# The indicator checked for each measure: its headline, except for M5 and M6 whose headlines
# (annual, published 6 and 12 months late) have no period after any start date yet — see
# test_some_headlines_cannot_move_yet.
CHECKED = {
    "M1": "ACC_FS_TEMPS_ACCES",
    "M2": "REV_VACANCE_COMMERCIALE",
    "M4": "NUM_AUTONOMIE",
    "M5": "SAN_MSP",
    "M6": "ECO_RENOV_MPR",
    "M7": "ECO_RENOV_MPR",
    "M8": "EMP_DEFM_A",
    "M9": "EMP_DEFM_A",
}
MIN_TEST_UNITS = 5
MIN_SMALL_COMMUNE = 1_000  # test communes under 20,000 inhabitants have at least this many


def _rows(engine: Engine, sql: str, **params: object) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(text(sql), params)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def _values(engine: Engine, indicator: str, report: DemoReport) -> pd.DataFrame:
    """Ok values as a (territory × period) table, the documented outliers left out."""
    frame = _rows(
        engine,
        "SELECT territory_code AS territory, period, value FROM observation "
        "WHERE indicator_code = :code AND value_type = 'valeur' AND status = 'ok'",
        code=indicator,
    )
    outliers = {(t, p) for i, t, p in report.outliers if i == indicator}
    keep = [
        (t, p) not in outliers for t, p in zip(frame["territory"], frame["period"], strict=True)
    ]
    return frame[keep].pivot(index="territory", columns="period", values="value")


def _members(engine: Engine, slug: str) -> pd.DataFrame:
    frame = _rows(
        engine,
        "SELECT m.territory_code AS territory, m.start_date AS start FROM membership m "
        "JOIN territory_set s ON s.id = m.set_id WHERE s.slug = :slug",
        slug=slug,
    )
    frame["start"] = pd.to_datetime(frame["start"]).dt.date
    return frame


def _territories(engine: Engine, level: str) -> pd.DataFrame:
    return _rows(
        engine,
        "SELECT code, population, typology, epci_code AS epci FROM territory WHERE level = :level",
        level=level,
    ).set_index("code")


def _did(table: pd.DataFrame, tests: pd.DataFrame, controls: list[str]) -> np.ndarray:
    """Per test unit: its own post-minus-pre change minus the controls' mean change."""
    starts = np.array([parse_period(p).start for p in table.columns])
    control = table.reindex(controls)
    gaps = []
    for territory, start in zip(tests["territory"], tests["start"], strict=True):
        post = starts >= start
        if territory not in table.index or post.all() or not post.any():
            continue
        own = table.loc[territory]
        change = own[post].mean() - own[~post].mean()
        baseline = (control.loc[:, post].mean(axis=1) - control.loc[:, ~post].mean(axis=1)).mean()
        gaps.append(change - baseline)
    gaps_array = np.array(gaps, dtype=float)
    return gaps_array[~np.isnan(gaps_array)]


def _treated_elsewhere(engine: Engine, catalogue: Catalogue, indicator: str) -> set[str]:
    """Test communes of every measure with a non-zero effect on ``indicator``."""
    effects = load_effects(catalogue)
    treated: set[str] = set()
    for effect in effects.for_indicator(indicator):
        if any(size for _, size in effect.sizes):
            slug = catalogue.measures[effect.measure].test_set
            treated |= set(_members(engine, slug)["territory"])
    return treated


@pytest.mark.parametrize("measure", sorted(CHECKED))
def test_difference_in_differences_recovers_the_documented_effect(
    demo_engine: Engine, demo_report: DemoReport, catalogue: Catalogue, measure: str
) -> None:
    indicator = CHECKED[measure]
    effects = load_effects(catalogue)
    table = _values(demo_engine, indicator, demo_report)
    communes = _territories(demo_engine, "COM")
    members = _members(demo_engine, catalogue.measures[measure].test_set)
    members["type"] = members["territory"].map(communes["typology"])
    untreated = communes.index.difference(
        list(_treated_elsewhere(demo_engine, catalogue, indicator) | set(members["territory"]))
    )
    checked = 0
    for name in TYPOLOGY_CLASSES:
        tests = members[members["type"] == name]
        peers = communes.loc[untreated]
        peers = peers[(peers["typology"] == name) & (peers["population"] >= MIN_SMALL_COMMUNE)]
        gaps = _did(table, tests, list(peers.index.intersection(table.index)))
        if len(gaps) < MIN_TEST_UNITS:
            continue
        truth = effects.size(measure, indicator, name)
        estimate, error = gaps.mean(), gaps.std(ddof=1) / np.sqrt(len(gaps))
        assert abs(estimate - truth) <= max(3 * error, 0.2 * abs(truth)), (
            f"{measure} {indicator} {name}: estimé {estimate:.2f} ± {error:.2f}, injecté {truth}"
        )
        if truth:  # detectable: the estimate stands out of its noise
            assert abs(estimate) > 2 * error, (measure, name, estimate, error)
        checked += 1
    assert checked >= 1, f"{measure} : aucun type avec assez de communes test"


def test_epci_headline_of_m3_is_recovered_per_inhabitant(
    demo_engine: Engine, demo_report: DemoReport, catalogue: Catalogue
) -> None:
    """MOB_VOYAGES_TAD is published from the EPCI: an EPCI is treated from its first test
    commune's start and receives the sum of its test communes' effects. Treated EPCIs are larger
    than the others, so the comparison is per 1,000 inhabitants."""
    effects = load_effects(catalogue)
    indicator = "MOB_VOYAGES_TAD"
    epcis = _territories(demo_engine, "EPCI")
    communes = _territories(demo_engine, "COM")
    table = _values(demo_engine, indicator, demo_report)
    table = table.div(epcis["population"].reindex(table.index) / 1_000, axis=0)
    members = _members(demo_engine, catalogue.measures["M3"].test_set)
    members["epci"] = members["territory"].map(communes["epci"])
    members["type"] = members["territory"].map(communes["typology"])
    starts = members.groupby("epci")["start"].min()
    tests = pd.DataFrame({"territory": starts.index, "start": starts.to_numpy()})
    controls = [code for code in table.index if code not in set(members["epci"])]
    gaps = _did(table, tests, controls)
    period_starts = np.array([parse_period(p).start for p in table.columns])
    truths = []
    for epci, start in starts.items():
        post = period_starts >= start
        if epci not in table.index or not post.any():
            continue
        inside = members[members["epci"] == epci]
        effect = sum(
            effects.size("M3", indicator, kind) * (period_starts >= first)
            for kind, first in zip(inside["type"], inside["start"], strict=True)
        )
        truths.append(np.mean(np.asarray(effect)[post]) / epcis.loc[epci, "population"] * 1_000)
    estimate, error, truth = gaps.mean(), gaps.std(ddof=1) / np.sqrt(len(gaps)), np.mean(truths)
    assert abs(estimate - truth) <= max(3 * error, 0.2 * truth), (estimate, error, truth)
    assert estimate > 2 * error


def test_some_headlines_cannot_move_yet(catalogue: Catalogue) -> None:
    """M5's and M6's headlines publish no period starting after any member's entry by the
    reference date: the demo shows the 'cannot move within the window' case on purpose."""
    from indicators.demo.calendar import published_periods

    for measure in ("M5", "M6"):
        definition = catalogue.measures[measure]
        last = published_periods(catalogue.indicators[definition.headline_indicator])[-1]
        assert last.start < definition.start_date
    for measure, indicator in CHECKED.items():
        headline = catalogue.measures[measure].headline_indicator
        assert indicator == headline or measure in {"M5", "M6"}


def test_cohort_starts_are_staggered(demo_engine: Engine, catalogue: Catalogue) -> None:
    for measure in catalogue.measures.values():
        starts = set(_members(demo_engine, measure.test_set)["start"])
        offsets = {
            date(
                measure.start_date.year + (measure.start_date.month + m - 1) // 12,
                (measure.start_date.month + m - 1) % 12 + 1,
                1,
            )
            for m in (0, 6, 12)
        }
        assert len(starts) >= 2 and starts <= offsets, (measure.code, starts)
