"""Keep the page's state in its address, so that a copied link reproduces the view.

The browser's address is rewritten by a client-side callback with ``history.replaceState``:
no request, no page re-render. Opening the address rebuilds the view from the query string,
which every page layout receives as keyword arguments.
"""

from __future__ import annotations

import json

import dash
from dash import Input, Output, dcc


def url_state_store(prefix: str) -> dcc.Store:
    return dcc.Store(id=f"{prefix}-url-state")


def sync_query_string(prefix: str, keys: dict[str, str]) -> None:
    """``keys`` maps a query parameter to a component id whose ``value`` it mirrors."""
    names = json.dumps(list(keys))
    dash.clientside_callback(
        f"""
        function(...values) {{
            const names = {names};
            const params = new URLSearchParams();
            names.forEach((name, i) => {{
                const value = values[i];
                if (value !== null && value !== undefined && value !== "") {{
                    params.set(name, value);
                }}
            }});
            const query = params.toString();
            const url = window.location.pathname + (query ? "?" + query : "");
            if (url !== window.location.pathname + window.location.search) {{
                window.history.replaceState(window.history.state, "", url);
            }}
            return query;
        }}
        """,
        Output(f"{prefix}-url-state", "data"),
        [Input(component, "value") for component in keys.values()],
    )
