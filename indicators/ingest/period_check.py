"""Periods of a block of values, read in the profile's format and checked against each
indicator's periodicity. A value must have exactly the indicator's periodicity; a baseline or a
target may be coarser (a yearly target of a quarterly indicator), never finer.

Work is done once per distinct (text, indicator, value type): a million rows hold a few dozen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.catalogue import Catalogue
from indicators.ingest.issues import Issue
from indicators.ingest.period_formats import PeriodFormat, read_period
from indicators.ingest.text_columns import TextColumn
from indicators.issue_codes import IssueCode
from indicators.periods import Period, PeriodError, PeriodKind


@dataclass(frozen=True)
class _Outcome:
    period: str | None
    code: IssueCode | None = None
    message: str = ""


def check_periods(
    raw: TextColumn,
    fmt: PeriodFormat,
    indicators: npt.NDArray[np.object_],
    value_types: npt.NDArray[np.object_],
    catalogue: Catalogue,
    lines: npt.NDArray[np.int64],
    column: str,
    fold: bool = False,
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_], list[Issue]]:
    """Canonical period text per row (``None`` when rejected), the error mask, the issues.

    ``fold``: a value of a finer period than the indicator's counts in the period containing
    it (the profile combines the rows of one period: ``combine`` sum, last or mean)."""
    p_codes, p_uniques = raw.codes, raw.uniques
    i_codes, i_uniques = pd.factorize(np.asarray(indicators, dtype=object), use_na_sentinel=True)
    v_codes, v_uniques = pd.factorize(np.asarray(value_types, dtype=object), use_na_sentinel=True)
    width_i, width_v = len(i_uniques) + 1, len(v_uniques) + 1
    combos = (p_codes.astype(np.int64) * width_i + (i_codes + 1)) * width_v + (v_codes + 1)
    distinct, inverse = np.unique(combos, return_inverse=True)
    outcomes: list[_Outcome] = []
    for combo in distinct.tolist():
        rest, v = divmod(int(combo), width_v)
        p, i = divmod(rest, width_i)
        indicator = str(i_uniques[i - 1]) if i else None
        value_type = str(v_uniques[v - 1]) if v else "valeur"
        outcomes.append(_outcome(str(p_uniques[p]), fmt, indicator, value_type, catalogue, fold))
    periods = np.array([o.period for o in outcomes] + [None], dtype=object)[inverse]
    failed = np.array([bool(o.code) for o in outcomes], dtype=bool)[inverse]
    issues = [
        Issue(int(lines[index]), column, outcome.code, str(texts[index]), outcome.message)
        for texts in (raw.values(),)
        for index in np.flatnonzero(failed)
        for outcome in (outcomes[inverse[index]],)
        if outcome.code is not None
    ]
    if fmt == "auto":
        accepted = np.unique(p_codes[~failed])
        issues += reading_notices((str(p_uniques[p]) for p in accepted.tolist()), column)
    return periods, failed, issues


def reading_notices(texts: Iterable[str], column: str) -> list[Issue]:
    """One warning per written form other than the canonical one (``2026Q2``, ``T2 2026``,
    ``04/2026``), saying how it was read: the person sees what was understood before loading.
    A form is named once whatever the number of lines that use it."""
    notices: list[Issue] = []
    for text in texts:
        written = text.strip()
        try:
            period = read_period(written)
        except PeriodError:
            continue
        if written == str(period):
            continue
        notices.append(
            Issue(
                None,
                column,
                IssueCode.PERIOD_READ_AS,
                written,
                f"« {written} » a été lu comme {period.label} ({period})",
                "warning",
            )
        )
    return notices


def _outcome(
    text: str,
    fmt: PeriodFormat,
    code: str | None,
    value_type: str,
    catalogue: Catalogue,
    fold: bool = False,
) -> _Outcome:
    indicator = catalogue.indicators.get(code) if code else None
    kind = indicator.periodicity.period_kind if indicator else None
    if not text.strip():
        return _Outcome(None, IssueCode.INVALID_PERIOD, "Période absente (cellule vide)")
    try:
        period = read_period(text, fmt, kind)
    except PeriodError as error:
        return _Outcome(None, IssueCode.INVALID_PERIOD, _capitalised(str(error)))
    if indicator is None or kind is None:
        return _Outcome(str(period))
    if _fits(period, kind, value_type):
        return _Outcome(str(period))
    if fold and value_type == "valeur" and period.kind.months < kind.months:
        return _Outcome(str(period.to_kind(kind)))
    longer = "" if value_type == "valeur" else " ou plus longue"
    return _Outcome(
        None,
        IssueCode.WRONG_PERIODICITY,
        f"{indicator.code} a une périodicité {indicator.periodicity.label} : une période de "
        f"type {kind.label}{longer} est attendue, « {text} » désigne {period.kind.with_article} "
        f"({period})",
    )


def _fits(period: Period, kind: PeriodKind, value_type: str) -> bool:
    if value_type == "valeur":
        return period.kind is kind
    return period.kind.months >= kind.months


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
