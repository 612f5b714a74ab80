"""``/journal``: the audit log, for administrators (``suivi audit`` on the web): sign-ins,
loads, rollbacks, account changes, evaluation designs and frozen reports."""

from __future__ import annotations

import json
from typing import Any

import dash
from dash import Input, Output, callback, dcc, html

from dashboard.auth import current_user, is_allowed, requires
from dashboard.context import db_session
from indicators.accounts import AuditEntry, list_events

dash.register_page(
    __name__,
    path="/journal",
    name="Journal d'audit",
    title="Journal d'audit — Suivi des territoires",
)

EVENTS_SHOWN = 200


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


def events_table(events: list[AuditEntry]) -> Any:
    if not events:
        return html.P("Aucune action enregistrée pour l'instant.")
    header = html.Tr([html.Th(label, scope="col") for label in ("Date", "Qui", "Quoi", "D'où")])
    rows = [
        html.Tr(
            [
                html.Td(f"{event.at:%d/%m/%Y %H:%M:%S}"),
                html.Td(event.username or "—"),
                html.Td(
                    [
                        event.label,
                        html.Br(),
                        html.Small(json.dumps(event.details, ensure_ascii=False)),
                    ]
                    if event.details
                    else event.label
                ),
                html.Td(event.ip or "—"),
            ]
        )
        for event in events
    ]
    return html.Table(
        [html.Caption("Journal d'audit"), html.Thead(header), html.Tbody(rows)],
        className="table",
    )


@callback(Output("journal-liste", "children"), Input("journal-demande", "data"))
@requires("admin")
def show_events(limit: int | None) -> Any:
    with db_session() as session:
        events = list_events(session, limit=min(int(limit or EVENTS_SHOWN), EVENTS_SHOWN))
    return events_table(events)
