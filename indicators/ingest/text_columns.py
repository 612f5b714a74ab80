"""A column as trimmed text, kept as codes into its distinct values.

A million rows name a few thousand territories, eight indicators, four periods and often a few
thousand distinct numbers: every check works on the distinct values, then spreads its answer
back to the rows by the codes — never a Python loop over a million rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd


@dataclass(frozen=True)
class TextColumn:
    codes: npt.NDArray[np.intp]
    uniques: npt.NDArray[np.object_]

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, rows: npt.NDArray[np.intp]) -> TextColumn:
        return TextColumn(self.codes[rows], self.uniques)

    def values(self) -> npt.NDArray[np.object_]:
        return self.uniques[self.codes]

    def map(self, function: Callable[[str], Any]) -> npt.NDArray[np.object_]:
        """``function`` of each distinct value, spread to the rows."""
        answers = np.empty(len(self.uniques), dtype=object)
        answers[:] = [function(str(value)) for value in self.uniques]
        return answers[self.codes]


def text_column(values: pd.Series | npt.NDArray[np.object_]) -> TextColumn:
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    stripped = np.empty(len(uniques), dtype=object)
    stripped[:] = ["" if value is None else str(value).strip() for value in uniques]
    return TextColumn(codes.astype(np.intp), stripped)


def constant_column(value: str, size: int) -> TextColumn:
    uniques = np.empty(1, dtype=object)
    uniques[0] = value
    return TextColumn(np.zeros(size, dtype=np.intp), uniques)
