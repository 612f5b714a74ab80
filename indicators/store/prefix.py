"""Prefix filters that an index can serve.

``LIKE 'COM:29%'`` (what ``startswith`` emits) cannot use a B-tree index in SQLite once an ESCAPE
clause or case folding is involved; ``code >= 'COM:29' AND code < 'COM:2:'`` always can.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute


def has_prefix(column: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as a range on the column's index."""
    if not prefix:
        raise ValueError("préfixe vide")
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)
