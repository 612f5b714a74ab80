"""Storage: typed models, engine, migrations and small query functions."""

from indicators.store.database import (
    DatabaseStatus,
    bump_data_version,
    current_data_version,
    database_status,
    upgrade_database,
)
from indicators.store.engine import DatabaseURLError, make_engine, session_factory

__all__ = [
    "DatabaseStatus",
    "DatabaseURLError",
    "bump_data_version",
    "current_data_version",
    "database_status",
    "make_engine",
    "session_factory",
    "upgrade_database",
]
