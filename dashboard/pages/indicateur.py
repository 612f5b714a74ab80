"""``/indicateur/<code>``: everything about one indicator — its definition sheet and versions,
its values by territory for a period (map, ranking, distribution), its course over time in France
and by size of territory, how many territories report it, and where its numbers come from."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, dcc, html, no_update

from dashboard import readers
from dashboard.auth import requires
from dashboard.cache import cache
from dashboard.components.chart import chart_block, legend
from dashboard.figures import empty_figure
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import quantile_classes
from dashboard.figures.distribution import coverage_figure, histogram_figure
from dashboard.figures.national_trend import national_trend_figure
from dashboard.figures.ranking import ranking_figure
from dashboard.formatting import (
    format_datetime,
    format_int,
    format_number,
    format_period,
    format_value,
)
from dashboard.indicator_datasets import (
    coverage_dataset,
    coverage_level,
    default_departement,
    distribution_rows,
    level_table,
    lineage_computed_dataset,
    lineage_loads_dataset,
    map_levels,
    ranking_rows,
    target_name,
    target_series,
    trend_dataset,
    valid_view,
    versions_table,
)
from dashboard.indicator_summaries import (
    agree,
    coverage_summary,
    distribution_summary,
    lineage_summary,
    ranking_summary,
    trend_summary,
)
from dashboard.pickers import area_choices
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.summaries import LEVEL_PLURALS, map_summary
from dashboard.url_state import sync_query_string, url_state_store
from indicators.catalogue import Aggregation, Indicator, Target, definition_hash

dash.register_page(
    __name__,
    path_template="/indicateur/<code>",
    name="Indicateur",
    title="Indicateur — Suivi des territoires",
)

LEVEL_CHOICES = {
    "REG": "Régions",
    "DEP": "Départements",
    "EPCI": "Intercommunalités",
    "COM": "Communes d'un département",
}
GEOMETRY = {"REG": "regions", "DEP": "departements", "EPCI": "epci"}
DIRECTIONS = {
    "up": "à la hausse",
    "down": "à la baisse",
    "neutral": "aucun (indicateur de contexte)",
}
KINDS = {
    "base": "de base : valeurs chargées par le partenaire",
    "derived": "calculé à partir d'autres indicateurs",
}
CHAIN_HELP = {
    "input": "les moyens engagés",
    "output": "ce que l'action produit",
    "outcome": "ce qui change pour les habitants et les territoires",
    "impact": "l'effet durable recherché",
}
FIELD_NAMES = {
    "label": "libellé",
    "description": "description",
    "theme": "thème",
    "unit": "unité",
    "factor": "facteur",
    "direction": "sens souhaité",
    "kind": "nature",
    "formula": "formule",
    "aggregation": "agrégation",
    "numerator": "numérateur",
    "denominator": "dénominateur",
    "weight": "pondération",
    "periodicity": "périodicité",
    "publication_lag_months": "délai de publication",
    "levels": "niveaux",
    "chain_level": "chaîne de résultats",
    "last_mile": "dernier kilomètre",
    "measures": "mesures",
    "programmes": "programmes",
    "partner": "partenaire",
    "range": "plage de valeurs",
    "baseline": "référence",
    "targets": "cibles",
    "source": "source",
    "licence": "licence",
}
TOC_TYPE = "indicateur-sommaire"
SECTIONS = [
    ("indicateur-fiche-titre", "Fiche"),
    ("indicateur-cibles-titre", "Cibles"),
    ("indicateur-versions-titre", "Versions"),
    ("indicateur-carte-title", "Carte"),
    ("indicateur-classement-title", "Classement"),
    ("indicateur-distribution-title", "Distribution"),
    ("indicateur-evolution-title", "Évolution"),
    ("indicateur-couverture-title", "Couverture"),
    ("indicateur-provenance-titre", "Provenance"),
]


def layout(
    code: str | None = None,
    periode: str | None = None,
    niveau: str | None = None,
    dans: str | None = None,
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
            html.H1(definition.label),
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


def table_of_contents() -> html.Nav:
    """Buttons that scroll to a section and move the focus to its title. Not ``#anchor`` links:
    a change of the address's fragment makes Dash's router render the whole page again."""
    return html.Nav(
        [
            html.Span("Sur cette page : ", className="toc-label"),
            html.Ul(
                [
                    html.Li(
                        html.Button(
                            text,
                            id={"type": TOC_TYPE, "target": anchor},
                            className="link-button",
                            type="button",
                        )
                    )
                    for anchor, text in SECTIONS
                ]
            ),
        ],
        className="toc",
        **{"aria-label": "Sur cette page"},
    )


def badges(definition: Indicator) -> list[Any]:
    items = [
        html.Span(definition.code, className="badge"),
        html.Span(f"Unité : {definition.unit}", className="ind-tag"),
        html.Span(f"Chaîne de résultats : {definition.chain_level.label}", className="ind-tag"),
        html.Span(f"Périodicité {definition.periodicity.label}", className="ind-tag"),
    ]
    if definition.last_mile:
        items.append(html.Span("Dernier kilomètre", className="ind-tag ind-tag-strong"))
    if definition.is_derived:
        items.append(html.Span("Indicateur calculé", className="ind-tag"))
    return items


def indicator_link(code: str) -> Any:
    known = readers.catalogue().indicators.get(code)
    if known is None:
        return html.Code(code)
    return dcc.Link(f"{known.label} ({code})", href=f"/indicateur/{code}")


def _joined(items: list[Any], separator: str = ", ") -> list[Any]:
    out: list[Any] = []
    for position, item in enumerate(items):
        if position:
            out.append(separator)
        out.append(item)
    return out


def aggregation_text(definition: Indicator) -> list[Any]:
    rule = definition.aggregation
    text: list[Any] = [rule.label.capitalize()]
    if rule is Aggregation.RATIO and definition.numerator and definition.denominator:
        text += [
            " : somme de ",
            indicator_link(definition.numerator),
            " divisée par la somme de ",
            indicator_link(definition.denominator),
        ]
        if definition.factor != 1:
            text.append(f", × {format_number(definition.factor, 0)}")
    elif rule is Aggregation.WEIGHTED_MEAN:
        if definition.weight in (None, "population"):
            text.append(" par la population légale")
        else:
            text += [" par ", indicator_link(definition.weight)]
    elif rule is Aggregation.NONE:
        text.append(" : publié par territoire seulement, sans total national")
    return text


def formula_block(definition: Indicator) -> list[Any]:
    if definition.formula is None:
        return ["Aucune : valeur chargée telle quelle."]
    inputs = sorted(definition.formula.variables)
    return [
        html.Code(definition.formula.text, className="formula"),
        *(
            [
                html.Br(),
                f"× {format_number(definition.factor, 0)} pour l'exprimer en {definition.unit}",
            ]
            if definition.factor != 1
            else []
        ),
        html.Br(),
        "Calculée à partir de : ",
        *_joined([indicator_link(code) for code in inputs]),
    ]


def metadata_sheet(definition: Indicator) -> html.Dl:
    catalogue = readers.catalogue()
    theme = catalogue.themes.get(definition.theme)
    partner = catalogue.partners.get(definition.partner)
    measures = [
        dcc.Link(
            f"{code} — {catalogue.measures[code].label}" if code in catalogue.measures else code,
            href=f"/indicateurs?mesure={code}",
        )
        for code in definition.measures
    ]
    programmes = [
        dcc.Link(
            catalogue.programmes[code].label if code in catalogue.programmes else code,
            href=f"/indicateurs?programme={code}",
        )
        for code in definition.programmes
    ]
    valid = definition.valid_range
    bounds = (
        "sans limite"
        if valid.min is None and valid.max is None
        else f"{_bound(valid.min)} ou plus"
        if valid.max is None
        else f"jusqu'à {_bound(valid.max)}"
        if valid.min is None
        else f"de {_bound(valid.min)} à {_bound(valid.max)}"
    ) + ("" if definition.unit == "nombre" else f" ({definition.unit})")
    baseline = definition.baseline
    facts: list[tuple[str, Any]] = [
        ("Code", html.Code(definition.code)),
        (
            "Thème",
            dcc.Link(theme.label, href=f"/indicateurs?theme={theme.code}")
            if theme
            else definition.theme,
        ),
        ("Unité", definition.unit),
        ("Sens souhaité", DIRECTIONS[definition.direction.value]),
        ("Nature", KINDS[definition.kind.value]),
        ("Formule", formula_block(definition)),
        ("Agrégation", aggregation_text(definition)),
        (
            "Périodicité",
            f"{definition.periodicity.label.capitalize()}, publiée "
            f"{definition.publication_lag_months} mois après la fin de la période",
        ),
        ("Niveaux publiés", ", ".join(level.label for level in definition.levels)),
        (
            "Chaîne de résultats",
            f"{definition.chain_level.label.capitalize()} "
            f"({CHAIN_HELP[definition.chain_level.value]})",
        ),
        (
            "Dernier kilomètre",
            "oui : mesure un effet concret dans la vie des habitants"
            if definition.last_mile
            else "non",
        ),
        ("Mesures", _joined(measures) or "aucune"),
        ("Programmes", _joined(programmes) or "aucun"),
        (
            "Partenaire producteur",
            dcc.Link(
                partner.name if partner else definition.partner,
                href=f"/indicateurs?partenaire={definition.partner}",
            ),
        ),
        ("Valeurs admises", bounds),
        (
            "Période de référence",
            format_period(str(baseline.period)) if baseline else "non fixée",
        ),
        ("Source", definition.source),
        ("Licence", definition.licence),
    ]
    items: list[Any] = []
    for term, value in facts:
        items += [html.Dt(term), html.Dd(value)]
    return html.Dl(items, className="facts-list metadata-sheet")


def _bound(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 2)


def scope_name(scope: str) -> str:
    named = target_name(scope)
    if named is not None:
        return named.removeprefix("Cible — ").removeprefix("Cible ").strip("()").capitalize()
    place = readers.referential().get(scope)
    return place.name if place else scope


def targets_table(definition: Indicator) -> Any:
    if not definition.targets:
        return html.P("Aucune cible fixée pour cet indicateur.", className="muted")
    return html.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th("Pour", scope="col"),
                        html.Th("Cible", scope="col"),
                        html.Th("Échéance", scope="col"),
                        html.Th("Jalons", scope="col"),
                    ]
                )
            ),
            html.Tbody([target_row(target, definition.unit) for target in definition.targets]),
        ],
        className="table",
    )


def target_row(target: Target, unit: str) -> html.Tr:
    milestones = " ; ".join(
        f"{format_period(str(m.period))} : {format_value(m.value, unit)}" for m in target.milestones
    )
    value = format_value(target.value, unit) + (" (cumul)" if target.cumulative else "")
    return html.Tr(
        [
            html.Td(scope_name(target.scope)),
            html.Td(value),
            html.Td(format_period(str(target.period))),
            html.Td(milestones or "—"),
        ]
    )


def lineage_block() -> html.Section:
    return html.Section(
        [
            html.H2("Provenance des valeurs", id="indicateur-provenance-titre"),
            html.P(id="indicateur-provenance-summary", className="chart-summary"),
            html.H3("Chargements"),
            html.Div(id="indicateur-chargements"),
            html.P(
                [
                    "Données : ",
                    html.A("CSV", id="indicateur-chargements-csv", href="#", className="download"),
                    " · ",
                    html.A(
                        "XLSX", id="indicateur-chargements-xlsx", href="#", className="download"
                    ),
                ],
                className="data-twin",
            ),
            html.H3("Valeurs calculées"),
            html.Div(id="indicateur-calculs"),
            html.P(
                [
                    "Données : ",
                    html.A("CSV", id="indicateur-calculs-csv", href="#", className="download"),
                    " · ",
                    html.A("XLSX", id="indicateur-calculs-xlsx", href="#", className="download"),
                ],
                className="data-twin",
            ),
        ],
        className="card",
        **{"aria-labelledby": "indicateur-provenance-titre"},
    )


def simple_table(headers: list[str], rows: list[list[Any]], numeric: set[int]) -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(cell, className="number" if i in numeric else None)
                            for i, cell in enumerate(row)
                        ]
                    )
                    for row in rows
                ]
            ),
        ],
        className="table",
    )


# --- Callbacks ---------------------------------------------------------------------------------


@callback(
    Output("indicateur-versions", "children"),
    Input("indicateur-code", "data"),
)
@requires("view")
def show_versions(code: str) -> Any:
    versions = versions_table(code)
    if versions.empty:
        return html.P(
            "Aucune version enregistrée en base : lancez « suivi init » pour y inscrire "
            "le catalogue.",
            className="notice",
        )
    latest = versions.iloc[-1]
    rows = [
        [
            str(int(row["version"])),
            format_datetime(row["valid_from"]),
            ", ".join(FIELD_NAMES.get(k, k) for k in row["changed"]) or "première version",
        ]
        for _, row in versions.iterrows()
    ]
    rows[-1][0] = f"{int(latest['version'])} (en vigueur)"
    table = simple_table(["Version", "En vigueur depuis le", "Ce qui a changé"], rows, set())
    table.className = "table versions-table"
    content: list[Any] = [table]
    definition = readers.catalogue().indicators[code]
    if latest["definition_hash"] != definition_hash(definition):
        content.append(
            html.P(
                "La définition des fichiers du catalogue diffère de la dernière version "
                "enregistrée : elle sera inscrite comme nouvelle version au prochain "
                "« suivi init ».",
                className="notice",
            )
        )
    return content


@callback(
    Output("indicateur-periode", "options"),
    Output("indicateur-periode", "value"),
    Input("indicateur-code", "data"),
    State("indicateur-periode", "value"),
)
@requires("view")
def update_periods(code: str, current: str | None) -> tuple[list[dict[str, str]], Any]:
    periods = readers.periods_of(code)
    options = [{"label": format_period(p), "value": p} for p in reversed(periods)]
    if current in periods:
        return options, current
    return options, periods[-1] if periods else None


@callback(
    Output("indicateur-dans", "options"),
    Output("indicateur-dans", "placeholder"),
    Output("indicateur-dans-label", "children"),
    Output("indicateur-dans", "disabled"),
    Output("indicateur-dans", "value"),
    Input("indicateur-niveau", "value"),
    State("indicateur-dans", "value"),
    State("indicateur-code", "data"),
    State("indicateur-periode", "value"),
)
@requires("view")
def update_area_choices(
    level: str, within: str | None, code: str, period: str | None
) -> tuple[Any, ...]:
    """The area picker follows the level; communes open on a département that has values
    rather than on an empty map."""
    options, label = area_choices(level)
    wanted = "DEP:" if level == "COM" else "REG:"
    if not within or level == "REG" or not within.startswith(wanted):
        within = None
    if level == "COM" and within is None:
        within = default_departement(code, period or None)
    return options, options[0]["label"], label, level == "REG", within or ""


@callback(
    Output("indicateur-carte-graph", "figure"),
    Output("indicateur-carte-summary", "children"),
    Output("indicateur-carte-legend", "children"),
    Output("indicateur-carte-csv", "href"),
    Output("indicateur-carte-xlsx", "href"),
    Output("indicateur-carte-title", "children"),
    Output("indicateur-classement-graph", "figure"),
    Output("indicateur-classement-summary", "children"),
    Output("indicateur-classement-csv", "href"),
    Output("indicateur-classement-xlsx", "href"),
    Output("indicateur-distribution-graph", "figure"),
    Output("indicateur-distribution-summary", "children"),
    Output("indicateur-distribution-csv", "href"),
    Output("indicateur-distribution-xlsx", "href"),
    Input("indicateur-code", "data"),
    Input("indicateur-periode", "value"),
    Input("indicateur-niveau", "value"),
    Input("indicateur-dans", "value"),
)
@requires("view")
def update_place_charts(
    code: str, period: str | None, level: str | None, within: str | None
) -> tuple[Any, ...]:
    """The map, the ranking and the distribution read one table: the level's territories."""
    definition = readers.catalogue().indicators[code]
    level, within = valid_view(definition, level, within or None)
    return place_charts(code, period or None, level, within, readers.data_version())


