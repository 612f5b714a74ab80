"""Storage: typed models, engine, migrations and small query functions."""

from indicators.store.database import (
    DatabaseStatus,
    bump_data_version,
    current_data_version,
    database_status,
    upgrade_database,
)
from indicators.store.engine import DatabaseURLError, engine_for, make_engine, session_factory
from indicators.store.errors import (
    DatabaseBusy,
    DatabaseError,
    DatabaseUnavailable,
    StatementTimeout,
    database_errors,
)

__all__ = [
    "DatabaseBusy",
    "DatabaseError",
    "DatabaseStatus",
    "DatabaseURLError",
    "DatabaseUnavailable",
    "StatementTimeout",
    "bump_data_version",
    "current_data_version",
    "database_errors",
    "database_status",
    "engine_for",
    "make_engine",
    "session_factory",
    "upgrade_database",
]
