"""The callbacks of ``territoire``: they read their inputs and call ``views``. ``page.py`` runs
this module once per app."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.context import db_session
from dashboard.formatting import format_period
from dashboard.pages.territoire.views import (
    SET_KIND_LABELS,
    children_view,
    programmes_view,
    sheet_address,
    trend_view,
)
from dashboard.url_state import sync_query_string
from indicators.territories.set_store import sets_of


@callback(Output("territoire-sets", "children"), Input("territoire-code", "data"))
@requires("view")
def show_memberships(code: str) -> Any:
    with db_session() as session:
        memberships = sets_of(session, code)
    if not memberships:
        return html.P("Membre d'aucun programme ni d'aucune mesure enregistrés.")
    return html.Ul(
        [
            html.Li(
                f"{SET_KIND_LABELS.get(m.kind, m.kind)} : {m.name}"
                + (f" (depuis le {m.start:%d/%m/%Y})" if m.start else "")
            )
            for m in memberships
        ],
        className="memberships",
    )


@callback(
    output={
        "figure": Output("territoire-trend-graph", "figure"),
        "summary": Output("territoire-trend-summary", "children"),
        "csv": Output("territoire-trend-csv", "href"),
        "xlsx": Output("territoire-trend-xlsx", "href"),
        "title": Output("territoire-trend-title", "children"),
    },
    inputs={
        "indicator_code": Input("territoire-indicateur", "value"),
        "code": Input("territoire-code", "data"),
    },
)
@requires("view")
def update_trend(indicator_code: str | None, code: str) -> dict[str, Any]:
    return trend_view(indicator_code, code)


@callback(
    output={"programmes": Output("territoire-programmes", "children")},
    inputs={"code": Input("territoire-code", "data")},
)
@requires("view")
def show_programmes(code: str) -> dict[str, Any]:
    return {"programmes": programmes_view(code)}


@callback(
    output={"href": Output("territoire-fiche", "href")},
    inputs={
        "indicator_code": Input("territoire-indicateur", "value"),
        "code": Input("territoire-code", "data"),
    },
)
@requires("view")
def link_indicator_sheet(indicator_code: str | None, code: str) -> dict[str, str]:
    return {"href": sheet_address(indicator_code, code)}


@callback(
    output={
        "options": Output("territoire-periode", "options"),
        "value": Output("territoire-periode", "value"),
    },
    inputs={"indicator_code": Input("territoire-indicateur", "value")},
)
@requires("view")
def update_child_periods(indicator_code: str | None) -> dict[str, Any]:
    periods = readers.periods_of(indicator_code) if indicator_code else []
    options = [{"label": format_period(p), "value": p} for p in reversed(periods)]
    return {"options": options, "value": periods[-1] if periods else None}


@callback(
    # in this order: test and benchmark clients name the outputs by position
    output={
        "figure": Output("territoire-enfants-graph", "figure"),
        "summary": Output("territoire-enfants-summary", "children"),
        "legend": Output("territoire-enfants-legend", "children"),
        "csv": Output("territoire-enfants-csv", "href"),
        "xlsx": Output("territoire-enfants-xlsx", "href"),
        "rows": Output("territoire-table", "data"),
    },
    inputs={
        "indicator_code": Input("territoire-indicateur", "value"),
        "period": Input("territoire-periode", "value"),
        "code": Input("territoire-code", "data"),
    },
)
@requires("view")
def update_children(indicator_code: str | None, period: str | None, code: str) -> dict[str, Any]:
    return children_view(indicator_code, period, code)


@callback(
    Output("search-nav", "href"),  # href, not pathname: only a new href navigates (Dash 4)
    Input("territoire-enfants-graph", "clickData"),
    State("territoire-indicateur", "value"),
    prevent_initial_call=True,
)
@requires("view")
def open_child(click: dict[str, Any] | None, indicator: str | None) -> Any:
    if click and click.get("points") and isinstance(click["points"][0].get("customdata"), str):
        return f"/territoire/{click['points'][0]['customdata']}?indicateur={indicator}"
    return dash.no_update


sync_query_string("territoire", {"indicateur": "territoire-indicateur"})