@cache.memoize()
def place_charts(
    code: str, period: str | None, level: str, within: str | None, version: int
) -> tuple[Any, ...]:
    """Computed once per view and data version, shared by every worker through the cache."""
    definition = readers.catalogue().indicators[code]
    plural = LEVEL_PLURALS[level]
    if period is None or (level == "COM" and within is None):
        message = (
            "Choisissez un département pour voir ses communes."
            if period is not None
            else "Aucune valeur n'est encore enregistrée pour cet indicateur."
        )
        empty = (empty_figure(message), message, None, None)
        return (empty_figure(message), message, [], None, None, "Carte", *empty, *empty)
    table = level_table(code, period, level, within)
    reported = table.loc[table["statut"] == "ok", "valeur"]
    classes = quantile_classes(reported, definition.direction.value, definition.unit)
    geometry = geometry_url(
        GEOMETRY.get(level) or f"communes-{(within or '').removeprefix('DEP:')}"
    )
    params = {"indicateur": code, "periode": period, "niveau": level, "dans": within}
    area = f" — {readers.referential().name(within)}" if within else ""
    # why a chart is empty: nothing sent for these territories, or only secrets and gaps
    where = f"{readers.referential().name(within)}, " if within else ""
    nothing = (
        f"{where}{format_period(period)} : aucune valeur transmise pour les {plural}."
        if (table["statut"] == "missing").all()
        else f"{where}{format_period(period)} : aucune valeur publiable pour les {plural} "
        "(secret statistique, sans objet ou non renseigné)."
    )
    # the same rows as the exports ``indicateur-classement`` and ``indicateur-distribution``
    ranking = ranking_rows(table)
    distribution = distribution_rows(table, code, period)
    return (
        choropleth_figure(table, classes, geometry, definition.unit),
        map_summary(table, definition.label, definition.unit, period, level),
        legend(classes, set(table["statut"])),
        export_url("carte", "csv", **params),
        export_url("carte", "xlsx", **params),
        f"Carte des {plural}{area} — {format_period(period)}",
        ranking_figure(ranking, len(reported), definition.unit, classes, empty=nothing),
        ranking_summary(
            ranking, len(reported), definition.unit, period, plural, definition.direction.value
        ),
        export_url("indicateur-classement", "csv", **params),
        export_url("indicateur-classement", "xlsx", **params),
        histogram_figure(distribution, definition.unit, plural, empty=nothing),
        distribution_summary(distribution, reported, definition.unit, period, plural),
        export_url("indicateur-distribution", "csv", **params),
        export_url("indicateur-distribution", "xlsx", **params),
    )


