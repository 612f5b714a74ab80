"""``/indicateur/<code>``: everything about one indicator — its definition sheet and versions,
its values by territory for a period (map, ranking, distribution), its course over time in France
and by size of territory, how many territories report it, and where its numbers come from.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills it.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import readers
from dashboard.components.chart import chart_block
from dashboard.components.share import copy_link
from dashboard.formatting import format_period
from dashboard.pages import run_callbacks
from dashboard.pages.indicateur.components import (
    badges,
    lineage_block,
    metadata_sheet,
    table_of_contents,
    targets_table,
)
from dashboard.pages.indicateur.datasets import map_levels, valid_view
from dashboard.pages.indicateur.texts import LEVEL_CHOICES
from dashboard.pickers import area_choices
from dashboard.url_state import url_state_store
from indicators.catalogue import Indicator

dash.register_page(
    __name__,
    path_template="/indicateur/<code>",
    name="Indicateur",
    title="Indicateur — Suivi des territoires",
)


def layout(
    code: str | None = None,
    periode: str | None = None,
    niveau: str | None = None,
    dans: str | None = None,
    surligne: str | None = None,
    **_query: str,
) -> html.Div:
    definition = readers.catalogue().indicators.get(code or "")
    if definition is None:
        return html.Div(
            [
                html.H1("Indicateur introuvable"),
                html.P(f"Le code « {code} » ne correspond à aucun indicateur du catalogue."),
                html.P(["Voir ", dcc.Link("la liste des indicateurs", href="/indicateurs"), "."]),
            ],
            className="card",
        )
    level, within = valid_view(definition, niveau, dans)
    return html.Div(
        [
            html.Nav(
                html.Ol(
                    [
                        html.Li(dcc.Link("Indicateurs", href="/indicateurs")),
                        html.Li(definition.label, **{"aria-current": "page"}),
                    ]
                ),
                className="breadcrumb",
                **{"aria-label": "Fil d'Ariane"},
            ),
            html.Div([html.H1(definition.label), copy_link("indicateur")], className="title-row"),
            html.P(definition.description, className="lead"),
            html.P(badges(definition), className="indicator-badges"),
            table_of_contents(),
            html.Div(
                [
                    html.Section(
                        [
                            html.H2("Fiche de l'indicateur", id="indicateur-fiche-titre"),
                            metadata_sheet(definition),
                        ],
                        className="card",
                        **{"aria-labelledby": "indicateur-fiche-titre"},
                    ),
                    html.Div(
                        [
                            html.Section(
                                [
                                    html.H2("Cibles", id="indicateur-cibles-titre"),
                                    targets_table(definition),
                                ],
                                className="card",
                                **{"aria-labelledby": "indicateur-cibles-titre"},
                            ),
                            html.Section(
                                [
                                    html.H2(
                                        "Versions de la définition",
                                        id="indicateur-versions-titre",
                                    ),
                                    html.Div(id="indicateur-versions"),
                                ],
                                className="card",
                                **{"aria-labelledby": "indicateur-versions-titre"},
                            ),
                        ]
                    ),
                ],
                className="indicator-top",
            ),
            controls(definition, periode, level, within),
            chart_block("indicateur-carte", "Carte"),
            html.Div(
                [
                    chart_block("indicateur-classement", "Classement"),
                    chart_block("indicateur-distribution", "Distribution des valeurs"),
                ],
                className="chart-pair",
            ),
            chart_block("indicateur-evolution", "Évolution en France et par taille de territoire"),
            chart_block("indicateur-couverture", "Couverture : territoires renseignés"),
            lineage_block(),
            dcc.Store(id="indicateur-code", data=definition.code),
            # a territory to pick out (``?surligne=COM:29105``), when it is one of the referential
            dcc.Store(
                id="indicateur-surligne",
                data=surligne if surligne and surligne in readers.referential() else None,
            ),
            dcc.Store(id="indicateur-sommaire-cible"),
            dcc.Location(id="indicateur-nav", refresh="callback-nav"),
            url_state_store("indicateur"),
        ],
        className="indicator-page",
    )


def controls(definition: Indicator, period: str | None, level: str, within: str | None) -> html.Div:
    # the area's options are there from the start, so that the ``dans`` of a shared link shows
    areas, area_label = area_choices(level)
    return html.Div(
        [
            html.Div(
                [
                    html.Label("Période", htmlFor="indicateur-periode"),
                    dbc.Select(
                        id="indicateur-periode",
                        options=[{"label": format_period(period), "value": period}]
                        if period
                        else [],
                        value=period,
                    ),
                ],
                className="control",
            ),
            html.Div(
                html.Fieldset(
                    [
                        html.Legend("Maille", className="label"),
                        dbc.RadioItems(
                            id="indicateur-niveau",
                            name="indicateur-niveau",  # one tab stop, arrows move within
                            options=[
                                {"label": LEVEL_CHOICES[lvl], "value": lvl}
                                for lvl in map_levels(definition)
                            ],
                            value=level,
                            inline=True,
                        ),
                    ],
                    className="fieldset",
                ),
                className="control wide",
            ),
            html.Div(
                [
                    html.Label(area_label, htmlFor="indicateur-dans", id="indicateur-dans-label"),
                    # shown for the value "" (dbc.Select's placeholder): "Toute la France"…
                    dbc.Select(
                        id="indicateur-dans",
                        options=areas,
                        value=within or "",
                        placeholder=areas[0]["label"],
                        disabled=level == "REG",
                    ),
                ],
                className="control",
            ),
        ],
        className="controls sticky-controls",
        role="group",
        **{"aria-label": "Période et territoires affichés"},
    )


run_callbacks(__name__, __file__)
