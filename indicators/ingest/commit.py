"""Write an analysed upload: all of it or nothing, in the caller's transaction.

Call :func:`commit_analysis` inside ``with session.begin():`` — nothing is committed here, so
the values, their history, the load's record, the pre-computed aggregates and the data version
change together or not at all. The first statement takes the write lock on the data-version row:
loads then run one after the other, and a load that finds the data changed since its dry run
compares again before writing (the counts it reports are those of what it did).

Whatever the verdict, the raw file is kept (by sha256) and the attempt is recorded: a refused
file as a ``refused`` load with its issues, a file that changes nothing as ``unchanged``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Connection, update
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.ingest.analysis import Analysis, with_changes
from indicators.ingest.issues import Issue
from indicators.ingest.progress import ProgressCallback, report
from indicators.ingest.raw_store import store_raw_file
from indicators.ingest.writes import (
    bound_datetime,
    execute_many,
    insert_sql,
    rows_of,
    update_by_id_sql,
)
from indicators.precompute import RefreshReport, refresh_computed
from indicators.store.database import bump_data_version, current_data_version
from indicators.store.engine import bulk_pragmas
from indicators.store.models import (
    Base,
    DataVersion,
    Load,
    LoadIssue,
    Observation,
    ObservationHistory,
    utcnow,
)

Outcome = Literal["committed", "unchanged", "refused"]
MAX_STORED_ISSUES: Final = 1_000  # the rest are counted per code in the details (issue #12)

OBSERVATION_TABLE = Base.metadata.tables[Observation.__tablename__]
HISTORY_TABLE = Base.metadata.tables[ObservationHistory.__tablename__]
ISSUE_TABLE = Base.metadata.tables[LoadIssue.__tablename__]


@dataclass(frozen=True)
class LoadOutcome:
    """What the load did: its record's id, the outcome, and the analysis it acted on."""

    load_id: int
    status: Outcome
    analysis: Analysis
    data_version: int
    refresh: RefreshReport | None = None

    @property
    def counts(self) -> dict[str, int]:
        return self.analysis.counts


def lock_data_version(session: Session) -> int:
    """Take the write lock (a no-op update of the data-version row) and read the version."""
    session.execute(
        update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version)
    )
    return current_data_version(session)


def commit_analysis(
    session: Session,
    analysis: Analysis,
    *,
    catalogue: Catalogue,
    raw_dir: Path | None,
    username: str | None = None,
    partner_code: str | None = None,
    progress: ProgressCallback | None = None,
) -> LoadOutcome:
    """Record the load and, when its verdict allows, write its values (see the module doc)."""
    version = lock_data_version(session)
    if analysis.readable and (analysis.changes is None or analysis.changes.data_version != version):
        analysis = with_changes(session, analysis)  # the data moved since the dry run
    upload = analysis.upload
    raw_path = None
    if raw_dir is not None and upload.data:
        raw_path = store_raw_file(upload.data, upload.sha256, raw_dir)
    status: Outcome = "refused"
    if analysis.verdict == "valid":
        status = "committed" if analysis.writes else "unchanged"
    counts = analysis.counts
    now = utcnow()
    load = Load(
        filename=upload.filename[:300],
        sha256=upload.sha256 if upload.data else "",  # too large: never read, no hash
        raw_path=raw_path,
        username=username,
        partner_code=partner_code,
        profile_id=analysis.profile_id,
        status=status,
        created_at=now,
        committed_at=now if status != "refused" else None,
        rows_read=counts["rows_read"],
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        rejected=counts["rejected"],
        warnings=counts["warnings"],
        withdrawn=counts["withdrawn"],
        details=analysis.details(),
    )
    session.add(load)
    session.flush()
    connection = session.connection()
    _store_issues(connection, load.id, analysis.issues)
    refreshed = None
    if status == "committed":
        assert analysis.changes is not None
        # the refresh re-reads what was just written: the pages stay in the enlarged cache
        with bulk_pragmas(connection, len(analysis.changes.writes)):
            _write_values(connection, analysis, load.id, progress)
            changed = analysis.changes.changed_keys()
            if changed:
                report(progress, "refresh", 0, 1)
                # the load's own values are not read back (issue #4)
                stored = analysis.changes.stored_after()
                refreshed = refresh_computed(session, catalogue, changed, loaded=stored)
                report(progress, "refresh", 1, 1)
        version = bump_data_version(session)
    return LoadOutcome(load.id, status, analysis, version, refreshed)