@callback(
    Output("indicateur-evolution-graph", "figure"),
    Output("indicateur-evolution-summary", "children"),
    Output("indicateur-evolution-csv", "href"),
    Output("indicateur-evolution-xlsx", "href"),
    Input("indicateur-code", "data"),
)
@requires("view")
def update_trend(code: str) -> tuple[Any, ...]:
    definition = readers.catalogue().indicators[code]
    table = trend_dataset(code)
    target_of = {
        name: series
        for target in definition.targets
        if (name := target_name(target.scope)) and (series := target_series(target.scope))
    }
    figure = national_trend_figure(table, definition.unit, target_of)
    summary = (
        f"{definition.label} : indicateur non agrégeable, publié commune par commune ; il n'a "
        "pas de valeur nationale ni par taille de territoire."
        if definition.aggregation is Aggregation.NONE
        else trend_summary(table, definition.label, definition.unit)
    )
    return (
        figure,
        summary,
        export_url("indicateur-evolution", "csv", indicateur=code),
        export_url("indicateur-evolution", "xlsx", indicateur=code),
    )


@callback(
    Output("indicateur-couverture-graph", "figure"),
    Output("indicateur-couverture-summary", "children"),
    Output("indicateur-couverture-csv", "href"),
    Output("indicateur-couverture-xlsx", "href"),
    Output("indicateur-couverture-title", "children"),
    Input("indicateur-code", "data"),
)
@requires("view")
def update_coverage(code: str) -> tuple[Any, ...]:
    definition = readers.catalogue().indicators[code]
    plural = LEVEL_PLURALS.get(coverage_level(definition), "territoires")
    table = coverage_dataset(code)
    return (
        coverage_figure(table, plural),
        coverage_summary(table, plural),
        export_url("indicateur-couverture", "csv", indicateur=code),
        export_url("indicateur-couverture", "xlsx", indicateur=code),
        f"Couverture : {plural} {agree('renseignés', plural)} en France, période par période",
    )


