"""The territory search box: type a name or a code, pick a territory, land on its page."""

from __future__ import annotations

from dash import dcc, html

SEARCH_TYPE = "territory-search"


def territory_search(place: str, label: str = "Rechercher un territoire") -> html.Div:
    component_id = {"type": SEARCH_TYPE, "place": place}
    return html.Div(
        [
            html.Label(label, htmlFor=f"search-{place}", className="search-label"),
            dcc.Dropdown(
                id=component_id,
                options=[],
                placeholder="Nom ou code : Brest, 29019, Finistère, 200067072…",
                searchable=True,
                clearable=True,
                optionHeight=40,
            ),
        ],
        className="territory-search",
    )
