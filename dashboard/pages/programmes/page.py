"""``/programmes/<code>``: one programme — its members over time and on a map, its progress
towards its targets, and its results chain from means to impacts; the address keeps the view.

This module registers the page and lays it out (ids, no database work); ``callbacks.py`` fills it.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import readers
from dashboard.components.chart import chart_block
from dashboard.pages import run_callbacks
from dashboard.pages.programmes.datasets import (
    programme_indicators,
)
from dashboard.pages.programmes.views import STEP_CHOICES, departement_options, trend_options
from dashboard.programmes import MEMBER_LEVELS, programme_code
from dashboard.url_state import url_state_store


def page_title(code: str = "ACV", **_other: str) -> str:
    known = programme_code(code)
    label = readers.catalogue().programmes[known].label if known else "Programme introuvable"
    return f"{label} — Suivi des territoires"


dash.register_page(
    __name__,
    path_template="/programmes/<code>",
    path="/programmes/ACV",
    name="Programme",
    title=page_title,
)


def layout(
    code: str = "ACV",
    niveau: str | None = None,
    pas: str = "annee",
    dans: str | None = None,
    indicateur: str | None = None,
    **_other: str,
) -> html.Div:
    known = programme_code(code)
    if known is None:
        return unknown_programme(code)
    programme = readers.catalogue().programmes[known]
    options = trend_options(known)
    values = [option["value"] for option in options]
    headline = next((c for c in programme.headline_indicators if c in values), None)
    indicator = indicateur if indicateur in values else headline or (values or [None])[0]
    partner = readers.catalogue().partners.get(programme.lead_partner)

    history = chart_block("programme-membres", "Les membres au fil du temps")
    history.children.insert(
        1,
        html.Div(
            [
                html.Div(
                    radio_group(
                        "programme-pas",
                        "Compter",
                        STEP_CHOICES,
                        pas if pas in {"annee", "semestre"} else "annee",
                    ),
                    className="control",
                ),
                html.Div(
                    radio_group(
                        "programme-niveau",
                        "Membres",
                        [{"label": v.capitalize(), "value": k} for k, v in MEMBER_LEVELS.items()],
                        niveau,
                    ),
                    className="control",
                    id="programme-niveau-control",
                    hidden=True,
                ),
            ],
            className="controls",
        ),
    )

    members_map = chart_block("programme-carte", "Où sont les membres")
    members_map.children.insert(
        1,
        html.Div(
            html.Div(
                [
                    html.Label("Département", htmlFor="programme-dans"),
                    dbc.Select(
                        id="programme-dans",
                        value=dans or "",
                        options=departement_options(),
                        # shown for the empty value (the select's own first option)
                        placeholder="Toute la France",
                    ),
                ],
                className="control",
            ),
            className="controls",
        ),
    )
    members_map.children.insert(
        3,
        html.P(className="small muted", id="programme-carte-aide"),
    )
    # the members as links, after the legend: the keyboard's way to what the map shows
    members_map.children.insert(
        len(members_map.children) - 1,
        html.Div(id="programme-carte-liste", className="member-list"),
    )

    trend = chart_block("programme-evolution", "Évolution d'un indicateur")
    trend.children.insert(
        1,
        html.Div(
            html.Div(
                [
                    html.Label("Indicateur", htmlFor="programme-indicateur"),
                    dbc.Select(id="programme-indicateur", options=options, value=indicator),
                ],
                className="control wide",
            ),
            className="controls",
        ),
    )

    return html.Div(
        [
            html.Nav(
                html.Ol(
                    [
                        html.Li(dcc.Link("Programmes", href="/programmes")),
                        html.Li(programme.label, **{"aria-current": "page"}),
                    ]
                ),
                className="breadcrumb",
                **{"aria-label": "Fil d'Ariane"},
            ),
            html.Div(
                [html.Span(programme.code, className="badge"), html.H1(programme.label)],
                className="programme-title",
            ),
            html.P(programme.description, className="lead"),
            html.Dl(
                [
                    html.Dt("Piloté par"),
                    html.Dd(partner.name if partner else programme.lead_partner or "—"),
                    html.Dt("Membres aujourd'hui"),
                    html.Dd(id="programme-membres-aujourdhui"),
                    html.Dt("Liste des membres"),
                    html.Dd(id="programme-liste"),
                    html.Dt("Indicateurs suivis"),
                    html.Dd(
                        [
                            f"{len(programme_indicators(known))} — ",
                            dcc.Link("leurs fiches", href=f"/indicateurs?programme={known}"),
                        ]
                    ),
                ],
                className="facts-list programme-facts",
            ),
            dcc.Store(id="programme-code", data=known),
            html.Div([history, members_map], className="programme-membership"),
            chart_block("programme-progression", "Progression vers les cibles"),
            chain_block(),
            trend,
            dcc.Location(id="programme-nav", refresh="callback-nav"),
            url_state_store("programme"),
        ]
    )


def radio_group(
    component_id: str, legend: str, options: list[dict[str, str]], value: str | None
) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(legend, className="label"),
            dbc.RadioItems(id=component_id, options=options, value=value, inline=True),
        ],
        className="fieldset",
    )


def unknown_programme(code: str) -> html.Div:
    programmes = readers.catalogue().programmes.values()
    return html.Div(
        [
            html.H1("Programme introuvable"),
            html.P(f"Le code « {code} » ne correspond à aucun programme suivi."),
            html.P("Les programmes suivis :"),
            html.Ul([html.Li(dcc.Link(p.label, href=f"/programmes/{p.code}")) for p in programmes]),
        ],
        className="card",
    )


def chain_block() -> html.Section:
    """Like ``chart_block``, for a diagram made of cards rather than one graph."""
    return html.Section(
        [
            html.H2("Chaîne de résultats : des moyens aux impacts", id="programme-chaine-title"),
            html.P(
                id="programme-chaine-summary",
                className="chart-summary",
                **{"aria-live": "polite"},
            ),
            dcc.Loading(html.Div(id="programme-chaine", className="chain"), type="dot"),
            html.P(
                [
                    "Données du schéma : ",
                    html.A("CSV", id="programme-chaine-csv", href="#", className="download"),
                    " · ",
                    html.A("XLSX", id="programme-chaine-xlsx", href="#", className="download"),
                ],
                className="data-twin",
            ),
        ],
        className="card chart",
        **{"aria-labelledby": "programme-chaine-title"},
    )


run_callbacks(__name__, __file__)
