"""The key of a value — indicator, territory, period, value type — and what to do when a file
gives one key twice: reject every such row (nothing says which is right), or, when the profile
says the rows are parts of a whole (``combine: sum``), add them up."""

from __future__ import annotations

import pandas as pd

from indicators.ingest.issues import Issue

KEY = ["indicator", "territory", "period", "value_type"]
VALUE_COLUMNS = [*KEY, "value", "status", "comment", "line", "column"]


def combined(values: pd.DataFrame) -> pd.DataFrame:
    """Rows of the same key added up: each site of a list counted in its commune."""
    if values.empty:
        return values
    grouped = values.groupby(KEY, sort=False, dropna=False)
    combined = grouped.agg(
        value=("value", lambda v: v.sum(min_count=1)),
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
            "duplicate-key",
            "" if value != value else f"{value:g}",
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
