"""``/journal``: the audit log, for administrators (``suivi audit`` on the web): sign-ins,
loads, rollbacks, account changes, evaluation designs and frozen reports.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills
it.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.auth import current_user, is_allowed
from dashboard.pages import run_callbacks
from dashboard.pages.journal.views import EVENTS_SHOWN

dash.register_page(
    __name__,
    path="/journal",
    name="Journal d'audit",
    title="Journal d'audit — Suivi des territoires",
)


def layout(**_query: str) -> html.Div:
    if not is_allowed(current_user(), "admin"):  # the callback is refused too (403)
        return html.Div(
            [
                html.H1("Journal d'audit"),
                html.P("Le journal d'audit est réservé aux administrateurs.", role="alert"),
            ],
            className="card",
        )
    return html.Div(
        [
            html.H1("Journal d'audit"),
            html.P(
                f"Les {EVENTS_SHOWN} dernières actions : connexions (réussies ou non), "
                "chargements, annulations, comptes, plans d'évaluation et rapports figés. "
                "En ligne de commande : « suivi audit --json »."
            ),
            dcc.Store(id="journal-demande", data=EVENTS_SHOWN),
            html.Div(id="journal-liste"),
        ],
        className="journal-page",
    )


run_callbacks(__name__, __file__)
