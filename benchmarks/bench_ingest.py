"""Load a 1,000,000-row French CSV (``;``, decimal comma) into a database of 10 million values.

The database is built once in ``benchmarks/.work/`` (the quarterly commune-level indicators of the
catalogue, every commune of the referential, quarter after quarter until 10 M values) and copied
before each measured run, so every run starts from the same state. The file holds three new
quarters for every indicator and commune (created) and a revision of the last stored quarter
(changed or unchanged), one million rows in all.

Measured, in the same run and on the same copy of the database:

- ``suivi``: :func:`analyse` (read, map, check, compare) then :func:`commit_analysis` (write
  values and history, pre-computed aggregates, data version), as ``suivi load`` does them;
- ``bare``: a plain ``sqlite3`` ``executemany`` upsert of the same rows, already parsed, in one
  transaction — the floor any loader stands on.

Target (README): validated and committed in at most 20 s on SQLite.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, Level, load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.ingest import (
    LoadOptions,
    ProgressEvent,
    UploadedFile,
    analyse,
    commit_analysis,
)
from indicators.periods import Period, PeriodKind
from indicators.store import make_engine, upgrade_database
from indicators.store.models import utcnow
from indicators.territories import Referential, load_referential
from indicators.territories.sync import sync_referential

WORK = Path(__file__).resolve().parent / ".work"
BASE_VALUES = 10_000_000
FILE_ROWS = 1_000_000
NEW_QUARTERS = 3
SEED = 42
BASE_VERSION = "ingest-base-v2"  # change it to rebuild the base database


def quarterly_indicators(catalogue: Catalogue) -> list[str]:
    return [
        code
        for code, indicator in catalogue.indicators.items()
        if not indicator.is_derived
        and indicator.periodicity.period_kind is PeriodKind.QUARTER
        and Level.COM in indicator.levels
    ]


def commune_codes(referential: Referential) -> list[str]:
    return [code.partition(":")[2] for code in referential.codes("COM")]


def base_quarters(indicators: int, communes: int) -> list[Period]:
    count = -(-BASE_VALUES // (indicators * communes))  # ceiling
    last = Period(2024, PeriodKind.QUARTER, 4)
    return [last.shift(-step) for step in reversed(range(count))]


def build_base(path: Path, catalogue: Catalogue, referential: Referential) -> int:
    """The 10-million-value database, built once (schema, referential, catalogue, values)."""
    marker = path.with_suffix(".version")
    if path.exists() and marker.exists() and marker.read_text() == BASE_VERSION:
        with sqlite3.connect(path) as connection:
            return int(connection.execute("SELECT count(*) FROM observation").fetchone()[0])
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    with Session(engine) as session, session.begin():
        sync_referential(session, referential)
        sync_catalogue(session, catalogue)
    engine.dispose()
    indicators = quarterly_indicators(catalogue)
    communes = commune_codes(referential)
    quarters = [str(q) for q in base_quarters(len(indicators), len(communes))]
    rng = np.random.default_rng(SEED)
    stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    # indexes rebuilt once at the end: much faster than maintained row by row
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='observation' "
        "AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        connection.execute(f"DROP INDEX {name}")
    inserted = 0
    for indicator in indicators:
        for period in quarters:
            values = np.round(rng.uniform(0, 100, len(communes)), 1).tolist()
            connection.executemany(
                "INSERT INTO observation (indicator_code, territory_code, period, value_type, "
                "value, status, load_id, updated_at) VALUES (?, ?, ?, 'valeur', ?, 'ok', NULL, ?)",
                [
                    (indicator, f"COM:{c}", period, v, stamp)
                    for c, v in zip(communes, values, strict=True)
                ],
            )
            inserted += len(communes)
    connection.commit()
    for _, sql in indexes:
        connection.execute(sql)
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()
    marker.write_text(BASE_VERSION)
    return inserted


def write_upload(
    path: Path, base: Path, catalogue: Catalogue, referential: Referential
) -> list[tuple[str, str, str, float]]:
    """The French CSV, and the same rows parsed (for the bare baseline)."""
    indicators = quarterly_indicators(catalogue)
    communes = commune_codes(referential)
    last = base_quarters(len(indicators), len(communes))[-1]
    rng = np.random.default_rng(SEED + 1)
    rows: list[tuple[str, str, str, float]] = []
    for step in range(1, NEW_QUARTERS + 1):
        period = str(last.shift(step))
        for indicator in indicators:
            values = np.round(rng.uniform(0, 100, len(communes)), 1).tolist()
            rows += [(indicator, c, period, v) for c, v in zip(communes, values, strict=True)]
    # the rest revises the last stored quarter: every other value changes, the others do not
    revisions = FILE_ROWS - len(rows)
    with sqlite3.connect(base) as connection:
        for indicator in indicators:
            if revisions <= 0:
                break
            stored = connection.execute(
                "SELECT territory_code, value FROM observation WHERE indicator_code = ? "
                "AND period = ? ORDER BY territory_code LIMIT ?",
                (indicator, str(last), revisions),
            ).fetchall()
            rows += [
                (indicator, code[4:], str(last), value if n % 2 else round(abs(value - 1.5), 1))
                for n, (code, value) in enumerate(stored)
            ]
            revisions -= len(stored)
    lines = ["indicateur;territoire;periode;valeur"]
    lines += [f"{i};{c};{p};{str(v).replace('.', ',')}" for i, c, p, v in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return rows


def bare_upsert(
    path: Path, rows: list[tuple[str, str, str, float]], *, tuned: bool
) -> tuple[float, float]:
    """``executemany`` upsert in one transaction. ``tuned``: the page cache and the row order
    the loader uses (:func:`indicators.store.engine.bulk_pragmas`); else sqlite3's
    defaults and the file's order."""
    stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    prepared = [(i, f"COM:{c}", p, v, stamp) for i, c, p, v in rows]
    if tuned:
        prepared.sort(key=lambda row: (row[0], row[2], row[1]))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    if tuned:
        connection.execute(f"PRAGMA cache_size = -{min(1024 * 1024, len(rows))}")
    start, cpu = time.perf_counter(), time.process_time()
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO observation (indicator_code, territory_code, period, value_type, value, "
        "status, updated_at) VALUES (?, ?, ?, 'valeur', ?, 'ok', ?) "
        "ON CONFLICT (indicator_code, territory_code, period, value_type) DO UPDATE SET "
        "value = excluded.value, status = excluded.status, updated_at = excluded.updated_at",
        prepared,
    )
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    connection.close()
    return elapsed


