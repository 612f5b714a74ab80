"""The callbacks of ``territoire``: they read their inputs and call ``views``. ``page.py`` runs
this module once per app."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.components.chart import legend
from dashboard.context import db_session
from dashboard.datasets import map_dataset, territory_series_dataset
from dashboard.figures import empty_figure
from dashboard.figures.trend import trend_figure
from dashboard.formatting import format_period
from dashboard.pages.territoire.views import CHILD_LEVEL, SET_KIND_LABELS, _child_geometry
from dashboard.routes.exports import export_url
from dashboard.summaries import LEVEL_PLURALS, series_summary
from dashboard.url_state import sync_query_string
from dashboard.views import map_view
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
    Output("territoire-trend-graph", "figure"),
    Output("territoire-trend-summary", "children"),
    Output("territoire-trend-csv", "href"),
    Output("territoire-trend-xlsx", "href"),
    Output("territoire-trend-title", "children"),
    Input("territoire-indicateur", "value"),
    Input("territoire-code", "data"),
)
@requires("view")
def update_trend(indicator_code: str | None, code: str) -> tuple[Any, ...]:
    if not indicator_code:
        message = "Aucun indicateur publié à ce niveau."
        return empty_figure(message), message, None, None, "Évolution"
    indicator = readers.catalogue().indicators[indicator_code]
    table = territory_series_dataset(indicator_code, code)
    own = table[table["code"] == code].rename(
        columns={"periode": "period", "valeur": "value", "statut": "status"}
    )
    name = readers.referential().name(code)
    summary = series_summary(own, indicator.label, indicator.unit, name)
    params = {"indicateur": indicator_code, "territoire": code}
    return (
        trend_figure(table, indicator.unit, empty=f"{name} : aucune valeur transmise."),
        summary,
        export_url("serie", "csv", **params),
        export_url("serie", "xlsx", **params),
        f"Évolution — {indicator.label}",
    )


@callback(Output("territoire-fiche", "href"), Input("territoire-indicateur", "value"))
@requires("view")
def link_indicator_sheet(indicator_code: str | None) -> str:
    return f"/indicateur/{indicator_code}" if indicator_code else "/indicateurs"


@callback(
    Output("territoire-periode", "options"),
    Output("territoire-periode", "value"),
    Input("territoire-indicateur", "value"),
)
@requires("view")
def update_child_periods(indicator_code: str | None) -> tuple[Any, Any]:
    periods = readers.periods_of(indicator_code) if indicator_code else []
    options = [{"label": format_period(p), "value": p} for p in reversed(periods)]
    return options, periods[-1] if periods else None


@callback(
    Output("territoire-enfants-graph", "figure"),
    Output("territoire-enfants-summary", "children"),
    Output("territoire-enfants-legend", "children"),
    Output("territoire-enfants-csv", "href"),
    Output("territoire-enfants-xlsx", "href"),
    Output("territoire-table", "data"),
    Input("territoire-indicateur", "value"),
    Input("territoire-periode", "value"),
    Input("territoire-code", "data"),
)
@requires("view")
def update_children(indicator_code: str | None, period: str | None, code: str) -> tuple[Any, ...]:
    referential = readers.referential()
    place = referential.territory(code)
    level = CHILD_LEVEL.get(place.level)
    if level is None:  # a commune has no children block; a forged request gets an empty state
        message = f"{place.name} n'est pas découpé en territoires plus petits."
        return empty_figure(message), message, [], None, None, []
    if not indicator_code or not period:
        message = (
            "Aucun indicateur publié à ce niveau."
            if not indicator_code
            else f"Aucune valeur transmise pour les {LEVEL_PLURALS[level]} de {place.name}."
        )
        return empty_figure(message), message, [], None, None, []
    within = None if place.level == "FR" else code
    view = map_view(indicator_code, period, level, within, _child_geometry(place, level))
    table = map_dataset(indicator_code, period, level, within)  # values come from the cache
    params = {"indicateur": indicator_code, "periode": period, "niveau": level, "dans": within}
    # the link keeps the indicator: drilling down should not lose what one is looking at
    links = [
        f"[{n}](/territoire/{c}?indicateur={indicator_code})"
        for n, c in zip(table["nom"], table["code"], strict=True)
    ]
    rows = table.assign(
        nom_lien=links,
        valeur=table["valeur"].round(2),
    )[["nom_lien", "code_officiel", "valeur", "statut_libelle"]]
    return (
        view.figure,
        view.summary,
        legend(view.classes, set(view.statuses)),
        export_url("carte", "csv", **params),
        export_url("carte", "xlsx", **params),
        rows.to_dict("records"),
    )


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
