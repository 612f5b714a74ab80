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


def read_frame(session: Session, statement: Executable, columns: Sequence[str]) -> pd.DataFrame:
    result = session.connection().execute(statement)
    cursor = result.cursor  # type: ignore[attr-defined]
    rows = cursor.fetchall() if cursor is not None else []
    result.close()
    return pd.DataFrame(rows, columns=list(columns))


def insert_rows(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> int:
    """``executemany`` of a plain INSERT with the driver's placeholder style."""
    if not rows:
        return 0
    connection = session.connection()
    names = ", ".join(columns)
    values = ", ".join([placeholder(connection)] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({values})"
    connection.exec_driver_sql(sql, list(rows))
    return len(rows)
