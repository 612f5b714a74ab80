"""Bulk writes of a load, as close to the driver's ``executemany`` as SQLAlchemy allows.

A million values are written in seconds only through the DBAPI cursor: SQLAlchemy's ORM (and, to
a lesser degree, Core) costs several times more per row. The SQL is built here for the driver's
parameter style, inside the session's transaction (``Connection.exec_driver_sql``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, Final

from sqlalchemy import Connection, Table

from indicators.store.frames import frame_rows, placeholder

CHUNK: Final = 50_000


def bound_datetime(connection: Connection, table: Table, column: str, value: datetime) -> Any:
    """``value`` as the dialect stores it (SQLite keeps datetimes as text)."""
    kind = table.c[column].type.dialect_impl(connection.dialect)
    process = kind.bind_processor(connection.dialect)
    return process(value) if process else value


rows_of = frame_rows  # plain tuples of some columns of a frame, for ``executemany``


def _chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def execute_many(
    connection: Connection,
    sql: str,
    rows: Sequence[tuple[Any, ...]],
    advance: Callable[[int], None] | None = None,
) -> None:
    for chunk in _chunks(rows):
        connection.exec_driver_sql(sql, chunk)  # type: ignore[arg-type]
        if advance:
            advance(len(chunk))


def _quoted(connection: Connection, name: str) -> str:
    # "column" (load_issue) is a reserved word in PostgreSQL
    return connection.dialect.identifier_preparer.quote(name)


def insert_sql(connection: Connection, table: Table, columns: Sequence[str]) -> str:
    marks = ", ".join(placeholder(connection) for _ in columns)
    names = ", ".join(_quoted(connection, column) for column in columns)
    return f"INSERT INTO {_quoted(connection, table.name)} ({names}) VALUES ({marks})"


def update_by_id_sql(connection: Connection, table: Table, columns: Sequence[str]) -> str:
    mark = placeholder(connection)
    assignments = ", ".join(f"{_quoted(connection, column)} = {mark}" for column in columns)
    return f"UPDATE {_quoted(connection, table.name)} SET {assignments} WHERE id = {mark}"


def delete_by_id_sql(connection: Connection, table: Table) -> str:
    return f"DELETE FROM {_quoted(connection, table.name)} WHERE id = {placeholder(connection)}"
