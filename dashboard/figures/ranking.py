"""Ranking of territories: horizontal bars, highest value on top, the middle of a long list left
out (and said so on the chart)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures.classes import ColourClass, class_index
from dashboard.formatting import format_int, format_value

BAR_COLOUR = "#000091"
ROW_HEIGHT = 24


def bar_labels(table: pd.DataFrame) -> list[str]:
    """Territory names, with their official code when a name appears twice."""
    repeated = table["nom"].duplicated(keep=False)
    return [
        f"{name} ({code})" if twice else str(name)
        for name, code, twice in zip(table["nom"], table["code_officiel"], repeated, strict=True)
    ]


def ranking_figure(
    table: pd.DataFrame, total: int, unit: str, classes: list[ColourClass] | None = None
) -> dict[str, Any]:
    """``table``: a ranking dataset (``rang``, ``code``, ``code_officiel``, ``nom``, ``valeur``),
    highest first; ``total``: how many territories reported. Bars take the colour of their map
    class when ``classes`` are given; a gap in ``rang`` becomes a labelled empty row."""
    labels = bar_labels(table)
    colours = (
        [classes[int(i)].colour for i in class_index(table["valeur"], classes)]
        if classes and not table.empty
        else [BAR_COLOUR] * len(table)
    )
    y: list[str] = []
    x: list[float | None] = []
    bar_colours: list[str] = []
    hover: list[str] = []
    texts: list[str] = []
    previous_rank = 0
    for label, rank, value, colour in zip(
        labels, table["rang"], table["valeur"], colours, strict=True
    ):
        if rank > previous_rank + 1:
            y.append(f"… {format_int(int(rank - previous_rank - 1))} autres …")
            x.append(None)
            bar_colours.append("rgba(0,0,0,0)")
            hover.append("")
            texts.append("")
        y.append(label)
        x.append(float(value))
        bar_colours.append(colour)
        hover.append(
            f"<b>{label}</b><br>{format_value(float(value), unit)}"
            f"<br>{format_int(int(rank))}e sur {format_int(total)}"
        )
        texts.append(format_value(float(value), unit))
        previous_rank = int(rank)
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": y,
                "x": x,
                "marker": {"color": bar_colours, "line": {"color": "#555", "width": 0.5}},
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
                "showlegend": False,
            }
        ],
        "layout": {
            "height": max(160, 60 + ROW_HEIGHT * len(y)),
            "margin": {"l": 10, "r": 70, "t": 10, "b": 30},
            "bargap": 0.25,
            "yaxis": {
                "type": "category",
                "autorange": "reversed",
                "automargin": True,
                "categoryorder": "array",
                "categoryarray": y,
            },
            "xaxis": {
                "title": {"text": unit},
                "separatethousands": True,
                "rangemode": "tozero",
                "automargin": True,
            },
            "separators": ", ",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
        },
    }
