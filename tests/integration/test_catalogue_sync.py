"""``suivi init`` keeps a dated version of each indicator definition: a change makes a new one,
the same files again change nothing."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.catalogue import DEFAULT_DIRECTORY, load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.store import make_engine, upgrade_database
from indicators.store.models import Indicator, IndicatorVersion

pytestmark = pytest.mark.integration


def test_a_changed_definition_becomes_a_new_version(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        first = sync_catalogue(session, load_catalogue())
    assert first.indicators_created == 44 and first.new_versions == 0
    with Session(engine) as session, session.begin():
        again = sync_catalogue(session, load_catalogue())
    assert (again.indicators_created, again.new_versions, again.unchanged) == (0, 0, 44)

    copy = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DIRECTORY, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = next(copy.glob("indicators-mutation-numerique.toml"))
    text = path.read_text(encoding="utf-8")
    changed = text.replace(
        'formula = "NUM_LOCAUX_FTTH / NUM_LOCAUX"',
        'formula = "NUM_LOCAUX_FTTH / max(NUM_LOCAUX, 1)"',
    )
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    with Session(engine) as session, session.begin():
        report = sync_catalogue(session, load_catalogue(copy))
    assert report.new_versions == 1
    with Session(engine) as session:
        code = session.scalar(
            select(IndicatorVersion.indicator_code).where(IndicatorVersion.version == 2)
        )
        assert code is not None
        versions = session.scalars(
            select(IndicatorVersion).where(IndicatorVersion.indicator_code == code)
        ).all()
        assert [v.version for v in versions] == [1, 2]
        assert "max(NUM_LOCAUX, 1)" in versions[1].definition["formula"]
        assert versions[0].definition["formula"] == "NUM_LOCAUX_FTTH / NUM_LOCAUX"
        assert session.get(Indicator, code).current_version == 2  # type: ignore[union-attr]