def _store_issues(connection: Connection, load_id: int, issues: tuple[Issue, ...]) -> None:
    rows = [
        (load_id, i.line, i.column, i.code, i.severity, i.value, i.message)
        for i in issues[:MAX_STORED_ISSUES]
    ]
    if len(issues) > MAX_STORED_ISSUES:
        rows.append(
            (
                load_id,
                None,
                None,
                "issues-truncated",
                "warning",
                str(len(issues)),
                f"{len(issues)} anomalies : seules les {MAX_STORED_ISSUES} premières sont "
                "conservées, toutes sont comptées par code (le fichier brut est gardé)",
            )
        )
    columns = ["load_id", "line", "column", "code", "severity", "value", "message"]
    execute_many(connection, insert_sql(connection, ISSUE_TABLE, columns), rows)


def _write_values(
    connection: Connection,
    analysis: Analysis,
    load_id: int,
    progress: ProgressCallback | None,
) -> None:
    assert analysis.changes is not None
    rows = analysis.changes.rows
    created = rows[rows["action"] == "created"]
    changed = rows[rows["action"].isin(("updated", "withdrawn"))]
    total = len(created) + 2 * len(changed)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        report(progress, "write", done, total)

    report(progress, "write", 0, total)
    now = utcnow()
    stamp = bound_datetime(connection, OBSERVATION_TABLE, "updated_at", now)
    _insert_created(connection, created, load_id, stamp, advance)
    _update_changed(connection, changed, load_id, stamp, advance)


def _insert_created(
    connection: Connection,
    created: pd.DataFrame,
    load_id: int,
    stamp: Any,
    advance: Callable[[int], None],
) -> None:
    if not created.empty:
        # in the order of the (indicator, period, territory) index: a new period then fills
        # neighbouring pages instead of touching the whole index at random
        created = created.iloc[_order(created, ["indicator", "period", "territory", "value_type"])]
        frame = created.assign(load_id=load_id, updated_at=stamp)
        columns = ["indicator", "territory", "period", "value_type", "value", "status", "comment"]
        targets = [
            "indicator_code",
            "territory_code",
            "period",
            "value_type",
            "value",
            "status",
            "comment",
            "load_id",
            "updated_at",
        ]
        sql = insert_sql(connection, OBSERVATION_TABLE, targets)
        execute_many(connection, sql, rows_of(frame, [*columns, "load_id", "updated_at"]), advance)


def _order(frame: pd.DataFrame, columns: list[str]) -> npt.NDArray[np.intp]:
    """Row order by ``columns``, from sorted integer codes (faster than sorting the text)."""
    codes = [pd.factorize(frame[column], sort=True)[0] for column in reversed(columns)]
    return np.lexsort(codes)


def _update_changed(
    connection: Connection,
    changed: pd.DataFrame,
    load_id: int,
    stamp: Any,
    advance: Callable[[int], None],
) -> None:
    """The previous state goes to the history first, then the new one replaces it."""
    if not changed.empty:
        changed = changed.sort_values("id")
        history = changed.assign(new_load_id=load_id, changed_at=stamp)
        sql = insert_sql(connection, HISTORY_TABLE, list(HISTORY_COLUMNS.values()))
        execute_many(connection, sql, rows_of(history, list(HISTORY_COLUMNS)), advance)
        frame = changed.assign(load_id=load_id, updated_at=stamp)
        targets = ["value", "status", "comment", "load_id", "updated_at"]
        sql = update_by_id_sql(connection, OBSERVATION_TABLE, targets)
        execute_many(connection, sql, rows_of(frame, [*targets, "id"]), advance)


# frame column -> history table column
HISTORY_COLUMNS: Final[dict[str, str]] = {
    "indicator": "indicator_code",
    "territory": "territory_code",
    "period": "period",
    "value_type": "value_type",
    "old_value": "old_value",
    "old_status": "old_status",
    "old_comment": "old_comment",
    "old_load_id": "old_load_id",
    "new_load_id": "new_load_id",
    "changed_at": "changed_at",
}
