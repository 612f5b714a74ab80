"""The callbacks of ``journal``: they read their inputs and call ``views``. ``page.py`` runs
this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback

from dashboard.auth import requires
from dashboard.context import db_session
from dashboard.pages.journal.views import EVENTS_SHOWN, events_table
from indicators.accounts import list_events


@callback(Output("journal-liste", "children"), Input("journal-demande", "data"))
@requires("admin")
def show_events(limit: int | None) -> Any:
    with db_session() as session:
        events = list_events(session, limit=min(int(limit or EVENTS_SHOWN), EVENTS_SHOWN))
    return events_table(events)
