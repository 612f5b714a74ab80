"""Database lifecycle: migrate to the latest schema, report health, bump the data version."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from indicators.store.models import DataVersion, utcnow

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to ``engine`` (no alembic.ini needed at run time)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # "%" must be doubled: Alembic stores options in a ConfigParser.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["engine"] = engine
    return config


def upgrade_database(engine: Engine) -> str | None:
    """Apply every pending migration and make sure the data-version row exists; return the head."""
    command.upgrade(alembic_config(engine), "head")
    with Session(engine) as session, session.begin():
        if session.get(DataVersion, 1) is None:
            session.add(DataVersion(id=1, version=0))
    return head_revision()


@cache  # the scripts do not change while the process runs; parsing them costs milliseconds
def head_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


@dataclass(frozen=True)
class DatabaseStatus:
    reachable: bool
    revision: str | None
    up_to_date: bool
    data_version: int | None
    error: str | None = None


def database_status(engine: Engine) -> DatabaseStatus:
    """Health of the database, never raising: a down database is a status, not a crash."""
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
            version = None
            if revision is not None:
                version = connection.execute(
                    select(DataVersion.version).where(DataVersion.id == 1)
                ).scalar_one_or_none()
    except SQLAlchemyError as error:
        return DatabaseStatus(False, None, False, None, str(error.__cause__ or error)[:300])
    return DatabaseStatus(True, revision, revision == head_revision(), version)


def current_data_version(session: Session) -> int:
    version = session.execute(select(DataVersion.version).where(DataVersion.id == 1)).scalar()
    return int(version or 0)


def bump_data_version(session: Session) -> int:
    """Increment the data version inside the caller's transaction, so caches see the change."""
    session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=DataVersion.version + 1, updated_at=utcnow())
    )
    return current_data_version(session)
