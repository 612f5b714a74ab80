"""Callbacks shared by several pages, registered once per app (not through page modules)."""

from __future__ import annotations

from typing import Any

from dash import MATCH, Dash, Input, Output, dcc, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.components.search import RESULTS_TYPE, SEARCH_TYPE
from dashboard.components.share import COPY_SCRIPT, COPY_STATUS_TYPE, COPY_TYPE
from indicators.territories.search import search


def register_callbacks(app: Dash) -> None:
    app.clientside_callback(
        COPY_SCRIPT,
        Output({"type": COPY_STATUS_TYPE, "place": MATCH}, "children"),
        Input({"type": COPY_TYPE, "place": MATCH}, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output({"type": RESULTS_TYPE, "place": MATCH}, "children"),
        Input({"type": SEARCH_TYPE, "place": MATCH}, "value"),
    )
    @requires("view")
    def suggest_territories(query: str | None) -> Any:
        """Territories matching what the user types (name or code, accents optional)."""
        if not query or len(query.strip()) < 2:
            return []
        hits = search(readers.search_index(), query, limit=10)
        if not hits:
            return [html.Li(f"Aucun territoire ne correspond à « {query.strip()} ».")]
        return [
            html.Li(
                [
                    dcc.Link(hit.name, href=f"/territoire/{hit.code}"),
                    html.Span(f" — {hit.context}", className="muted small"),
                ]
            )
            for hit in hits
        ]
