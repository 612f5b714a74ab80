"""Pre-computed values: derived indicators and aggregates over the hierarchy and named sets,
refreshed incrementally, read back by key (literal expected values)."""

import random
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from indicators.catalogue import load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.precompute import map_values, refresh_computed, series
from indicators.store import make_engine, upgrade_database
from indicators.store.models import ComputedValue, IndicatorVersion, Observation
from indicators.territories.referential import load_referential
from indicators.territories.set_store import Member, replace_set_members
from indicators.territories.sync import sync_referential

pytestmark = pytest.mark.integration

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "reference_mini"
ACTIFS, VOITURE, PART = "MOB_ACTIFS", "MOB_ACTIFS_VOITURE", "MOB_PART_VOITURE"


def _observation(indicator: str, commune: str, value: float | None, status: str = "ok") -> dict:
    return {
        "indicator_code": indicator,
        "territory_code": f"COM:{commune}",
        "period": "2024",
        "value_type": "valeur",
        "value": value,
        "status": status,
    }


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    upgrade_database(engine)
    catalogue = load_catalogue()
    with Session(engine) as session, session.begin():
        sync_referential(session, load_referential(MINI))
        sync_catalogue(session, catalogue)
        replace_set_members(
            session, "test-x", [Member("COM:01001"), Member("COM:01053")], kind="mesure_test"
        )
        session.execute(
            insert(Observation),
            [
                _observation(ACTIFS, "01001", 400),
                _observation(VOITURE, "01001", 300),
                _observation(ACTIFS, "01004", 6000),
                _observation(VOITURE, "01004", 3000),
                _observation(ACTIFS, "01053", 20000),
                _observation(VOITURE, "01053", None, "missing"),
            ],
        )
        refresh_computed(session, catalogue)
    yield engine
    engine.dispose()


def _computed(session: Session, indicator: str, territory: str) -> ComputedValue:
    row = session.scalar(
        select(ComputedValue).where(
            ComputedValue.indicator_code == indicator, ComputedValue.territory_code == territory
        )
    )
    assert row is not None, (indicator, territory)
    return row


def test_sum_aggregate_with_coverage(engine) -> None:  # type: ignore[no-untyped-def]
    communes_of_ain = sum(
        1 for line in (MINI / "communes.csv").read_text().splitlines() if line.startswith("01")
    )
    with Session(engine) as session:
        ain = _computed(session, ACTIFS, "DEP:01")
        assert ain.value == 26400
        assert (ain.reported, ain.expected) == (3, communes_of_ain)
        assert ain.n_missing == communes_of_ain - 3
        assert _computed(session, ACTIFS, "GRP:test-x").value == 20400


