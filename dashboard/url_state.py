"""Keep the page's state in its address, so that a copied link reproduces the view.

The browser's address is rewritten by a client-side callback with ``history.replaceState``:
no request, no page re-render. Opening the address rebuilds the view from the query string,
which every page layout receives as keyword arguments.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import dash
from dash import Input, Output, dcc

from indicators.catalogue import Indicator
from indicators.territories.referential import Territory

# ``/indicateur/<code>?surligne=COM:29105``: the territory outlined on the map and kept, with its
# rank, in the ranking
HIGHLIGHT_PARAM = "surligne"


def url_state_store(prefix: str) -> dcc.Store:
    return dcc.Store(id=f"{prefix}-url-state")


def indicator_sheet_address(indicator: Indicator, place: Territory) -> str:
    """The indicator's page on the territory's surroundings with the territory highlighted: a
    commune among the communes of its département, an EPCI among those of its région, a
    département among those of its région; the plain page when the level is not published."""
    levels = {level.value for level in indicator.levels}
    address = f"/indicateur/{indicator.code}"
    if place.level not in levels or place.level not in {"COM", "EPCI", "DEP", "REG"}:
        return address
    params = {"niveau": place.level}
    if place.level == "COM" and place.departement:
        params["dans"] = f"DEP:{place.departement}"
    elif place.level in {"EPCI", "DEP"} and place.region:
        params["dans"] = f"REG:{place.region}"
    params[HIGHLIGHT_PARAM] = place.code
    return f"{address}?{urlencode(params)}"


def sync_query_string(
    prefix: str, keys: dict[str, str], stores: dict[str, str] | None = None
) -> None:
    """``keys`` maps a query parameter to a component id whose ``value`` it mirrors; ``stores``
    to a ``dcc.Store`` whose ``data`` it mirrors (a view's state the page sets, not the user)."""
    names = json.dumps([*keys, *(stores or {})])
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
        [Input(component, "value") for component in keys.values()]
        + [Input(component, "data") for component in (stores or {}).values()],
    )
