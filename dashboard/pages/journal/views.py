"""What the callbacks of ``journal`` show: pure builders, tested without HTTP."""

from __future__ import annotations

import json
from typing import Any

from dash import html

from indicators.accounts import AuditEntry

EVENTS_SHOWN = 200


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
