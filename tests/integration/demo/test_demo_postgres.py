"""The demo on PostgreSQL, whose observations are written with COPY (the rebuild and the
rollback are tested on SQLite)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.demo import build_demo
from indicators.store import make_engine, upgrade_database
from indicators.territories.referential import load_referential
from indicators.territories.sync import sync_referential

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]


def test_demo_builds_on_postgresql(postgres_url: str, catalogue: Catalogue, demo_seed: int) -> None:
    engine = make_engine(postgres_url)
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, load_referential())
        sync_catalogue(session, catalogue)
    first = build_demo(engine, seed=demo_seed, scope=("94",), catalogue=catalogue)
    with engine.connect() as connection:
        rows, loads = connection.execute(
            text("SELECT COUNT(*), COUNT(DISTINCT load_id) FROM observation")
        ).one()
        indexes = set(
            connection.execute(
                text(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'observation' "
                    "AND schemaname = current_schema()"
                )
            ).scalars()
        )
    assert rows == first.observations + first.references and loads == 1
    assert "ix_observation_map" in indexes
    engine.dispose()
