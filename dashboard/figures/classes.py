"""Colour classes for maps: quantiles of the reported values, coloured by the indicator's
desired direction (blue = better, orange = worse, readable by colour-blind people)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.formatting import format_value

# PuOr-like, from "worse" to "better"; neutral indicators use one hue.
WORSE_TO_BETTER = ["#b35806", "#f1a340", "#fee0b6", "#b2abd2", "#5e3c99"]
NEUTRAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
STATUS_COLOURS = {
    "missing": "#d9d9d9",
    "secret": "#6f6f6f",
    "not_applicable": "#ffffff",
}
STATUS_LEGEND = {
    "missing": "Non renseigné",
    "secret": "Secret statistique",
    "not_applicable": "Sans objet",
}


@dataclass(frozen=True)
class ColourClass:
    lower: float
    upper: float
    colour: str
    label: str


def quantile_classes(
    values: pd.Series, direction: str, unit: str, count: int = 5
) -> list[ColourClass]:
    """Up to ``count`` classes with (about) as many territories each; fewer when values repeat."""
    numbers = values.to_numpy(dtype=float)
    finite = numbers[np.isfinite(numbers)]
    if finite.size == 0:
        return []
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, count + 1)))
    if edges.size == 1:
        edges = np.array([edges[0], edges[0]])
    palette = _palette(direction, edges.size - 1)
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
    base = NEUTRAL if direction == "neutral" else WORSE_TO_BETTER
    if direction == "down":
        base = list(reversed(base))
    if size >= len(base):
        return base
    picks = np.linspace(0, len(base) - 1, size).round().astype(int)
    return [base[i] for i in picks]
