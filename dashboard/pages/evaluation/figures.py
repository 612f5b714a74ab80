"""The evaluation page's own figures: the per-région maps of test and comparison communes (the
frozen report's static drawings) and the effects by territory type."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pandas as pd

from dashboard.figures import empty_figure
from dashboard.figures.classes import ColourClass
from dashboard.reports.evaluation_report import ROLE_FILLS

# the legend of the maps: the frozen report's colours
ROLE_CLASSES = [
    ColourClass(0.0, 0.5, ROLE_FILLS["comparison"], "Territoires témoins"),
    ColourClass(0.5, 1.0, ROLE_FILLS["test"], "Territoires test"),
]
CHOSEN = "#1f4e9c"
OTHER = "#8c8c8c"


def svg_data_uri(svg: str) -> str:
    """An SVG as an image address (the page's policy allows ``data:`` images, no inline SVG).
    Percent-encoded, not base64: the path data stays digits and letters, which the response's
    compression shrinks several times more than base64 text."""
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe=" ,=:/'")


def effects_by_type_figure(frame: pd.DataFrame, unit: str, chosen: str | None) -> dict[str, Any]:
    """One point and its 95 % interval per scope (all types, then each type), horizontal; the
    type chosen in the filter stands out, the others are grey."""
    usable = frame.dropna(subset=["estimate", "ci_low", "ci_high"])
    if usable.empty:
        return empty_figure("Aucun effet estimé par type de territoire pour cet indicateur.")
    labels = [str(label) for label in usable["scope_label"]]
    colours = [CHOSEN if chosen is None or scope == chosen else OTHER for scope in usable["scope"]]
    estimate = usable["estimate"].astype(float)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "orientation": "h",
                "x": [float(v) for v in estimate],
                "y": labels,
                "marker": {"size": 11, "color": colours},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [float(v) for v in usable["ci_high"].astype(float) - estimate],
                    "arrayminus": [float(v) for v in estimate - usable["ci_low"].astype(float)],
                    "color": "#555",
                },
                "customdata": [str(v) for v in usable["verdict_label"]],
                "hovertemplate": "%{y} : %{x:.2f} — %{customdata}<extra></extra>",
                "name": "Effet estimé",
            }
        ],
        "layout": {
            "height": 120 + 45 * len(labels),
            "margin": {"l": 160, "r": 20, "t": 10, "b": 50},
            "showlegend": False,
            "separators": ", ",
            "xaxis": {"title": {"text": f"Écart test − témoins ({unit})"}, "zeroline": False},
            "yaxis": {"autorange": "reversed"},
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": 0,
                    "x1": 0,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#555", "width": 1},
                }
            ],
        },
    }