@callback(
    Output("indicateur-provenance-summary", "children"),
    Output("indicateur-chargements", "children"),
    Output("indicateur-chargements-csv", "href"),
    Output("indicateur-chargements-xlsx", "href"),
    Output("indicateur-calculs", "children"),
    Output("indicateur-calculs-csv", "href"),
    Output("indicateur-calculs-xlsx", "href"),
    Input("indicateur-code", "data"),
    Input("indicateur-periode", "value"),
)
@requires("view")
def update_lineage(code: str, period: str | None) -> tuple[Any, ...]:
    if not period:
        nothing = html.P("Aucune valeur.", className="muted")
        return "Aucune valeur enregistrée.", nothing, None, None, nothing, None, None
    loads = lineage_loads_dataset(code, period)
    computed = lineage_computed_dataset(code, period)
    load_rows = [
        [
            "—" if pd.isna(row["chargement"]) else f"n° {int(row['chargement'])}",
            row["fichier"],
            row["utilisateur"],
            row["partenaire"],
            format_datetime(row["date"]) if pd.notna(row["date"]) else "—",
            indicator_link(row["indicateur"])
            if row["indicateur"] != code
            else f"{code} (cet indicateur)",
            row["niveau"],
            format_int(int(row["valeurs"])),
        ]
        for _, row in loads.iterrows()
    ]
    computed_rows = [
        [
            "—" if pd.isna(row["version"]) else str(int(row["version"])),
            format_datetime(row["en_vigueur_depuis"])
            if pd.notna(row["en_vigueur_depuis"])
            else "—",
            row["niveau"],
            format_int(int(row["valeurs"])),
            format_datetime(row["calcule_le"]) if pd.notna(row["calcule_le"]) else "—",
        ]
        for _, row in computed.iterrows()
    ]
    loads_view = (
        simple_table(
            [
                "Chargement",
                "Fichier",
                "Par",
                "Partenaire",
                "Le",
                "Indicateur",
                "Niveau",
                "Valeurs",
            ],
            load_rows,
            {7},
        )
        if load_rows
        else html.P(
            "Aucune valeur chargée pour cette période : les valeurs sont toutes calculées.",
            className="muted",
        )
    )
    computed_view = (
        simple_table(
            [
                "Version de la définition",
                "En vigueur depuis le",
                "Niveau",
                "Valeurs",
                "Calculées le",
            ],
            computed_rows,
            {3},
        )
        if computed_rows
        else html.P("Aucune valeur calculée pour cette période.", className="muted")
    )
    params = {"indicateur": code, "periode": period}
    return (
        lineage_summary(loads, computed, period),
        loads_view,
        export_url("indicateur-chargements", "csv", **params),
        export_url("indicateur-chargements", "xlsx", **params),
        computed_view,
        export_url("indicateur-calculs", "csv", **params),
        export_url("indicateur-calculs", "xlsx", **params),
    )


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
    points = (click or {}).get("points") or []
    territory = points[0].get("customdata") if points else None
    if not isinstance(territory, str):
        return no_update
    return f"/territoire/{territory}?indicateur={code}"


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
)
