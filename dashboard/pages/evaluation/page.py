"""``/evaluation``: what a measure of the action plan changed — its results chain, the
difference-in-differences estimates with their plain-French reading, the event study of its
headline indicator, the test and comparison territories, the warnings and the method; the
evaluator's pins and exclusions (each saved as a new design version) and the frozen report.

The evaluation itself lives in ``indicators.evaluation``; ``datasets.py`` memoizes it by measure,
design and data version. This module lays the page out (ids, no database work);
``callbacks.py`` fills it.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.chart import chart_block
from dashboard.components.link_names import download_links
from dashboard.pages import run_callbacks
from dashboard.pages.evaluation.plans import SAVE_LABEL
from dashboard.pages.evaluation.sections import term_link
from dashboard.pages.evaluation.texts import ALL_TYPES, COUNT_NOTES, GLOSSARY, type_choices
from dashboard.pages.evaluation.views import measure_options
from dashboard.readers import catalogue
from dashboard.reports import pdf_available
from dashboard.url_state import url_state_store

dash.register_page(
    __name__,
    path="/evaluation",
    name="Évaluation",
    title="Évaluation — Suivi des territoires",
    order=35,
)


def layout(
    mesure: str | None = None,
    type: str | None = None,
    plan: str | None = None,
    indicateur: str | None = None,
    **_other: str,
) -> html.Div:
    options = measure_options()
    codes = [option["value"] for option in options]
    measure = mesure if mesure in codes else (codes[0] if codes else None)
    # only the types the measure targets are offered (the catalogue's, no database work)
    choices = type_choices(catalogue().measures.get(measure or ""))
    type_choice = type if type in choices else ALL_TYPES
    return html.Div(
        [
            html.H1("Évaluation des mesures"),
            html.P(
                [
                    "Ce que la mesure a changé dans les territoires qui en bénéficient, comparés "
                    "à des ",
                    term_link("Territoire témoin", "territoires témoins"),
                    " semblables qui n'en bénéficient pas (différence de différences). Le type "
                    "de territoire choisi s'applique à toute la page.",
                ],
                className="lead",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Mesure", htmlFor="evaluation-mesure"),
                            dbc.Select(id="evaluation-mesure", options=options, value=measure),
                        ],
                        className="control wide",
                    ),
                    html.Div(
                        [
                            html.Fieldset(
                                [
                                    html.Legend("Type de territoire", className="label"),
                                    dbc.RadioItems(
                                        id="evaluation-type",
                                        options=[
                                            {"label": v, "value": k} for k, v in choices.items()
                                        ],
                                        value=type_choice,
                                        inline=True,
                                    ),
                                ],
                                className="fieldset",
                            ),
                        ],
                        className="control wide",
                    ),
                ],
                className="controls",
            ),
            html.Section(
                [
                    html.H2("Chaîne de résultats", id="evaluation-chain-title"),
                    html.Div(id="evaluation-chain"),
                ],
                className="card",
                **{"aria-labelledby": "evaluation-chain-title"},
            ),
            html.Section(
                [
                    html.H2("Estimations", id="evaluation-estimates-title"),
                    html.Div(id="evaluation-estimates", className="table-scroll"),
                    html.P(
                        [
                            "Données du tableau : ",
                            *download_links("evaluation-estimates", "données des estimations"),
                        ],
                        className="data-twin",
                    ),
                ],
                className="card",
                **{"aria-labelledby": "evaluation-estimates-title"},
            ),
            html.Div(
                [
                    html.Label("Indicateur étudié", htmlFor="evaluation-indicateur"),
                    # a native select: dcc.Dropdown's hidden focus target fails axe's
                    # aria-hidden-focus rule (tests/browser/test_accessibility.py)
                    dbc.Select(
                        id="evaluation-indicateur",
                        options=[{"label": indicateur, "value": indicateur}] if indicateur else [],
                        value=indicateur,
                        placeholder="Choisissez un indicateur de la mesure",
                    ),
                    html.P(
                        [
                            "Pour l'",
                            term_link("Étude d'événement", "étude d'événement"),
                            " et la comparaison des types de territoire ci-dessous.",
                        ],
                        className="muted",
                    ),
                ],
                className="control wide evaluation-indicator-control",
            ),
            chart_block("evaluation-etude", "Étude d'événement"),
            chart_block("evaluation-types", "Effet selon le type de territoire"),
            map_card(),
            plan_card(plan),
            html.Section(
                [
                    html.H2("Territoires test et témoins", id="evaluation-territories-title"),
                    html.Div(id="evaluation-territories", className="table-scroll"),
                ],
                className="card",
                **{"aria-labelledby": "evaluation-territories-title"},
            ),
            html.Section(
                [
                    html.H2("Avertissements", id="evaluation-warnings-title"),
                    html.Div(id="evaluation-warnings"),
                ],
                className="card",
                **{"aria-labelledby": "evaluation-warnings-title"},
            ),
            html.Section(
                [
                    html.H2("Méthode", id="evaluation-method-title"),
                    html.Div(id="evaluation-method"),
                ],
                className="card",
                **{"aria-labelledby": "evaluation-method-title"},
            ),
            report_card(),
            glossary_card(),
            url_state_store("evaluation"),
        ],
        className="evaluation-page",
    )


def map_card() -> html.Section:
    """The frozen report's per-région drawings of test and comparison communes (small
    multiples: one map per région, its départements only), filled by the page's callback."""
    return html.Section(
        [
            html.H2("Carte des territoires test et témoins", id="evaluation-carte-title"),
            html.P(
                id="evaluation-carte-summary",
                className="chart-summary",
                **{"aria-live": "polite"},
            ),
            html.P(COUNT_NOTES["map"], className="muted count-note"),
            dcc.Loading(html.Div(id="evaluation-carte-maps", className="evaluation-maps")),
            html.Div(id="evaluation-carte-legend", className="legend"),
            html.P(
                [
                    "Données de la carte : ",
                    *download_links("evaluation-carte", "données de la carte des territoires"),
                ],
                className="data-twin",
            ),
        ],
        className="card chart",
        **{"aria-labelledby": "evaluation-carte-title"},
    )


