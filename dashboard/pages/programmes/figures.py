"""Figures of the programme pages: members over time, members on a map, progress to targets.

Pure builders: a table from ``datasets.py`` and ``members.py`` in, a Plotly figure as a dict out.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd

from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import ColourClass
from dashboard.formatting import format_int, plural
from dashboard.pages.programmes.texts import at_period, percent

# Light grey for "none", then blues (colour-blind safe, dark enough on white for the last ones).
NONE_COLOUR = "#ececec"
COUNT_COLOURS = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
MEMBER_COLOUR = "#0063cb"
TARGET_COLOUR = "#18753c"
JOINED_COLOUR = "#E69F00"
STATUS_COLOURS = {
    "achieved": "#18753c",
    "on_track": "#0063cb",
    "late": "#b34000",
    "": "#7b7b7b",
}
STATUS_NAMES = {
    "achieved": "Cible atteinte",
    "on_track": "En bonne voie",
    "late": "En retard",
    "": "Sans échéance",
}


def members_history_figure(table: pd.DataFrame, members_word: str) -> dict[str, Any]:
    """Stacked bars per period: members already there, and those who joined during it (the
    bar's height is the number of members at the end of the period)."""
    x = table["periode"].tolist()
    labels = table["periode_libelle"].tolist()
    stay = [
        f"{label} : {format_int(int(m))} {members_word} en fin de période, "
        f"dont {plural(int(j), 'entrée')}" + (f", {plural(int(s), 'sortie')}" if s else "")
        for label, m, j, s in zip(
            labels, table["membres"], table["entrees"], table["sorties"], strict=True
        )
    ]
    bar = {"type": "bar", "x": x, "text": stay, "hovertemplate": "%{text}<extra></extra>"}
    return {
        "data": [
            bar
            | {
                "name": "Déjà membres",
                "y": table["deja_membres"].astype(int).tolist(),
                "marker": {"color": MEMBER_COLOUR},
                "textposition": "none",
            },
            bar
            | {
                "name": "Entrés pendant la période",
                "y": table["entrees"].astype(int).tolist(),
                "marker": {"color": JOINED_COLOUR},
                "textposition": "none",
            },
        ],
        "layout": {
            "barmode": "stack",
            "height": 340,
            "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
            "xaxis": {
                "type": "category",
                "tickvals": x,
                "ticktext": [short_period(p) for p in x],
                "tickangle": 0,
            },
            "yaxis": {
                "title": {"text": f"Nombre de {members_word}"},
                "separatethousands": True,
                "rangemode": "tozero",
            },
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "separators": ", ",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
            "hovermode": "closest",
        },
    }


def short_period(period: str) -> str:
    """Tick labels that fit side by side: ``2025``, ``S1<br>2025``, ``T3<br>2025``."""
    year, _, rest = period.partition("-")
    return f"{rest}<br>{year}" if rest else year


def count_classes(counts: pd.Series, members_word: str, count: int = 4) -> list[ColourClass]:
    """ "None", then up to ``count`` classes of whole numbers with about as many places each."""
    classes = [ColourClass(0.0, 0.0, NONE_COLOUR, "Aucun membre")]
    positive = np.sort(counts[counts > 0].to_numpy(dtype=float))
    if positive.size == 0:
        return classes
    edges = np.unique(np.quantile(positive, np.linspace(0, 1, count + 1)).round().astype(int))
    uppers = edges[1:] if edges.size > 1 else edges
    bounds, lower = [], int(positive[0])
    for upper in uppers:
        if upper >= lower:
            bounds.append((lower, int(upper)))
            lower = int(upper) + 1
    colours = COUNT_COLOURS[-len(bounds) :] if len(bounds) < 3 else COUNT_COLOURS[: len(bounds)]
    for (low, high), colour in zip(bounds, colours, strict=True):
        label = format_int(low) if low == high else f"{format_int(low)} à {format_int(high)}"
        classes.append(ColourClass(float(low), float(high), colour, f"{label} {members_word}"))
    return classes


def membership_classes(member_label: str) -> list[ColourClass]:
    return [
        ColourClass(0.0, 0.0, NONE_COLOUR, "Non membre"),
        ColourClass(1.0, 1.0, MEMBER_COLOUR, member_label),
    ]


def members_map_figure(
    table: pd.DataFrame, classes: list[ColourClass], geometry_url: str, hover: list[str]
) -> dict[str, Any]:
    """``table``: ``code``, ``code_officiel``, ``nom``, ``zone`` and the drawn number in
    ``valeur`` (members, or 1 for a member commune); ``hover``: one text per row."""
    frame = table.assign(
        statut="ok",
        statut_libelle="",
        territoires_renseignes=1,
        territoires_attendus=1,
    )
    figure = choropleth_figure(frame, classes, geometry_url, "nombre")
    texts = dict(zip(table["code"], hover, strict=True))
    for trace in figure["data"]:
        trace["text"] = [texts[code] for code in trace["customdata"]]
    return figure


def progress_figure(table: pd.DataFrame) -> dict[str, Any]:
    """Horizontal bars: the share of the way from baseline to target covered by the latest
    value (100 % = target reached), coloured by status, with the share of time elapsed as a
    tick. Rows in the table's order, top to bottom."""
    rows = table.reset_index(drop=True)
    names = [
        _wrap(f"{label} — {scope}")
        for label, scope in zip(rows["libelle"], rows["portee"], strict=True)
    ]
    hover = [
        f"<b>{row.libelle}</b><br>{row.portee}<br>"
        f"{percent(row.progression)} du chemin vers la cible {at_period(str(row.periode))}"
        + (
            f"<br>{percent(row.progression_attendue)} du temps écoulé"
            if pd.notna(row.progression_attendue)
            else ""
        )
        for row in rows.itertuples()
    ]
    traces: list[dict[str, Any]] = []
    statuses = rows["statut"].fillna("").astype(str)
    for status, name in STATUS_NAMES.items():
        picked = rows.index[statuses == status].tolist()
        if not picked:
            continue
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": [names[i] for i in picked],
                "x": [_clip(rows.loc[i, "progression"]) for i in picked],
                "text": [percent(rows.loc[i, "progression"]) for i in picked],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": [hover[i] for i in picked],
                "customdata": [rows.loc[i, "indicateur"] for i in picked],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {"color": STATUS_COLOURS[status]},
            }
        )
    expected = rows["progression_attendue"].notna()
    if expected.any():
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Temps écoulé vers l'échéance",
                "y": [names[i] for i in rows.index[expected]],
                "x": rows.loc[expected, "progression_attendue"].astype(float).tolist(),
                "marker": {
                    "symbol": "line-ns",
                    "size": 26,
                    "line": {"width": 3, "color": "#1e1e1e"},
                },
                "hoverinfo": "skip",
            }
        )
    # the target line of the shapes below, named in the legend
    traces.append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Cible (100 %)",
            "x": [None],
            "y": [None],
            "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
            "hoverinfo": "skip",
        }
    )
    upper = max(110.0, *(_clip(v) + 15 for v in rows["progression"]))
    lower = min(0.0, *(_clip(v) - 15 for v in rows["progression"]))
    return {
        "data": traces,
        "layout": {
            "height": 90 + 56 * len(rows),
            "margin": {"l": 10, "r": 30, "t": 40, "b": 50},
            "barmode": "overlay",
            "bargap": 0.35,
            "xaxis": {
                "title": {"text": "Part du chemin parcouru de la valeur de référence à la cible"},
                "range": [lower, upper],
                "ticksuffix": " %",
                "zeroline": True,
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": list(reversed(names)),
                "automargin": True,
            },
            "shapes": [
                {
                    "type": "line",
                    "x0": 100,
                    "x1": 100,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
                }
            ],
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "separators": ", ",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
            "hovermode": "closest",
        },
    }


def _wrap(text: str, width: int = 38) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _clip(value: object) -> float:
    """Bars stay readable when a value runs far past the target or the wrong way."""
    number = float(value) if value is not None and pd.notna(value) else 0.0
    return max(-50.0, min(150.0, number))
