"""Engine and session factory; SQLite gets the pragmas a concurrent web app needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker


class DatabaseURLError(ValueError):
    """The database URL cannot be used; the message says why, in French."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (web workers) go on while a load writes; the busy timeout makes writers wait
    # for each other instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# SQLite caps the memory map at 2 GB unless compiled otherwise; it takes what it can.
BULK_MMAP_BYTES: Final = 2**31


@contextmanager
def bulk_pragmas(connection: Connection, rows: int) -> Iterator[None]:
    """On SQLite, for a statement series that reads or writes about ``rows`` rows: a page cache
    big enough for the dirty pages, and the database file memory-mapped for reading.

    With the default 2 MB cache, every insert into the indexes of a 10-million-row table evicts
    a dirty page to the WAL and reads another back (measured 4 times slower for a million rows);
    reading a million rows through ``mmap`` instead of a ``read`` call per page halves the time
    SQLite spends on them. About 1 KiB of cache per row, between 64 MiB and 1 GiB. The previous
    settings are restored afterwards; other databases are left alone.
    """
    if connection.dialect.name != "sqlite" or rows < 10_000:
        yield
        return
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    mmap = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
    size = min(1024 * 1024, max(64 * 1024, rows))
    connection.exec_driver_sql(f"PRAGMA cache_size = -{size}")
    connection.exec_driver_sql(f"PRAGMA mmap_size = {BULK_MMAP_BYTES}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")
        connection.exec_driver_sql(f"PRAGMA mmap_size = {int(mmap or 0)}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``; a SQLite file's folder is created on first use."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseURLError(
            f"URL de base de données illisible : {url!r} "
            "(exemples : sqlite:///var/suivi.db, postgresql+psycopg://user@host/base)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        if backend == "sqlite":
            database = parsed.database
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except (ImportError, ArgumentError) as error:
        raise DatabaseURLError(
            f"base de données non prise en charge : {parsed.drivername} ({error})"
        ) from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
