"""``/evaluation``: what a measure of the action plan changed — its results chain, the
difference-in-differences estimates with their plain-French reading, the event study of its
headline indicator, the test and comparison territories, the warnings and the method; the
evaluator's pins and exclusions (each saved as a new design version) and the frozen report.

The evaluation itself lives in ``indicators.evaluation``; this page memoizes it by measure,
design and data version, so that every load of data gives a fresh evaluation and nothing stale
lingers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import readers
from dashboard.audit import audit
from dashboard.auth import NotAllowed, User, current_user, requires
from dashboard.background import JobTimedOut, background_job
from dashboard.cache import cache
from dashboard.components.chart import chart_block, legend
from dashboard.context import app_context, db_session
from dashboard.datasets import MAP_COLUMNS, OVERSEAS
from dashboard.evaluation_plans import (
    PROPOSAL,
    PlanError,
    change_design,
    choice_options,
    design_of,
    plan_key,
    plan_options,
    resolve_territory,
)
from dashboard.evaluation_texts import estimate_texts
from dashboard.figures import empty_figure
from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import ColourClass
from dashboard.figures.event_study import event_study_figure
from dashboard.reports import PdfUnavailable, evaluation_report_html, html_to_pdf, pdf_available
from dashboard.routes.exports import export_url, register_dataset
from dashboard.routes.geo import geometry_url
from dashboard.url_state import sync_query_string, url_state_store
from indicators.accounts import record_event
from indicators.catalogue import TerritoryType
from indicators.evaluation import (
    OVERALL,
    MeasureEvaluation,
    evaluate_measure,
    load_design_by_id,
)
from indicators.evaluation.freeze import design_to_freeze
from indicators.evaluation.reading import SCOPE_LABELS

dash.register_page(
    __name__,
    path="/evaluation",
    name="Évaluation",
    title="Évaluation — Suivi des territoires",
    order=35,
)

ALL_TYPES = "tous"
TYPE_CHOICES = {ALL_TYPES: "Tous les territoires"} | {
    str(item.value): SCOPE_LABELS.get(str(item.value), item.label).capitalize()
    for item in TerritoryType
}
ROLE_LABELS = {"test": "test", "comparison": "témoin"}
# one value per role, drawn by ``choropleth_figure`` as two colour classes
ROLE_CLASSES = [
    ColourClass(0.0, 0.5, "#f1a340", "Territoires témoins"),
    ColourClass(0.5, 1.0, "#5e3c99", "Territoires test"),
]
ESTIMATE_HEADERS = (
    "Indicateur",
    "Territoires",
    "Estimation",
    "IC 95 %",
    "Unités test / témoins",
    "Périodes (avant / après)",
    "Tendances préalables (p)",
    "Lecture",
)


def measure_options() -> list[dict[str, str]]:
    options = []
    for code, measure in readers.catalogue().measures.items():
        label = f"{code} — {measure.label}"
        if measure.placebo:
            label += " (démonstration : mesure sans effet)"
        options.append({"label": label, "value": code})
    return options


def layout(
    mesure: str | None = None, type: str | None = None, plan: str | None = None, **_other: str
) -> html.Div:
    options = measure_options()
    codes = [option["value"] for option in options]
    measure = mesure if mesure in codes else (codes[0] if codes else None)
    type_choice = type if type in TYPE_CHOICES else ALL_TYPES
    return html.Div(
        [
            html.H1("Évaluation des mesures"),
            html.P(
                "Ce que la mesure a changé dans les territoires qui en bénéficient, comparés à "
                "des territoires semblables qui n'en bénéficient pas (différence de différences).",
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
                                            {"label": v, "value": k}
                                            for k, v in TYPE_CHOICES.items()
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
                    html.Div(id="evaluation-chain", className="chain"),
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
                            html.A("CSV", id="evaluation-estimates-csv", href="#"),
                            " · ",
                            html.A("XLSX", id="evaluation-estimates-xlsx", href="#"),
                        ],
                        className="data-twin",
                    ),
                ],
                className="card",
                **{"aria-labelledby": "evaluation-estimates-title"},
            ),
            chart_block("evaluation-etude", "Étude d'événement"),
            chart_block("evaluation-carte", "Carte des territoires test et témoins"),
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
            url_state_store("evaluation"),
        ],
        className="evaluation-page",
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
                        "Épingler un territoire l'impose comme témoin ; l'exclure l'écarte. "
                        "L'appariement est relancé et le plan est enregistré comme nouvelle "
                        "version ; les versions précédentes restent consultables.",
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
                "Un fichier autonome qui fige l'évaluation affichée : version des données, "
                "plan d'évaluation, méthode, chiffres, cartes et valeurs utilisées. Il s'ouvre "
                "sans connexion et se vérifie avec « suivi evaluation verify ». Une proposition "
                "automatique est d'abord enregistrée comme version du plan.",
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


# --- the evaluation, memoized by measure, design and data version -----------------------------


@cache.memoize()
def _evaluation(measure: str, design_id: int, version: int) -> MeasureEvaluation:
    design = design_of(measure, str(design_id) if design_id else None)
    with db_session() as session:
        return evaluate_measure(session, readers.catalogue(), measure, design)


def shown_plan(measure: str, plan: str | None) -> str:
    """The chosen design, else the latest saved one (its id), else :data:`PROPOSAL`: "the
    latest" changes when a design is saved, so the cache is keyed by the id it stands for."""
    if plan_key(plan):
        return str(plan)
    return plan_options(measure)[0]["value"]


