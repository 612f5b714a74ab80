"""Progress of a long load, reported to whoever shows it (a CLI bar on stderr, a web page bar).

A callback receives :class:`ProgressEvent` values: the stage (stable English id and French label)
and how far it has got (``done`` of ``total`` steps; the steps of one stage share one unit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

STAGES: Final = {
    "read": "Lecture du fichier",
    "validate": "Contrôle des valeurs",
    "compare": "Comparaison avec la base",
    "write": "Écriture",
    "refresh": "Recalcul des agrégats",
    "rollback": "Annulation",
}


@dataclass(frozen=True)
class ProgressEvent:
    stage: str
    done: int
    total: int

    @property
    def label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


ProgressCallback = Callable[[ProgressEvent], None]


def report(callback: ProgressCallback | None, stage: str, done: int, total: int) -> None:
    if callback is not None:
        callback(ProgressEvent(stage, done, total))
