"""One demo database per test session: the real referential and catalogue, and the demo built once
over Corse and the three smallest overseas régions (about 450 communes, every territory type)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.demo import DemoReport, build_demo
from indicators.store import make_engine, upgrade_database
from indicators.territories.referential import default_reference_dir, load_referential
from indicators.territories.sync import sync_referential

# Corse, Guadeloupe, Martinique, La Réunion: the smallest scope that still has every type.
TEST_REGIONS = ("94", "01", "02", "04")
SEED = 42


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Iterator[Engine]:
    directory = default_reference_dir()
    if not (directory / "communes.csv").is_file():
        pytest.skip(f"référentiel réel absent ({directory}) : lancer `make reference`")
    path: Path = tmp_path_factory.mktemp("demo") / "suivi.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, load_referential(directory))
        sync_catalogue(session, catalogue)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_regions() -> tuple[str, ...]:
    return TEST_REGIONS


@pytest.fixture(scope="session")
def demo_seed() -> int:
    return SEED


@pytest.fixture(scope="session")
def demo_report(demo_engine: Engine, catalogue: Catalogue) -> DemoReport:
    return build_demo(demo_engine, seed=SEED, scope=TEST_REGIONS, catalogue=catalogue)
