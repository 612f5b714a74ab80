"""A chart with what goes with it everywhere: a title, a one-sentence summary, a legend slot and
its data twin (CSV and XLSX links to exactly what is drawn)."""

from __future__ import annotations

from dash import Output, dcc, html

from dashboard.components.link_names import download_links
from dashboard.figures.classes import STATUS_COLOURS, STATUS_LEGEND, ColourClass
from dashboard.routes.geo import TOPOJSON_URL

# The toolbar holds the image download alone; assets/chart_export.js puts the chart's title and
# source into the PNG (and the SVG, from the second button).
GRAPH_CONFIG: dict[str, object] = {
    "displaylogo": False,
    "displayModeBar": True,
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "locale": "fr",
    "topojsonURL": TOPOJSON_URL,
}


def chart_block(
    prefix: str, title: str, graph_config: dict[str, object] | None = None
) -> html.Section:
    """Ids: ``{prefix}-graph``, ``{prefix}-summary``, ``{prefix}-legend``, ``{prefix}-csv``,
    ``{prefix}-xlsx``."""
    return html.Section(
        [
            html.H2(title, id=f"{prefix}-title"),
            html.P(id=f"{prefix}-summary", className="chart-summary", **{"aria-live": "polite"}),
            dcc.Loading(
                dcc.Graph(
                    id=f"{prefix}-graph",
                    config={**GRAPH_CONFIG, **(graph_config or {})},
                ),
                type="dot",
            ),
            html.Div(id=f"{prefix}-legend", className="legend"),
            html.P(
                [
                    "Données du graphique : ",
                    *download_links(prefix, f"données de « {title} »"),
                    *image_buttons(title),
                ],
                className="data-twin",
            ),
        ],
        className="card chart",
        **{"aria-labelledby": f"{prefix}-title"},
    )


def chart_outputs(name: str, component: str, *, title: bool = False) -> dict[str, Output]:
    """The outputs of a ``chart_block`` with id prefix ``component``, named ``{name}_figure``,
    ``{name}_summary``, ``{name}_csv``, ``{name}_xlsx`` (and ``{name}_title`` with ``title``)."""
    outputs = {f"{name}_figure": Output(f"{component}-graph", "figure")}
    if title:
        outputs[f"{name}_title"] = Output(f"{component}-title", "children")
    return {
        **outputs,
        f"{name}_summary": Output(f"{component}-summary", "children"),
        f"{name}_csv": Output(f"{component}-csv", "href"),
        f"{name}_xlsx": Output(f"{component}-xlsx", "href"),
    }


def image_buttons(title: str) -> list[object]:
    """« Image : PNG · SVG », drawn with the chart's title, source and date
    (``assets/chart_export.js``); the hidden words name the chart for screen readers."""
    png, svg = (
        html.Button(
            [image_format.upper(), html.Span(f" : {title}", className="visually-hidden")],
            type="button",
            className="chart-image link-button",
            **{"data-format": image_format},
        )
        for image_format in ("png", "svg")
    )
    return [" — Image : ", png, " · ", svg]


def legend(classes: list[ColourClass], statuses: set[str]) -> list[html.Span]:
    """An HTML legend: the value classes, then the statuses that appear on the map."""
    items = [_swatch(c.colour, c.label) for c in classes]
    items += [
        _swatch(STATUS_COLOURS[status], STATUS_LEGEND[status])
        for status in STATUS_COLOURS
        if status in statuses
    ]
    return items


def _swatch(colour: str, label: str) -> html.Span:
    return html.Span(
        [html.Span(className="swatch", style={"backgroundColor": colour}), label],
        className="legend-item",
    )
