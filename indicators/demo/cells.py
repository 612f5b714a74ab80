"""The generated observations as one long table of numpy columns, ready to be written.

Statuses are the small integer codes of :mod:`indicators.compute.statuses`; a value is NaN
whenever the status is not ok.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from indicators.compute.statuses import OK_CODE, STATUS_BY_CODE

Strings = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Cells:
    indicator: Strings
    territory: Strings
    period: Strings
    value: npt.NDArray[np.float64]
    status: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return len(self.value)

    @classmethod
    def from_matrix(
        cls,
        code: str,
        territories: Sequence[str],
        periods: Sequence[str],
        values: npt.NDArray[np.float64],
        status: npt.NDArray[np.int8],
    ) -> Cells:
        """Flatten a (territories × periods) matrix, territory by territory."""
        size = values.size
        return cls(
            indicator=np.full(size, code, dtype=object),
            territory=np.repeat(np.asarray(territories, dtype=object), len(periods)),
            period=np.tile(np.asarray(periods, dtype=object), len(territories)),
            value=np.where(status == OK_CODE, values, np.nan).ravel(),
            status=status.ravel().astype(np.int8),
        )

    @classmethod
    def concat(cls, parts: Sequence[Cells]) -> Cells:
        if not parts:
            empty = np.array([], dtype=object)
            return cls(empty, empty, empty, np.array([]), np.array([], dtype=np.int8))
        return cls(
            np.concatenate([p.indicator for p in parts]),
            np.concatenate([p.territory for p in parts]),
            np.concatenate([p.period for p in parts]),
            np.concatenate([p.value for p in parts]),
            np.concatenate([p.status for p in parts]),
        )

    def subset(self, keep: npt.NDArray[np.bool_]) -> Cells:
        return Cells(
            self.indicator[keep],
            self.territory[keep],
            self.period[keep],
            self.value[keep],
            self.status[keep],
        )

    def status_names(self) -> list[str]:
        names = np.asarray(STATUS_BY_CODE, dtype=object)
        return list(names[self.status])

    def count_by_status(self) -> dict[str, int]:
        counts = np.bincount(self.status, minlength=len(STATUS_BY_CODE))
        return {name: int(counts[code]) for code, name in enumerate(STATUS_BY_CODE)}

    def checksum(self) -> str:
        """sha256 of the content, in generation order (which the seed fixes)."""
        digest = hashlib.sha256()
        for name in _COLUMNS[:3]:
            digest.update("\x1f".join(getattr(self, name)).encode())
        digest.update(np.where(np.isnan(self.value), 0.0, self.value).tobytes())
        digest.update(self.status.tobytes())
        return digest.hexdigest()


_COLUMNS = ("indicator", "territory", "period", "value", "status")
