"""What a frozen report rests on, as data: the values it used and the figures it shows, each
with a fingerprint (sha256) that anyone can recompute.

Two evaluations with the same fingerprints used the same values and produced the same figures;
``suivi evaluation verify`` recomputes them for a report's measure, design and data version.
Numbers are written with 10 significant digits so that harmless floating-point noise between
platforms does not change the fingerprint.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Final

import pandas as pd

if TYPE_CHECKING:
    from indicators.evaluation.evaluate import MeasureEvaluation

INPUT_COLUMNS: Final = (
    "indicator",
    "level",
    "territory",
    "type",
    "role",
    "period",
    "value",
    "status",
)
FLOAT_FORMAT: Final = "%.10g"


def evaluation_inputs(evaluation: MeasureEvaluation) -> pd.DataFrame:
    """Every panel cell the estimates used (:data:`INPUT_COLUMNS`), indicator by indicator."""
    frames = [
        item.panel.long().assign(indicator=item.indicator.code, level=item.level)
        for item in evaluation.indicators
        if item.panel is not None
    ]
    if not frames:
        return pd.DataFrame(columns=list(INPUT_COLUMNS))
    frame = pd.concat(frames, ignore_index=True)[list(INPUT_COLUMNS)]
    return frame.sort_values(["indicator", "territory", "period"]).reset_index(drop=True)


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """sha256 of the frame written as CSV (rows in their order, 10 significant digits)."""
    text = frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def results_fingerprint(evaluation: MeasureEvaluation) -> str:
    """Over the estimates and the event studies: the figures a report shows."""
    estimates = frame_fingerprint(evaluation.estimates)
    study = frame_fingerprint(evaluation.event_study)
    return hashlib.sha256(f"{estimates}\n{study}".encode()).hexdigest()
