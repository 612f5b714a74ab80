"""The indicator page's own figures: the ranking of territories (horizontal bars, highest on
top, the middle of a long list left out and said so), how the values spread (a histogram with
reference lines: median, France), the coverage over time (stacked bars), and the course over time
for France and the size classes (targets dashed, in the colour of their series)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures import empty_figure
from dashboard.figures.classes import (
    OUT_OF_RANGE_COLOUR,
    OUT_OF_RANGE_LINE,
    SEQUENTIAL,
    ColourClass,
    class_index,
)
from dashboard.figures.ranges import flagged_rows, out_of_range_hover
from dashboard.figures.trend import trend_figure
from dashboard.formatting import format_int, format_period, format_value
from dashboard.formatting import format_period_short as short_period
from indicators.catalogue import ValidRange

# a mid blue of the maps' sequential palette: the house colours, not Plotly's purple
HISTOGRAM_COLOUR = SEQUENTIAL[3]
MANY_PERIODS = 8
# units read as whole numbers: axes say "20 000", not "20k"
WHOLE_UNITS = {"nombre", "€", "k€"}


def period_ticks(periods: list[str]) -> list[str]:
    """Full French names when they fit, short ones when the axis holds many periods."""
    return [short_period(p) if len(periods) > MANY_PERIODS else format_period(p) for p in periods]


REFERENCE_COLOURS = {"médiane": "#1e1e1e", "France": "#D55E00"}
REFERENCE_DASHES = {"médiane": "dash", "France": "dot"}


LABEL_ROW_STEP = 0.1  # of the plot's height: one label row, a 12 px line plus its padding


def label_placements(values: list[float]) -> list[tuple[float, str]]:
    """(y in paper units, xanchor) of each reference line's label, so that no two overlap even
    when the values are close: each label sits on its own row above the plot, and with two
    lines the smaller value's label runs leftwards from its line, the larger's rightwards."""
    placements = [(1 + LABEL_ROW_STEP * row, "center") for row in range(len(values))]
    if len(values) == 2:
        low_first = values[0] <= values[1]
        placements = [
            (1.0, "right" if low_first else "left"),
            (1 + LABEL_ROW_STEP, "left" if low_first else "right"),
        ]
    return placements


def histogram_figure(
    table: pd.DataFrame, unit: str, level_plural: str, empty: str | None = None
) -> dict[str, Any]:
    """``table``: a distribution dataset — ``classe`` rows (``borne_basse``, ``borne_haute``,
    ``territoires``) drawn as bars, other rows (``nature``, ``libelle``, ``valeur``) as vertical
    lines labelled at the top. Without any class, the figure says ``empty``."""
    bins = table[table["nature"] == "classe"]
    if bins.empty:
        return empty_figure(empty or f"Aucune valeur pour les {level_plural}.")
    references = table[table["nature"] != "classe"]
    lows = bins["borne_basse"].astype(float).tolist()
    highs = bins["borne_haute"].astype(float).tolist()
    counts = [int(c) for c in bins["territoires"]]
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": [(low + high) / 2 for low, high in zip(lows, highs, strict=True)],
            "y": counts,
            "width": [high - low for low, high in zip(lows, highs, strict=True)],
            "marker": {"color": HISTOGRAM_COLOUR, "line": {"color": "#ffffff", "width": 1}},
            "hovertext": [
                f"De {format_value(low, unit)} à {format_value(high, unit)} : "
                f"{format_int(count)} {level_plural}"
                for low, high, count in zip(lows, highs, counts, strict=True)
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "name": level_plural.capitalize(),
            "showlegend": False,
        }
    ]
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    placements = label_placements([float(v) for v in references["valeur"]])
    for (_, row), (row_y, anchor) in zip(references.iterrows(), placements, strict=True):
        colour = REFERENCE_COLOURS.get(row["nature"], "#1e1e1e")
        value = float(row["valeur"])
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": value,
                "x1": value,
                "y0": 0,
                "y1": 1,
                "line": {
                    "color": colour,
                    "width": 2,
                    "dash": REFERENCE_DASHES.get(row["nature"], "dash"),
                },
            }
        )
        annotations.append(
            {
                "x": value,
                "xref": "x",
                "y": row_y,
                "yref": "paper",
                "yanchor": "bottom",
                "xanchor": anchor,
                "text": f"{row['libelle']} : {format_value(value, unit)}",
                "showarrow": False,
                "font": {"color": colour, "size": 12},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": 360,
            "margin": {"l": 60, "r": 20, "t": 30 + 25 * len(annotations), "b": 50},
            "bargap": 0,
            "xaxis": {
                "title": {"text": unit},
                "separatethousands": True,
                "automargin": True,
                **({"tickformat": ",d"} if unit in WHOLE_UNITS else {}),
            },
            "yaxis": {
                "title": {"text": f"Nombre de {level_plural}"},
                "rangemode": "tozero",
                "tickformat": ",d",
                # whole territories: no 0.5 tick when a class holds one or two of them
                **({"dtick": 1} if counts and max(counts) <= 8 else {}),
            },
            "shapes": shapes,
            "annotations": annotations,
            "separators": ", ",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
        },
    }


# Reported first (at the bottom of each bar), then what keeps a value from being counted.
COVERAGE_PARTS = [
    ("renseignes", "Renseignés", "#0072B2"),
    ("secret", "Secret statistique", "#6f6f6f"),
    ("sans_objet", "Sans objet", "#ffffff"),
    ("manquants", "Non renseignés", "#d9d9d9"),
]


def coverage_figure(table: pd.DataFrame, level_plural: str) -> dict[str, Any]:
    """``table``: a coverage dataset (``periode``, ``renseignes``, ``secret``, ``sans_objet``,
    ``manquants``, ``attendus``, ``taux_couverture``); one stacked bar per period."""
    if table.empty or not table[[c for c, _, _ in COVERAGE_PARTS]].to_numpy().any():
        return empty_figure(
            "Aucune valeur agrégée pour la France : la couverture ne peut pas être calculée."
        )
    periods = table["periode"].tolist()
    traces = []
    for column, name, colour in COVERAGE_PARTS:
        counts = [int(v) for v in table[column]]
        if not any(counts):
            continue
        traces.append(
            {
                "type": "bar",
                "name": name,
                "x": periods,
                "y": counts,
                "marker": {"color": colour, "line": {"color": "#888", "width": 0.5}},
                "hovertext": [
                    f"{format_period(p)} — {name} : {format_int(c)} {level_plural} "
                    f"sur {format_int(int(n))}"
                    for p, c, n in zip(periods, counts, table["attendus"], strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "height": 320,
            "margin": {"l": 70, "r": 20, "t": 10, "b": 40},
            "xaxis": {
                "type": "category",
                "tickvals": periods,
                "ticktext": period_ticks(periods),
            },
            "yaxis": {
                "title": {"text": f"Nombre de {level_plural}"},
                "tickformat": ",d",
                "rangemode": "tozero",
            },
            "legend": {"orientation": "h", "y": -0.25, "traceorder": "normal"},
            "separators": ", ",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "#ffffff",
        },
    }


# --- Ranking ---

BAR_COLOUR = "#000091"
PLAIN_OUTLINE = ("#555555", 0.5)
HIGHLIGHT_OUTLINE = ("#000000", 2.5)
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
    valid_range: ValidRange | None = None,
    highlight: str | None = None,
) -> dict[str, Any]:
    """``table``: a ranking dataset (``rang``, ``code``, ``code_officiel``, ``nom``, ``valeur``,
    optionally ``territoires_renseignes`` and ``territoires_attendus``),
    highest first; ``total``: how many territories reported. Bars take the colour of their map
    class when ``classes`` are given; a gap in ``rang`` becomes a labelled empty row. A value
    outside ``valid_range`` is a grey bar outlined in red, labelled « hors intervalle »; the
    territory ``highlight`` (a typed code) is named in bold with a pointer, its bar outlined."""
    if table.empty:
        return empty_figure(empty)
    labels = bar_labels(table)
    colours = (
        [classes[int(i)].colour for i in class_index(table["valeur"], classes)]
        if classes and not table.empty
        else [BAR_COLOUR] * len(table)
    )
    flags = flagged_rows(table, valid_range)
    colours = [OUT_OF_RANGE_COLOUR if f else c for c, f in zip(colours, flags, strict=True)]
    y: list[str] = []
    x: list[float | None] = []
    bar_colours: list[str] = []
    hover: list[str] = []
    texts: list[str] = []
    codes: list[str | None] = []
    outlines: list[tuple[str, float]] = []
    previous_rank = 0
    # an aggregated value says how many territories it rests on (optional columns)
    reported = table.get("territoires_renseignes", pd.Series(1, index=table.index))
    expected = table.get("territoires_attendus", pd.Series(1, index=table.index))
    coverage = [
        f"<br>{format_int(int(k))} territoires renseignés sur {format_int(int(n))}" if n > 1 else ""
        for k, n in zip(reported, expected, strict=True)
    ]
    for label, code, rank, value, colour, covered, flagged in zip(
        labels,
        table["code"],
        table["rang"],
        table["valeur"],
        colours,
        coverage,
        flags,
        strict=True,
    ):
        if rank > previous_rank + 1:
            y.append(f"… {format_int(int(rank - previous_rank - 1))} autres …")
            x.append(None)
            bar_colours.append("rgba(0,0,0,0)")
            outlines.append(PLAIN_OUTLINE)
            hover.append("")
            texts.append("")
            codes.append(None)
        if code == highlight:
            label = f"<b>► {label}</b>"
        y.append(label)
        codes.append(str(code))
        x.append(float(value))
        bar_colours.append(colour)
        if code == highlight:
            outlines.append(HIGHLIGHT_OUTLINE)
        elif flagged:
            outlines.append((OUT_OF_RANGE_LINE, 2.0))
        else:
            outlines.append(PLAIN_OUTLINE)
        shown = format_value(float(value), unit)
        if flagged and valid_range is not None:
            shown_hover = out_of_range_hover(float(value), valid_range, unit)
            texts.append(f"⚠ {shown} (hors intervalle)")
        else:
            shown_hover = shown
            texts.append(shown)
        hover.append(
            f"<b>{label}</b><br>{shown_hover}"
            f"<br>{ordinal(int(rank))} sur {format_int(total)}{covered}"
        )
        previous_rank = int(rank)
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": y,
                "x": x,
                "marker": {
                    "color": bar_colours,
                    "line": {
                        "color": [colour for colour, _ in outlines],
                        "width": [width for _, width in outlines],
                    },
                },
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
            # room outside the bars for the longer label of a value out of range
            "margin": {"l": 10, "r": 160 if flags.any() else 70, "t": 10, "b": 30},
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


# --- Course over time ---


def national_trend_figure(
    table: pd.DataFrame,
    unit: str,
    target_of: dict[str, str],
    empty: str = "Aucune valeur nationale ni par taille de territoire.",
    valid_range: ValidRange | None = None,
    france_coverage: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``table``: a trend dataset (see :func:`dashboard.figures.trend.trend_figure`);
    ``target_of`` maps a target's series name to the series it applies to (absent: every
    territory, drawn in the target colour); ``france_coverage``: per period, what the France
    value rests on, added to its hover."""
    figure = trend_figure(table, unit, empty=empty, valid_range=valid_range)
    if not figure["data"]:
        return figure
    for trace in figure["data"]:
        if trace["name"] == "France" and france_coverage:
            trace["text"] = [
                f"{text}<br>{france_coverage[period]}" if france_coverage.get(period) else text
                for text, period in zip(trace["text"], trace["x"], strict=True)
            ]
    colours = {
        trace["name"]: trace["line"]["color"]
        for trace in figure["data"]
        if trace["line"].get("dash") is None
    }
    for trace in figure["data"]:
        series = target_of.get(trace["name"])
        if series in colours:
            trace["line"] = {**trace["line"], "color": colours[series], "width": 2}
            trace["marker"] = {**trace["marker"], "color": colours[series]}
    axis = figure["layout"]["xaxis"]
    axis["ticktext"] = period_ticks(list(axis["tickvals"]))
    if unit in WHOLE_UNITS:  # "1 200 000" rather than "1,2M"
        figure["layout"]["yaxis"]["tickformat"] = ",d"
    return figure
