"""The « Cibles » field of the indicator form: targets one a line, to and from the ``target``
tables of the catalogue files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from dashboard.pages.administration_catalogue import texts
from indicators.french import plain_number

MILESTONES: Final = "jalons"
CUMULATIVE: Final = "cumulée"


def targets_text(targets: Sequence[Mapping[str, Any]]) -> str:
    """Targets one a line: ``portée ; période ; valeur[ ; jalons P=V P=V][ ; cumulée]``."""
    lines = []
    for target in targets:
        parts = [str(target["scope"]), str(target["period"]), plain_number(float(target["value"]))]
        milestones = target.get("milestones") or []
        if milestones:
            pairs = " ".join(f"{m['period']}={plain_number(float(m['value']))}" for m in milestones)
            parts.append(f"{MILESTONES} {pairs}")
        if target.get("cumulative"):
            parts.append(CUMULATIVE)
        lines.append(" ; ".join(parts))
    return "\n".join(lines)


class FormError(ValueError):
    """A field the form cannot turn into the file's table (French message, its key)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def parse_targets(text: str) -> list[dict[str, Any]]:
    """The ``target`` tables of :func:`targets_text`'s lines; scopes and periods are checked by
    the catalogue's rules afterwards, numbers and the line's shape here."""
    targets = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) < 3 or not all(parts[:3]):
            raise FormError("target", texts.TARGET_SHAPE.format(line=number))
        target: dict[str, Any] = {
            "scope": parts[0],
            "value": _parse_number(parts[2], number),
            "period": parts[1],
        }
        for extra in parts[3:]:
            word, _, rest = extra.partition(" ")
            if extra.lower() in (CUMULATIVE, "cumulee", "cumulative"):
                target["cumulative"] = True
            elif word.lower() == MILESTONES:
                target["milestones"] = [_milestone(pair, number) for pair in rest.split()]
            elif extra:
                raise FormError("target", texts.TARGET_EXTRA.format(line=number, part=extra))
        targets.append(target)
    return targets


def _milestone(pair: str, line: int) -> dict[str, Any]:
    period, sign, value = pair.partition("=")
    if not sign or not period:
        raise FormError("target", texts.MILESTONE_SHAPE.format(line=line, part=pair))
    return {"period": period, "value": _parse_number(value, line)}


def _parse_number(text: str, line: int) -> float:
    try:
        return float(text.replace("\u202f", "").replace(" ", "").replace(",", "."))
    except ValueError:
        raise FormError("target", texts.TARGET_NUMBER.format(line=line, value=text)) from None
