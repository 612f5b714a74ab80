"""Callbacks shared by several pages, registered once per app (not through page modules)."""

from __future__ import annotations

from typing import Any

from dash import ALL, MATCH, Dash, Input, Output, State, ctx, no_update

from dashboard import readers
from dashboard.components.search import SEARCH_TYPE
from indicators.territories.search import search


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output({"type": SEARCH_TYPE, "place": MATCH}, "options"),
        Input({"type": SEARCH_TYPE, "place": MATCH}, "search_value"),
        State({"type": SEARCH_TYPE, "place": MATCH}, "value"),
    )
    def suggest_territories(query: str | None, current: str | None) -> Any:
        """Territories matching what the user types (name or code, accents optional)."""
        if not query or len(query.strip()) < 2:
            return no_update
        return [
            {"label": f"{hit.name} — {hit.context}", "value": hit.code}
            for hit in search(readers.search_index(), query, limit=12)
        ]

    @app.callback(
        Output("search-nav", "pathname"),
        Input({"type": SEARCH_TYPE, "place": ALL}, "value"),
        prevent_initial_call=True,
    )
    def open_territory(values: list[str | None]) -> Any:
        chosen = ctx.triggered[0]["value"] if ctx.triggered else None
        if not chosen:
            return no_update
        return f"/territoire/{chosen}"
