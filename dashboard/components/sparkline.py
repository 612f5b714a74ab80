"""A mini-chart with its text alternative (issue #16): the drawing is an image for screen
readers (role="img"), named by a sentence that gives the series' first and last values."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.figures.trend import sparkline_figure
from dashboard.summaries import series_alt_text


def sparkline(
    label: str, periods: list[str], values: list[float], unit: str, **graph: Any
) -> html.Div:
    """``label``: the indicator's name; ``graph``: extra properties of the ``dcc.Graph``."""
    return html.Div(
        dcc.Graph(
            figure=sparkline_figure(periods, values),
            config={"staticPlot": True},
            className="sparkline",
            responsive=True,
            **graph,
        ),
        role="img",
        className="sparkline-box",
        **{"aria-label": series_alt_text(label, periods, values, unit)},
    )