def measure_evaluation(measure: str, plan: str | None = None) -> MeasureEvaluation:
    """The evaluation with the chosen design (default: the latest saved one, else the
    proposal). Raises ``KeyError`` for a measure the catalogue does not know."""
    if measure not in readers.catalogue().measures:
        raise KeyError(f"mesure inconnue : {measure}")
    key = plan_key(shown_plan(measure, plan))
    return _evaluation(measure, key, readers.data_version())


def _scope(type_choice: str | None) -> str | None:
    """None: every scope; else the one type."""
    return None if type_choice in (None, "", ALL_TYPES) else type_choice


# --- data twins ---------------------------------------------------------------------------------


def estimates_dataset(
    measure: str, type_choice: str | None = None, plan: str | None = None
) -> pd.DataFrame:
    evaluation = measure_evaluation(measure, plan)
    frame = evaluation.estimates
    scope = _scope(type_choice)
    if scope is not None:
        frame = frame[frame["scope"] == scope]
    return frame.reset_index(drop=True)


def event_study_dataset(
    measure: str, type_choice: str | None = None, plan: str | None = None
) -> pd.DataFrame:
    evaluation = measure_evaluation(measure, plan)
    frame = evaluation.event_study
    headline = evaluation.measure.headline_indicator
    scope = _scope(type_choice) or OVERALL
    chosen = frame[(frame["indicator"] == headline) & (frame["scope"] == scope)]
    return chosen.sort_values("event_time").reset_index(drop=True)


register_dataset("evaluation", estimates_dataset, ("mesure", "type", "plan"), ("mesure",))
register_dataset("evaluation-etude", event_study_dataset, ("mesure", "type", "plan"), ("mesure",))


# --- pure builders ------------------------------------------------------------------------------


def chain_view(evaluation: MeasureEvaluation) -> list[html.Div]:
    steps = []
    for step in evaluation.chain.steps:
        items = [
            html.Li(
                [
                    html.Strong(item.label),
                    html.Span(f" — {item.status_label}", className=f"status status-{item.status}"),
                    html.P(item.detail, className="chain-detail"),
                ],
                className="chain-card",
            )
            for item in step.items
        ]
        steps.append(
            html.Div(
                [
                    html.H3(step.label[:1].upper() + step.label[1:]),
                    html.Ul(items, className="chain-cards")
                    if items
                    else html.P("Aucun indicateur.", className="muted"),
                ],
                className="chain-step",
            )
        )
    return steps


def estimates_view(frame: pd.DataFrame) -> html.Table | html.P:
    if frame.empty:
        return html.P("Aucune estimation pour ce choix.", className="muted")
    cells = ("estimate", "interval", "units", "periods", "pretrend")
    rows = []
    for row in frame.itertuples(index=False):
        texts = estimate_texts(row)
        rows.append(
            html.Tr(
                [
                    html.Th(f"{row.label} ({row.unit})", scope="row"),
                    html.Td(row.scope_label),
                    *(html.Td(texts[cell], className="number") for cell in cells),
                    html.Td(row.reading, className="evaluation-reading"),
                ]
            )
        )
    return html.Table(
        [
            html.Caption("Effet estimé de la mesure, par indicateur et type de territoire"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ESTIMATE_HEADERS])),
            html.Tbody(rows),
        ],
        className="table evaluation-table",
        id="evaluation-estimates-table",
    )


