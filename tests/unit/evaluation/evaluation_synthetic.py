"""Synthetic panels with known effects: staggered cohorts, comparison units, optional violations.

y[i, t] = unit level + time effect of the unit's type + noise
          + effect(cohort, event time, type) once treated
          + pretrend * (t - cohort) for test units (a diverging trend, before and after)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.evaluation.estimation import EstimationOptions
from indicators.evaluation.panel import COMPARISON, TEST, Panel, make_panel
from indicators.periods import PeriodKind, parse_period

Effect = Callable[[int, int, str], float]


def constant(value: float) -> Effect:
    return lambda cohort, event_time, type_: value


@dataclass(frozen=True)
class Synthetic:
    panel: Panel
    truth: dict[str, float]  # scope -> true effect under the estimator's weights


def synthetic_panel(
    seed: int,
    *,
    types: Sequence[str] = ("moins_20k",),
    cohorts: Sequence[int] = (8, 10, 12),
    per_cohort: int = 30,
    comparisons: int = 90,
    n_periods: int = 18,
    effect: Effect | None = None,
    pretrend: float = 0.0,
    noise: float = 1.0,
    missing: float = 0.0,
    first: str = "2022-T1",
    indicator: str = "X",
) -> Synthetic:
    effect = effect or constant(2.0)
    rng = np.random.default_rng(seed)
    start = parse_period(first)
    kind: PeriodKind = start.kind
    periods = [start.shift(i) for i in range(n_periods)]
    options = EstimationOptions()
    window = options.event_times(kind.months)
    unit_rows, observation_rows = [], []
    effects_by_scope: dict[str, list[float]] = {}
    for type_ in types:
        time_effect = np.cumsum(rng.normal(0.3, 1.0, n_periods))
        roles = [(TEST, c) for c in cohorts for _ in range(per_cohort)]
        roles += [(COMPARISON, None)] * comparisons
        for number, (role, cohort) in enumerate(roles):
            code = f"COM:{type_[:3]}{'T' if role == TEST else 'C'}{number:04d}"
            level = rng.normal(50.0, 10.0)
            unit_rows.append(
                {
                    "territory": code,
                    "type": type_,
                    "role": role,
                    "start": start.shift(cohort).start if cohort is not None else None,
                    "population": float(rng.integers(500, 19_000)),
                }
            )
            for t, period in enumerate(periods):
                value = level + time_effect[t] + rng.normal(0.0, noise)
                if cohort is not None:
                    value += pretrend * (t - cohort)
                    if t >= cohort:
                        tau = effect(cohort, t - cohort, type_)
                        value += tau
                        if t - cohort in window:
                            effects_by_scope.setdefault(type_, []).append(tau)
                            effects_by_scope.setdefault("ensemble", []).append(tau)
                status = "missing" if rng.random() < missing else "ok"
                observation_rows.append(
                    {
                        "territory": code,
                        "period": str(period),
                        "value": value if status == "ok" else None,
                        "status": status,
                    }
                )
    panel = make_panel(
        indicator, "COM", kind, pd.DataFrame(unit_rows), pd.DataFrame(observation_rows)
    )
    truth = {scope: float(np.mean(values)) for scope, values in effects_by_scope.items()}
    return Synthetic(panel, truth)
