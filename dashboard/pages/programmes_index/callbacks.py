"""The list of programmes' callback. ``page.py`` runs this module once per app."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback

from dashboard import readers
from dashboard.auth import requires
from dashboard.formatting import format_int
from dashboard.pages.programmes_index.datasets import programmes_dataset
from dashboard.pages.programmes_index.views import programme_card
from dashboard.routes.exports import export_url


@callback(
    output={
        "cards": Output("programmes-cartes", "children"),
        "summary": Output("programmes-resume", "children"),
        "csv": Output("programmes-csv", "href"),
        "xlsx": Output("programmes-xlsx", "href"),
    },
    inputs={"_loaded": Input("programmes-charge", "data")},
)
@requires("view")
def update_programmes(_loaded: Any) -> dict[str, Any]:
    table = programmes_dataset()
    cards = [programme_card(code, rows) for code, rows in table.groupby("programme", sort=False)]
    members = table.drop_duplicates("programme")
    summary = (
        f"{len(members)} programmes : "
        + " ; ".join(
            f"{readers.catalogue().programmes[row.programme].label}, "
            f"{format_int(int(row.membres))} {row.niveau_membres or 'territoires'} membres"
            for row in members.itertuples()
        )
        + "."
    )
    return {
        "cards": cards,
        "summary": summary,
        "csv": export_url("programmes", "csv"),
        "xlsx": export_url("programmes", "xlsx"),
    }
