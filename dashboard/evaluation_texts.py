"""How an estimate's figures read, on the evaluation page and in the frozen report alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


DESIGN_GROUP = "Plan d'évaluation (choix des témoins)"


@dataclass(frozen=True)
class WarningGroup:
    """The warnings of one indicator (by its name), or of the design, deduplicated."""

    title: str
    indicator: str | None  # its code, for a tooltip
    messages: tuple[tuple[str, str], ...]  # (French message, warning codes for a tooltip)


def grouped_warnings(
    frame: pd.DataFrame, labels: Mapping[str, str], scope: str | None = None
) -> list[WarningGroup]:
    """Warnings grouped by indicator name, in the order they come (the design's first), each
    message once. ``scope``: one territory type — its own warnings and those about the
    indicator as a whole, not those of the other types nor of the pooled estimate."""
    if scope is not None:
        frame = frame[frame["scope"].isna() | (frame["scope"] == scope)]
    groups: dict[str | None, dict[str, list[str]]] = {}
    for row in frame.itertuples(index=False):
        code = row.indicator if isinstance(row.indicator, str) else None
        codes = groups.setdefault(code, {}).setdefault(str(row.message), [])
        if str(row.code) not in codes:
            codes.append(str(row.code))
    return [
        WarningGroup(
            labels.get(code, code) if code else DESIGN_GROUP,
            code,
            tuple((message, ", ".join(codes)) for message, codes in messages.items()),
        )
        for code, messages in sorted(groups.items(), key=lambda item: item[0] is not None)
    ]
