"""Database failures as stable codes: what the web face and the CLI turn into French sentences.

A driver reports the same situation in many ways (``database is locked`` from SQLite, SQLSTATE
``55P03`` from PostgreSQL's ``lock_timeout``, ``57014`` from its ``statement_timeout``, a refused
connection…). :func:`database_errors` turns them into three exceptions with a stable ``code``:

- :class:`DatabaseBusy` (``database-busy``): another write holds the lock longer than the lock
  timeout (``SUIVI_DB_LOCK_TIMEOUT``), or PostgreSQL chose this transaction as a deadlock victim;
- :class:`StatementTimeout` (``statement-timeout``): one statement ran longer than
  ``SUIVI_DB_STATEMENT_TIMEOUT``;
- :class:`DatabaseUnavailable` (``database-unavailable``): the server or the file cannot be
  reached or read.

Nothing was written in any of these cases: the transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from sqlalchemy.exc import DBAPIError, OperationalError

# SQLSTATE classes: lock_timeout, deadlock, serialization failure; query cancelled (timeout)
_BUSY_STATES = {"55P03", "40P01", "40001"}
_TIMEOUT_STATES = {"57014"}
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_TIMEOUT = ("interrupted",)
_SQLITE_UNREADABLE = (
    "unable to open database file",
    "file is not a database",
    "disk i/o error",
    "database disk image is malformed",
)


class DatabaseError(RuntimeError):
    """A database failure someone can act on; ``code`` is stable, the message technical."""

    code: ClassVar[str] = "database-error"


class DatabaseBusy(DatabaseError):
    code = "database-busy"


class StatementTimeout(DatabaseError):
    code = "statement-timeout"


class DatabaseUnavailable(DatabaseError):
    code = "database-unavailable"


def classify(error: BaseException) -> type[DatabaseError] | None:
    """The :class:`DatabaseError` that ``error`` (a SQLAlchemy ``DBAPIError``) stands for."""
    if not isinstance(error, DBAPIError):
        return None
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if state in _BUSY_STATES:
        return DatabaseBusy
    if state in _TIMEOUT_STATES:
        return StatementTimeout
    text = str(original or error).lower()
    if any(marker in text for marker in _SQLITE_BUSY):
        return DatabaseBusy
    if any(marker == text.strip() for marker in _SQLITE_TIMEOUT):
        return StatementTimeout
    if any(marker in text for marker in _SQLITE_UNREADABLE):
        return DatabaseUnavailable
    if isinstance(error, OperationalError) or error.connection_invalidated:
        return DatabaseUnavailable
    return None


@contextmanager
def database_errors() -> Iterator[None]:
    """Re-raise the driver errors :func:`classify` knows as :class:`DatabaseError`\\ s."""
    try:
        yield
    except DBAPIError as error:
        kind = classify(error)
        if kind is None:
            raise
        reason = str(error.orig or error).strip().splitlines()
        raise kind(reason[0] if reason else kind.code) from error
