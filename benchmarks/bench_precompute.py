"""Pre-computed values at full-France scale: reading a series or a map vector by key, and the
incremental refresh after a load that changes 1,000,000 values (issue: <= 20 ms, <= 5 s).

``empty_reads`` counts the reads (warm-up included) that found no row (a key drawn at random may
have no value for the group drawn): an answer, but a cheap one, so the figures say how many."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from benchmarks.france import france_settings
from benchmarks.timing import time_calls
from indicators.catalogue import load_catalogue
from indicators.precompute import map_values, refresh_computed, series
from indicators.store import make_engine
from indicators.store.models import ComputedValue, Observation

ROWS_CHANGED = 1_000_000


def run() -> dict[str, object]:
    settings = france_settings()
    engine = make_engine(settings.effective_database_url)
    catalogue = load_catalogue()
    rng = random.Random(42)
    with Session(engine) as session:
        observations = session.scalar(select(text("count(*)")).select_from(Observation))
        computed = session.scalar(select(text("count(*)")).select_from(ComputedValue))
        keys = session.execute(
            select(ComputedValue.indicator_code, ComputedValue.period)
            .where(ComputedValue.territory_code == "FR")
            .distinct()
        ).all()
        groups = ["FR", "REG:84", "DEP:29", "DEP:2A", "EPCI:200067072", "TYPE:moins_20k"]

        def one_series() -> pd.DataFrame:
            indicator, _period = rng.choice(keys)
            return series(session, indicator, rng.choice(groups))

        def departement_map() -> pd.DataFrame:
            indicator, period = rng.choice(keys)
            return map_values(session, indicator, period, "DEP")

        def commune_map() -> pd.DataFrame:
            indicator, period = rng.choice(keys)
            within = rng.choice(["DEP:29", "DEP:59"])
            return map_values(session, indicator, period, "COM", within=within)

        empty: dict[str, int] = {}

        def counting(name: str) -> Callable[[pd.DataFrame], None]:
            empty[name] = 0

            def check(frame: pd.DataFrame) -> None:
                empty[name] += int(len(frame) == 0)

            return check

        reads = {
            name: time_calls(read, repeat=repeat, check=counting(name))
            for name, read, repeat in [
                ("series", one_series, 300),
                ("map_departements", departement_map, 300),
                ("map_communes_of_a_departement", commune_map, 200),
            ]
        }
    refresh = _incremental_refresh(engine, catalogue)
    return {
        "observations": observations,
        "computed_values": computed,
        "reads_ms": reads,
        "empty_reads": empty,
        "incremental_refresh": refresh,
    }


def _incremental_refresh(engine, catalogue) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Change the values of the most recent periods of commune-level indicators until a million
    values moved (as one big load would), refresh, measure, and roll everything back.

    The refresh is handed the changed values as a load hands them (``loaded``: the rows of the
    file as now stored, which the loader holds from its comparison); it checks on the index that
    they are all the stored rows of each (indicator, period) before using them."""
    with Session(engine) as session:
        connection = session.connection()
        counts = connection.execute(
            text(
                "SELECT indicator_code, period, count(*) FROM observation "
                "WHERE value_type = 'valeur' AND territory_code LIKE 'COM:%' "
                "GROUP BY indicator_code, period ORDER BY period DESC, indicator_code"
            )
        ).all()
        changed: dict[str, set[str]] = {}
        total = 0
        for indicator, period, count in counts:
            if total >= ROWS_CHANGED:
                break
            changed.setdefault(indicator, set()).add(period)
            total += count
        loaded = _values_after_update(connection, changed)
        start = time.perf_counter()
        for indicator, periods in changed.items():
            for period in periods:
                connection.execute(
                    text(
                        "UPDATE observation SET value = value * 1.01 "
                        "WHERE indicator_code = :i AND period = :p AND value_type = 'valeur'"
                    ),
                    {"i": indicator, "p": period},
                )
        written = time.perf_counter() - start
        report = refresh_computed(session, catalogue, changed, loaded=loaded)
        session.rollback()
    return {
        "values_changed": total,
        "indicator_periods": sum(len(p) for p in changed.values()),
        "update_s": round(written, 2),
        "refresh_s": round(report.seconds, 2),
        "indicators_recomputed": report.indicators,
        "rows_written": report.rows_written,
    }


def _values_after_update(connection, changed: dict[str, set[str]]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Every stored row of the changed (indicator, period) keys, as the update leaves them."""
    rows = []
    for indicator, periods in changed.items():
        for period in periods:
            rows += connection.exec_driver_sql(
                "SELECT indicator_code, territory_code, period, value_type, value, status "
                "FROM observation WHERE indicator_code = ? AND period = ?",
                (indicator, period),
            ).fetchall()
    frame = pd.DataFrame(
        rows, columns=["indicator", "territory", "period", "value_type", "value", "status"]
    ).astype({"value": "float64"})
    valeur = frame["value_type"] == "valeur"
    frame.loc[valeur, "value"] = frame.loc[valeur, "value"] * 1.01
    return frame
