"""The event study of a difference-in-differences: the estimated gap by period relative to the
start of the measure, pre-periods included, with its 95 % intervals (page and frozen report)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures import empty_figure


def event_study_figure(frame: pd.DataFrame, unit: str) -> dict[str, Any]:
    """Points with 95 % error bars by period relative to the start, pre-periods included; a
    vertical line at 0 (the start) and a horizontal one at 0 (no effect)."""
    if frame.empty or frame["estimate"].isna().all():
        return empty_figure("Aucune estimation à afficher pour ce choix.")
    x = [int(t) for t in frame["event_time"]]
    y = [None if pd.isna(v) else float(v) for v in frame["estimate"]]
    upper = [
        None if pd.isna(h) or pd.isna(v) else float(h) - float(v)
        for h, v in zip(frame["ci_high"], frame["estimate"], strict=True)
    ]
    lower = [
        None if pd.isna(lo) or pd.isna(v) else float(v) - float(lo)
        for lo, v in zip(frame["ci_low"], frame["estimate"], strict=True)
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": x,
                "y": y,
                "marker": {"size": 9, "color": "#1f4e9c"},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": upper,
                    "arrayminus": lower,
                    "color": "#1f4e9c",
                },
                "name": "Écart estimé",
                "hovertemplate": "Période %{x} : %{y:.2f}<extra></extra>",
            }
        ],
        "layout": {
            "height": 380,
            "margin": {"l": 70, "r": 20, "t": 10, "b": 60},
            "showlegend": False,
            "separators": ", ",
            "xaxis": {
                "title": {"text": "Périodes depuis le début de la mesure"},
                "zeroline": False,
                "dtick": 1,
            },
            "yaxis": {"title": {"text": f"Écart test − témoins ({unit})"}, "zeroline": False},
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": 0,
                    "x1": 0,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#555", "dash": "dash", "width": 1},
                },
                {
                    "type": "line",
                    "xref": "paper",
                    "yref": "y",
                    "x0": 0,
                    "x1": 1,
                    "y0": 0,
                    "y1": 0,
                    "line": {"color": "#555", "width": 1},
                },
            ],
        },
    }
