"""Observation statuses, kept apart everywhere: ok (zero included), missing, not applicable, secret.

Computations work on small integer codes; the order of the codes is the precedence used when
several inputs combine into one value (a derived indicator, a ratio): the highest code wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

Status = Literal["ok", "missing", "not_applicable", "secret"]

OK: Final = "ok"
MISSING: Final = "missing"
NOT_APPLICABLE: Final = "not_applicable"
SECRET: Final = "secret"

STATUS_LABELS: Final[Mapping[Status, str]] = MappingProxyType(
    {
        OK: "renseigné",
        MISSING: "manquant",
        NOT_APPLICABLE: "sans objet",
        SECRET: "secret statistique",
    }
)

# Codes, by increasing precedence: a secret input makes the result secret whatever the others
# say (it must never leak), then missing, then not applicable. ABSENT means "no row at all".
OK_CODE: Final = 0
NOT_APPLICABLE_CODE: Final = 1
MISSING_CODE: Final = 2
SECRET_CODE: Final = 3
ABSENT_CODE: Final = 4
N_CODES: Final = 5
STATUS_BY_CODE: Final[tuple[Status, ...]] = (OK, NOT_APPLICABLE, MISSING, SECRET)

StatusCodes = npt.NDArray[np.int8]


def combine_status_codes(codes: StatusCodes) -> StatusCodes:
    """Status of a value computed from several inputs stacked on axis 0.

    A cell with no row in any input stays absent; an input with no row while another has one
    counts as missing.
    """
    present = (codes != ABSENT_CODE).any(axis=0)
    worst = np.where(codes == ABSENT_CODE, MISSING_CODE, codes).max(axis=0)
    return np.where(present, worst, ABSENT_CODE).astype(np.int8)
