"""Pure figure builders: DataFrame in, Plotly figure as a plain dict out (no validation cost).

A figure with nothing to draw is not a blank frame: :func:`empty_figure` writes why in the plot
area (issue #11: sparse data is the normal case)."""

from __future__ import annotations

from typing import Any

NO_DATA = "Aucune valeur à afficher."


def empty_figure(reason: str = NO_DATA, height: int = 120) -> dict[str, Any]:
    """No trace, hidden axes, and ``reason`` written in the middle of the plot area."""
    return {
        "data": [],
        "layout": {
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {
                    "text": reason,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "showarrow": False,
                    "font": {"size": 15, "color": "#3a3a3a"},
                }
            ],
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def with_caption(figure: dict[str, Any], title: str, source: str) -> dict[str, Any]:
    """The title and « Source : … » a downloaded image carries (``layout.meta``): the page shows
    them around the chart, the PNG/SVG export (``assets/chart_export.js``) draws them in."""
    layout = figure.get("layout") or {}
    meta = {**(layout.get("meta") or {}), "titre": title, "source": source}
    return {**figure, "layout": {**layout, "meta": meta}}  # a copy: figures may be cached


def empty_reason(figure: dict[str, Any]) -> str | None:
    """The sentence of an :func:`empty_figure` (``None`` for a figure that draws something)."""
    if figure.get("data"):
        return None
    notes = figure.get("layout", {}).get("annotations") or []
    return str(notes[0]["text"]) if notes else None
