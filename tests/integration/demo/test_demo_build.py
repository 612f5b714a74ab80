"""The demo build: what it writes, the flaws it injects on purpose, and that it is deterministic,
replaces the previous data and leaves the database untouched when it fails."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.demo import DemoReport, build_demo, generate_demo, load_effects, load_territories
from indicators.demo import build as build_module
from indicators.demo.calendar import published_periods
from indicators.store import current_data_version
from indicators.territories.programme_lists import load_programme_lists
from indicators.territories.referential import default_reference_dir

pytestmark = pytest.mark.integration


def _rows(engine: Engine, sql: str, **params: object) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(text(sql), params)
        return pd.DataFrame(result.all(), columns=list(result.keys()))


def _scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def _observation_checksum(engine: Engine) -> str:
    rows = _rows(
        engine,
        "SELECT indicator_code, territory_code, period, value_type, value, status "
        "FROM observation ORDER BY indicator_code, territory_code, period, value_type",
    )
    return hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()


def _base_codes(catalogue: Catalogue) -> set[str]:
    return {code for code, indicator in catalogue.indicators.items() if not indicator.is_derived}


def test_report_summarises_the_build_in_french(demo_report: DemoReport) -> None:
    summary = demo_report.summary()
    assert "Valeurs écrites" in summary and "Durée" in summary and "graine 42" in summary
    assert demo_report.observations > 100_000
    assert demo_report.territories["COM"] == 450
    assert set(demo_report.seconds) >= {"generation", "writing", "refresh", "total"}
    assert demo_report.computed_rows > 0


def test_one_committed_load_owns_every_demo_value(
    demo_engine: Engine, demo_report: DemoReport
) -> None:
    loads = _rows(demo_engine, "SELECT id, filename, username, status, rows_read FROM load")
    assert loads.to_dict("records") == [
        {
            "id": demo_report.load_id,
            "filename": "démonstration",
            "username": "demo",
            "status": "committed",
            "rows_read": demo_report.observations + demo_report.references,
        }
    ]
    owners = _rows(demo_engine, "SELECT DISTINCT load_id FROM observation")
    assert owners["load_id"].tolist() == [demo_report.load_id]


def test_only_base_indicators_get_values_and_every_one_does(
    demo_engine: Engine, demo_report: DemoReport, catalogue: Catalogue
) -> None:
    valued = _rows(
        demo_engine,
        "SELECT DISTINCT indicator_code FROM observation "
        "WHERE value_type = 'valeur' AND status = 'ok'",
    )
    assert set(valued["indicator_code"]) == _base_codes(catalogue)
    derived = _rows(
        demo_engine,
        "SELECT DISTINCT indicator_code FROM computed_value WHERE territory_level = 'COM'",
    )
    assert {"SAN_TAUX_SANS_MT", "LOG_TAUX_VACANCE", "NUM_TAUX_FTTH"} <= set(
        derived["indicator_code"]
    )


def test_periods_run_from_2022_to_the_last_one_published(
    demo_engine: Engine, demo_report: DemoReport, catalogue: Catalogue
) -> None:
    stored = _rows(
        demo_engine,
        "SELECT indicator_code, MIN(period) AS first, MAX(period) AS last, "
        "COUNT(DISTINCT period) AS n FROM observation WHERE value_type = 'valeur' "
        "GROUP BY indicator_code",
    ).set_index("indicator_code")
    for code in _base_codes(catalogue):
        expected = [str(p) for p in published_periods(catalogue.indicators[code])]
        assert stored.loc[code, "first"] == expected[0]
        assert stored.loc[code, "n"] == len(expected)
    assert stored.loc["NUM_ACCOMPAGNEMENTS", "last"] == "2026-09"  # monthly, one month late
    assert stored.loc["ACC_FS_DEMANDES", "last"] == "2026-T3"  # quarterly, one month late
    assert stored.loc["EMP_DEFM_A", "last"] == "2026-T2"  # quarterly, two months late
    assert stored.loc["MOB_ACTIFS", "last"] == "2023"  # census, 30 months late


def test_values_stay_within_valid_ranges_except_the_documented_outliers(
    demo_engine: Engine, demo_report: DemoReport, catalogue: Catalogue
) -> None:
    values = _rows(
        demo_engine,
        "SELECT indicator_code, territory_code, period, value FROM observation "
        "WHERE value_type = 'valeur' AND status = 'ok'",
    )
    outside = set()
    for code, group in values.groupby("indicator_code"):
        valid = catalogue.indicators[str(code)].valid_range
        low = valid.min if valid.min is not None else float("-inf")
        high = valid.max if valid.max is not None else float("inf")
        bad = group[(group["value"] < low) | (group["value"] > high)]
        outside |= set(
            zip(bad["indicator_code"], bad["territory_code"], bad["period"], strict=True)
        )
    assert outside, "some ×10 outliers should leave the valid range of a bounded indicator"
    assert outside <= set(demo_report.outliers)


def test_numerators_never_exceed_their_denominators(
    demo_engine: Engine, demo_report: DemoReport, catalogue: Catalogue
) -> None:
    outliers = {(t, p) for _, t, p in demo_report.outliers}
    for ratio in ("NUM_TAUX_FTTH", "SAN_TAUX_SANS_MT", "LOG_TAUX_VACANCE", "MOB_PART_VOITURE"):
        definition = catalogue.indicators[ratio]
        pairs = _rows(
            demo_engine,
            "SELECT n.territory_code, n.period, n.value AS num, d.value AS den "
            "FROM observation n JOIN observation d ON d.territory_code = n.territory_code "
            "AND d.period = n.period AND d.value_type = n.value_type "
            "WHERE n.indicator_code = :num AND d.indicator_code = :den "
            "AND n.value_type = 'valeur' AND n.status = 'ok' AND d.status = 'ok'",
            num=definition.numerator,
            den=definition.denominator,
        )
        clean = pairs[
            [
                (t, p) not in outliers
                for t, p in zip(pairs["territory_code"], pairs["period"], strict=True)
            ]
        ]
        assert len(clean) > 500
        assert (clean["num"] <= clean["den"]).all(), ratio


def test_imperfections_are_present_and_documented(
    demo_engine: Engine, demo_report: DemoReport
) -> None:
    status = demo_report.by_status
    total = demo_report.observations
    assert 0.02 < status["missing"] / total < 0.04
    assert status["not_applicable"] > 0 and demo_report.zeros > 0 and demo_report.outliers
    secret = _rows(
        demo_engine,
        "SELECT indicator_code, value FROM observation WHERE status = 'secret'",
    )
    assert len(secret) == status["secret"] > 0
    assert set(secret["indicator_code"]) <= {"SAN_PATIENTS", "SAN_PATIENTS_SANS_MT"}
    assert secret["value"].isna().all()
    small = _scalar(
        demo_engine,
        "SELECT COUNT(*) FROM observation WHERE indicator_code = 'SAN_PATIENTS_SANS_MT' "
        "AND status = 'ok' AND value > 0 AND value < 11",
    )
    assert small == 0
    missing_values = _scalar(
        demo_engine, "SELECT COUNT(*) FROM observation WHERE status <> 'ok' AND value IS NOT NULL"
    )
    assert missing_values == 0
    # not applicable: a France Services indicator in a commune without a site
    assert _scalar(
        demo_engine,
        "SELECT COUNT(*) FROM observation WHERE indicator_code = 'ACC_FS_SATISFACTION' "
        "AND status = 'not_applicable'",
    )


def test_ars_of_corse_is_late_with_its_last_period(
    demo_engine: Engine, demo_report: DemoReport
) -> None:
    counts = _rows(
        demo_engine,
        "SELECT t.region_code AS region, COUNT(*) AS n FROM observation o "
        "JOIN territory t ON t.code = o.territory_code "
        "WHERE o.indicator_code = 'SAN_MSP' AND o.period = '2026-S1' GROUP BY t.region_code",
    ).set_index("region")["n"]
    assert "REG:94" not in counts.index
    assert counts["REG:01"] == 32
    assert demo_report.late_cells == 360  # the communes of Corse


def test_programme_and_test_sets(demo_engine: Engine, catalogue: Catalogue) -> None:
    sets = _rows(
        demo_engine,
        "SELECT s.slug, s.kind, COUNT(m.id) AS members, COUNT(DISTINCT m.start_date) AS starts "
        "FROM territory_set s JOIN membership m ON m.set_id = s.id GROUP BY s.slug, s.kind",
    ).set_index("slug")
    for programme in catalogue.programmes.values():
        assert sets.loc[programme.membership_set, "kind"] == "programme"
    for measure in catalogue.measures.values():
        assert sets.loc[measure.test_set, "kind"] == "mesure_test"
        assert sets.loc[measure.test_set, "starts"] >= 2
    assert len(sets) == len(catalogue.programmes) + len(catalogue.measures)
    members = _rows(
        demo_engine,
        "SELECT s.slug, m.territory_code FROM membership m JOIN territory_set s "
        "ON s.id = m.set_id WHERE s.kind = 'mesure_test'",
    )
    by_set = members.groupby("slug")["territory_code"].apply(set)
    placebo = by_set["test-m9-placebo"]
    for sharing in ("test-m1", "test-m2", "test-m8"):  # they share indicators with the placebo
        assert not placebo & by_set[sharing]
    assert not by_set["test-m6"] & by_set["test-m7"]


def test_test_communes_are_of_the_measure_types(demo_engine: Engine, catalogue: Catalogue) -> None:
    members = _rows(
        demo_engine,
        "SELECT s.slug, t.typology, t.population, t.level FROM membership m "
        "JOIN territory_set s ON s.id = m.set_id JOIN territory t ON t.code = m.territory_code "
        "WHERE s.kind = 'mesure_test'",
    )
    assert set(members["level"]) == {"COM"}
    for measure in catalogue.measures.values():
        mine = members[members["slug"] == measure.test_set]
        assert set(mine["typology"]) <= {t.value for t in measure.territory_types}
        small = mine[mine["typology"] == "moins_20k"]
        assert (small["population"] >= 1_000).all()


def test_effects_file_matches_the_catalogue(catalogue: Catalogue) -> None:
    effects = load_effects(catalogue)
    for measure in catalogue.measures.values():
        headline = [e for e in effects.for_measure(measure.code)]
        assert measure.headline_indicator in {e.indicator for e in headline}
        if measure.placebo:
            assert all(size == 0 for e in headline for _, size in e.sizes)


def test_same_seed_same_data_other_seed_other_data(
    demo_engine: Engine,
    demo_report: DemoReport,
    catalogue: Catalogue,
    demo_seed: int,
    demo_regions: tuple[str, ...],
) -> None:
    effects = load_effects(catalogue)
    official = load_programme_lists(default_reference_dir())  # what build_demo reads
    with Session(demo_engine) as session:
        territories = load_territories(session, demo_regions)
    first = generate_demo(territories, catalogue, effects, demo_seed, official=official)
    again = generate_demo(territories, catalogue, effects, demo_seed, official=official)
    other = generate_demo(territories, catalogue, effects, demo_seed + 1, official=official)
    assert first.cells.checksum() == again.cells.checksum() == demo_report.checksum
    assert other.cells.checksum() != first.cells.checksum()
    assert (first.tests["M1"]["code"] != other.tests["M1"]["code"]).any()


def test_a_rebuild_replaces_the_data_identically(
    demo_engine: Engine,
    demo_report: DemoReport,
    catalogue: Catalogue,
    demo_seed: int,
    demo_regions: tuple[str, ...],
) -> None:
    before = _observation_checksum(demo_engine)
    count = _scalar(demo_engine, "SELECT COUNT(*) FROM observation")
    with Session(demo_engine) as session:
        version = current_data_version(session)
    again = build_demo(demo_engine, seed=demo_seed, scope=demo_regions, catalogue=catalogue)
    assert again.checksum == demo_report.checksum
    assert _observation_checksum(demo_engine) == before
    assert _scalar(demo_engine, "SELECT COUNT(*) FROM observation") == count
    assert _scalar(demo_engine, "SELECT COUNT(*) FROM load") == 1
    assert _scalar(demo_engine, "SELECT COUNT(*) FROM territory_set") == len(demo_report.sets)
    assert again.data_version == version + 1


def test_a_failed_build_leaves_the_database_as_it_was(
    demo_engine: Engine,
    demo_report: DemoReport,
    demo_seed: int,
    demo_regions: tuple[str, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _observation_checksum(demo_engine)
    sets = _scalar(demo_engine, "SELECT COUNT(*) FROM membership")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("panne simulée")

    # fails after the wipe and the observations' insert, before the pre-computation
    monkeypatch.setattr(build_module, "write_sets", broken)
    with pytest.raises(RuntimeError, match="panne simulée"):
        build_demo(demo_engine, seed=demo_seed + 1, scope=demo_regions)
    assert _observation_checksum(demo_engine) == before
    assert _scalar(demo_engine, "SELECT COUNT(*) FROM membership") == sets
    index_names = _rows(
        demo_engine,
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observation'",
    )
    assert "ix_observation_map" in set(index_names["name"])
