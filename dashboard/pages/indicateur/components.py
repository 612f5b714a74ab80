"""Pieces of the indicator page's layout: the table of contents, the definition sheet (badges,
formula, metadata, targets) and the lineage block, and the plain tables the callbacks fill."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard import readers
from dashboard.components.link_names import download_links
from dashboard.formatting import format_number, format_period, format_value
from dashboard.pages.indicateur.texts import CHAIN_HELP, DIRECTIONS, KINDS, SECTIONS
from dashboard.pages.indicateur.trend_datasets import target_name
from indicators.catalogue import Aggregation, Indicator, Target

TOC_TYPE = "indicateur-sommaire"


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
                ["Données : ", *download_links("indicateur-chargements", "chargements")],
                className="data-twin",
            ),
            html.H3("Valeurs calculées"),
            html.Div(id="indicateur-calculs"),
            html.P(
                ["Données : ", *download_links("indicateur-calculs", "valeurs calculées")],
                className="data-twin",
            ),
        ],
        className="card",
        **{"aria-labelledby": "indicateur-provenance-titre"},
    )
