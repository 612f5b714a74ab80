"""Colour classes for maps: quantiles of the reported values. A sequential quantity (a count, a
rate) gets one hue from light to dark; only a quantity with a meaningful centre (a balance, a
change around 0) gets a diverging palette, centred on it and oriented by the desired direction
(purple = better, orange = worse, readable by colour-blind people) — issue #16. Callers leave
the values outside the indicator's expected range out of the classes: they are drawn apart."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.formatting import format_value

# PuOr, from "worse" to "better"; its neutral middle is the centre of a diverging scale.
DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
# Not a stored status (no row carries it): the legend's entry for a reported value outside the
# expected range, which the figures draw apart (issue #16).
OUT_OF_RANGE = "out_of_range"
OUT_OF_RANGE_COLOUR = "#f4c7c3"  # a pale red: neither a class (blues) nor a gap (greys)
OUT_OF_RANGE_LINE = "#c00000"
STATUS_COLOURS = {
    "missing": "#d9d9d9",
    "secret": "#6f6f6f",
    "not_applicable": "#ffffff",
    OUT_OF_RANGE: OUT_OF_RANGE_COLOUR,
}
STATUS_LEGEND = {
    "missing": "Non renseigné",
    "secret": "Secret statistique",
    "not_applicable": "Sans objet",
    OUT_OF_RANGE: "Hors de l'intervalle attendu (exclu de l'échelle)",
}


@dataclass(frozen=True)
class ColourClass:
    lower: float
    upper: float
    colour: str
    label: str


def quantile_classes(
    values: pd.Series, direction: str, unit: str, count: int = 5, centre: float | None = None
) -> list[ColourClass]:
    """Up to ``count`` classes with (about) as many territories each; fewer when values repeat.

    ``centre`` (from :func:`indicators.catalogue.scales.colour_scale`): ``None`` for a sequential
    quantity; otherwise the middle of a diverging palette, and a class edge when values lie on
    both sides of it, so that no class mixes the two sides."""
    numbers = values.to_numpy(dtype=float)
    finite = numbers[np.isfinite(numbers)]
    if finite.size == 0:
        return []
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, count + 1)))
    if centre is not None and edges[0] < centre < edges[-1]:
        edges = np.unique(np.append(edges, centre))
    if edges.size == 1:
        edges = np.array([edges[0], edges[0]])
    palette = (
        _palette(direction, edges.size - 1)
        if centre is None
        else _diverging(direction, edges, centre)
    )
    return [
        ColourClass(
            float(low),
            float(high),
            palette[i],
            f"{format_value(float(low), unit)} – {format_value(float(high), unit)}",
        )
        for i, (low, high) in enumerate(itertools.pairwise(edges))
    ]


def class_index(values: pd.Series, classes: list[ColourClass]) -> pd.Series:
    """Index of each value's class (NaN stays NaN); upper bounds are inclusive."""
    if not classes:
        return pd.Series(np.nan, index=values.index)
    uppers = np.array([c.upper for c in classes[:-1]])
    positions = np.searchsorted(uppers, values.to_numpy(dtype=float), side="left").astype(float)
    positions[np.isnan(values.to_numpy(dtype=float))] = np.nan
    return pd.Series(positions, index=values.index)


def _palette(direction: str, size: int) -> list[str]:
    """A sequential palette, light for low values and dark for high ones, whatever the
    direction: the darkness says "more", the legend and the sentence say what is better."""
    base = SEQUENTIAL
    if size >= len(base):
        return base
    picks = np.linspace(0, len(base) - 1, size).round().astype(int)
    return [base[i] for i in picks]


def _diverging(direction: str, edges: np.ndarray, centre: float) -> list[str]:
    """One colour per class ``[edges[i], edges[i+1]]``: its middle's distance to ``centre``,
    relative to the farthest value, picks a step on the side of ``centre`` it lies on."""
    palette = list(reversed(DIVERGING)) if direction == "down" else DIVERGING
    middle = len(palette) // 2
    reach = float(max(abs(edges[0] - centre), abs(edges[-1] - centre))) or 1.0
    colours = []
    for low, high in itertools.pairwise(edges):
        offset = ((low + high) / 2 - centre) / reach
        # a class on one side never takes the neutral middle: the side must show
        step = 0 if offset == 0 else max(1, round(abs(offset) * middle))
        colours.append(palette[middle + (step if offset > 0 else -step)])
    return colours
