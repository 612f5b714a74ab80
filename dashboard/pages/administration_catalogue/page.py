"""``/administration/catalogue``: administrators create and edit partners, measures and
indicators through forms checked by the rules of ``suivi catalogue check`` (issue #14).

``?partenaire=DITP``, ``?mesure=M1`` or ``?indicateur=CODE`` opens a definition's form,
``?indicateur=nouveau`` an empty one; without a query, the lists. The edits are kept in the
database (:mod:`indicators.catalogue.edits`). This module registers the page and lays it out;
``callbacks.py`` saves and shows the versions, around the pure builders of ``views.py``.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard import readers
from dashboard.auth import current_user, is_allowed
from dashboard.pages import run_callbacks
from dashboard.pages.administration_catalogue import texts, views

dash.register_page(
    __name__,
    path=views.PATH,
    name=texts.TITLE,
    title=f"{texts.TITLE} — Suivi des territoires",
)

NEW = "nouveau"


def layout(**query: str) -> html.Div:
    if not is_allowed(current_user(), "admin"):  # its callbacks are refused too (403)
        return html.Div(
            [html.H1(texts.TITLE), html.P(texts.ADMIN_ONLY, role="alert")], className="card"
        )
    catalogue = readers.catalogue()
    chosen = next(((k, v) for k, v in query.items() if k in texts.QUERY_KINDS), None)
    if chosen is None:
        return _page([html.P(texts.INTRO), views.listing(catalogue)])
    kind, code = texts.QUERY_KINDS[chosen[0]], chosen[1].strip().upper()
    creating = code == NEW.upper()
    table = None if creating else views.current_table(kind, code, catalogue)
    if not creating and table is None:
        missing = texts.NOT_FOUND.format(kind=texts.KIND_NAMES[kind], code=chosen[1])
        return _page([html.P(missing, role="alert"), views.listing(catalogue)])
    title = (
        texts.KIND_TITLES[kind][1] if creating else f"{texts.KIND_NAMES[kind].capitalize()} {code}"
    )
    return _page(
        [
            html.H2(title),
            dcc.Store(id="catadmin-type", data=kind),
            dcc.Store(id="catadmin-code", data=None if creating else code),
            dcc.Store(id="catadmin-enregistre"),
            views.form(kind, table, catalogue),
            html.Div(id="catadmin-historique", className="catadmin-history-zone"),
        ]
    )


def _page(children: list[Any]) -> html.Div:
    return html.Div([html.H1(texts.TITLE), *children], className="catadmin-page")


run_callbacks(__name__, __file__)
