"""Bulk writes of a load, as close to the driver's ``executemany`` as SQLAlchemy allows.

A million values are written in seconds only through the DBAPI cursor: SQLAlchemy's ORM (and, to
a lesser degree, Core) costs several times more per row. Inserts go through the store's one bulk
writer (:func:`indicators.store.frames.bulk_insert`, ``COPY`` on PostgreSQL); updates and
deletes by id are built here for the driver's parameter style, inside the session's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table

from indicators.store.frames import CHUNK, bulk_insert, frame_rows, placeholder, quoted

__all__ = [
    "bound_datetime",
    "bulk_insert",
    "delete_by_id_sql",
    "execute_many",
    "rows_of",
    "update_by_id_sql",
]


def bound_datetime(connection: Connection, table: Table, column: str, value: datetime) -> Any:
    """``value`` as the dialect stores it (SQLite keeps datetimes as text)."""
    kind = table.c[column].type.dialect_impl(connection.dialect)
    process = kind.bind_processor(connection.dialect)
    return process(value) if process else value


rows_of = frame_rows  # plain tuples of some columns of a frame, for ``executemany``


def execute_many(
    connection: Connection,
    sql: str,
    rows: Sequence[tuple[Any, ...]],
    advance: Callable[[int], None] | None = None,
) -> None:
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        connection.exec_driver_sql(sql, list(chunk))
        if advance:
            advance(len(chunk))


def update_by_id_sql(connection: Connection, table: Table, columns: Sequence[str]) -> str:
    mark = placeholder(connection)
    assignments = ", ".join(f"{quoted(connection, column)} = {mark}" for column in columns)
    return f"UPDATE {quoted(connection, table.name)} SET {assignments} WHERE id = {mark}"


def delete_by_id_sql(connection: Connection, table: Table) -> str:
    return f"DELETE FROM {quoted(connection, table.name)} WHERE id = {placeholder(connection)}"
