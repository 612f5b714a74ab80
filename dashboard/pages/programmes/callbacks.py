"""The programme page's callbacks. ``page.py`` runs this module once per app."""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import ALL, Input, Output, State, callback, ctx, no_update

from dashboard import readers
from dashboard.auth import requires
from dashboard.formatting import format_int
from dashboard.pages.programmes.datasets import (
    chain_dataset,
)
from dashboard.pages.programmes.figures import (
    members_history_figure,
)
from dashboard.pages.programmes.members import (
    chosen_level,
    departement_counts,
    member_list_note,
    members_history_dataset,
)
from dashboard.pages.programmes.texts import (
    members_history_summary,
)
from dashboard.pages.programmes.views import (
    PICK_TYPE,
    chain_view,
    departement_options,
    download_links,
    members_map_view,
    progress_view,
    trend_options,
    trend_view,
)
from dashboard.programmes import MEMBER_LEVELS, member_levels, programme_spans
from dashboard.url_state import sync_query_string
from indicators.territories.set_history import active_members


@callback(
    output={
        "level": Output("programme-niveau", "value"),
        "level_hidden": Output("programme-niveau-control", "hidden"),
        "members_today": Output("programme-membres-aujourdhui", "children"),
    },
    inputs={"code": Input("programme-code", "data")},
    state={"current": State("programme-niveau", "value")},
)
@requires("view")
def update_levels(code: str, current: str | None) -> dict[str, Any]:
    spans = programme_spans(code)
    levels = member_levels(spans)
    today = date.today()
    active = active_members(spans, today)
    counts = [
        f"{format_int(sum(1 for s in active if s.level == level))} {MEMBER_LEVELS[level]}"
        for level in levels
    ]
    return {
        "level": chosen_level(code, current),
        "level_hidden": len(levels) < 2,
        "members_today": " et ".join(counts) or "aucun",
    }


@callback(Output("programme-liste", "children"), Input("programme-code", "data"))
@requires("view")
def update_list_note(code: str) -> str:
    return member_list_note(code)


@callback(
    output={
        "figure": Output("programme-membres-graph", "figure"),
        "summary": Output("programme-membres-summary", "children"),
        "csv": Output("programme-membres-csv", "href"),
        "xlsx": Output("programme-membres-xlsx", "href"),
    },
    inputs={
        "code": Input("programme-code", "data"),
        "level": Input("programme-niveau", "value"),
        "step": Input("programme-pas", "value"),
    },
)
@requires("view")
def update_history(code: str, level: str | None, step: str) -> dict[str, Any]:
    level = chosen_level(code, level)
    today = date.today()
    table = members_history_dataset(code, level, step, today)
    word = MEMBER_LEVELS.get(level or "", "territoires")
    params = {"programme": code, "niveau": level, "pas": step}
    csv, xlsx = download_links("programme-membres", **params)
    return {
        "figure": members_history_figure(table, word),
        "summary": members_history_summary(table, word, today),
        "csv": csv,
        "xlsx": xlsx,
    }


@callback(
    output={
        "options": Output("programme-dans", "options"),
        "value": Output("programme-dans", "value"),
    },
    inputs={"code": Input("programme-code", "data"), "level": Input("programme-niveau", "value")},
    state={"current": State("programme-dans", "value")},
)
@requires("view")
def update_departements(code: str, level: str | None, current: str | None) -> dict[str, Any]:
    counts = departement_counts(code, level)
    return {"options": departement_options(counts), "value": current if current in counts else ""}


@callback(
    # in this order: test and benchmark clients name the outputs by position
    output={
        "figure": Output("programme-carte-graph", "figure"),
        "summary": Output("programme-carte-summary", "children"),
        "legend": Output("programme-carte-legend", "children"),
        "members": Output("programme-carte-liste", "children"),
        "csv": Output("programme-carte-csv", "href"),
        "xlsx": Output("programme-carte-xlsx", "href"),
        "title": Output("programme-carte-title", "children"),
        "hint": Output("programme-carte-aide", "children"),
    },
    inputs={
        "code": Input("programme-code", "data"),
        "level": Input("programme-niveau", "value"),
        "within": Input("programme-dans", "value"),
    },
)
@requires("view")
def update_map(code: str, level: str | None, within: str | None) -> dict[str, Any]:
    return members_map_view(code, level, within)