def test_ratio_of_sums_not_mean_of_ratios(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        ain = _computed(session, PART, "DEP:01")
        # 100 * (300 + 3000) / (400 + 6000); the mean of the two ratios would be 62.5
        assert ain.value == pytest.approx(51.5625)
        assert ain.reported == 2
        assert _computed(session, PART, "COM:01001").value == pytest.approx(75.0)
        assert _computed(session, PART, "COM:01053").status == "missing"
        version = session.scalar(
            select(IndicatorVersion.version).where(IndicatorVersion.indicator_code == PART)
        )
        assert ain.indicator_version == version == 1


def test_incremental_refresh_updates_dependents(engine) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue()
    with Session(engine) as session, session.begin():
        session.execute(
            update(Observation)
            .where(Observation.indicator_code == ACTIFS, Observation.territory_code == "COM:01004")
            .values(value=7000)
        )
        before = session.scalar(select(func.count()).select_from(ComputedValue))
        report = refresh_computed(session, catalogue, {ACTIFS: {"2024"}})
        assert report.indicators >= 2  # the sum and the ratio that reads it
        assert session.scalar(select(func.count()).select_from(ComputedValue)) == before
    with Session(engine) as session:
        assert _computed(session, PART, "DEP:01").value == pytest.approx(100 * 3300 / 7400)
        assert _computed(session, ACTIFS, "DEP:01").value == 27400


def test_read_map_vector_and_series(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        departements = map_values(session, PART, "2024", "DEP")
        ain = departements.set_index("territory").loc["DEP:01"]
        assert ain["value"] == pytest.approx(51.5625) and ain["source"] == "calcul"
        communes = map_values(session, ACTIFS, "2024", "COM", within="DEP:01")
        assert set(communes["territory"]) == {"COM:01001", "COM:01004", "COM:01053"}
        assert set(communes["source"]) == {"chargement"}
        history = series(session, PART, "COM:01001")
        assert list(history["period"]) == ["2024"]
        assert history["value"].iloc[0] == pytest.approx(75.0)


def test_median_of_territories_of_the_same_type(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        small = _computed(session, ACTIFS, "MED:moins_20k")
        assert small.value == 3200  # median of 400 and 6000
        assert small.reported == 2
        assert _computed(session, ACTIFS, "MED:20k_100k").value == 20000


def test_sets_are_also_aggregated_by_typology_class(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        assert _computed(session, ACTIFS, "GRP:test-x:moins_20k").value == 400
        assert _computed(session, ACTIFS, "GRP:test-x:20k_100k").value == 20000


def test_a_set_of_communes_reaches_their_epcis_for_epci_level_indicators(engine) -> None:  # type: ignore[no-untyped-def]
    """MOB_VOYAGES_TAD is published by EPCI only: over a set of communes it sums their EPCIs."""
    catalogue = load_catalogue()
    with Session(engine) as session, session.begin():
        session.execute(
            insert(Observation),
            [
                {
                    **_observation("MOB_VOYAGES_TAD", "x", 120),
                    "territory_code": code,
                    "period": "2024-T1",
                }
                for code in ("EPCI:200069193", "EPCI:200071751")
            ]
            + [
                {
                    **_observation("MOB_VOYAGES_TAD", "x", 5000),
                    "territory_code": "EPCI:200046977",  # no commune of test-x in it
                    "period": "2024-T1",
                }
            ],
        )
        refresh_computed(session, catalogue, {"MOB_VOYAGES_TAD": ["2024-T1"]})
    with Session(engine) as session:
        value = _computed(session, "MOB_VOYAGES_TAD", "GRP:test-x")
        assert value.value == 240
        assert (value.reported, value.expected) == (2, 2)


COMPUTED_SNAPSHOT = [
    "indicator_code", "territory_code", "territory_level", "period", "value", "status",
    "reported", "expected", "n_missing", "n_not_applicable", "n_secret", "numerator",
    "denominator", "indicator_version",
]  # fmt: skip


def _snapshot(session: Session) -> pd.DataFrame:
    columns = [getattr(ComputedValue, name) for name in COMPUTED_SNAPSHOT]
    frame = pd.DataFrame(session.execute(select(*columns)).all(), columns=COMPUTED_SNAPSHOT)
    return frame.sort_values(COMPUTED_SNAPSHOT[:4], ignore_index=True)


def _stored(session: Session, indicators: list[str]) -> pd.DataFrame:
    """The stored rows of ``indicators`` as a load hands them to the refresh."""
    rows = session.execute(
        select(
            Observation.indicator_code,
            Observation.territory_code,
            Observation.period,
            Observation.value_type,
            Observation.value,
            Observation.status,
        ).where(Observation.indicator_code.in_(indicators))
    ).all()
    columns = ["indicator", "territory", "period", "value_type", "value", "status"]
    return pd.DataFrame(rows, columns=columns).astype({"value": "float64"})


def test_refresh_from_the_loaded_values_gives_literal_aggregates(engine) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue()
    with Session(engine) as session, session.begin():
        session.execute(
            update(Observation)
            .where(Observation.indicator_code == ACTIFS, Observation.territory_code == "COM:01004")
            .values(value=7000)
        )
        loaded = _stored(session, [ACTIFS])  # every stored row of the key: used, not read
        refresh_computed(session, catalogue, {ACTIFS: {"2024"}}, loaded=loaded)
    with Session(engine) as session:
        assert _computed(session, ACTIFS, "DEP:01").value == 27400
        assert _computed(session, ACTIFS, "GRP:test-x").value == 20400
        assert _computed(session, PART, "DEP:01").value == pytest.approx(100 * 3300 / 7400)
        assert _computed(session, ACTIFS, "MED:moins_20k").value == 3700  # 400 and 7000


def test_refresh_ignores_loaded_values_that_are_not_all_the_stored_ones(engine) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue()
    with Session(engine) as session, session.begin():
        session.execute(
            update(Observation)
            .where(Observation.indicator_code == ACTIFS, Observation.territory_code == "COM:01004")
            .values(value=7000)
        )
        partial = _stored(session, [ACTIFS])
        partial = partial[partial["territory"] == "COM:01004"]  # a load of one commune
        refresh_computed(session, catalogue, {ACTIFS: {"2024"}}, loaded=partial)
    with Session(engine) as session:
        assert _computed(session, ACTIFS, "DEP:01").value == 27400  # the others were read


def test_incremental_refresh_equals_a_full_recompute(engine) -> None:  # type: ignore[no-untyped-def]
    """Random values and statuses over two periods, a random load, an incremental refresh (the
    load's values handed over for some keys, read back for others): every computed row equals
    the one a full recompute gives, to the bit."""
    catalogue = load_catalogue()
    rng = random.Random(42)
    communes = [
        line.split(",")[0]
        for line in (MINI / "communes.csv").read_text().splitlines()[1:]
        if line[:2].isdigit()
    ]
    statuses = ["ok"] * 7 + ["missing", "not_applicable", "secret"]

    def random_rows(period: str) -> list[dict]:  # type: ignore[type-arg]
        rows = []
        for indicator in (ACTIFS, VOITURE):
            for commune in rng.sample(communes, len(communes) * 3 // 4):
                status = rng.choice(statuses)
                value = round(rng.uniform(0, 5000), 3) if status == "ok" else None
                rows.append({**_observation(indicator, commune, value, status), "period": period})
        return rows

    with Session(engine) as session, session.begin():
        session.execute(delete(Observation))
        session.execute(insert(Observation), random_rows("2023") + random_rows("2024"))
        refresh_computed(session, catalogue)
    with Session(engine) as session, session.begin():
        stored = session.execute(select(Observation.id, Observation.indicator_code)).all()
        for row_id, _indicator in rng.sample(stored, len(stored) // 3):
            status = rng.choice(statuses)
            value = round(rng.uniform(0, 5000), 3) if status == "ok" else None
            session.execute(
                update(Observation)
                .where(Observation.id == row_id)
                .values(value=value, status=status)
            )
        held = set(_stored(session, [ACTIFS]).query("period == '2024'")["territory"])
        new = [c for c in communes if f"COM:{c}" not in held][:5]  # values created by the load
        session.execute(insert(Observation), [_observation(ACTIFS, c, 1.5) for c in new])
        loaded = _stored(session, [ACTIFS])  # complete for ACTIFS; VOITURE is read back
        changed = {ACTIFS: {"2023", "2024"}, VOITURE: {"2023", "2024"}}
        refresh_computed(session, catalogue, changed, loaded=loaded)
    with Session(engine) as session:
        incremental = _snapshot(session)
    with Session(engine) as session, session.begin():
        session.execute(delete(ComputedValue))
        refresh_computed(session, catalogue)
    with Session(engine) as session:
        full = _snapshot(session)
    assert len(incremental) > 100
    pd.testing.assert_frame_equal(incremental, full, check_exact=True)
