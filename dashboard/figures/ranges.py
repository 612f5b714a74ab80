"""How every chart shows a value outside its indicator's expected range (issue #16): the
detection is :func:`indicators.catalogue.scales.outside_range`; here are the French words and
the marks that go with it — a hover sentence, a note under the chart, a bar label."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.formatting import format_int, format_number, format_period, format_value
from indicators.catalogue import ValidRange
from indicators.catalogue.scales import outside_range

# a dot in a hollow diamond: stands out on a line of filled circles, in any colour
OUT_OF_RANGE_SYMBOL = "diamond-open-dot"
NOTE_LIMIT = 5  # territories named in a note; the rest are counted


def _bound(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def range_text(valid_range: ValidRange) -> str:
    """``0–100``, ``≥ 0``, ``≤ 15``."""
    low, high = valid_range.min, valid_range.max
    if low is not None and high is not None:
        return f"{_bound(low)}–{_bound(high)}"
    if low is not None:
        return f"≥ {_bound(low)}"
    if high is not None:
        return f"≤ {_bound(high)}"
    return "aucune borne"


def out_of_range_text(value: float, valid_range: ValidRange, unit: str) -> str:
    """« valeur hors de l'intervalle attendu (0–100) : 212,0 % »."""
    return (
        f"valeur hors de l'intervalle attendu ({range_text(valid_range)}) : "
        f"{format_value(value, unit)}"
    )


def out_of_range_hover(value: float, valid_range: ValidRange, unit: str) -> str:
    """The same words starting a line of a hover label."""
    text = out_of_range_text(value, valid_range, unit)
    return text[:1].upper() + text[1:]


def flagged_rows(table: pd.DataFrame, valid_range: ValidRange | None) -> npt.NDArray[np.bool_]:
    """Rows of a chart table (``valeur``, optionally ``statut``) outside ``valid_range``;
    none without a range."""
    if valid_range is None or table.empty:
        return np.zeros(len(table), dtype=bool)
    statuses = table.get("statut")
    return outside_range(table["valeur"], valid_range, statuses)


def out_of_range_note(
    table: pd.DataFrame,
    valid_range: ValidRange | None,
    unit: str,
    left_out_of: str | None = "de l'échelle de couleurs",
) -> str:
    """The note under a chart: which territories (``nom``) have a value outside the range, and
    what they are left out of (``None``: nothing); ``""`` when there is none."""
    flagged = table[flagged_rows(table, valid_range)]
    if flagged.empty or valid_range is None:
        return ""
    named = [
        f"{name} ({format_value(float(value), unit)})"
        for name, value in zip(
            flagged["nom"].head(NOTE_LIMIT), flagged["valeur"].head(NOTE_LIMIT), strict=True
        )
    ]
    if len(flagged) > NOTE_LIMIT:
        named.append(f"et {format_int(len(flagged) - NOTE_LIMIT)} autres")
    one = len(flagged) == 1
    subject = "1 valeur est hors" if one else f"{format_int(len(flagged))} valeurs sont hors"
    marked = "Elle est signalée" if one else "Elles sont signalées"
    if left_out_of:
        marked += f" et {'exclue' if one else 'exclues'} {left_out_of}"
    return (
        f"Attention : {subject} de l'intervalle attendu pour cet indicateur "
        f"({range_text(valid_range)}) : {', '.join(named)}. "
        f"{marked} ; à vérifier auprès du producteur."
    )


def series_note(table: pd.DataFrame, valid_range: ValidRange | None, unit: str) -> str:
    """The note under a line chart (``serie``, ``periode``, ``valeur``, ``statut``, ``nature``):
    the points outside the range, named by series and period; targets are never flagged."""
    if table.empty:
        return ""
    values = table[table["nature"] == "valeur"]
    named = values.assign(
        nom=[
            f"{s}, {format_period(p)}"
            for s, p in zip(values["serie"], values["periode"], strict=True)
        ]
    )
    return out_of_range_note(named, valid_range, unit, left_out_of=None)


def with_note(summary: str, note: str) -> str:
    """A chart's sentence followed by its out-of-range note, if any."""
    return f"{summary} {note}" if note else summary
