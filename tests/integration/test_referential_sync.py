"""The referential goes into the database with its hierarchy, typology and aliases, idempotently."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.store import make_engine, upgrade_database
from indicators.store.models import Territory, TerritoryAlias
from indicators.territories.referential import load_referential
from indicators.territories.sync import sync_referential

pytestmark = pytest.mark.integration

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "reference_mini"


def test_sync_writes_hierarchy_typology_and_aliases(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_database(engine)
    referential = load_referential(MINI)
    with Session(engine) as session, session.begin():
        report = sync_referential(session, referential)
    stored_levels = {"FR", "REG", "DEP", "EPCI", "COM"}
    expected = sum(1 for t in referential.territories.values() if t.level in stored_levels)
    assert report.created == expected and report.updated == 0
    with Session(engine) as session:
        bourg = session.get(Territory, "COM:01053")
        assert bourg is not None
        assert (bourg.departement_code, bourg.region_code) == ("DEP:01", "REG:84")
        assert bourg.epci_code == "EPCI:200071751"
        assert bourg.typology == "20k_100k"
        arrondissement = session.get(TerritoryAlias, "75101")
        assert arrondissement is not None and arrondissement.territory_code == "COM:75056"
        absorbed = session.get(TerritoryAlias, "01340")
        assert absorbed is not None and absorbed.territory_code == "COM:01015"
        # a code split between two communes is not an alias: codes.py reports it as ambiguous
        assert session.get(TerritoryAlias, "01998") is None or (
            len(referential.old_codes["01998"].new_codes) == 1
        )
        france = session.get(Territory, "FR")
        assert france is not None and france.population
    with Session(engine) as session, session.begin():
        again = sync_referential(session, referential)
    assert (again.created, again.updated, again.unchanged) == (0, 0, expected)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Territory)) == expected
    engine.dispose()
