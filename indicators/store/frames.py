"""Bulk reads into DataFrames and bulk writes of tuples, at driver speed.

SQLAlchemy's Row objects cost about 15 µs each to turn into a DataFrame row; the driver's own
tuples cost well under 1 µs. Pre-computation reads and writes millions of rows, so it goes
through these two functions. Statements stay SQLAlchemy constructs: only fetching and
``executemany`` bypass the result layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import pandas as pd
from sqlalchemy import Connection, Executable, Integer
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from indicators.store.models import Base

CHUNK: Final = 50_000  # rows per ``executemany`` (progress is reported between chunks)


def placeholder(connection: Connection) -> str:
    """The driver's parameter marker: ``?`` for sqlite3, ``%s`` for psycopg."""
    style = connection.dialect.paramstyle
    if style == "qmark":
        return "?"
    if style in ("format", "pyformat"):
        return "%s"
    raise NotImplementedError(f"paramstyle {style} non pris en charge")


def fetch_rows(session: Session, statement: Executable) -> list[tuple[Any, ...]]:
    """The driver's own tuples for ``statement``."""
    result = session.connection().execute(statement)
    cursor = result.cursor  # type: ignore[attr-defined]
    rows = list(cursor.fetchall()) if cursor is not None else []
    result.close()
    return rows


def read_frame(session: Session, statement: Executable, columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(fetch_rows(session, statement), columns=list(columns))


def plain_values(series: pd.Series) -> list[Any]:
    """Python values of a column, ``None`` for NaN / NA (NULL): what drivers want."""
    values = series.tolist()
    if series.hasnans:
        missing = series.isna().to_numpy()
        return [None if gone else value for value, gone in zip(values, missing, strict=True)]
    return values


def frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Plain tuples of ``columns`` for ``executemany`` (column by column: no per-row pandas)."""
    return list(zip(*(plain_values(frame[column]) for column in columns), strict=True))


def insert_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    replace_on: Sequence[str] = (),
) -> int:
    """``executemany`` of a plain INSERT with the driver's placeholder style.

    ``replace_on``: the columns of a unique key; a row whose key is stored replaces the other
    columns of the stored row (``ON CONFLICT … DO UPDATE``, SQLite and PostgreSQL). An update in
    place leaves the key's indexes alone, where a delete then an insert rewrites every index.
    """
    if not rows:
        return 0
    connection = session.connection()
    names = ", ".join(columns)
    values = ", ".join([placeholder(connection)] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({values})"
    if replace_on:
        assignments = ", ".join(
            f"{column} = excluded.{column}" for column in columns if column not in replace_on
        )
        sql += f" ON CONFLICT ({', '.join(replace_on)}) DO UPDATE SET {assignments}"
    connection.exec_driver_sql(sql, list(rows))
    return len(rows)


def quoted(connection: Connection, name: str) -> str:
    # "column" (load_issue) is a reserved word in PostgreSQL
    return connection.dialect.identifier_preparer.quote(name)


def _is_integer(kind: TypeEngine[Any]) -> bool:
    return isinstance(kind, Integer)


def _integral(rows: Sequence[tuple[Any, ...]], positions: list[int]) -> Sequence[tuple[Any, ...]]:
    """``rows`` with the integer columns that hold floats (a pandas column with NaN) as ints.

    A column of a frame holds one type: its first non-null value tells."""
    floats = [
        i
        for i in positions
        if isinstance(next((row[i] for row in rows if row[i] is not None), None), float)
    ]
    if not floats:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for i in floats:
            if values[i] is not None:
                values[i] = int(values[i])
        converted.append(tuple(values))
    return converted


def bulk_insert(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    advance: Callable[[int], None] | None = None,
) -> int:
    """Insert plain tuples at driver speed, in the connection's transaction: ``COPY`` through
    psycopg (ten times faster than its ``executemany``), else ``executemany`` by chunks.

    The one bulk writer of the values: loads (their values, history and issues) and the demo
    go through it. ``advance(n)`` is called after each ``n`` rows written."""
    names = ", ".join(quoted(connection, column) for column in columns)
    if connection.dialect.driver == "psycopg":
        # COPY reads text strictly: an integer column holding floats (a pandas column with
        # NaN) must receive "1", not "1.0"
        stored = Base.metadata.tables[table].c
        integers = [i for i, name in enumerate(columns) if _is_integer(stored[name].type)]
        rows = _integral(rows, integers)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        sql = f"COPY {quoted(connection, table)} ({names}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                for row in chunk:
                    copy.write_row(row)
                if advance:
                    advance(len(chunk))
        return len(rows)
    marks = ", ".join(placeholder(connection) for _ in columns)
    sql = f"INSERT INTO {quoted(connection, table)} ({names}) VALUES ({marks})"
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        connection.exec_driver_sql(sql, list(chunk))
        if advance:
            advance(len(chunk))
    return len(rows)
