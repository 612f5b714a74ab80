"""Computations: pure functions over pandas DataFrames, no database and no web framework.

Data contracts
==============

Observations (input and output of :func:`derive`, input of :func:`aggregate`)
    One row per (``indicator``, ``territory``, ``period``) — a duplicate raises ``ValueError``:

    ``indicator`` (str)  indicator code;
    ``territory`` (str)  typed code: ``COM:01001``, ``EPCI:200054781``, ``DEP:2A``, ``FR``;
    ``period`` (str)     ``2025``, ``2025-S1``, ``2025-T3``, ``2025-07`` (see indicators.periods);
    ``value`` (float)    finite when the status is ok, NaN otherwise (ignored if not);
    ``status`` (str)     ``ok`` | ``missing`` | ``not_applicable`` | ``secret``.

    Zero is a value (status ok), never a missing one. Categorical ``indicator``, ``territory``,
    ``period`` or ``status`` columns are read faster than plain strings.

Membership (input of :func:`aggregate`, output of :func:`hierarchy_membership`)
    ``group`` (str), ``territory`` (str). Non-exclusive: a territory may be in several groups and
    counts in each. A pair listed twice counts once. :func:`prepare_membership` deduplicates once
    for many :func:`aggregate` calls.

Populations
    A Series territory code -> legal population (int), for ``weighted_mean`` by population.

Aggregates (output of :func:`aggregate`)
    One row per (group, period): ``indicator``, ``group``, ``period``, ``value``, ``status``,
    ``reason`` (French, empty when ok), the coverage ``k`` of ``n`` — ``n`` the distinct members of
    the group (the territories the indicator should be reported for), ``k`` those reported ok —
    then ``n_missing``, ``n_not_applicable``, ``n_secret``, ``n_absent`` (no row at all), which
    add up with ``k`` to ``n``, ``coverage_rate`` = k / n, and the ``numerator`` / ``denominator``
    sums of a ratio (ratio of sums over territories where *both* are ok) or weighted mean.
    ``status``: ``not_applicable`` for a ``none`` rule or when every member is not applicable;
    ``secret`` when no member is ok and the others are secret or not applicable, or when the
    small-number rule hides the sum; ``missing`` when no member is ok, or the denominator (sum
    of weights) is zero; ``ok`` otherwise — then ``value`` is finite, else NaN.

Order of the steps for a refresh: :func:`suppress_small_numbers` on counts, :func:`derive`, then
:func:`aggregate` over :func:`hierarchy_membership` plus the programme and evaluation groups.

Speed (``benchmarks/bench_compute.py``, 35,000 communes x 12 quarters into 1,390 groups): hashing
the string columns is most of the cost of :func:`aggregate`, so prepare the membership once,
pass ``periods`` when known, and prefer categorical columns when the frame is reused.
"""

from .aggregation import AGGREGATE_COLUMNS, AggregationSpec, Rule, aggregate
from .derivation import FormulaLike, derive
from .membership import GroupMembership, hierarchy_membership, prepare_membership
from .observations import OBSERVATION_COLUMNS
from .progress import (
    PROGRESS_STATUS_LABELS,
    Direction,
    ProgressStatus,
    expected_progress,
    progress,
    progress_status,
)
from .projection import project
from .statuses import STATUS_LABELS, Status
from .suppression import DEFAULT_SMALL_NUMBER_THRESHOLD, suppress_small_numbers
from .time_axis import fractional_year

__all__ = [
    "AGGREGATE_COLUMNS",
    "DEFAULT_SMALL_NUMBER_THRESHOLD",
    "OBSERVATION_COLUMNS",
    "PROGRESS_STATUS_LABELS",
    "STATUS_LABELS",
    "AggregationSpec",
    "Direction",
    "FormulaLike",
    "GroupMembership",
    "ProgressStatus",
    "Rule",
    "Status",
    "aggregate",
    "derive",
    "expected_progress",
    "fractional_year",
    "hierarchy_membership",
    "prepare_membership",
    "progress",
    "progress_status",
    "project",
    "suppress_small_numbers",
]
