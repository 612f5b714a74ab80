"""The shell around every page: header, navigation, main region, footer (French, accessible)."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard.auth import current_user, is_allowed
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


def account_link() -> html.P:
    """Sign in, or who is signed in (their account page); administrators reach the audit log.
    Plain links: these pages are served by Flask, outside the Dash app."""
    user = current_user()
    if user.is_anonymous:
        return html.P(html.A("Se connecter", href="/connexion"), className="account-link")
    links: list[Any] = [html.A(f"{user.label} — mon compte", href="/mot-de-passe")]
    if is_allowed(user, "admin"):
        links += [" · ", dcc.Link("Journal d'audit", href="/journal")]
        links += [" · ", dcc.Link("Catalogue (administration)", href="/administration/catalogue")]
    return html.P(links, className="account-link")


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
                    account_link(),
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
