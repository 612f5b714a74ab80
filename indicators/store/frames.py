"""Bulk reads into DataFrames and bulk writes of tuples, at driver speed.

SQLAlchemy's Row objects cost about 15 µs each to turn into a DataFrame row; the driver's own
tuples cost well under 1 µs. Pre-computation reads and writes millions of rows, so it goes
through these two functions. Statements stay SQLAlchemy constructs: only fetching and
``executemany`` bypass the result layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Executable
from sqlalchemy.orm import Session


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
