"""The territory search box: type a name or a code, follow one of the suggested territories.

A text field and a list of links. ``assets/search_keys.js`` makes it a combo box: ArrowDown and
ArrowUp move through the suggestions (``aria-activedescendant``, ``role=listbox``/``option``),
Enter opens the selected one or the first, and the whole row is clickable.
"""

from __future__ import annotations

import json

from dash import dcc, html

SEARCH_TYPE = "territory-search"
RESULTS_TYPE = "territory-search-results"


def territory_search(place: str, label: str = "Rechercher un territoire") -> html.Div:
    field_id = json_id({"type": SEARCH_TYPE, "place": place})
    return html.Div(
        [
            html.Label(label, htmlFor=field_id, className="search-label"),
            # dcc.Input takes no aria-* props: the label names the field, results are announced
            # by the live list below
            dcc.Input(
                id={"type": SEARCH_TYPE, "place": place},
                type="search",
                placeholder="Nom ou code : Brest, 29019, Finistère, 200067072…",
                debounce=0.3,
                autoComplete="off",
            ),
            html.Ul(
                id={"type": RESULTS_TYPE, "place": place},
                className="search-results",
                **{"aria-live": "polite"},
            ),
        ],
        className="territory-search",
        role="search",
    )


def json_id(component_id: dict[str, str]) -> str:
    """The DOM id Dash gives a pattern-matching component (so that a label can point at it)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
