"""``/chargements``: the history of loads; ``?id=N`` shows one load's issues and effects, and lets
an administrator undo it, or a déposant undo its partner's loads (``suivi loads list|show|rollback``
on the web). A load's rejected lines are shown to its partner's people and administrators only.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills
it.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.pages import run_callbacks
from dashboard.pages.chargements.views import _load_id

dash.register_page(
    __name__,
    path="/chargements",
    name="Chargements",
    title="Chargements — Suivi des territoires",
    order=60,
)


def layout(id: str | None = None, **_other: str) -> html.Div:
    load_id = _load_id(id)
    return html.Div(
        [
            html.H1("Chargements" if load_id is None else f"Chargement n°{load_id}"),
            dcc.Store(id="chargements-demande", data=load_id),
            dcc.Store(id="chargements-rollback-fait", data=0),
            html.Div(id="chargements-detail"),
            html.Div(
                [
                    html.Button(
                        "Annuler ce chargement",
                        id="chargements-annuler",
                        className="btn btn-danger",
                        n_clicks=0,
                        hidden=True,
                    ),
                    dcc.ConfirmDialog(
                        id="chargements-rollback-confirmation",
                        message=(
                            f"Annuler le chargement n°{load_id} ? Chaque valeur qu'il a écrite "
                            "retrouvera sa valeur précédente ; les valeurs qu'il a créées seront "
                            "supprimées."
                        ),
                    ),
                    html.Div(id="chargements-rollback-message", role="status"),
                ],
                className="chargements-rollback",
                hidden=load_id is None,
            ),
            html.H2("Historique des chargements"),
            html.P(dcc.Link("Importer un fichier", href="/import")),
            html.Div(id="chargements-liste"),
        ],
        className="chargements-page",
    )


run_callbacks(__name__, __file__)