def event_study_summary(frame: pd.DataFrame, label: str) -> str:
    usable = frame.dropna(subset=["estimate"])
    if usable.empty:
        return f"Pas d'étude d'événement disponible pour « {label} »."
    pre = usable[usable["event_time"] < 0]
    post = usable[usable["event_time"] >= 0]
    outside = lambda part: int(((part["ci_low"] > 0) | (part["ci_high"] < 0)).sum())  # noqa: E731
    return (
        f"« {label} » : {len(pre)} périodes avant le début de la mesure, dont "
        f"{outside(pre)} s'écartent nettement de zéro, et {len(post)} périodes après, dont "
        f"{outside(post)} s'écartent nettement de zéro (intervalle à 95 %)."
    )


def territories_map_dataset(
    measure: str, type_choice: str | None = None, plan: str | None = None
) -> pd.DataFrame:
    """The communes of every département holding a test or comparison commune, in the map
    dataset's columns: ``valeur`` 1 for test, 0 for comparison, other communes "sans objet"."""
    units = measure_evaluation(measure, plan).territories
    units = units[units["level"] == "COM"]
    scope = _scope(type_choice)
    if scope is not None:
        units = units[units["type"] == scope]
    referential = readers.referential()
    roles = dict(zip(units["territory"], units["role"], strict=True))
    departements = sorted({referential.territory(code).departement or "" for code in roles} - {""})
    rows = []
    for departement in departements:
        for code in referential.children(f"DEP:{departement}", "COM"):
            place = referential.territory(code)
            role = roles.get(code)
            rows.append(
                {
                    "code": code,
                    "code_officiel": place.local_code,
                    "nom": place.name,
                    "valeur": {"test": 1.0, "comparison": 0.0}.get(role or "", float("nan")),
                    "statut": "ok" if role else "not_applicable",
                    "statut_libelle": ROLE_LABELS.get(role or "", "hors du plan"),
                    "territoires_renseignes": 1,
                    "territoires_attendus": 1,
                    "origine": departement,
                    "zone": OVERSEAS.get(place.region or "", "metropole"),
                }
            )
    return pd.DataFrame(rows, columns=MAP_COLUMNS)


def territories_map_figure(table: pd.DataFrame) -> dict[str, Any]:
    """One ``choropleth_figure`` per département (communes' geometry is published by
    département), side by side; hover texts name the role rather than a value."""
    if table.empty:
        return empty_figure("Aucune commune à cartographier pour ce choix.")
    departements = list(dict.fromkeys(table["origine"]))
    figure: dict[str, Any] = {"data": [], "layout": {}}
    width = 1.0 / max(len(departements), 1)
    for number, departement in enumerate(departements, start=1):
        part = table[table["origine"] == departement]
        single = choropleth_figure(
            part.assign(zone="metropole"), ROLE_CLASSES, geometry_url(f"communes-{departement}"), ""
        )
        geo = "geo" if number == 1 else f"geo{number}"
        for trace in single["data"]:
            labels = dict(zip(part["code"], part["statut_libelle"], strict=True))
            names = dict(zip(part["code"], part["nom"], strict=True))
            trace["geo"] = geo
            trace["text"] = [f"<b>{names[c]}</b><br>{labels[c]}" for c in trace["customdata"]]
            figure["data"].append(trace)
        figure["layout"] = single["layout"] | figure["layout"]
        figure["layout"][geo] = single["layout"]["geo"] | {
            "domain": {"x": [(number - 1) * width, number * width - 0.01], "y": [0.0, 1.0]}
        }
    figure["layout"]["height"] = 420
    return figure


def territories_map_summary(table: pd.DataFrame) -> str:
    if table.empty:
        return "Aucune commune à cartographier pour ce choix."
    test = int((table["valeur"] == 1).sum())
    comparison = int((table["valeur"] == 0).sum())
    places = len(set(table["origine"]))
    return (
        f"{test} communes test et {comparison} communes témoins, dans {places} départements ; "
        "les autres communes de ces départements sont en blanc."
    )


