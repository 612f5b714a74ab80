"""``/territoire/<code>``: one territory across every programme and measure — its facts, its
indicators over time against its parent, similar territories and the target, its children."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dash_table, dcc, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.components.chart import chart_block, legend
from dashboard.components.search import territory_search
from dashboard.context import db_session
from dashboard.datasets import TYPOLOGY_NAMES, map_dataset, territory_series_dataset
from dashboard.figures import empty_figure
from dashboard.figures.trend import trend_figure
from dashboard.formatting import format_int, format_period
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.summaries import LEVEL_PLURALS, series_summary
from dashboard.url_state import sync_query_string, url_state_store
from dashboard.views import map_view
from indicators.territories.referential import LEVEL_LABELS, Territory
from indicators.territories.set_store import sets_of

dash.register_page(
    __name__,
    path_template="/territoire/<code>",
    path="/territoire/FR",
    name="Territoires",
    title="Territoire — Suivi des territoires",
    order=10,
)

CHILD_LEVEL = {"FR": "REG", "REG": "DEP", "DEP": "COM", "EPCI": "COM"}
SET_KIND_LABELS = {
    "programme": "Programme",
    "mesure_test": "Territoire test",
    "mesure_temoin": "Territoire témoin",
    "groupe": "Groupe",
}


def indicator_options(level: str) -> list[dict[str, str]]:
    return [
        {"label": f"{i.label} ({i.unit})", "value": code}
        for code, i in readers.catalogue().indicators.items()
        if level in {lvl.value for lvl in i.levels}
    ]


def layout(code: str = "FR", indicateur: str | None = None, **_query: str) -> html.Div:
    place = readers.referential().get(code)
    if place is None:
        return html.Div(
            [
                html.H1("Territoire introuvable"),
                html.P(f"Le code « {code} » ne correspond à aucun territoire du référentiel."),
                territory_search("territoire-inconnu"),
            ],
            className="card",
        )
    options = indicator_options(place.level)
    codes = [option["value"] for option in options]
    indicator = indicateur if indicateur in codes else (codes[0] if codes else None)
    child_level = CHILD_LEVEL.get(place.level)
    elsewhere = not_published_note(indicateur, place) if indicateur not in codes else None
    return html.Div(
        [
            breadcrumb(place),
            html.Div(
                [html.H1(place.name, id="territoire-nom"), territory_search("territoire")],
                className="title-row",
            ),
            html.Section(
                [html.H2("En bref"), html.Div(key_facts(place)), html.Div(id="territoire-sets")],
                className="card facts",
            ),
            html.Div(
                [
                    html.Label("Indicateur", htmlFor="territoire-indicateur"),
                    dbc.Select(
                        id="territoire-indicateur",
                        options=options,
                        value=indicator,
                    ),
                ],
                className="control wide",
            ),
            *([elsewhere] if elsewhere else []),
            html.P(
                dcc.Link(
                    "Fiche de l'indicateur",
                    id="territoire-fiche",
                    href=f"/indicateur/{indicator}" if indicator else "/indicateurs",
                ),
                className="small",
            ),
            dcc.Store(id="territoire-code", data=place.code),
            chart_block("territoire-trend", "Évolution"),
            *([children_block(child_level)] if child_level else []),
            url_state_store("territoire"),
        ]
    )


def not_published_note(code: str | None, place: Territory) -> html.P | None:
    """Why the indicator asked for in the address is not the one shown: it is not published at
    this territory's level (issue #11: a territory outside the indicator's levels)."""
    definition = readers.catalogue().indicators.get(code or "")
    if definition is None:
        return None
    levels = ", ".join(
        LEVEL_PLURALS.get(level.value, level.value)
        for level in definition.levels
        if level.value in LEVEL_PLURALS
    )
    here = f"les {LEVEL_PLURALS[place.level]}" if place.level in LEVEL_PLURALS else "la France"
    return html.P(
        f"« {definition.label} » n'est pas publié pour {here} ({place.name})"
        + (f" ; il l'est pour les {levels}." if levels else ".")
        + " Un autre indicateur est affiché.",
        className="notice",
        id="territoire-hors-niveau",
    )


def breadcrumb(place: Territory) -> html.Nav:
    referential = readers.referential()
    chain = [*reversed(referential.parents(place.code)), place.code]
    items = []
    for code in chain:
        name = referential.name(code)
        if code == place.code:
            items.append(html.Li(name, **{"aria-current": "page"}))
        else:
            items.append(html.Li(dcc.Link(name, href=f"/territoire/{code}")))
    return html.Nav(html.Ol(items), className="breadcrumb", **{"aria-label": "Fil d'Ariane"})


def key_facts(place: Territory) -> html.Dl:
    typology = readers.typology_of(place.code)
    facts = [
        ("Niveau", LEVEL_LABELS.get(place.level, place.level)),
        ("Code officiel", place.local_code or "—"),
        ("Population légale", format_int(place.population)),
    ]
    if typology:
        facts.append(
            ("Type (plan d'action)", TYPOLOGY_NAMES[typology].removeprefix("territoires "))
        )
    items: list[Any] = []
    for term, definition in facts:
        items += [html.Dt(term), html.Dd(definition)]
    return html.Dl(items, className="facts-list")


def children_block(level: str) -> html.Section:
    return html.Section(
        [
            html.Div(
                [
                    html.Label("Période", htmlFor="territoire-periode"),
                    dbc.Select(id="territoire-periode", options=[]),
                ],
                className="control",
            ),
            chart_block("territoire-enfants", f"Les {LEVEL_PLURALS[level]}"),
            dash_table.DataTable(
                id="territoire-table",
                columns=[
                    {"name": "Territoire", "id": "nom_lien", "presentation": "markdown"},
                    {"name": "Code", "id": "code_officiel"},
                    {"name": "Valeur", "id": "valeur", "type": "numeric"},
                    {"name": "Statut", "id": "statut_libelle"},
                ],
                sort_action="native",
                # no pagination: its arrow buttons have no accessible names; the table scrolls
                page_action="none",
                # the table's own link colour (hot pink) fails contrast: scoped rule wins
                css=[{"selector": "a", "rule": "color: #000091 !important;"}],
                fixed_rows={"headers": True},
                style_table={"maxHeight": "480px", "overflowY": "auto"},
                style_cell={"fontFamily": "inherit", "padding": "6px", "textAlign": "left"},
                style_header={"fontWeight": "700"},
                markdown_options={"link_target": "_self"},
            ),
        ],
        className="children",
    )


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


def _child_geometry(place: Territory, level: str) -> str:
    if level == "REG":
        return geometry_url("regions")
    if level == "DEP":
        return geometry_url("departements")
    departement = place.local_code if place.level == "DEP" else place.departement
    return geometry_url(f"communes-{departement}")


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
