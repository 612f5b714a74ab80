"""Choropleth maps. The geometry is a URL: Plotly fetches it once and the browser caches it, so
a new indicator or period sends only codes, classes and hover texts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures import empty_figure
from dashboard.figures.classes import (
    OUT_OF_RANGE_COLOUR,
    OUT_OF_RANGE_LINE,
    STATUS_COLOURS,
    ColourClass,
    class_index,
)
from dashboard.figures.ranges import flagged_rows, out_of_range_hover
from dashboard.formatting import format_int, format_value
from indicators.catalogue import ValidRange

INSETS = ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]


HIGHLIGHT_LINE = {"color": "#000000", "width": 3}


def choropleth_figure(
    table: pd.DataFrame,
    classes: list[ColourClass],
    geometry_url: str,
    unit: str,
    valid_range: ValidRange | None = None,
    highlight: str | None = None,
) -> dict[str, Any]:
    """``table`` is a map dataset (``code``, ``code_officiel``, ``nom``, ``valeur``, ``statut``,
    ``zone``…). Metropolitan France fills the map; overseas régions present in the table are
    drawn as insets on the right, each fitted to its own territories.

    Per zone, one trace for the classed values and one per special status (flat colour); a
    value outside ``valid_range`` gets its own grey trace with a red outline and a hover that
    says so, never a class colour (issue #16); the territory ``highlight`` (a typed code) is
    outlined in black on top.
    """
    if table.empty:
        return empty_figure("Aucun territoire à cartographier pour ce choix.")
    zones = [zone for zone in ["metropole", *INSETS] if zone in set(table["zone"])]
    layout: dict[str, Any] = {
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "height": 560,
        "dragmode": False,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"bgcolor": "white", "font": {"size": 14}},
        "annotations": [],
    }
    insets = [zone for zone in zones if zone != "metropole"]
    traces: list[dict[str, Any]] = []
    for number, zone in enumerate(zones, start=1):
        geo = "geo" if number == 1 else f"geo{number}"
        layout[geo] = {
            "fitbounds": "locations",
            "visible": False,
            "projection": {"type": "mercator"},
            "domain": _domain(zone, insets, alone=len(zones) == 1),
        }
        if zone != "metropole" and len(zones) > 1:
            domain = layout[geo]["domain"]
            layout["annotations"].append(
                {
                    "text": zone,
                    "x": domain["x"][0],
                    "y": domain["y"][1],
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "left",
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": 11, "color": "#555"},
                }
            )
        part = table[table["zone"] == zone]
        part = part.assign(hors_intervalle=flagged_rows(part, valid_range))
        traces += _zone_traces(part, classes, geometry_url, unit, geo)
        traces += _out_of_range_trace(part, valid_range, geometry_url, unit, geo)
        chosen = part[part["code"] == highlight] if highlight else part.iloc[:0]
        if not chosen.empty:
            transparent = "rgba(0,0,0,0)"
            traces.append(
                _trace(chosen, unit, geometry_url)
                | {
                    "z": [0],
                    "colorscale": [[0, transparent], [1, transparent]],
                    "marker": {"line": HIGHLIGHT_LINE},
                    "name": "Territoire mis en évidence",
                    "geo": geo,
                }
            )
    return {"data": traces, "layout": layout}


def _domain(zone: str, insets: list[str], alone: bool) -> dict[str, list[float]]:
    if alone:
        return {"x": [0.0, 1.0], "y": [0.0, 1.0]}
    if zone == "metropole":
        return {"x": [0.0, 0.84], "y": [0.0, 1.0]}
    slot = insets.index(zone)
    height = 1.0 / len(insets)
    top = 1.0 - slot * height
    return {"x": [0.86, 1.0], "y": [max(0.0, top - height + 0.02), top - 0.02]}


def _zone_traces(
    table: pd.DataFrame, classes: list[ColourClass], geometry_url: str, unit: str, geo: str
) -> list[dict[str, Any]]:
    traces: list[dict[str, Any]] = []
    reported = table[table["statut"] == "ok"]
    if "hors_intervalle" in table:  # set by :func:`choropleth_figure`: drawn apart
        reported = reported[~reported["hors_intervalle"]]
    if not reported.empty and classes:
        index = class_index(reported["valeur"], classes)
        steps = len(classes)
        colourscale = []
        for i, colour_class in enumerate(classes):
            colourscale += [
                [i / steps, colour_class.colour],
                [(i + 1) / steps, colour_class.colour],
            ]
        traces.append(
            _trace(reported, unit, geometry_url)
            | {
                "z": [(i + 0.5) for i in index.tolist()],
                "zmin": 0,
                "zmax": steps,
                "colorscale": colourscale,
                "name": "Valeurs",
                "geo": geo,
            }
        )
    for status, colour in STATUS_COLOURS.items():
        subset = table[table["statut"] == status]
        if subset.empty:
            continue
        traces.append(
            _trace(subset, unit, geometry_url)
            | {
                "z": [0] * len(subset),
                "zmin": 0,
                "zmax": 1,
                "colorscale": [[0, colour], [1, colour]],
                "name": status,
                "geo": geo,
            }
        )
    return traces


def _out_of_range_trace(
    table: pd.DataFrame, valid_range: ValidRange | None, geometry_url: str, unit: str, geo: str
) -> list[dict[str, Any]]:
    flagged = table[table["hors_intervalle"]]
    if flagged.empty or valid_range is None:
        return []
    trace = _trace(flagged, unit, geometry_url)
    trace["text"] = [
        f"<b>{name}</b> ({code})<br>{out_of_range_hover(float(value), valid_range, unit)}"
        for name, code, value in zip(
            flagged["nom"], flagged["code_officiel"], flagged["valeur"], strict=True
        )
    ]
    return [
        trace
        | {
            "z": [0] * len(flagged),
            "zmin": 0,
            "zmax": 1,
            "colorscale": [[0, OUT_OF_RANGE_COLOUR], [1, OUT_OF_RANGE_COLOUR]],
            "marker": {"line": {"color": OUT_OF_RANGE_LINE, "width": 2}},
            "name": "out_of_range",
            "geo": geo,
        }
    ]


def _trace(frame: pd.DataFrame, unit: str, geometry_url: str) -> dict[str, Any]:
    # plain lists first: iterating pandas string arrays element by element is slow
    columns = [
        frame[name].tolist()
        for name in (
            "nom",
            "code_officiel",
            "valeur",
            "statut",
            "statut_libelle",
            "territoires_renseignes",
            "territoires_attendus",
        )
    ]
    hover = [
        f"<b>{name}</b> ({code})<br>{_value_text(value, status, label, unit)}"
        + (f"<br>{format_int(k)} territoires sur {format_int(n)}" if n > 1 else "")
        for name, code, value, status, label, k, n in zip(*columns, strict=True)
    ]
    return {
        "type": "choropleth",
        "geojson": geometry_url,
        "locations": columns[1],
        "featureidkey": "properties.code",
        "customdata": frame["code"].tolist(),
        "text": hover,
        "hovertemplate": "%{text}<extra></extra>",
        "showscale": False,
        "marker": {"line": {"color": "#ffffff", "width": 0.4}},
    }


def _value_text(value: float, status: str, label: str, unit: str) -> str:
    return format_value(value, unit) if status == "ok" else label.capitalize()