def territories_view(frame: pd.DataFrame, scope: str | None) -> list[Any]:
    if scope is not None:
        frame = frame[frame["type"] == scope]
    if frame.empty:
        return [html.P("Aucun territoire pour ce choix.", className="muted")]
    counts = (
        frame.assign(role_label=frame["role"].map(ROLE_LABELS).fillna(frame["role"]))
        .groupby(["type_label", "role_label"], dropna=False)
        .size()
        .unstack(fill_value=0)
    )
    summary_rows = [
        html.Tr(
            [
                html.Th(str(type_label), scope="row"),
                html.Td(str(int(counts.loc[type_label].get("test", 0))), className="number"),
                html.Td(str(int(counts.loc[type_label].get("témoin", 0))), className="number"),
            ]
        )
        for type_label in counts.index
    ]
    detail_rows = [
        html.Tr(
            [
                html.Th(f"{row.name} ({row.territory})", scope="row"),
                html.Td(ROLE_LABELS.get(row.role, row.role)),
                html.Td(row.type_label if isinstance(row.type_label, str) else "—"),
                html.Td("" if row.start is None or pd.isna(row.start) else str(row.start)),
            ]
        )
        for row in frame.itertuples(index=False)
    ]
    return [
        html.Table(
            [
                html.Caption("Nombre de territoires par type et par rôle"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Type", "Test", "Témoins")])),
                html.Tbody(summary_rows),
            ],
            className="table",
            id="evaluation-territories-counts",
        ),
        html.Details(
            [
                html.Summary(f"Liste des {len(frame)} territoires"),
                html.Table(
                    [
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col")
                                    for h in ("Territoire", "Rôle", "Type", "Début")
                                ]
                            )
                        ),
                        html.Tbody(detail_rows),
                    ],
                    className="table",
                ),
            ]
        ),
    ]


def warnings_view(frame: pd.DataFrame, scope: str | None) -> html.Ul | html.P:
    if scope is not None:
        frame = frame[frame["scope"].isna() | frame["scope"].isin([scope, OVERALL])]
    if frame.empty:
        return html.P("Aucun avertissement.", className="muted")
    messages = list(dict.fromkeys(str(m) for m in frame["message"]))
    return html.Ul([html.Li(m) for m in messages], className="evaluation-warnings")


def method_view(evaluation: MeasureEvaluation) -> list[Any]:
    design = evaluation.design
    version = design.version
    facts = (
        f"Plan d'évaluation : version {version}"
        if version is not None
        else "Plan d'évaluation : proposition automatique, non enregistrée"
    )
    return [
        html.P(evaluation.method, className="evaluation-method-text"),
        html.P(f"{facts} · version des données : {evaluation.data_version}.", className="muted"),
    ]


def plan_facts(evaluation: MeasureEvaluation) -> list[Any]:
    design = evaluation.design
    if design.version is None:
        head = (
            "Proposition automatique, non enregistrée : elle le sera au premier ajustement ou "
            "au premier rapport figé."
        )
    else:
        created = f"{design.created_at:%d/%m/%Y à %H:%M}" if design.created_at else "?"
        head = f"Version {design.version}, enregistrée le {created} par {design.author or '—'}"
        head += f" — « {design.comment} »." if design.comment else "."
    counts = design.counts()
    return [
        html.P(head),
        html.P(
            f"{int(counts['test'].sum())} territoires test, "
            f"{int(counts['comparison'].sum())} témoins ; épinglés : {len(design.pins)}, "
            f"exclus : {len(design.exclusions)} ; construit sur les données version "
            f"{design.data_version}.",
            className="muted",
        ),
    ]


# --- callbacks ----------------------------------------------------------------------------------


@callback(
    Output("evaluation-plan", "options"),
    Output("evaluation-plan", "value"),
    Input("evaluation-mesure", "value"),
    Input("evaluation-design-saved", "data"),
    Input("evaluation-report-frozen", "data"),
    State("evaluation-plan", "value"),
)
@requires("view")
def update_plan_choices(
    measure: str | None,
    saved: dict[str, Any] | None,
    frozen: dict[str, Any] | None,
    shown: str | None,
) -> tuple[list[dict[str, str]], str | None]:
    """The measure's design versions; after a save, the new version; else the one shown if it
    belongs to the measure, else the latest."""
    if not measure or measure not in readers.catalogue().measures:
        return [], None
    options = plan_options(measure)
    values = [option["value"] for option in options]
    fresh = saved if ctx.triggered_id == "evaluation-design-saved" else frozen
    if ctx.triggered_id != "evaluation-mesure" and fresh and str(fresh.get("id")) in values:
        return options, str(fresh["id"])
    return options, shown if shown in values else values[0]


