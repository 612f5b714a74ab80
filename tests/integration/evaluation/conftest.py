"""The evaluation's demo database, built once per session: the real referential and catalogue,
and the demo over Corse and the three smallest overseas régions (the scope the demo's own tests
use: about 450 communes, every territory type), seed 42."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.demo import DemoReport, build_demo
from indicators.store import make_engine, upgrade_database
from indicators.territories.referential import default_reference_dir, load_referential
from indicators.territories.sync import sync_referential

DEMO_REGIONS = ("94", "01", "02", "04")
DEMO_SEED = 42


@pytest.fixture(scope="session")
def evaluation_catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def evaluation_demo(
    tmp_path_factory: pytest.TempPathFactory, evaluation_catalogue: Catalogue
) -> Iterator[tuple[Engine, DemoReport]]:
    directory = default_reference_dir()
    if not (directory / "communes.csv").is_file():
        pytest.skip(f"référentiel réel absent ({directory}) : lancer `make reference`")
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('evaluation') / 'suivi.db'}")
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, load_referential(directory))
        sync_catalogue(session, evaluation_catalogue)
    report = build_demo(engine, seed=DEMO_SEED, scope=DEMO_REGIONS, catalogue=evaluation_catalogue)
    yield engine, report
    engine.dispose()
