"""Aggregation of one indicator over territory sets, with coverage, for every period.

The work is done on dense (period x territory) arrays over the members of the groups, spread
onto the (group, territory) pairs sorted by group and reduced slice by slice with
``ufunc.reduceat``: one pass whatever the number of groups, which is what the pre-computed
aggregates refresh needs (no pandas groupby, no merge of the observations with the memberships).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .counting import count_statuses
from .membership import GroupMembership, prepare_membership
from .observations import check_unique_cells, encode
from .statuses import (
    ABSENT_CODE,
    MISSING,
    MISSING_CODE,
    N_CODES,
    NOT_APPLICABLE,
    NOT_APPLICABLE_CODE,
    OK,
    OK_CODE,
    SECRET,
    SECRET_CODE,
    combine_status_codes,
)

Rule = Literal["sum", "ratio", "weighted_mean", "min", "max", "none"]
RULES: Final[tuple[Rule, ...]] = ("sum", "ratio", "weighted_mean", "min", "max", "none")
POPULATION: Final = "population"

AGGREGATE_COLUMNS: Final = (
    "indicator",
    "group",
    "period",
    "value",
    "status",
    "reason",
    "k",
    "n",
    "n_missing",
    "n_not_applicable",
    "n_secret",
    "n_absent",
    "coverage_rate",
    "numerator",
    "denominator",
)

REASON_NOT_AGGREGABLE: Final = "indicateur non agrégeable : valeurs consultables par territoire"
REASON_ALL_NOT_APPLICABLE: Final = "sans objet pour tous les territoires du groupe"
REASON_ALL_SECRET: Final = "valeurs des territoires couvertes par le secret statistique"
REASON_NONE_REPORTED: Final = "aucun territoire du groupe n'a de valeur pour cette période"
REASON_ZERO_DENOMINATOR: Final = "dénominateur nul : rapport non défini"
REASON_ZERO_WEIGHT: Final = "somme des poids nulle : moyenne non définie"
REASON_SUPPRESSED: Final = "secret statistique : effectif inférieur à {threshold}"

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class AggregationSpec:
    """How territories' values combine into a group's value.

    - ``sum``: sum of the reported values (a reported zero adds 0).
    - ``ratio``: ratio of sums, ``factor * sum(numerator) / sum(denominator)``, both sums over
      the same territories: those where numerator *and* denominator are ok. Never the mean of
      the territories' ratios, which would give a village the weight of a city.
    - ``weighted_mean``: ``sum(w * value) / sum(w)`` over territories where the value and the
      weight are known; ``weight`` is ``"population"`` (the ``populations`` series) or an
      indicator code observed for the same period.
    - ``min`` / ``max``: of the reported values.
    - ``none``: not aggregable; the aggregate is not applicable (coverage is still counted).
    """

    rule: Rule
    numerator: str | None = None
    denominator: str | None = None
    weight: str | None = None
    factor: float = 1.0

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"règle d'agrégation inconnue « {self.rule} » : {', '.join(RULES)}")
        if self.rule == "ratio" and not (self.numerator and self.denominator):
            raise ValueError("la règle ratio demande un numérateur et un dénominateur")
        if self.rule == "weighted_mean" and not self.weight:
            raise ValueError("la règle weighted_mean demande un poids (population ou indicateur)")
        if not (math.isfinite(self.factor) and self.factor > 0):
            raise ValueError(f"facteur invalide {self.factor} : attendu un nombre positif")

    def input_codes(self, indicator_code: str) -> tuple[str, ...]:
        """Indicators whose observations the aggregate reads (the population is not one)."""
        if self.rule == "ratio":
            assert self.numerator and self.denominator  # checked in __post_init__
            return (self.numerator, self.denominator)
        if self.rule == "weighted_mean" and self.weight != POPULATION:
            assert self.weight
            return (indicator_code, self.weight)
        return (indicator_code,)


def aggregate(
    observations: pd.DataFrame,
    membership: pd.DataFrame | GroupMembership,
    spec: AggregationSpec,
    indicator_code: str,
    populations: pd.Series | None = None,
    *,
    periods: Sequence[str] | None = None,
    suppress_below: int | None = None,
) -> pd.DataFrame:
    """One row per (group, period) with the value, its status and its coverage.

    Columns: see :data:`AGGREGATE_COLUMNS`. ``n`` is the number of distinct members of the group,
    ``k`` those whose value is ok (for a ratio or a weighted mean: every input ok); the others are
    counted apart as missing, not applicable, secret, or absent (no row at all).
    ``numerator``/``denominator`` are the two sums of a ratio (before ``factor``) or of a weighted
    mean. ``periods`` defaults to the periods found in the observations. ``suppress_below`` marks
    secret a sum (or a ratio's numerator) between 1 and ``suppress_below - 1``.
    """
    members = (
        membership if isinstance(membership, GroupMembership) else prepare_membership(membership)
    )
    if suppress_below is not None and spec.rule not in ("sum", "ratio"):
        raise ValueError("le secret des petits effectifs s'applique aux sommes et aux rapports")
    if suppress_below is not None and suppress_below < 1:
        raise ValueError(f"seuil de secret invalide {suppress_below} : attendu un entier ≥ 1")
    values, statuses, period_codes = _member_panels(
        observations, members, spec, indicator_code, populations, periods
    )
    status = combine_status_codes(statuses)  # (period, member territory)
    by_code = count_statuses(status, members)
    counts = {code: by_code[code].T.ravel() for code in range(N_CODES)}
    value, numerator, denominator = _group_values(spec, values, status == OK_CODE, members)
    n_groups, n_periods = len(members.groups), len(period_codes)
    frame = pd.DataFrame(
        {
            "indicator": indicator_code,
            "group": np.repeat(members.groups.to_numpy(dtype=object), n_periods),
            "period": np.tile(np.asarray(period_codes, dtype=object), n_groups),
            "k": counts[OK_CODE],
            "n": np.repeat(members.sizes, n_periods),
            "n_missing": counts[MISSING_CODE],
            "n_not_applicable": counts[NOT_APPLICABLE_CODE],
            "n_secret": counts[SECRET_CODE],
            "n_absent": counts[ABSENT_CODE],
        }
    )
    frame["coverage_rate"] = frame["k"] / frame["n"]
    status_text, reason = _aggregate_status(
        frame, spec, value, numerator, denominator, suppress_below
    )
    keep = status_text == OK
    frame["value"] = np.where(keep, value, np.nan)
    frame["status"] = status_text
    frame["reason"] = reason
    frame["numerator"] = np.where(keep, numerator, np.nan)
    frame["denominator"] = np.where(keep, denominator, np.nan)
    return frame[list(AGGREGATE_COLUMNS)]


def _member_panels(
    observations: pd.DataFrame,
    members: GroupMembership,
    spec: AggregationSpec,
    indicator_code: str,
    populations: pd.Series | None,
    periods: Sequence[str] | None,
) -> tuple[FloatArray, npt.NDArray[np.int8], tuple[str, ...]]:
    """Values and status codes of each input, shaped (input, period, member territory)."""
    inputs = spec.input_codes(indicator_code) if spec.rule != "none" else (indicator_code,)
    encoded = encode(observations, inputs, territories=members.territories, periods=periods)
    shape = (len(inputs), len(encoded.periods), len(members.territories))
    flat = (encoded.indicator * shape[1] + encoded.period) * shape[2] + encoded.territory
    values = np.full(shape, np.nan)
    statuses = np.full(shape, ABSENT_CODE, dtype=np.int8)
    values.reshape(-1)[flat] = encoded.value  # views: fills the 3-D arrays
    statuses.reshape(-1)[flat] = encoded.status
    check_unique_cells(statuses, len(flat))
    if spec.rule == "weighted_mean" and spec.weight == POPULATION:
        weight, weight_status = _population_panel(populations, members.territories, shape[1])
        values = np.concatenate([values, weight[None]])
        statuses = np.concatenate([statuses, weight_status[None]])
    return values, statuses, encoded.periods


def _per_group(ufunc: np.ufunc, per_territory: FloatArray, members: GroupMembership) -> FloatArray:
    """``ufunc`` over the members of each group: (period, territory) -> (period, group).

    Pairs are sorted by group, so each group is one contiguous slice for ``reduceat``.
    """
    if len(members.groups) == 0:
        return np.zeros((per_territory.shape[0], 0))
    spread = np.take(per_territory, members.territory_position, axis=1)
    result: FloatArray = ufunc.reduceat(spread, members.group_starts, axis=1)
    return result


def _group_values(
    spec: AggregationSpec, values: FloatArray, ok: npt.NDArray[np.bool_], members: GroupMembership
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Value, numerator and denominator of each (group, period), group-major; only ok
    territories count."""

    def summed(per_territory: FloatArray) -> FloatArray:
        result: FloatArray = _per_group(np.add, per_territory, members).T.ravel()
        return result

    nan = np.full(len(members.groups) * values.shape[1], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.rule == "sum":
            return summed(np.where(ok, values[0], 0.0)), nan, nan
        if spec.rule == "ratio":
            numerator = summed(np.where(ok, values[0], 0.0))
            denominator = summed(np.where(ok, values[1], 0.0))
            return spec.factor * numerator / denominator, numerator, denominator
        if spec.rule == "weighted_mean":
            numerator = summed(np.where(ok, values[0] * values[1], 0.0))
            denominator = summed(np.where(ok, values[1], 0.0))
            return numerator / denominator, numerator, denominator
    if spec.rule in ("min", "max"):
        ufunc = np.minimum if spec.rule == "min" else np.maximum
        neutral = np.inf if spec.rule == "min" else -np.inf
        extreme = _per_group(ufunc, np.where(ok, values[0], neutral), members).T.ravel()
        return np.where(np.isinf(extreme), np.nan, extreme), nan, nan
    return nan, nan, nan


def _population_panel(
    populations: pd.Series | None, territories: pd.Index, n_periods: int
) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """Population of each member, repeated over the periods; unknown -> missing weight."""
    if populations is None:
        raise ValueError("la moyenne pondérée par la population demande les populations")
    population = populations.reindex(territories).to_numpy(dtype=np.float64, na_value=np.nan)
    if (population < 0).any():
        raise ValueError("population négative")
    status = np.where(np.isfinite(population), OK_CODE, MISSING_CODE).astype(np.int8)
    return (
        np.repeat(population[None, :], n_periods, axis=0),
        np.repeat(status[None, :], n_periods, axis=0),
    )


def _aggregate_status(
    frame: pd.DataFrame,
    spec: AggregationSpec,
    value: FloatArray,
    numerator: FloatArray,
    denominator: FloatArray,
    suppress_below: int | None,
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Status and French reason of each aggregate; the first matching condition wins."""
    k, n = frame["k"].to_numpy(), frame["n"].to_numpy()
    n_secret = frame["n_secret"].to_numpy()
    unreported = frame["n_missing"].to_numpy() + frame["n_absent"].to_numpy()
    small = np.zeros(len(frame), dtype=bool)
    if suppress_below is not None:
        count = value if spec.rule == "sum" else numerator  # the count behind a rate
        small = (count > 0) & (count < suppress_below)
    conditions = [
        np.full(len(frame), spec.rule == "none"),
        frame["n_not_applicable"].to_numpy() == n,
        (k == 0) & (n_secret > 0) & (unreported == 0),
        k == 0,
        (spec.rule in ("ratio", "weighted_mean")) & (denominator == 0),
        small,
    ]
    statuses = [NOT_APPLICABLE, NOT_APPLICABLE, SECRET, MISSING, MISSING, SECRET]
    zero_reason = REASON_ZERO_DENOMINATOR if spec.rule == "ratio" else REASON_ZERO_WEIGHT
    reasons = [
        REASON_NOT_AGGREGABLE,
        REASON_ALL_NOT_APPLICABLE,
        REASON_ALL_SECRET,
        REASON_NONE_REPORTED,
        zero_reason,
        REASON_SUPPRESSED.format(threshold=suppress_below),
    ]
    status = np.select(conditions, statuses, default=OK).astype(object)
    reason = np.select(conditions, reasons, default="").astype(object)
    return status, reason
