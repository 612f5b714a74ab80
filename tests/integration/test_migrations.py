"""The same migrations build the schema on SQLite and PostgreSQL, and match the models."""

import pytest
from alembic import command
from sqlalchemy import inspect

from indicators.store import database_status, make_engine, upgrade_database
from indicators.store.database import alembic_config, head_revision
from indicators.store.models import Base

pytestmark = pytest.mark.integration


def test_upgrade_then_check_finds_no_drift(database_url: str) -> None:
    engine = make_engine(database_url)
    assert upgrade_database(engine) == head_revision()
    # alembic check raises when the models and the migrations disagree.
    command.check(alembic_config(engine))
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    status = database_status(engine)
    assert status.reachable and status.up_to_date and status.data_version == 0
    engine.dispose()


def test_upgrade_is_idempotent(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade_database(engine)
    upgrade_database(engine)
    assert database_status(engine).up_to_date


def test_downgrade_to_base_removes_every_table(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade_database(engine)
    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}


def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_unreachable_database_is_a_status_not_a_crash() -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    status = database_status(engine)
    assert not status.reachable
    assert status.error
