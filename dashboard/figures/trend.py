"""Line charts of one indicator over time, several series (territory, parent, similar
territories, target)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dashboard.figures import NO_DATA, empty_figure
from dashboard.figures.ranges import OUT_OF_RANGE_SYMBOL, flagged_rows, out_of_range_text
from dashboard.formatting import format_period, format_value
from indicators.catalogue import ValidRange

# Colour-blind-safe series colours (Okabe–Ito), the territory itself first.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
TARGET_COLOUR = "#D55E00"


def trend_figure(
    table: pd.DataFrame,
    unit: str,
    height: int = 360,
    empty: str = NO_DATA,
    valid_range: ValidRange | None = None,
    max_ticks: int = 12,
) -> dict[str, Any]:
    """``table``: ``serie``, ``periode``, ``valeur``, ``statut``, ``nature`` (``valeur`` or
    ``cible``), periods sorted; one line per series, targets as dashed markers. Without any
    reported value (targets alone say nothing), the figure says ``empty``. A value outside
    ``valid_range`` keeps its place on the line with a hollow diamond and a hover that says so.
    At most ``max_ticks`` periods are labelled on the axis (:func:`spaced_ticks`)."""
    drawn = table[(table["statut"] == "ok") & table["valeur"].map(_finite)]
    if not (drawn["nature"] == "valeur").any():
        return empty_figure(empty)
    traces: list[dict[str, Any]] = []
    periods = sorted(set(table["periode"]))
    ticks = spaced_ticks(periods, max_ticks)
    for number, (name, part) in enumerate(table.groupby("serie", sort=False)):
        is_target = (part["nature"] == "cible").all()
        ok = drawn.loc[drawn.index.intersection(part.index)]
        colour = TARGET_COLOUR if is_target else SERIES_COLOURS[number % len(SERIES_COLOURS)]
        flags = [False] * len(ok) if is_target else flagged_rows(ok, valid_range).tolist()
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": str(name),
                "x": ok["periode"].tolist(),
                "y": ok["valeur"].tolist(),
                "text": [
                    f"{name}<br>{format_period(p)} : "
                    + (
                        out_of_range_text(v, valid_range, unit)
                        if flagged and valid_range is not None
                        else format_value(v, unit)
                    )
                    for p, v, flagged in zip(ok["periode"], ok["valeur"], flags, strict=True)
                ],
                "hovertemplate": "%{text}<extra></extra>",
                "line": {"color": colour, "width": 3 if number == 0 else 2, "dash": "dash"}
                if is_target
                else {"color": colour, "width": 3 if number == 0 else 2},
                "marker": _marker(flags, is_target),
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": height,
            "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
            "xaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": periods,
                "tickvals": ticks,
                "ticktext": [format_period(p) for p in ticks],
            },
            "yaxis": {"title": {"text": unit}, "separatethousands": True, "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": -0.2},
            "separators": ", ",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
            "hovermode": "closest",
        },
    }


def spaced_ticks(periods: list[str], most: int) -> list[str]:
    """Every k-th period, the latest always among them, so that at most ``most`` labels share
    the axis: 54 months on a small chart would otherwise print as one black smear."""
    if len(periods) <= most:
        return list(periods)
    step = math.ceil(len(periods) / most)
    return periods[::-1][::step][::-1]


def _marker(flags: list[bool], is_target: bool) -> dict[str, Any]:
    """Stars for targets, dots for values, hollow diamonds (per point) for values out of range."""
    size, symbol = (9, "star") if is_target else (6, "circle")
    if not any(flags):
        return {"size": size, "symbol": symbol}
    return {
        "size": [12 if f else size for f in flags],
        "symbol": [OUT_OF_RANGE_SYMBOL if f else symbol for f in flags],
    }


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def sparkline_figure(
    periods: list[str], values: list[float], colour: str = "#000091"
) -> dict[str, Any]:
    """A tiny line without axes, for cards."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "x": periods,
                "y": values,
                "line": {"color": colour, "width": 2},
                "hoverinfo": "skip",
            }
        ],
        "layout": {
            "height": 48,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": {"visible": False, "type": "category"},
            "yaxis": {"visible": False},
            "showlegend": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }
