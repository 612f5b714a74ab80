"""Primary suppression of small numbers (statistical secrecy).

A count between 1 and ``threshold - 1`` could identify people (a rare disease in a village):
it becomes ``secret`` with no value. The default threshold, 11, is the one commonly applied to
health data in France (counts of 1 to 10 hidden); it is configurable, and the catalogue turns the
rule on per indicator by listing the indicators it applies to. Zero is not hidden: it reveals
nobody. Apply it to counts, before deriving rates from them — :func:`.derive` then makes the rates
secret too.

Secondary suppression (hiding other cells so that a hidden one cannot be recovered by
subtraction from a total) is out of scope.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import numpy as np
import pandas as pd

from .observations import check_columns
from .statuses import OK, SECRET

DEFAULT_SMALL_NUMBER_THRESHOLD: Final = 11


def suppress_small_numbers(
    frame: pd.DataFrame,
    threshold: int = DEFAULT_SMALL_NUMBER_THRESHOLD,
    *,
    indicators: Collection[str] | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` (columns ``value``, ``status``, and ``indicator`` when ``indicators``
    is given) where ok values with ``0 < value < threshold`` are secret with a NaN value.

    ``indicators`` limits the rule to those indicator codes; ``None`` applies it to every row.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"seuil de secret invalide {threshold!r} : attendu un entier ≥ 1")
    check_columns(
        frame,
        ("value", "status") if indicators is None else ("value", "status", "indicator"),
        "données",
    )
    value = frame["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    small = (frame["status"].to_numpy(dtype=object) == OK) & (value > 0) & (value < threshold)
    if indicators is not None:
        small &= frame["indicator"].isin(list(indicators)).to_numpy()
    result = frame.copy()
    result["value"] = np.where(small, np.nan, value)
    result["status"] = np.where(small, SECRET, frame["status"].to_numpy(dtype=object))
    return result
