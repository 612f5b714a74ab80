"""The catalogue's callback: the list follows the search and the filters. ``page.py`` runs this
module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback

from dashboard.auth import requires
from dashboard.pages.catalogue import views
from dashboard.pages.catalogue.texts import FILTERS
from dashboard.url_state import sync_query_string


@callback(
    output={
        "list": Output("catalogue-liste", "children"),
        "summary": Output("catalogue-resume", "children"),
        "csv": Output("catalogue-csv", "href"),
        "xlsx": Output("catalogue-xlsx", "href"),
    },
    inputs={
        "query": Input("catalogue-recherche", "value"),
        "measure": Input(FILTERS["mesure"][0], "value"),
        "programme": Input(FILTERS["programme"][0], "value"),
        "partner": Input(FILTERS["partenaire"][0], "value"),
        "chain": Input(FILTERS["chaine"][0], "value"),
        "theme": Input(FILTERS["theme"][0], "value"),
    },
)
@requires("view")
def update_list(
    query: str | None,
    measure: str | None,
    programme: str | None,
    partner: str | None,
    chain: str | None,
    theme: str | None,
) -> dict[str, Any]:
    return views.catalogue_view(query, measure, programme, partner, chain, theme)


sync_query_string(
    "catalogue",
    {"q": "catalogue-recherche", **{name: ids[0] for name, ids in FILTERS.items()}},
)