@callback(
    Output("evaluation-design-message", "children"),
    Output("evaluation-design-saved", "data"),
    Input("evaluation-design-pin", "n_clicks"),
    Input("evaluation-design-exclude", "n_clicks"),
    Input("evaluation-design-undo", "n_clicks"),
    State("evaluation-mesure", "value"),
    State("evaluation-plan", "value"),
    State("evaluation-design-territoire", "value"),
    State("evaluation-design-comment", "value"),
    State("evaluation-plan-choices", "value"),
    prevent_initial_call=True,
)
@requires("evaluate")
def adjust_plan(
    _pin: int | None,
    _exclude: int | None,
    _undo: int | None,
    measure: str | None,
    plan: str | None,
    territory_text: str | None,
    comment: str | None,
    choice: str | None,
) -> tuple[Any, Any]:
    """Pin, exclude or withdraw a choice; the adjusted design is saved as a new version."""
    if not measure or measure not in readers.catalogue().measures:
        return _alert("Choisissez d'abord une mesure."), no_update
    action = {
        "evaluation-design-pin": "pin",
        "evaluation-design-exclude": "exclude",
        "evaluation-design-undo": "undo",
    }.get(str(ctx.triggered_id))
    if action is None:
        return no_update, no_update
    try:
        if action == "undo":
            if not choice or ":" not in choice:
                raise PlanError(
                    "Choisissez d'abord, dans la liste, l'épingle ou l'exclusion à annuler."
                )
            change, territory = choice.split(":", 1)
            base = design_of(measure, plan)
        else:
            change, base = action, design_of(measure, plan)
            territory = resolve_territory(territory_text, base.levels)
        saved = change_design(
            base,
            change,  # type: ignore[arg-type]
            territory,
            author=current_user().username or "web",
            comment=comment,
        )
    except PlanError as error:
        return _alert(str(error)), no_update
    audit(
        "design-saved",
        measure=measure,
        version=saved.design.version,
        change=change,
        territory=territory,
    )
    return (
        html.P(saved.message, className="alert alert-success"),
        {"id": saved.design.id, "version": saved.design.version},
    )


@callback(
    Output("evaluation-report-download", "data"),
    Output("evaluation-report-message", "children"),
    Output("evaluation-report-frozen", "data"),
    Input("evaluation-report-html", "n_clicks"),
    Input("evaluation-report-pdf", "n_clicks"),
    State("evaluation-mesure", "value"),
    State("evaluation-plan", "value"),
    prevent_initial_call=True,
    # a background job (issue #12): Chromium prints the PDF in seconds, outside the web worker,
    # within the per-person and server-wide limits of long jobs
    background=True,
    running=[
        (Output("evaluation-report-html", "disabled"), True, False),
        (Output("evaluation-report-pdf", "disabled"), True, not pdf_available()),
    ],
)
@requires("evaluate")
def freeze_report(
    _html: int | None, _pdf: int | None, measure: str | None, plan: str | None
) -> tuple[Any, Any, Any]:
    """Save the proposal if the measure has no design yet, then send the frozen report."""
    try:
        with background_job("evaluate") as user:
            return frozen_report_outputs(measure, plan, user, ctx.triggered_id)
    except (NotAllowed, JobTimedOut) as error:
        return no_update, _alert(str(error)), no_update


