"""The design registry on SQLite and PostgreSQL: propose, adjust (pin, exclude), save as new
versions, list, load, and evaluate with the latest saved design — on a small synthetic world
whose effect is known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, load_catalogue
from indicators.evaluation import (
    adjust_design,
    evaluate_measure,
    list_designs,
    load_design,
    propose_design,
    save_design,
)
from indicators.periods import Period, PeriodKind
from indicators.store import bump_data_version, make_engine, upgrade_database
from indicators.store.models import Observation, Territory
from indicators.territories.set_store import Member, replace_set_members

pytestmark = pytest.mark.integration

EFFECT = -1.5  # points of REV_VACANCE_COMMERCIALE (the headline of M2) from entry on
STARTS = (date(2025, 4, 1), date(2025, 10, 1), date(2026, 4, 1))
SEMESTERS = [Period(2022, PeriodKind.SEMESTER, 1).shift(i) for i in range(9)]  # to 2026-S1


def _world(session: Session) -> None:
    """60 small communes and 20 medium ones in four EPCIs; 12 + 6 of them test M2."""
    rng = np.random.default_rng(42)
    small = [(f"COM:9{i:04d}", "moins_20k", int(rng.integers(1_000, 15_000))) for i in range(60)]
    medium = [(f"COM:8{i:04d}", "20k_100k", int(rng.integers(25_000, 90_000))) for i in range(20)]
    communes = small + medium
    session.add_all(
        Territory(code=f"EPCI:{n}", level="EPCI", name=f"EPCI {n}", typology="moins_20k")
        for n in range(4)
    )
    session.add_all(
        Territory(
            code=code,
            level="COM",
            name=f"Commune {code}",
            population=population,
            typology=type_,
            epci_code=f"EPCI:{index % 4}",
        )
        for index, (code, type_, population) in enumerate(communes)
    )
    session.flush()
    tests = {code: STARTS[i % 3] for i, code in enumerate([c for c, *_ in communes[:12]])}
    tests |= {code: STARTS[i % 3] for i, code in enumerate([c for c, *_ in communes[60:66]])}
    members = [Member(code, start) for code, start in tests.items()]
    replace_set_members(session, "test-m2", members, kind="mesure_test")
    rows = []
    trend = np.cumsum(rng.normal(0.1, 0.3, len(SEMESTERS)))
    for code, _, _ in communes:
        level = rng.normal(12.0, 3.0)
        for t, semester in enumerate(SEMESTERS):
            value = level + trend[t] + rng.normal(0.0, 0.4)
            if code in tests and semester.start >= tests[code]:
                value += EFFECT
            rows.append(
                {
                    "indicator_code": "REV_VACANCE_COMMERCIALE",
                    "territory_code": code,
                    "period": str(semester),
                    "value_type": "valeur",
                    "value": round(value, 2),
                    "status": "ok",
                }
            )
    session.execute(insert(Observation), rows)
    bump_data_version(session)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        _world(session)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_propose_save_adjust_and_list(engine: Engine, catalogue: Catalogue) -> None:
    with Session(engine) as session, session.begin():
        proposed = propose_design(session, catalogue, "M2", author="evaluatrice")
        assert not proposed.saved and proposed.data_version == 1
        units = proposed.units_frame("COM")
        tests = units[units["role"] == "test"]
        comparisons = units[units["role"] == "comparison"]
        assert len(tests) == 18
        assert not set(comparisons["territory"]) & set(tests["territory"])
        # three neighbours per test commune, without replacement: the 14 medium-sized
        # communes left cannot give 18, and the design says so
        by_type = comparisons.groupby("type").size().to_dict()
        assert by_type == {"moins_20k": 36, "20k_100k": 14}
        assert proposed.diagnostics["shortfall"]["COM"] == {"20k_100k": 4}
        assert proposed.method["matching_indicator"]["COM"] == "REV_VACANCE_COMMERCIALE"
        first = save_design(session, proposed, comment="proposition automatique")
        assert first.version == 1 and first.id is not None

    unused = sorted({f"COM:9{i:04d}" for i in range(12, 60)} - set(comparisons["territory"]))[0]
    dropped = sorted(comparisons.loc[comparisons["type"] == "moins_20k", "territory"])[0]
    with Session(engine) as session, session.begin():
        latest = load_design(session, "M2")
        assert latest is not None and latest.version == 1
        adjusted = adjust_design(session, catalogue, latest, pin=[unused], exclude=[dropped])
        assert adjusted.pins == (unused,) and adjusted.exclusions == (dropped,)
        second = save_design(session, adjusted, author="évaluateur", comment="témoins ajustés")
        assert second.version == 2

    with Session(engine) as session:
        listing = list_designs(session, "M2")
        assert listing["version"].tolist() == [2, 1]
        assert listing["n_test"].tolist()[0] >= 18
        assert listing["author"].tolist() == ["évaluateur", "evaluatrice"]
        old = load_design(session, "M2", version=1)
        new = load_design(session, "M2")
        assert old is not None and new is not None
        old_units = old.units_frame("COM").set_index("territory")
        new_units = new.units_frame("COM").set_index("territory")
        assert dropped in old_units.index and dropped not in new_units.index
        assert new_units.loc[unused, "origin"] == "pinned"
        assert old.units == first.units  # frozen as saved, start dates included
        assert old.diagnostics == first.diagnostics  # JSON without NaN, on both databases
        assert new.comment == "témoins ajustés"


def test_evaluation_uses_the_latest_saved_design_and_finds_the_effect(
    engine: Engine, catalogue: Catalogue
) -> None:
    with Session(engine) as session, session.begin():
        save_design(session, propose_design(session, catalogue, "M2", neighbours=2))
    with Session(engine) as session:
        evaluation = evaluate_measure(session, catalogue, "M2")
        assert evaluation.design.version == 1
        headline = evaluation.headline.estimates
        assert headline is not None
        overall = headline.overall
        assert overall.ci_high is not None and overall.ci_high < 0  # detected
        # (coverage itself is what the unit tests and the demo proof check; this world is one
        # draw of twelve noisy test communes)
        assert overall.estimate == pytest.approx(EFFECT, abs=0.4)
        assert (overall.n_test, overall.n_comparison) == (12, 36)  # 2026-S2 not observed
        assert set(headline.by_type) == {"moins_20k", "20k_100k"}


def test_a_test_territory_cannot_be_pinned(engine: Engine, catalogue: Catalogue) -> None:
    with Session(engine) as session, pytest.raises(ValueError, match="territoire test"):
        propose_design(session, catalogue, "M2", pins=["COM:90000"])


def test_a_measure_without_test_territories_is_evaluated_honestly(
    engine: Engine, catalogue: Catalogue
) -> None:
    with Session(engine) as session:
        evaluation = evaluate_measure(session, catalogue, "M1")  # no set test-m1 here
        assert evaluation.design.units == ()
        assert set(evaluation.estimates["verdict"]) == {"not_estimable"}
        assert evaluation.territories.empty
        with pytest.raises(ValueError, match="mesure inconnue"):
            evaluate_measure(session, catalogue, "M99")
