"""``/territoire/<code>``: one territory across every programme and measure — its facts, its
indicators over time against its parent, similar territories and the target, its children.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills
it.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dash_table, dcc, html

from dashboard import readers
from dashboard.components.chart import chart_block
from dashboard.components.search import territory_search
from dashboard.components.share import copy_link
from dashboard.formatting import format_int
from dashboard.pages import run_callbacks
from dashboard.pages.territoire.views import CHILD_LEVEL, indicator_options, sheet_address
from dashboard.summaries import LEVEL_PLURALS
from dashboard.url_state import url_state_store
from indicators.territories import TYPOLOGY_NAMES
from indicators.territories.referential import LEVEL_LABELS, Territory

dash.register_page(
    __name__,
    path_template="/territoire/<code>",
    path="/territoire/FR",
    name="Territoires",
    title="Territoire — Suivi des territoires",
    order=10,
)


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
                [
                    html.H1(place.name, id="territoire-nom"),
                    copy_link("territoire"),
                    territory_search("territoire"),
                ],
                className="title-row",
            ),
            html.Section(
                [html.H2("En bref"), html.Div(key_facts(place)), html.Div(id="territoire-sets")],
                className="card facts",
            ),
            html.Section(
                [
                    html.H2("Mes programmes", id="territoire-programmes-titre"),
                    html.P(
                        "Chaque indicateur du programme : ce territoire, la médiane des autres "
                        "membres du programme, son département (pour une commune, sauf les "
                        "comptages) et la médiane des territoires de même type (même classe de "
                        "population du plan d'action).",
                        className="small",
                    )
                    if place.level in {"COM", "EPCI"}
                    else None,
                    dcc.Loading(html.Div(id="territoire-programmes"), type="dot"),
                ],
                className="card programmes",
                **{"aria-labelledby": "territoire-programmes-titre"},
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
                    href=sheet_address(indicator, place.code),
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


run_callbacks(__name__, __file__)
