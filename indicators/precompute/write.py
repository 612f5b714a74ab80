"""The one write path: every change to the data goes through :func:`write_data`.

Loads, rollbacks, the demo, ``suivi sets load`` and the catalogue sync all change what the pages
show. Each of them, in one transaction and in this order:

1. takes the write lock (a no-op update of the data-version row) and reads the data version:
   writers run one after the other, on SQLite as on PostgreSQL, and a writer that waited longer
   than ``SUIVI_DB_LOCK_TIMEOUT`` gets :class:`~indicators.store.DatabaseBusy` — never a
   half-done write, never a lost update;
2. writes (the caller's function, which says what it changed through :class:`DataWrite`);
3. refreshes the pre-computed values of what changed (:func:`refresh_computed`);
4. bumps the data version, so that every cache keyed by it sees the change.

A failure at any step rolls back all of them. Driver errors come out as the store's stable
:class:`~indicators.store.DatabaseError` codes (:func:`indicators.store.database_errors`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.precompute.refresh import RefreshReport, refresh_computed
from indicators.store.database import bump_data_version, current_data_version
from indicators.store.engine import bulk_pragmas
from indicators.store.errors import database_errors
from indicators.store.models import DataVersion, Observation

T = TypeVar("T")
RefreshProgress = Callable[[int, int], None]  # (done, total) of the refresh


def lock_data_version(session: Session) -> int:
    """Take the write lock (a no-op update of the data-version row) and read the version."""
    session.execute(
        update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version)
    )
    return current_data_version(session)


@dataclass
class DataWrite:
    """What a writer receives: the session (in the write transaction, lock held), the data
    version read under the lock, and the means to say what it changed."""

    session: Session
    version: int
    _stack: ExitStack
    _changed: dict[str, set[str]] | None = field(default_factory=dict)
    _loaded: list[pd.DataFrame] = field(default_factory=list)
    _touched: bool = False

    def changed(
        self, periods: Mapping[str, Collection[str]], *, loaded: pd.DataFrame | None = None
    ) -> None:
        """The values of these indicators and periods changed (``{}``: only baselines, targets
        or definitions, nothing to recompute); ``loaded``: the written values as they now stand
        (see :func:`refresh_computed`), so that a large load is not read back."""
        self._touched = True
        if self._changed is not None:
            for code, values in periods.items():
                self._changed.setdefault(code, set()).update(values)
        if loaded is not None:
            self._loaded.append(loaded)

    def changed_everything(self) -> None:
        """Everything may have changed (the demo, territory sets): recompute every value."""
        self._touched = True
        self._changed = None

    def bulk(self, rows: int) -> None:
        """About ``rows`` rows are about to be written, then read back by the refresh: on
        SQLite, keep a page cache that holds them until the end of the write."""
        self._stack.enter_context(bulk_pragmas(self.session.connection(), rows))


@dataclass(frozen=True)
class Written(Generic[T]):
    """The writer's own result, the data version after the write, and what the refresh did
    (``None`` when nothing needed recomputing)."""

    result: T
    data_version: int
    refresh: RefreshReport | None = None
    changed: bool = False


def write_data(
    session: Session,
    catalogue: Catalogue,
    write: Callable[[DataWrite], T],
    *,
    refresh_progress: RefreshProgress | None = None,
) -> Written[T]:
    """Lock, ``write``, refresh, bump — in the caller's transaction if one is open (it commits
    or rolls back with it), else in a transaction of its own. See the module's doc."""
    own = nullcontext() if session.in_transaction() else session.begin()
    with database_errors(), own, ExitStack() as stack:
        change = DataWrite(session, lock_data_version(session), stack)
        result = write(change)
        if not change._touched:
            return Written(result, change.version)
        refreshed = None
        periods = change._changed
        if periods is None or periods:
            if refresh_progress:
                refresh_progress(0, 1)
            loaded = pd.concat(change._loaded, ignore_index=True) if change._loaded else None
            refreshed = refresh_computed(session, catalogue, periods, loaded=loaded)
            if refresh_progress:
                refresh_progress(1, 1)
        return Written(result, bump_data_version(session), refreshed, changed=True)


def observed_periods(session: Session, codes: Collection[str]) -> dict[str, set[str]]:
    """The periods holding a value of each of ``codes``: what a changed definition of these
    indicators (or of the indicators computed from them) asks to recompute."""
    if not codes:
        return {}
    rows = session.execute(
        select(Observation.indicator_code, Observation.period)
        .where(Observation.indicator_code.in_(sorted(codes)), Observation.value_type == "valeur")
        .distinct()
    ).all()
    periods: dict[str, set[str]] = {}
    for code, period in rows:
        periods.setdefault(code, set()).add(period)
    return periods
