"""Write an analysed upload: all of it or nothing, in the caller's transaction.

Call :func:`commit_analysis` inside ``with session.begin():`` — nothing is committed here, so
the values, their history, the load's record, the pre-computed aggregates and the data version
change together or not at all (the one write path, :func:`indicators.precompute.write_data`).
The first statement takes the write lock on the data-version row: loads then run one after the
other, and a load that finds the data changed since its dry run compares again before writing
(the counts it reports are those of what it did).

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
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.ingest.analysis import Analysis, with_changes
from indicators.ingest.issues import Issue
from indicators.ingest.progress import ProgressCallback, report
from indicators.ingest.raw_store import store_raw_file
from indicators.ingest.writes import (
    bound_datetime,
    bulk_insert,
    execute_many,
    rows_of,
    update_by_id_sql,
)
from indicators.issue_codes import IssueCode
from indicators.precompute import DataWrite, RefreshReport, write_data
from indicators.store.models import (
    Base,
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
    """Record the load and, when its verdict allows, write its values (see the module doc),
    through the one write path (:func:`indicators.precompute.write_data`)."""

    def write(change: DataWrite) -> tuple[int, Outcome, Analysis]:
        return _record_load(
            change,
            analysis,
            raw_dir=raw_dir,
            username=username,
            partner_code=partner_code,
            progress=progress,
        )

    written = write_data(
        session,
        catalogue,
        write,
        refresh_progress=lambda done, total: report(progress, "refresh", done, total),
    )
    load_id, status, analysed = written.result
    return LoadOutcome(load_id, status, analysed, written.data_version, written.refresh)


def _record_load(
    change: DataWrite,
    analysis: Analysis,
    *,
    raw_dir: Path | None,
    username: str | None,
    partner_code: str | None,
    progress: ProgressCallback | None,
) -> tuple[int, Outcome, Analysis]:
    session = change.session
    if analysis.readable and (
        analysis.changes is None or analysis.changes.data_version != change.version
    ):
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
    if status == "committed":
        assert analysis.changes is not None
        # the refresh re-reads what was just written: the pages stay in the enlarged cache
        change.bulk(len(analysis.changes.writes))
        _write_values(connection, analysis, load.id, progress)
        changed = analysis.changes.changed_keys()
        # the load's own values are not read back by the refresh (issue #4)
        change.changed(changed, loaded=analysis.changes.stored_after() if changed else None)
    return load.id, status, analysis


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
                IssueCode.ISSUES_TRUNCATED,
                "warning",
                str(len(issues)),
                f"{len(issues)} anomalies : seules les {MAX_STORED_ISSUES} premières sont "
                "conservées, toutes sont comptées par code (le fichier brut est gardé)",
            )
        )
    columns = ["load_id", "line", "column", "code", "severity", "value", "message"]
    bulk_insert(connection, ISSUE_TABLE.name, columns, rows)


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
        rows = rows_of(frame, [*columns, "load_id", "updated_at"])
        bulk_insert(connection, OBSERVATION_TABLE.name, targets, rows, advance)


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
        columns = list(HISTORY_COLUMNS.values())
        rows = rows_of(history, list(HISTORY_COLUMNS))
        bulk_insert(connection, HISTORY_TABLE.name, columns, rows, advance)
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
