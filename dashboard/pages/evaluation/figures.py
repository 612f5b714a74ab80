"""The evaluation page's own figure: the map of test and comparison territories."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.figures import empty_figure
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import ColourClass
from dashboard.routes.geo import geometry_url

# one value per role, drawn by ``choropleth_figure`` as two colour classes
ROLE_CLASSES = [
    ColourClass(0.0, 0.5, "#f1a340", "Territoires témoins"),
    ColourClass(0.5, 1.0, "#5e3c99", "Territoires test"),
]


def territories_map_figure(table: pd.DataFrame) -> dict[str, Any]:
    """One ``choropleth_figure`` per département (communes' geometry is published by
    département), side by side; hover texts name the role rather than a value."""
    if table.empty:
        return empty_figure("Aucune commune à cartographier pour ce choix.")
    departements = list(dict.fromkeys(table["origine"]))
    figure: dict[str, Any] = {"data": [], "layout": {}}
    width = 1.0 / max(len(departements), 1)
    for number, departement in enumerate(departements, start=1):
        part = table[table["origine"] == departement]
        single = choropleth_figure(
            part.assign(zone="metropole"), ROLE_CLASSES, geometry_url(f"communes-{departement}"), ""
        )
        geo = "geo" if number == 1 else f"geo{number}"
        for trace in single["data"]:
            labels = dict(zip(part["code"], part["statut_libelle"], strict=True))
            names = dict(zip(part["code"], part["nom"], strict=True))
            trace["geo"] = geo
            trace["text"] = [f"<b>{names[c]}</b><br>{labels[c]}" for c in trace["customdata"]]
            figure["data"].append(trace)
        figure["layout"] = single["layout"] | figure["layout"]
        figure["layout"][geo] = single["layout"]["geo"] | {
            "domain": {"x": [(number - 1) * width, number * width - 0.01], "y": [0.0, 1.0]}
        }
    figure["layout"]["height"] = 420
    return figure