def glossary_card() -> html.Section:
    """The page's terms, each with an id the page links to."""
    entries: list[object] = []
    for term, (anchor, definition) in GLOSSARY.items():
        entries += [html.Dt(term, id=anchor), html.Dd(definition)]
    return html.Section(
        [
            html.H2("Glossaire", id="evaluation-glossaire-title"),
            html.Dl(entries, className="glossary"),
        ],
        className="card",
        id="evaluation-glossaire",
        **{"aria-labelledby": "evaluation-glossaire-title"},
    )


def plan_card(plan: str | None = None) -> html.Section:
    """The design shown, its versions, and the evaluator's pins and exclusions."""
    return html.Section(
        [
            html.H2("Plan d'évaluation", id="evaluation-plan-title"),
            html.Div(
                [
                    html.Label("Version du plan", htmlFor="evaluation-plan"),
                    dbc.Select(
                        id="evaluation-plan",
                        options=[{"label": plan, "value": plan}] if plan else [],
                        value=plan,
                        placeholder="Choisissez une version",
                    ),
                ],
                className="control wide",
            ),
            html.Div(id="evaluation-plan-facts"),
            html.Fieldset(
                [
                    html.Legend("Ajuster les territoires témoins", className="label"),
                    html.P(
                        [
                            term_link("Épingler", "Épingler"),
                            " un territoire l'impose comme témoin ; l'exclure l'écarte. "
                            "L'appariement est relancé et le plan est enregistré comme nouvelle "
                            "version, à votre nom ; les versions précédentes restent "
                            "consultables.",
                        ],
                        className="muted",
                    ),
                    html.Label(
                        "Territoire (code INSEE ou nom)", htmlFor="evaluation-design-territoire"
                    ),
                    dcc.Input(
                        id="evaluation-design-territoire",
                        type="text",
                        debounce=True,
                        placeholder="ex. 2A004 ou Ajaccio",
                        className="form-control",
                    ),
                    html.Label("Motif (facultatif)", htmlFor="evaluation-design-comment"),
                    dcc.Input(
                        id="evaluation-design-comment",
                        type="text",
                        debounce=True,
                        placeholder="ex. commune fusionnée en 2024",
                        className="form-control",
                    ),
                    html.Div(
                        [
                            html.Button("Épingler comme témoin", id="evaluation-design-pin"),
                            html.Button(
                                "Exclure des témoins",
                                id="evaluation-design-exclude",
                                className="secondary",
                            ),
                        ],
                        className="evaluation-actions",
                    ),
                    html.Label("Choix déjà faits", htmlFor="evaluation-plan-choices"),
                    dbc.Select(
                        id="evaluation-plan-choices",
                        options=[],
                        placeholder="Choisissez l’épingle ou l’exclusion à annuler",
                    ),
                    html.Div(
                        html.Button(
                            "Annuler ce choix", id="evaluation-design-undo", className="secondary"
                        ),
                        className="evaluation-actions",
                    ),
                    html.P(
                        "Une proposition automatique n'est pas enregistrée tant que vous ne "
                        "l'enregistrez pas ; un rapport figé cite une version enregistrée.",
                        className="muted",
                    ),
                    html.Div(
                        html.Button(SAVE_LABEL, id="evaluation-design-save", className="secondary"),
                        className="evaluation-actions",
                    ),
                    dcc.Loading(html.Div(id="evaluation-design-message", role="status")),
                ],
                className="fieldset",
            ),
            dcc.Store(id="evaluation-design-saved"),
        ],
        className="card",
        **{"aria-labelledby": "evaluation-plan-title"},
    )


def report_card() -> html.Section:
    pdf_note = (
        []
        if pdf_available()
        else [
            html.P(
                "PDF indisponible : Chromium n'est pas installé sur le serveur.", className="muted"
            )
        ]
    )
    return html.Section(
        [
            html.H2("Rapport figé", id="evaluation-report-title"),
            html.P(
                [
                    "Un fichier autonome qui fige l'évaluation affichée : version des données, "
                    "version enregistrée du plan, méthode, chiffres, cartes et valeurs utilisées, "
                    "avec leurs ",
                    term_link("Empreinte", "empreintes"),
                    ". Il s'ouvre sans connexion et se vérifie avec « suivi evaluation verify ». "
                    "Télécharger n'enregistre rien : si le plan n'est encore qu'une proposition, "
                    f"enregistrez-la d'abord (« {SAVE_LABEL} »).",
                ],
                className="muted",
            ),
            html.Div(
                [
                    html.Button("Télécharger le rapport (HTML)", id="evaluation-report-html"),
                    html.Button(
                        "Télécharger le rapport (PDF)",
                        id="evaluation-report-pdf",
                        className="secondary",
                        disabled=not pdf_available(),
                    ),
                ],
                className="evaluation-actions",
            ),
            *pdf_note,
            dcc.Loading(html.Div(id="evaluation-report-message", role="status")),
            dcc.Download(id="evaluation-report-download"),
            dcc.Store(id="evaluation-report-frozen"),
        ],
        className="card",
        **{"aria-labelledby": "evaluation-report-title"},
    )


run_callbacks(__name__, __file__)