def frozen_report_outputs(
    measure: str | None, plan: str | None, user: User, triggered: Any
) -> tuple[Any, Any, Any]:
    """The download, the message and the frozen design (see :func:`freeze_report`)."""
    if not measure or measure not in readers.catalogue().measures:
        return no_update, _alert("Choisissez d'abord une mesure."), no_update
    key = plan_key(plan)
    with db_session() as session:
        chosen = load_design_by_id(session, key) if key else None
        design = design_to_freeze(
            session,
            readers.catalogue(),
            measure,
            chosen.version if chosen is not None and chosen.measure == measure else None,
            author=user.username or "web",
        )
        record_event(  # in a background job: the job's user, not a request's
            session,
            "report-frozen",
            username=user.username or None,
            ip=user.address,
            measure=measure,
            design_version=design.version,
        )
        session.commit()
    evaluation = measure_evaluation(measure, str(design.id))
    settings = app_context().settings
    html_text = evaluation_report_html(
        evaluation, readers.referential(), settings.reference_dir, datetime.now()
    )
    stem = f"evaluation-{measure}-plan-v{design.version}-donnees-v{evaluation.data_version}"
    frozen = {"id": design.id, "version": design.version}
    done = (
        f"Rapport figé : plan version {design.version}, données version {evaluation.data_version}."
    )
    if triggered == "evaluation-report-pdf":
        try:
            pdf = html_to_pdf(html_text)
        except PdfUnavailable as error:
            return no_update, _alert(str(error)), frozen
        return dcc.send_bytes(pdf, f"{stem}.pdf"), html.P(done, className="muted"), frozen
    return (
        dict(content=html_text, filename=f"{stem}.html", type="text/html", base64=False),
        html.P(done, className="muted"),
        frozen,
    )


def _alert(message: str) -> html.P:
    return html.P(message, className="alert alert-warning")


# --- main callback ------------------------------------------------------------------------------


@callback(
    Output("evaluation-chain", "children"),
    Output("evaluation-estimates", "children"),
    Output("evaluation-estimates-csv", "href"),
    Output("evaluation-estimates-xlsx", "href"),
    Output("evaluation-etude-graph", "figure"),
    Output("evaluation-etude-summary", "children"),
    Output("evaluation-etude-title", "children"),
    Output("evaluation-etude-csv", "href"),
    Output("evaluation-etude-xlsx", "href"),
    Output("evaluation-carte-graph", "figure"),
    Output("evaluation-carte-summary", "children"),
    Output("evaluation-carte-legend", "children"),
    Output("evaluation-carte-csv", "href"),
    Output("evaluation-carte-xlsx", "href"),
    Output("evaluation-territories", "children"),
    Output("evaluation-warnings", "children"),
    Output("evaluation-method", "children"),
    Output("evaluation-plan-facts", "children"),
    Output("evaluation-plan-choices", "options"),
    Input("evaluation-mesure", "value"),
    Input("evaluation-type", "value"),
    Input("evaluation-plan", "value"),
)
@requires("view")
def update_evaluation(
    measure: str | None, type_choice: str | None, plan: str | None
) -> tuple[Any, ...]:
    if not measure or measure not in readers.catalogue().measures:
        message = html.P("Choisissez une mesure.", className="muted")
        empty = empty_figure("Choisissez une mesure.")
        return (
            *(message, message, None, None, empty, "", "Étude d'événement", None, None),
            *(empty, "", [], None, None, [], [], [], [], []),
        )
    plan = shown_plan(measure, plan)  # one lookup of "the latest" for the four readers below
    evaluation = measure_evaluation(measure, plan)
    scope = _scope(type_choice)
    params = {"mesure": measure, "type": scope, "plan": plan if plan != PROPOSAL else None}
    headline = readers.catalogue().indicators.get(evaluation.measure.headline_indicator)
    headline_label = headline.label if headline else evaluation.measure.headline_indicator
    study = event_study_dataset(measure, type_choice, plan)
    places = territories_map_dataset(measure, type_choice, plan)
    return (
        chain_view(evaluation),
        estimates_view(estimates_dataset(measure, type_choice)),
        export_url("evaluation", "csv", **params),
        export_url("evaluation", "xlsx", **params),
        event_study_figure(study, headline.unit if headline else ""),
        event_study_summary(study, headline_label),
        f"Étude d'événement — {headline_label}",
        export_url("evaluation-etude", "csv", **params),
        export_url("evaluation-etude", "xlsx", **params),
        territories_map_figure(places),
        territories_map_summary(places),
        legend(ROLE_CLASSES, {"not_applicable"}),
        export_url("evaluation-carte", "csv", **params),
        export_url("evaluation-carte", "xlsx", **params),
        territories_view(evaluation.territories, scope),
        warnings_view(evaluation.warnings, scope),
        method_view(evaluation),
        plan_facts(evaluation),
        choice_options(evaluation.design),
    )


register_dataset(
    "evaluation-carte", territories_map_dataset, ("mesure", "type", "plan"), ("mesure",)
)
sync_query_string(
    "evaluation",
    {"mesure": "evaluation-mesure", "type": "evaluation-type", "plan": "evaluation-plan"},
)
