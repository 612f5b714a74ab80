"""Aggregation over the hierarchy and typology groups: 35,000 communes x 12 quarters.

The pre-computed aggregates refresh runs this per indicator; the target is well under 100 ms.
Measured with plain string columns (as read from a database) and with categorical columns, the
membership prepared once (as the refresh does) unless the name says otherwise.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from benchmarks.timing import time_calls
from indicators.compute import (
    AggregationSpec,
    GroupMembership,
    aggregate,
    hierarchy_membership,
    prepare_membership,
)

N_COMMUNES = 35_000
N_EPCI = 1_255
N_DEPARTEMENTS = 101
N_REGIONS = 18
QUARTERS = [f"{year}-T{quarter}" for year in (2023, 2024, 2025) for quarter in (1, 2, 3, 4)]
STATUSES = np.array(["ok", "missing", "not_applicable", "secret"], dtype=object)
STATUS_WEIGHTS = [0.85, 0.08, 0.04, 0.03]
SEED = 42


def synthetic_communes(rng: np.random.Generator) -> pd.DataFrame:
    departement = rng.integers(0, N_DEPARTEMENTS, N_COMMUNES)
    population = np.round(rng.lognormal(6.5, 1.4, N_COMMUNES)).astype(np.int64) + 1
    typology = np.select(
        [population < 20_000, population <= 100_000], ["moins_20k", "20k_100k"], "plus_100k"
    )
    return pd.DataFrame(
        {
            "code": [f"COM:{i:05d}" for i in range(N_COMMUNES)],
            "departement": [f"{d:02d}" for d in departement],
            "region": [f"{d % N_REGIONS:02d}" for d in departement],
            "epci": [f"{200_000_000 + e}" for e in rng.integers(0, N_EPCI, N_COMMUNES)],
            "typology": typology,
            "population": population,
        }
    )


def synthetic_observations(
    rng: np.random.Generator, communes: pd.DataFrame, indicator: str
) -> pd.DataFrame:
    size = N_COMMUNES * len(QUARTERS)
    status = rng.choice(STATUSES, size, p=STATUS_WEIGHTS)
    value = np.where(status == "ok", rng.poisson(40, size).astype(np.float64), np.nan)
    return pd.DataFrame(
        {
            "indicator": indicator,
            "territory": np.repeat(communes["code"].to_numpy(dtype=object), len(QUARTERS)),
            "period": np.tile(np.array(QUARTERS, dtype=object), N_COMMUNES),
            "value": value,
            "status": status,
        }
    )


def programme_groups(rng: np.random.Generator, communes: pd.DataFrame) -> pd.DataFrame:
    """A dozen programme / test / comparison groups of a few hundred to a few thousand communes."""
    frames = []
    for index in range(12):
        size = int(rng.integers(200, 3_000))
        members = rng.choice(communes["code"].to_numpy(dtype=object), size, replace=False)
        frames.append(pd.DataFrame({"group": f"GRP:programme-{index}", "territory": members}))
    return pd.concat(frames, ignore_index=True)


def cpu_median_ms(function: Callable[[], None], repeat: int) -> float:
    """Median CPU time of the process: steadier than wall time on a machine shared with others."""
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        samples.append((time.process_time() - start) * 1000)
    return round(statistics.median(samples), 3)


def run() -> dict[str, object]:
    rng = np.random.default_rng(SEED)
    communes = synthetic_communes(rng)
    membership = pd.concat(
        [hierarchy_membership(communes), programme_groups(rng, communes)], ignore_index=True
    )
    populations = communes.set_index("code")["population"]
    count = synthetic_observations(rng, communes, "count")
    ratio = pd.concat(
        [
            synthetic_observations(rng, communes, "num"),
            synthetic_observations(rng, communes, "den"),
        ],
        ignore_index=True,
    )
    prepared = prepare_membership(membership)
    sum_spec = AggregationSpec("sum")
    ratio_spec = AggregationSpec("ratio", numerator="num", denominator="den", factor=100)
    mean_spec = AggregationSpec("weighted_mean", weight="population")
    categorical = count.astype(
        {c: "category" for c in ("indicator", "territory", "period", "status")}
    )

    check = aggregate(count, prepared, sum_spec, "count")
    assert (check.loc[check["group"] == "FR", "n"] == N_COMMUNES).all()

    def timed(
        frame: pd.DataFrame,
        spec: AggregationSpec,
        code: str,
        groups: pd.DataFrame | GroupMembership,
        periods: list[str] | None = None,
    ) -> dict[str, float]:
        def call() -> None:
            aggregate(frame, groups, spec, code, populations, periods=periods)

        return {**time_calls(call, repeat=20), "cpu_p50_ms": cpu_median_ms(call, repeat=20)}

    return {
        "rows_per_indicator": len(count),
        "groups": len(prepared.groups),
        "membership_pairs": len(prepared.group_position),
        "prepare_membership": time_calls(lambda: prepare_membership(membership), repeat=10),
        "sum_membership_frame": timed(count, sum_spec, "count", membership),
        "sum": timed(count, sum_spec, "count", prepared),
        "sum_known_periods": timed(count, sum_spec, "count", prepared, QUARTERS),
        "sum_categorical_columns": timed(categorical, sum_spec, "count", prepared),
        "ratio": timed(ratio, ratio_spec, "ratio", prepared),
        "weighted_mean_population": timed(count, mean_spec, "count", prepared),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
