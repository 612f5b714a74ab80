"""Ranking of territories: horizontal bars, highest value on top, the middle of a long list left
out (and said so on the chart)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures import empty_figure
from dashboard.figures.classes import ColourClass, class_index
from dashboard.figures.distribution import WHOLE_UNITS
from dashboard.formatting import format_int, format_value

BAR_COLOUR = "#000091"
ROW_HEIGHT = 24


def ordinal(rank: int) -> str:
    return "1er" if rank == 1 else f"{format_int(rank)}e"


def bar_labels(table: pd.DataFrame) -> list[str]:
    """Territory names, with their official code when a name appears twice."""
    repeated = table["nom"].duplicated(keep=False)
    return [
        f"{name} ({code})" if twice else str(name)
        for name, code, twice in zip(table["nom"], table["code_officiel"], repeated, strict=True)
    ]


def ranking_figure(
    table: pd.DataFrame,
    total: int,
    unit: str,
    classes: list[ColourClass] | None = None,
    empty: str = "Aucune valeur à classer.",
) -> dict[str, Any]:
    """``table``: a ranking dataset (``rang``, ``code``, ``code_officiel``, ``nom``, ``valeur``,
    optionally ``territoires_renseignes`` and ``territoires_attendus``),
    highest first; ``total``: how many territories reported. Bars take the colour of their map
    class when ``classes`` are given; a gap in ``rang`` becomes a labelled empty row."""
    if table.empty:
        return empty_figure(empty)
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
    codes: list[str | None] = []
    previous_rank = 0
    # an aggregated value says how many territories it rests on (optional columns)
    reported = table.get("territoires_renseignes", pd.Series(1, index=table.index))
    expected = table.get("territoires_attendus", pd.Series(1, index=table.index))
    coverage = [
        f"<br>{format_int(int(k))} territoires renseignés sur {format_int(int(n))}" if n > 1 else ""
        for k, n in zip(reported, expected, strict=True)
    ]
    for label, code, rank, value, colour, covered in zip(
        labels, table["code"], table["rang"], table["valeur"], colours, coverage, strict=True
    ):
        if rank > previous_rank + 1:
            y.append(f"… {format_int(int(rank - previous_rank - 1))} autres …")
            x.append(None)
            bar_colours.append("rgba(0,0,0,0)")
            hover.append("")
            texts.append("")
            codes.append(None)
        y.append(label)
        codes.append(str(code))
        x.append(float(value))
        bar_colours.append(colour)
        hover.append(
            f"<b>{label}</b><br>{format_value(float(value), unit)}"
            f"<br>{ordinal(int(rank))} sur {format_int(total)}{covered}"
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
                "customdata": codes,
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
                **({"tickformat": ",d"} if unit in WHOLE_UNITS else {}),
            },
            "separators": ", ",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
        },
    }
