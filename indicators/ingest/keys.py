"""The key of a value — indicator, territory, period, value type — and what to do when a file
gives one key twice: reject every such row (nothing says which is right), or what the profile's
``combine`` says: add them up (``sum``: parts of a whole), keep the latest date of the period
(``last``: a stock read from a finer series) or average them (``mean``)."""

from __future__ import annotations

import pandas as pd

from indicators.french import plain_number
from indicators.ingest.issues import Issue
from indicators.issue_codes import IssueCode

KEY = ["indicator", "territory", "period", "value_type"]
VALUE_COLUMNS = [*KEY, "value", "status", "comment", "line", "column"]
# when a row falls within its period (ISO text), for ``combine: last``; dropped once combined
MOMENT = "moment"


def empty_values() -> pd.DataFrame:
    """No value yet: the columns of :data:`VALUE_COLUMNS`, typed."""
    return pd.DataFrame({name: pd.Series(dtype=object) for name in VALUE_COLUMNS}).astype(
        {"value": "float64", "line": "int64"}
    )


def combined(values: pd.DataFrame, how: str = "sum") -> pd.DataFrame:
    """Rows of the same key made one: added up (``sum``: each site of a list counted in its
    commune), averaged over the rows with a value (``mean``), or the row of the latest moment
    of the period (``last``; the later line of the file on a tie)."""
    if values.empty:
        return values[VALUE_COLUMNS]
    if how == "last":
        order = [MOMENT, "line"] if MOMENT in values.columns else ["line"]
        latest = values.sort_values(order, kind="stable").drop_duplicates(KEY, keep="last")
        return latest.sort_values("line", kind="stable")[VALUE_COLUMNS]
    if how not in ("sum", "mean"):
        raise ValueError(f"combinaison inconnue : {how!r}")
    numbers = values["value"].where(values["status"] == "ok")
    grouped = values.assign(value=numbers).groupby(KEY, sort=False, dropna=False)
    combined = grouped.agg(
        value=("value", (lambda v: v.sum(min_count=1)) if how == "sum" else "mean"),
        status=("status", lambda s: "ok" if (s == "ok").any() else s.iloc[0]),
        comment=("comment", "first"),
        line=("line", "min"),
        column=("column", "first"),
    ).reset_index()
    return combined[VALUE_COLUMNS]


def without_duplicates(values: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Every row of a key given twice is rejected: nothing says which one is right."""
    duplicated = values.duplicated(KEY, keep=False).to_numpy()
    if not duplicated.any():
        return values, []
    rows = values[duplicated]
    lines = rows.groupby(KEY, sort=False)["line"]
    first = lines.transform("min").to_numpy()
    last = lines.transform("max").to_numpy()
    size = lines.transform("size").to_numpy()
    issues = [
        Issue(
            int(line),
            str(column),
            IssueCode.DUPLICATE_KEY,
            "" if value != value else plain_number(value),
            f"Même indicateur, territoire, période et type de valeur ({indicator}, "
            f"{territory}, {period}, {value_type}) qu'en ligne "
            f"{low if line != low else high}"
            + (f" ({count} lignes en tout)" if count > 2 else "")
            + " : aucune de ces lignes n'est chargée",
        )
        for line, column, value, indicator, territory, period, value_type, low, high, count in zip(
            rows["line"].tolist(),
            rows["column"].tolist(),
            rows["value"].tolist(),
            rows["indicator"].tolist(),
            rows["territory"].tolist(),
            rows["period"].tolist(),
            rows["value_type"].tolist(),
            first.tolist(),
            last.tolist(),
            size.tolist(),
            strict=True,
        )
    ]
    return values[~duplicated], issues
