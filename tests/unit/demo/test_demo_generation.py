"""The generator on a synthetic referential, without a database: deterministic, complete, and
putting each effect exactly where and when effects.toml says."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from indicators.catalogue import Catalogue, load_catalogue
from indicators.compute.statuses import NOT_APPLICABLE_CODE, OK_CODE
from indicators.demo import EffectTable, generate_demo, load_effects, scope_regions
from indicators.demo.calendar import period_grid
from indicators.demo.injection import effect_matrix
from indicators.demo.programmes import draw_programmes
from indicators.demo.scope import DEMO_REGIONS, Territories
from indicators.periods import parse_period
from indicators.territories.programme_lists import ListedMember, ProgrammeList, ProgrammeLists

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def effects(catalogue: Catalogue) -> EffectTable:
    return load_effects(catalogue)


@pytest.fixture(scope="module")
def territories() -> Territories:
    """600 communes in 12 EPCIs and 2 départements, of every type."""
    rng = np.random.default_rng(0)
    population = np.round(np.exp(rng.normal(7.2, 1.4, 600))).clip(30, 19_999)
    population[:24] = rng.integers(20_000, 100_000, 24)
    population[24:28] = rng.integers(100_001, 400_000, 4)
    communes = pd.DataFrame(
        {
            "code": [f"COM:99{i:03d}" for i in range(600)],
            "population": population.astype(float),
            "type": np.select([population > 100_000, population >= 20_000], [2, 1], 0).astype(
                np.int8
            ),
            "epci": [f"EPCI:9{i % 12:02d}" for i in range(600)],
            "departement": [f"DEP:9{i % 2}" for i in range(600)],
            "region": "REG:99",
        }
    )
    totals = communes.groupby("epci")["population"].sum()
    epcis = pd.DataFrame(
        {
            "code": totals.index,
            "population": totals.to_numpy(),
            "type": np.int8(1),
            "epci": "",
            "departement": "",
            "region": "REG:99",
        }
    )
    deps = pd.DataFrame(
        {
            "code": ["DEP:90", "DEP:91"],
            "population": communes.groupby("departement")["population"].sum().to_numpy(),
            "type": np.int8(2),
            "epci": "",
            "departement": "",
            "region": "REG:99",
        }
    )
    return Territories(("99",), {"COM": communes, "EPCI": epcis, "DEP": deps})


def test_same_seed_same_data(
    territories: Territories, catalogue: Catalogue, effects: EffectTable
) -> None:
    first = generate_demo(territories, catalogue, effects, 7)
    assert (
        first.cells.checksum() == generate_demo(territories, catalogue, effects, 7).cells.checksum()
    )
    assert (
        first.cells.checksum() != generate_demo(territories, catalogue, effects, 8).cells.checksum()
    )


def test_every_base_indicator_and_only_them(
    territories: Territories, catalogue: Catalogue, effects: EffectTable
) -> None:
    data = generate_demo(territories, catalogue, effects, 7)
    base = {code for code, i in catalogue.indicators.items() if not i.is_derived}
    assert set(data.cells.indicator) == base
    ok = data.cells.status == OK_CODE
    assert np.isfinite(data.cells.value[ok]).all() and np.isnan(data.cells.value[~ok]).all()
    # a service a commune does not have: not applicable, never zero
    satisfaction = data.series["ACC_FS_SATISFACTION"]
    hosts = set(data.programmes.members["FS"]["code"])
    outside = ~territories.communes["code"].isin(hosts).to_numpy()
    assert (satisfaction.status[outside] == NOT_APPLICABLE_CODE).all()


def test_test_sets_follow_the_design(
    territories: Territories, catalogue: Catalogue, effects: EffectTable
) -> None:
    data = generate_demo(territories, catalogue, effects, 7)
    population = territories.communes.set_index("code")["population"]
    for measure in catalogue.measures.values():
        members = data.tests[measure.code]
        assert not members.empty and members["start"].nunique() >= 2
        assert (members["start"] >= np.datetime64(measure.start_date)).all()
        small = members[members["type"] == 0]
        assert (population[small["code"]] >= 1_000).all()
    assert not set(data.tests["M9"]["code"]) & set(data.tests["M8"]["code"])


def test_effects_land_on_the_commune_then_add_up_in_its_epci(
    territories: Territories, catalogue: Catalogue, effects: EffectTable
) -> None:
    communes = territories.communes
    tests = {
        "M3": pd.DataFrame(
            {
                "code": ["COM:99000", "COM:99012", "COM:99100"],  # the first two share EPCI:900
                "type": np.array([1, 1, 0], dtype=np.int8),
                "start": np.array(["2025-07-01", "2026-01-01", "2025-07-01"], "datetime64[D]"),
            }
        )
    }
    grid = period_grid([parse_period(p) for p in ("2025-T2", "2025-T3", "2025-T4", "2026-T1")])
    size = {t: effects.size("M3", "MOB_VOYAGES_TAD", t) for t in ("moins_20k", "20k_100k")}
    epcis = territories.at("EPCI")
    matrix = effect_matrix(
        "MOB_VOYAGES_TAD", "EPCI", epcis, grid, communes, tests, effects, catalogue
    )
    row = dict(zip(epcis["code"], matrix, strict=True))
    assert row["EPCI:900"].tolist() == [0, size["20k_100k"], size["20k_100k"], 2 * size["20k_100k"]]
    assert row["EPCI:904"].tolist() == [0, size["moins_20k"], size["moins_20k"], size["moins_20k"]]
    assert row["EPCI:901"].tolist() == [0, 0, 0, 0]


def test_a_population_weighted_indicator_dilutes_the_effect_in_the_epci(
    territories: Territories, catalogue: Catalogue, effects: EffectTable
) -> None:
    communes = territories.communes
    tests = {
        "M6": pd.DataFrame(
            {
                "code": ["COM:99000"],
                "type": np.array([1], dtype=np.int8),
                "start": np.array(["2025-07-01"], "datetime64[D]"),
            }
        )
    }
    grid = period_grid([parse_period(p) for p in ("2025", "2026")])
    epcis = territories.at("EPCI")
    matrix = effect_matrix(
        "LOG_TAUX_EFFORT", "EPCI", epcis, grid, communes, tests, effects, catalogue
    )
    share = communes.loc[0, "population"] / epcis.loc[0, "population"]
    expected = effects.size("M6", "LOG_TAUX_EFFORT", "20k_100k") * share
    assert matrix[0].tolist() == pytest.approx([0.0, expected])


def test_scopes() -> None:
    assert scope_regions("regions") == DEMO_REGIONS
    assert scope_regions("france") is None
    assert scope_regions(["REG:94", "01"]) == ("01", "94")
    with pytest.raises(ValueError, match="périmètre"):
        scope_regions("bretagne")


def test_official_lists_replace_the_drawn_members_within_the_scope(
    territories: Territories,
) -> None:
    listed = (
        ListedMember("COM:99003", date(2018, 3, 27), "lancement"),
        ListedMember("COM:99010", date(2018, 3, 27), "lancement"),
        ListedMember("COM:01004", date(2018, 3, 27), "lancement"),  # outside the scope
    )
    sites = (
        ListedMember("COM:99005", date(2021, 2, 1), "source"),
        ListedMember("COM:99007", date(2020, 1, 1), "source"),
    )
    official = ProgrammeLists(
        {
            "ACV": ProgrammeList("ACV", listed, "Liste officielle."),
            "FS": ProgrammeList("FS", sites, "Liste officielle."),
        },
        fs_sites={"COM:99005": 3, "COM:99007": 1},
    )
    drawn = draw_programmes(territories, 7)
    real = draw_programmes(territories, 7, official)
    assert list(real.members["ACV"]["code"]) == ["COM:99003", "COM:99010"]
    fs = real.members["FS"].set_index("code")["start"]
    assert fs.to_dict() == {
        "COM:99005": pd.Timestamp("2021-02-01"),
        "COM:99007": pd.Timestamp("2020-01-01"),
    }
    codes = list(territories.communes["code"])
    assert real.fs_sites[codes.index("COM:99005")] == 3 and real.fs_sites.sum() == 4
    # without a list, a programme keeps its drawn members; TI is always drawn
    for programme in ("PVD", "TI"):
        pd.testing.assert_frame_equal(real.members[programme], drawn.members[programme])