class StageClock:
    """Seconds spent in each stage, from the progress events of the load."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}

    def __call__(self, event: ProgressEvent) -> None:
        self.started.setdefault(event.stage, time.perf_counter())

    def durations(self, end: float) -> dict[str, float]:
        stages = sorted(self.started.items(), key=lambda item: item[1])
        ends = [start for _, start in stages[1:]] + [end]
        return {
            f"{stage}_s": round(stop - start, 2)
            for (stage, start), stop in zip(stages, ends, strict=True)
        }


def fresh_copy(base: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, target)
    # the copy's own write-back must not slow down the measured run
    with target.open("rb+") as stream:
        os.fsync(stream.fileno())
    return target


def run() -> dict[str, object]:
    WORK.mkdir(parents=True, exist_ok=True)
    catalogue = load_catalogue()
    referential = load_referential()
    base = WORK / "ingest-base.db"
    start = time.perf_counter()
    stored = build_base(base, catalogue, referential)
    build_seconds = time.perf_counter() - start
    upload_path = WORK / "ingest-1m.csv"
    rows = write_upload(upload_path, base, catalogue, referential)

    database = fresh_copy(base, WORK / "ingest-run.db")
    engine = make_engine(f"sqlite:///{database}")
    upload = UploadedFile.from_path(upload_path)
    options = LoadOptions(max_bytes=200 * 1024 * 1024)
    clock = StageClock()
    start, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        analysis = analyse(
            upload,
            catalogue=catalogue,
            referential=referential,
            session=session,
            options=options,
            progress=clock,
        )
    analysed = time.perf_counter()
    with Session(engine) as session, session.begin():
        outcome = commit_analysis(
            session,
            analysis,
            catalogue=catalogue,
            raw_dir=WORK / "uploads",
            username="bench",
            progress=clock,
        )
        clock.started.setdefault("sql-commit", time.perf_counter())
    end, cpu = time.perf_counter(), time.process_time() - cpu
    engine.dispose()
    assert outcome.status == "committed", outcome.analysis.issues[:5]
    total = end - start

    naive = bare_upsert(fresh_copy(base, WORK / "ingest-bare.db"), rows, tuned=False)
    tuned = bare_upsert(fresh_copy(base, WORK / "ingest-bare.db"), rows, tuned=True)
    for name in ("ingest-run.db", "ingest-bare.db"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{WORK / name}{suffix}").unlink(missing_ok=True)
    counts = outcome.counts
    return {
        "base_values": stored,
        "base_build_s": round(build_seconds, 1),
        "file_rows": counts["rows_read"],
        "file_mb": round(upload_path.stat().st_size / 1024 / 1024, 1),
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "rejected": counts["rejected"],
        "analyse_s": round(analysed - start, 2),
        "commit_s": round(end - analysed, 2),
        "stages": clock.durations(end),
        "total_s": round(total, 2),
        "total_cpu_s": round(cpu, 2),
        "rows_per_s": round(counts["rows_read"] / total),
        "bare_executemany_naive_s": round(naive[0], 2),
        "bare_executemany_naive_cpu_s": round(naive[1], 2),
        "bare_executemany_tuned_s": round(tuned[0], 2),
        "bare_executemany_tuned_cpu_s": round(tuned[1], 2),
        "bare_tuned_rows_per_s": round(len(rows) / tuned[0]),
        "ratio_to_bare_naive": round(total / naive[0], 2),
        "ratio_to_bare_tuned": round(total / tuned[0], 2),
        "cpu_ratio_to_bare_tuned": round(cpu / tuned[1], 2),
        "target_s": 20,
    }