@callback(
    output={
        "within": Output("programme-dans", "value", allow_duplicate=True),
        # href, not pathname: only a new href navigates (Dash 4)
        "address": Output("programme-nav", "href"),
    },
    inputs={"click": Input("programme-carte-graph", "clickData")},
    state={"within": State("programme-dans", "value")},
    prevent_initial_call=True,
)
@requires("view")
def drill_down(click: dict[str, Any] | None, within: str | None) -> dict[str, Any]:
    """A département opens its communes; a commune opens its territory page."""
    code = click["points"][0].get("customdata") if click and click.get("points") else None
    if not isinstance(code, str):
        return {"within": no_update, "address": no_update}
    if code.startswith("DEP:"):
        return {"within": code, "address": no_update}
    return {"within": no_update, "address": f"/territoire/{code}"}


@callback(
    output={
        "figure": Output("programme-progression-graph", "figure"),
        "style": Output("programme-progression-graph", "style"),
        "summary": Output("programme-progression-summary", "children"),
        "legend": Output("programme-progression-legend", "children"),
        "csv": Output("programme-progression-csv", "href"),
        "xlsx": Output("programme-progression-xlsx", "href"),
    },
    inputs={"code": Input("programme-code", "data")},
)
@requires("view")
def update_progress(code: str) -> dict[str, Any]:
    return progress_view(code)


@callback(
    output={
        "chain": Output("programme-chaine", "children"),
        "summary": Output("programme-chaine-summary", "children"),
        "csv": Output("programme-chaine-csv", "href"),
        "xlsx": Output("programme-chaine-xlsx", "href"),
    },
    inputs={"code": Input("programme-code", "data")},
)
@requires("view")
def update_chain(code: str) -> dict[str, Any]:
    return chain_view(code)


@callback(
    output={
        "options": Output("programme-indicateur", "options"),
        "value": Output("programme-indicateur", "value"),
    },
    inputs={"code": Input("programme-code", "data")},
    state={"current": State("programme-indicateur", "value")},
)
@requires("view")
def update_trend_choices(code: str, current: str | None) -> dict[str, Any]:
    """Only the indicators that have values over the members (the layout, which reads no
    data, offers every aggregable one)."""
    table = chain_dataset(code)
    with_values = set(table.loc[table["valeur"].notna(), "indicateur"])
    options = [option for option in trend_options(code) if option["value"] in with_values]
    values = [option["value"] for option in options]
    if current in values:
        return {"options": options, "value": current}
    headline = readers.catalogue().programmes[code].headline_indicators
    chosen = next((c for c in headline if c in values), values[0] if values else None)
    return {"options": options, "value": chosen}


@callback(
    Output("programme-indicateur", "value", allow_duplicate=True),
    Input({"type": PICK_TYPE, "indicator": ALL}, "n_clicks"),
    Input("programme-progression-graph", "clickData"),
    State("programme-indicateur", "options"),
    prevent_initial_call=True,
)
@requires("view")
def pick_indicator(_clicks: list[int | None], click: dict[str, Any] | None, options: Any) -> Any:
    """A card's "Voir l'évolution" or a progress bar shows that indicator's line below."""
    allowed = {option["value"] for option in options or []}
    chosen = None
    if isinstance(ctx.triggered_id, dict) and ctx.triggered and ctx.triggered[0]["value"]:
        chosen = ctx.triggered_id["indicator"]
    elif ctx.triggered_id == "programme-progression-graph" and click and click.get("points"):
        chosen = click["points"][0].get("customdata")
    return chosen if chosen in allowed else no_update


@callback(
    output={
        "figure": Output("programme-evolution-graph", "figure"),
        "summary": Output("programme-evolution-summary", "children"),
        "csv": Output("programme-evolution-csv", "href"),
        "xlsx": Output("programme-evolution-xlsx", "href"),
        "title": Output("programme-evolution-title", "children"),
    },
    inputs={
        "code": Input("programme-code", "data"),
        "indicator_code": Input("programme-indicateur", "value"),
    },
)
@requires("view")
def update_trend(code: str, indicator_code: str | None) -> dict[str, Any]:
    return trend_view(code, indicator_code)


sync_query_string(
    "programme",
    {
        "niveau": "programme-niveau",
        "pas": "programme-pas",
        "dans": "programme-dans",
        "indicateur": "programme-indicateur",
    },
)
