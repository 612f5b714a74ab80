"""Engine and session factory; SQLite gets the pragmas a concurrent web app needs."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from indicators.config import Settings

# The defaults of SUIVI_DB_LOCK_TIMEOUT and SUIVI_DB_STATEMENT_TIMEOUT (seconds; 0: no limit).
LOCK_TIMEOUT_S: Final = Settings.db_lock_timeout_s
STATEMENT_TIMEOUT_S: Final = Settings.db_statement_timeout_s
_DEADLINE = "suivi_statement_deadline"  # in a pooled connection's ``info``: [monotonic time]
_PROGRESS_STEPS: Final = 100_000  # SQLite virtual-machine steps between two deadline checks


class DatabaseURLError(ValueError):
    """The database URL cannot be used; the message says why, in French."""


def _sqlite_connect(lock_timeout_s: float, statement_timeout_s: float) -> Callable[..., None]:
    def on_connect(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers (web workers) go on while a load writes; the busy timeout makes
        # writers wait for each other, up to SUIVI_DB_LOCK_TIMEOUT, before "database is locked"
        # (which the write path reports as "another operation is in progress").
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={max(1, round(lock_timeout_s * 1000))}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        if statement_timeout_s > 0:
            # SQLite has no statement timeout: a progress handler interrupts a statement that
            # runs past the deadline set when it started (see _start_statement_clock)
            deadline = record.info.setdefault(_DEADLINE, [math.inf])
            dbapi_connection.set_progress_handler(
                lambda: int(time.monotonic() > deadline[0]), _PROGRESS_STEPS
            )

    return on_connect


def _postgres_connect(lock_timeout_s: float, statement_timeout_s: float) -> Callable[..., None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {max(1, round(lock_timeout_s * 1000))}")
            cursor.execute(f"SET statement_timeout = {round(statement_timeout_s * 1000)}")
        dbapi_connection.commit()

    return on_connect


def _statement_clock(statement_timeout_s: float) -> tuple[Callable[..., None], Callable[..., None]]:
    """Engine events that arm the SQLite deadline before each statement and disarm it after."""

    def arm(connection: Connection | None, when: float) -> None:
        if connection is None or connection.invalidated or connection.closed:
            return
        deadline = connection.connection.info.get(_DEADLINE)
        if deadline is not None:
            deadline[0] = when

    def start(connection: Connection, *_args: Any) -> None:
        arm(connection, time.monotonic() + statement_timeout_s)

    def stop(connection: Connection, *_args: Any) -> None:
        arm(connection, math.inf)

    return start, stop


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


def engine_for(settings: Settings, **kwargs: Any) -> Engine:
    """The engine of ``settings``' database, with its lock and statement timeouts."""
    return make_engine(
        settings.effective_database_url,
        lock_timeout_s=settings.db_lock_timeout_s,
        statement_timeout_s=settings.db_statement_timeout_s,
        **kwargs,
    )


def make_engine(
    url: str,
    *,
    lock_timeout_s: float = LOCK_TIMEOUT_S,
    statement_timeout_s: float = STATEMENT_TIMEOUT_S,
    **kwargs: Any,
) -> Engine:
    """Create an engine for ``url``; a SQLite file's folder is created on first use.

    Every pooled connection is checked before use (``pool_pre_ping``): after the database went
    away and came back, the next request reconnects instead of failing on a dead connection."""
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
            engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
            event.listen(engine, "connect", _sqlite_connect(lock_timeout_s, statement_timeout_s))
            if statement_timeout_s > 0:
                start, stop = _statement_clock(statement_timeout_s)
                event.listen(engine, "before_cursor_execute", start)
                event.listen(engine, "after_cursor_execute", stop)
                event.listen(engine, "handle_error", lambda context: stop(context.connection))
            return engine
        engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
        if backend == "postgresql":
            event.listen(engine, "connect", _postgres_connect(lock_timeout_s, statement_timeout_s))
        return engine
    except (ImportError, ArgumentError) as error:
        raise DatabaseURLError(
            f"base de données non prise en charge : {parsed.drivername} ({error})"
        ) from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
