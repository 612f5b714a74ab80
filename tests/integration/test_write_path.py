"""Every write goes through ``indicators.precompute.write_data`` (issue #11, point 4): a load, a
rollback, the demo, ``suivi sets load`` and ``suivi init`` (referential and catalogue sync) each
refresh the pre-computed values in the transaction of their write, then bump the data version —
and a failure in the refresh rolls the write back, whoever the writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import indicators.precompute.write as write_module
from dashboard.cli import main
from indicators.catalogue import Catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.config import load_settings
from indicators.ingest import LoadOptions, UploadedFile, analyse, commit_analysis, rollback_load
from indicators.store import current_data_version, make_engine, upgrade_database
from indicators.store.models import (
    ComputedValue,
    Load,
    Membership,
    Observation,
    Territory,
)
from indicators.territories import Referential, load_referential
from indicators.territories.referential import default_reference_dir
from indicators.territories.sync import sync_referential

pytestmark = pytest.mark.integration

REAL_REFRESH = write_module.refresh_computed
FILE = "indicateur;territoire;periode;valeur\nMOB_ACTIFS;01001;2024;120\nMOB_ACTIFS;01053;2024;80\n"


class RefreshSpy:
    """Wraps the refresh the write path calls: records what the writer's transaction holds at
    that moment, or fails like a refresh that breaks half-way."""

    def __init__(self, broken: bool) -> None:
        self.broken = broken
        self.calls: list[dict[str, Any]] = []

    def __call__(self, session: Session, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(
            {
                "in_transaction": session.in_transaction(),
                "observations": session.scalar(select(func.count()).select_from(Observation)),
                "version": current_data_version(session),
            }
        )
        if self.broken:
            raise RuntimeError("panne pendant le recalcul")
        return REAL_REFRESH(session, *args, **kwargs)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> RefreshSpy:
    spy = RefreshSpy(broken=False)
    monkeypatch.setattr(write_module, "refresh_computed", spy)
    return spy


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> RefreshSpy:
    spy = RefreshSpy(broken=True)
    monkeypatch.setattr(write_module, "refresh_computed", spy)
    return spy


def _version(engine: Engine) -> int:
    with Session(engine) as session:
        return current_data_version(session)


def _count(engine: Engine, model: type[Any]) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _load(engine: Engine, catalogue: Catalogue, mini: Referential, tmp_path: Path) -> int:
    with Session(engine) as session:
        analysis = analyse(
            UploadedFile("f.csv", FILE.encode()),
            catalogue=catalogue,
            referential=mini,
            session=session,
            options=LoadOptions(),
        )
    with Session(engine) as session, session.begin():
        outcome = commit_analysis(session, analysis, catalogue=catalogue, raw_dir=tmp_path)
    return outcome.load_id


def test_a_load_refreshes_and_bumps_in_its_transaction(
    engine: Engine, catalogue: Catalogue, mini: Referential, tmp_path: Path, spy: RefreshSpy
) -> None:
    _load(engine, catalogue, mini, tmp_path)
    # the refresh saw the load's values, inside the transaction, before the version moved
    assert spy.calls == [{"in_transaction": True, "observations": 2, "version": 0}]
    assert _version(engine) == 1
    assert _count(engine, ComputedValue) > 0


def test_a_failed_refresh_undoes_the_load(
    engine: Engine, catalogue: Catalogue, mini: Referential, tmp_path: Path, broken: RefreshSpy
) -> None:
    with pytest.raises(RuntimeError, match="recalcul"):
        _load(engine, catalogue, mini, tmp_path)
    assert len(broken.calls) == 1 and broken.calls[0]["observations"] == 2
    assert (_count(engine, Observation), _count(engine, Load), _version(engine)) == (0, 0, 0)


def test_a_rollback_goes_through_the_write_path(
    engine: Engine,
    catalogue: Catalogue,
    mini: Referential,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_id = _load(engine, catalogue, mini, tmp_path)
    assert _version(engine) == 1
    broken = RefreshSpy(broken=True)
    monkeypatch.setattr(write_module, "refresh_computed", broken)
    with pytest.raises(RuntimeError), Session(engine) as session, session.begin():
        rollback_load(session, load_id, catalogue=catalogue)
    # the refresh ran after the undo (no value left), and the undo was rolled back with it
    assert broken.calls[0]["observations"] == 0
    assert (_count(engine, Observation), _count(engine, Load), _version(engine)) == (2, 1, 1)
    spy = RefreshSpy(broken=False)
    monkeypatch.setattr(write_module, "refresh_computed", spy)
    with Session(engine) as session, session.begin():
        outcome = rollback_load(session, load_id, catalogue=catalogue)
    assert outcome.data_version == _version(engine) == 2
    assert spy.calls == [{"in_transaction": True, "observations": 0, "version": 1}]
    assert _count(engine, ComputedValue) == 0


@pytest.fixture
def initialised(clean_env: Path) -> Path:
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    return clean_env


def _cli_engine() -> Engine:
    return make_engine(load_settings().effective_database_url)


def test_init_syncs_the_referential_and_catalogue_through_the_write_path(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = RefreshSpy(broken=True)
    monkeypatch.setattr(write_module, "refresh_computed", broken)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code != 0 and len(broken.calls) == 1
    engine = _cli_engine()
    assert (_count(engine, Territory), _version(engine)) == (0, 0)  # the sync was rolled back
    spy = RefreshSpy(broken=False)
    monkeypatch.setattr(write_module, "refresh_computed", spy)
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    assert len(spy.calls) == 1 and _count(engine, Territory) > 0 and _version(engine) == 1
    # nothing changed: nothing to refresh, the caches keep their version
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    assert len(spy.calls) == 1 and _version(engine) == 1
    engine.dispose()


def test_sets_load_goes_through_the_write_path(
    initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("code\n01053\n01001\n", encoding="utf-8")
    engine = _cli_engine()
    before = _version(engine)
    broken = RefreshSpy(broken=True)
    monkeypatch.setattr(write_module, "refresh_computed", broken)
    result = CliRunner().invoke(main, ["sets", "load", str(path), "--set", "pvd"])
    assert result.exit_code != 0 and len(broken.calls) == 1
    assert _count(engine, Membership) == 0 and _version(engine) == before
    spy = RefreshSpy(broken=False)
    monkeypatch.setattr(write_module, "refresh_computed", spy)
    result = CliRunner().invoke(main, ["sets", "load", str(path), "--set", "pvd"])
    assert result.exit_code == 0, result.output
    assert len(spy.calls) == 1 and spy.calls[0]["in_transaction"]
    assert _count(engine, Membership) == 2 and _version(engine) == before + 1
    engine.dispose()


@pytest.mark.slow
def test_the_demo_goes_through_the_write_path(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indicators.demo import build_demo

    directory = default_reference_dir()
    if not (directory / "communes.csv").is_file():
        pytest.skip(f"référentiel réel absent ({directory})")
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, load_referential(directory))
        sync_catalogue(session, catalogue)
    broken = RefreshSpy(broken=True)
    monkeypatch.setattr(write_module, "refresh_computed", broken)
    with pytest.raises(RuntimeError):
        build_demo(engine, seed=42, scope=["94"], catalogue=catalogue)
    assert broken.calls[0]["observations"] > 0  # written, then undone with the refresh
    assert (_count(engine, Observation), _count(engine, Load), _version(engine)) == (0, 0, 0)
    spy = RefreshSpy(broken=False)
    monkeypatch.setattr(write_module, "refresh_computed", spy)
    report = build_demo(engine, seed=42, scope=["94"], catalogue=catalogue)
    assert spy.calls[0]["observations"] == report.observations + report.references
    assert report.data_version == _version(engine) == 1
    assert _count(engine, ComputedValue) == report.computed_rows > 0
    engine.dispose()
