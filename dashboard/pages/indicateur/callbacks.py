"""The indicator page's callbacks: each reads its inputs, asks ``views`` and returns named
outputs. ``page.py`` runs this module once per app."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, callback, no_update

from dashboard.auth import requires
from dashboard.components.chart import chart_outputs
from dashboard.pages.indicateur import views
from dashboard.pages.indicateur.components import TOC_TYPE
from dashboard.url_state import HIGHLIGHT_PARAM, sync_query_string


@callback(
    Output("indicateur-versions", "children"),
    Input("indicateur-code", "data"),
)
@requires("view")
def show_versions(code: str) -> Any:
    return views.versions_view(code)


@callback(
    output={
        "options": Output("indicateur-periode", "options"),
        "value": Output("indicateur-periode", "value"),
    },
    inputs={"code": Input("indicateur-code", "data")},
    state={"current": State("indicateur-periode", "value")},
)
@requires("view")
def update_periods(code: str, current: str | None) -> dict[str, Any]:
    return views.period_choices(code, current)


@callback(
    output={
        "options": Output("indicateur-dans", "options"),
        "placeholder": Output("indicateur-dans", "placeholder"),
        "label": Output("indicateur-dans-label", "children"),
        "disabled": Output("indicateur-dans", "disabled"),
        "value": Output("indicateur-dans", "value"),
    },
    inputs={"level": Input("indicateur-niveau", "value")},
    state={
        "within": State("indicateur-dans", "value"),
        "code": State("indicateur-code", "data"),
        "period": State("indicateur-periode", "value"),
        "highlight": State("indicateur-surligne", "data"),
    },
)
@requires("view")
def update_area_choices(
    level: str, within: str | None, code: str, period: str | None, highlight: str | None
) -> dict[str, Any]:
    return views.area_picker(level, within, code, period, highlight)


@callback(
    output={
        # in this order: test and benchmark clients name the outputs by position
        "carte_figure": Output("indicateur-carte-graph", "figure"),
        "carte_summary": Output("indicateur-carte-summary", "children"),
        "carte_legend": Output("indicateur-carte-legend", "children"),
        "carte_csv": Output("indicateur-carte-csv", "href"),
        "carte_xlsx": Output("indicateur-carte-xlsx", "href"),
        "carte_title": Output("indicateur-carte-title", "children"),
        **chart_outputs("classement", "indicateur-classement"),
        **chart_outputs("distribution", "indicateur-distribution"),
    },
    inputs={
        "code": Input("indicateur-code", "data"),
        "period": Input("indicateur-periode", "value"),
        "level": Input("indicateur-niveau", "value"),
        "within": Input("indicateur-dans", "value"),
        "highlight": Input("indicateur-surligne", "data"),
    },
)
@requires("view")
def update_place_charts(
    code: str,
    period: str | None,
    level: str | None,
    within: str | None,
    highlight: str | None = None,
) -> dict[str, Any]:
    return views.place_charts(code, period, level, within, highlight)


@callback(
    output=chart_outputs("evolution", "indicateur-evolution"),
    inputs={"code": Input("indicateur-code", "data")},
)
@requires("view")
def update_trend(code: str) -> dict[str, Any]:
    return views.trend_view(code)


@callback(
    output={
        **chart_outputs("couverture", "indicateur-couverture"),
        "couverture_title": Output("indicateur-couverture-title", "children"),
    },
    inputs={"code": Input("indicateur-code", "data")},
)
@requires("view")
def update_coverage(code: str) -> dict[str, Any]:
    return views.coverage_view(code)


@callback(
    output={
        "summary": Output("indicateur-provenance-summary", "children"),
        "loads": Output("indicateur-chargements", "children"),
        "loads_csv": Output("indicateur-chargements-csv", "href"),
        "loads_xlsx": Output("indicateur-chargements-xlsx", "href"),
        "computed": Output("indicateur-calculs", "children"),
        "computed_csv": Output("indicateur-calculs-csv", "href"),
        "computed_xlsx": Output("indicateur-calculs-xlsx", "href"),
    },
    inputs={
        "code": Input("indicateur-code", "data"),
        "period": Input("indicateur-periode", "value"),
    },
)
@requires("view")
def update_lineage(code: str, period: str | None) -> dict[str, Any]:
    return views.lineage_view(code, period)


@callback(
    Output("indicateur-nav", "href"),
    Input("indicateur-carte-graph", "clickData"),
    Input("indicateur-classement-graph", "clickData"),
    State("indicateur-code", "data"),
    prevent_initial_call=True,
)
@requires("view")
def open_territory(
    map_click: dict[str, Any] | None, bar_click: dict[str, Any] | None, code: str
) -> Any:
    """A click on a territory (map or bar) opens its page on this indicator."""
    click = bar_click if dash.ctx.triggered_id == "indicateur-classement-graph" else map_click
    return views.territory_address(click, code) or no_update


dash.clientside_callback(
    """
    function(clicks) {
        const target = dash_clientside.callback_context.triggered_id;
        if (!target || !clicks.some(Boolean)) { return dash_clientside.no_update; }
        const title = document.getElementById(target.target);
        if (title) {
            title.setAttribute("tabindex", "-1");
            title.scrollIntoView({block: "start"});
            title.focus({preventScroll: true});
        }
        return target.target;
    }
    """,
    Output("indicateur-sommaire-cible", "data"),
    Input({"type": TOC_TYPE, "target": ALL}, "n_clicks"),
    prevent_initial_call=True,
)


sync_query_string(
    "indicateur",
    {"periode": "indicateur-periode", "niveau": "indicateur-niveau", "dans": "indicateur-dans"},
    stores={HIGHLIGHT_PARAM: "indicateur-surligne"},
)
