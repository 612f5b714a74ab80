"""Two loads and a rollback at the same time, on SQLite and on PostgreSQL (issue #11, point 3):
they run one after the other (the write path takes the lock first), no update is lost, and a
writer that waits longer than the lock timeout gets ``DatabaseBusy`` — which the pages and the
CLI say as « Une autre opération est en cours, réessayez dans un instant. » — never "database is
locked". The lock and statement timeouts come from ``SUIVI_DB_LOCK_TIMEOUT`` and
``SUIVI_DB_STATEMENT_TIMEOUT``."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from dashboard.cli import main
from indicators.catalogue import Catalogue
from indicators.config import load_settings
from indicators.ingest import (
    Analysis,
    LoadOptions,
    LoadOutcome,
    UploadedFile,
    analyse,
    commit_analysis,
    rollback_load,
)
from indicators.precompute import DataWrite, write_data
from indicators.store import (
    DatabaseBusy,
    StatementTimeout,
    current_data_version,
    database_errors,
    engine_for,
    make_engine,
)
from indicators.store.models import ComputedValue, Load, Observation, ObservationHistory
from indicators.territories import Referential

pytestmark = pytest.mark.integration

HEADER = "indicateur;territoire;periode;valeur\n"
BUSY = "Une autre opération est en cours, réessayez dans un instant."


def _analyse(engine: Engine, catalogue: Catalogue, mini: Referential, body: str) -> Analysis:
    with Session(engine) as session:
        return analyse(
            UploadedFile("f.csv", (HEADER + body).encode()),
            catalogue=catalogue,
            referential=mini,
            session=session,
            options=LoadOptions(),
        )


def _commit(engine: Engine, catalogue: Catalogue, analysis: Analysis) -> LoadOutcome:
    with Session(engine) as session, session.begin():
        return commit_analysis(session, analysis, catalogue=catalogue, raw_dir=None)


def _value(engine: Engine, model: Any, territory: str) -> float | None:
    with Session(engine) as session:
        return session.scalar(
            select(model.value).where(
                model.indicator_code == "MOB_ACTIFS",
                model.territory_code == territory,
                model.period == "2024",
            )
        )


def test_two_loads_and_a_rollback_at_once_lose_no_update(
    engine: Engine, catalogue: Catalogue, mini: Referential
) -> None:
    _commit(engine, catalogue, _analyse(engine, catalogue, mini, "MOB_ACTIFS;01001;2024;100\n"))
    undone = _commit(
        engine, catalogue, _analyse(engine, catalogue, mini, "MOB_ACTIFS;01053;2024;50\n")
    )
    with Session(engine) as session:
        start = current_data_version(session)
    # both dry runs see 100: each load must compare again against what the other wrote
    first = _analyse(engine, catalogue, mini, "MOB_ACTIFS;01001;2024;200\n")
    second = _analyse(engine, catalogue, mini, "MOB_ACTIFS;01001;2024;300\n")
    barrier = threading.Barrier(3)
    results: dict[str, Any] = {}

    def run(name: str, action: Any) -> None:
        barrier.wait()
        try:
            results[name] = action()
        except Exception as error:  # reported below, with the others
            results[name] = error

    def rollback() -> Any:
        with Session(engine) as session, session.begin():
            return rollback_load(session, undone.load_id, catalogue=catalogue)

    threads = [
        threading.Thread(target=run, args=("a", lambda: _commit(engine, catalogue, first))),
        threading.Thread(target=run, args=("b", lambda: _commit(engine, catalogue, second))),
        threading.Thread(target=run, args=("undo", rollback)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not [r for r in results.values() if isinstance(r, Exception)], results
    assert results["a"].status == results["b"].status == "committed"
    versions = sorted(r.data_version for r in results.values())
    assert versions == [start + 1, start + 2, start + 3]  # one after the other
    # the later load replaced the earlier one's value, not the 100 both dry runs saw
    later, earlier = sorted((results["a"], results["b"]), key=lambda r: -r.data_version)
    final = _value(engine, Observation, "COM:01001")
    assert final == {results["a"].load_id: 200, results["b"].load_id: 300}[later.load_id]
    with Session(engine) as session:
        history = session.execute(
            select(ObservationHistory.old_value, ObservationHistory.new_load_id)
            .where(ObservationHistory.territory_code == "COM:01001")
            .order_by(ObservationHistory.id)
        ).all()
        assert session.get(Load, undone.load_id).status == "rolled_back"  # type: ignore[union-attr]
    earlier_value = 500 - final  # type: ignore[operator]
    assert [tuple(row) for row in history] == [
        (100, earlier.load_id),
        (earlier_value, later.load_id),
    ]
    assert _value(engine, Observation, "COM:01053") is None  # undone
    # the aggregates follow the last write (01001 is the only value of its département)
    assert _value(engine, ComputedValue, "DEP:01") == final


def _hold_the_lock(engine: Engine, catalogue: Catalogue) -> tuple[threading.Event, Any]:
    """Another writer, inside the write path, holding the lock until told to finish."""
    holding, release = threading.Event(), threading.Event()

    def write(change: DataWrite) -> None:
        holding.set()
        release.wait(30)

    def run() -> None:
        with Session(engine) as session:
            write_data(session, catalogue, write)

    thread = threading.Thread(target=run)
    thread.start()
    assert holding.wait(10)
    return release, thread


def test_a_writer_that_waits_past_the_lock_timeout_is_told_busy(
    engine: Engine, database_url: str, catalogue: Catalogue, mini: Referential
) -> None:
    analysis = _analyse(engine, catalogue, mini, "MOB_ACTIFS;01001;2024;100\n")
    impatient = make_engine(database_url, lock_timeout_s=0.3)
    release, thread = _hold_the_lock(engine, catalogue)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as caught:
            _commit(impatient, catalogue, analysis)
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join(30)
    assert caught.value.code == "database-busy"
    assert 0.25 <= waited < 10
    with Session(engine) as session:
        assert session.scalar(select(Load.id)) is None  # the impatient load wrote nothing
    assert _commit(impatient, catalogue, analysis).status == "committed"  # and later, it loads
    impatient.dispose()


def test_the_cli_says_another_operation_is_in_progress(
    clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue
) -> None:
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    path = tmp_path / "valeurs.csv"
    path.write_text(HEADER + "MOB_ACTIFS;01001;2024;100\n", encoding="utf-8")
    engine = engine_for(load_settings())
    monkeypatch.setenv("SUIVI_DB_LOCK_TIMEOUT", "0.3")
    release, thread = _hold_the_lock(engine, catalogue)
    try:
        result = CliRunner().invoke(main, ["load", str(path)])
    finally:
        release.set()
        thread.join(30)
    assert result.exit_code == 2
    assert BUSY in result.output and "locked" not in result.output
    engine.dispose()


def test_the_timeouts_come_from_the_settings(database_url: str, tmp_path: Path) -> None:
    environ = {"SUIVI_DB_LOCK_TIMEOUT": "2.5", "SUIVI_DB_STATEMENT_TIMEOUT": "7"}
    settings = load_settings(environ, database_url=database_url)
    assert (settings.db_lock_timeout_s, settings.db_statement_timeout_s) == (2.5, 7.0)
    engine = engine_for(settings)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
        else:
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "2500ms"
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "7s"
    engine.dispose()


SLOW = {
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1e9) "
    "SELECT count(*) FROM n",
    "postgresql": "SELECT pg_sleep(5)",
}


def test_a_statement_past_the_statement_timeout_is_stopped(database_url: str) -> None:
    engine = make_engine(database_url, statement_timeout_s=0.3)
    with engine.connect() as connection:
        started = time.monotonic()
        with pytest.raises(StatementTimeout), database_errors():
            connection.execute(text(SLOW[engine.dialect.name]))
        assert time.monotonic() - started < 3
        connection.rollback()
        assert connection.execute(text("SELECT 1")).scalar() == 1  # the connection goes on
    engine.dispose()
    unlimited = make_engine(database_url, statement_timeout_s=0)
    with unlimited.connect() as connection:
        if unlimited.dialect.name == "postgresql":
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
        assert connection.execute(text("SELECT 1")).scalar() == 1
    unlimited.dispose()
