"""How an estimate's figures read, on the evaluation page and in the frozen report alike."""

from __future__ import annotations

from typing import Any

import pandas as pd

from indicators.evaluation import format_reading_number

MISSING = "—"


def number_text(value: Any, decimals: int = 2, *, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return MISSING
    return format_reading_number(float(value), decimals, signed=signed)


def count_text(value: Any) -> str:
    return MISSING if value is None or pd.isna(value) else str(int(value))


def interval_text(low: Any, high: Any) -> str:
    return f"[{number_text(low)} ; {number_text(high)}]"


def estimate_texts(row: Any) -> dict[str, str]:
    """The cells of one row of the estimates table (an ``itertuples`` row of
    ``MeasureEvaluation.estimates``)."""
    return {
        "estimate": number_text(row.estimate, signed=True),
        "interval": interval_text(row.ci_low, row.ci_high),
        "units": f"{count_text(row.n_test)} / {count_text(row.n_comparison)}",
        "periods": (
            f"{count_text(row.n_periods)} ({count_text(row.n_pre)} / {count_text(row.n_post)})"
        ),
        "pretrend": number_text(row.pretrend_p, 3),
    }
