"""The shell around every page: header, navigation, main region, footer (French, accessible)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.routes.errors import error_notice

INDEX_STRING = """<!DOCTYPE html>
<html lang="fr">
  <head>
    {%metas%}
    <title>{%title%}</title>
    {%favicon%}
    {%css%}
  </head>
  <body>
    <a class="skip-link" href="#contenu">Aller au contenu</a>
    {%app_entry%}
    {%config%}
    {%scripts%}
    {%renderer%}
  </body>
</html>"""

SOURCES = (
    "Sources : INSEE (code officiel géographique 2026, populations légales 2023), "
    "IGN (contours administratifs), ANCT (programmes), partenaires producteurs des indicateurs. "
    "Données sous Licence Ouverte 2.0."
)


def navigation() -> html.Nav:
    """Links to every registered page, in their declared order: the menu grows with the pages."""
    pages = sorted(
        (page for page in dash.page_registry.values() if page.get("order") is not None),
        key=lambda page: page["order"],
    )
    return html.Nav(
        html.Ul(
            [html.Li(dcc.Link(page["name"], href=page["relative_path"])) for page in pages],
            className="nav-list",
        ),
        className="main-nav",
        **{"aria-label": "Navigation principale"},
    )


def shell() -> html.Div:
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Location(id="search-nav", refresh="callback-nav"),
            html.Header(
                [
                    dcc.Link(
                        [
                            html.Span("Suivi des territoires", className="brand-name"),
                            html.Span(
                                "Résultats des politiques territoriales", className="brand-tagline"
                            ),
                        ],
                        href="/",
                        className="brand",
                    ),
                    navigation(),
                ],
                className="site-header",
            ),
            html.Main([error_notice(), dash.page_container], id="contenu", className="site-main"),
            html.Footer(
                [
                    html.P(SOURCES),
                    html.P(
                        [
                            "État du service : ",
                            html.A("/healthz", href="/healthz"),
                        ]
                    ),
                ],
                className="site-footer",
            ),
        ],
        className="site",
    )
