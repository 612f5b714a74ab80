"""``/indicateurs``: the catalogue of indicators — search by words (accents optional), filter by
measure, programme, partner, results-chain level and theme; each row opens the indicator."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import readers
from dashboard.auth import requires
from dashboard.indicator_datasets import catalogue_dataset
from dashboard.indicator_summaries import catalogue_summary
from dashboard.routes.exports import export_url
from dashboard.url_state import sync_query_string, url_state_store
from indicators.catalogue import ChainLevel

dash.register_page(
    __name__,
    path="/indicateurs",
    name="Indicateurs",
    title="Indicateurs — Suivi des territoires",
    order=30,
)

# query parameter -> (component id, French label, placeholder)
FILTERS = {
    "mesure": ("catalogue-mesure", "Mesure", "Toutes les mesures"),
    "programme": ("catalogue-programme", "Programme", "Tous les programmes"),
    "partenaire": ("catalogue-partenaire", "Partenaire", "Tous les partenaires"),
    "chaine": ("catalogue-chaine", "Chaîne de résultats", "Tous les niveaux"),
    "theme": ("catalogue-theme", "Thème", "Tous les thèmes"),
}


def filter_options() -> dict[str, list[dict[str, str]]]:
    catalogue = readers.catalogue()
    used_partners = {i.partner for i in catalogue.indicators.values()}
    return {
        "mesure": [
            {"label": f"{m.code} — {m.label}", "value": m.code} for m in catalogue.measures.values()
        ],
        "programme": [{"label": p.label, "value": p.code} for p in catalogue.programmes.values()],
        "partenaire": sorted(
            (
                {"label": p.name, "value": p.code}
                for p in catalogue.partners.values()
                if p.code in used_partners
            ),
            key=lambda option: option["label"],
        ),
        "chaine": [
            {"label": level.label.capitalize(), "value": level.value} for level in ChainLevel
        ],
        "theme": [
            {"label": t.label, "value": t.code}
            for t in sorted(catalogue.themes.values(), key=lambda t: t.order)
        ],
    }


def layout(q: str | None = None, **query: str) -> html.Div:
    options = filter_options()
    controls: list[Any] = [
        html.Div(
            [
                html.Label("Rechercher", htmlFor="catalogue-recherche"),
                dcc.Input(
                    id="catalogue-recherche",
                    type="search",
                    value=q or "",
                    placeholder="Mot, code… (ex. : santé, vacance, FTTH)",
                    debounce=0.3,
                    autoComplete="off",
                ),
            ],
            className="control wide",
        )
    ]
    for name, (component_id, label, placeholder) in FILTERS.items():
        allowed = {option["value"] for option in options[name]}
        value = query.get(name)
        controls.append(
            html.Div(
                [
                    html.Label(label, htmlFor=component_id),
                    # dbc.Select shows its placeholder for the value "": the same words as
                    # the first option, which stays there to clear the filter
                    dbc.Select(
                        id=component_id,
                        options=[{"label": placeholder, "value": ""}, *options[name]],
                        value=value if value in allowed else "",
                        placeholder=placeholder,
                    ),
                ],
                className="control",
            )
        )
    return html.Div(
        [
            html.H1("Indicateurs"),
            html.P(
                "Le catalogue des indicateurs suivis : leur définition, leur producteur, les "
                "mesures et programmes qu'ils servent. Choisissez-en un pour voir ses valeurs, "
                "sa couverture et la provenance de ses chiffres.",
                className="lead",
            ),
            html.Div(
                controls,
                className="controls catalogue-controls",
                role="search",
                **{"aria-label": "Rechercher et filtrer les indicateurs"},
            ),
            html.Section(
                [
                    html.H2(
                        "Résultats", id="catalogue-resultats-titre", className="visually-hidden"
                    ),
                    html.P(
                        id="catalogue-resume",
                        className="chart-summary",
                        role="status",
                        **{"aria-live": "polite"},
                    ),
                    html.Div(id="catalogue-liste"),
                    html.P(
                        [
                            "Données de la liste : ",
                            html.A("CSV", id="catalogue-csv", href="#", className="download"),
                            " · ",
                            html.A("XLSX", id="catalogue-xlsx", href="#", className="download"),
                        ],
                        className="data-twin",
                    ),
                ],
                className="card",
                **{"aria-labelledby": "catalogue-resultats-titre"},
            ),
            url_state_store("catalogue"),
        ]
    )


def criteria_words(
    query: str | None,
    measure: str | None,
    programme: str | None,
    partner: str | None,
    chain: str | None,
    theme: str | None,
) -> list[str]:
    """The active filters in French, for the count sentence."""
    catalogue = readers.catalogue()
    words = []
    if query and query.strip():
        words.append(f"« {query.strip()} »")
    if measure:
        words.append(f"mesure {measure}")
    if programme:
        entry = catalogue.programmes.get(programme)
        words.append(f"programme {entry.label if entry else programme}")
    if partner:
        found = catalogue.partners.get(partner)
        words.append(f"partenaire {found.name if found else partner}")
    if chain:
        words.append(f"chaîne de résultats « {ChainLevel(chain).label} »")
    if theme:
        found_theme = catalogue.themes.get(theme)
        words.append(f"thème « {found_theme.label if found_theme else theme} »")
    return words


def results_table(rows: list[dict[str, Any]]) -> Any:
    if not rows:
        return html.P(
            "Aucun indicateur ne correspond. Essayez un autre mot ou retirez un filtre.",
            className="notice",
        )
    return html.Table(
        [
            html.Caption("Indicateurs du catalogue correspondant à la recherche"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Indicateur", scope="col"),
                        html.Th("Unité", scope="col"),
                        html.Th("Périodicité", scope="col"),
                        html.Th("Chaîne de résultats", scope="col"),
                        html.Th("Mesures", scope="col"),
                        html.Th("Programmes", scope="col"),
                        html.Th("Partenaire", scope="col"),
                    ]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(
                                [
                                    dcc.Link(row["libelle"], href=row["adresse"]),
                                    html.Br(),
                                    html.Span(row["code"], className="code muted small"),
                                    *(
                                        [html.Span("Dernier kilomètre", className="ind-tag small")]
                                        if row["dernier_kilometre"] == "oui"
                                        else []
                                    ),
                                ]
                            ),
                            html.Td(row["unite"]),
                            html.Td(row["periodicite"]),
                            html.Td(row["chaine_resultats"]),
                            html.Td(row["mesures"] or "—"),
                            html.Td(row["programmes"] or "—"),
                            html.Td(row["partenaire_nom"]),
                        ]
                    )
                    for row in rows
                ]
            ),
        ],
        className="table catalogue-table",
    )


@callback(
    Output("catalogue-liste", "children"),
    Output("catalogue-resume", "children"),
    Output("catalogue-csv", "href"),
    Output("catalogue-xlsx", "href"),
    Input("catalogue-recherche", "value"),
    *(Input(component_id, "value") for component_id, _, _ in FILTERS.values()),
)
@requires("view")
def update_list(
    query: str | None,
    measure: str | None,
    programme: str | None,
    partner: str | None,
    chain: str | None,
    theme: str | None,
) -> tuple[Any, ...]:
    # an empty choice ("Toutes les mesures"…) is no filter
    measure, programme, partner, chain, theme = (
        value or None for value in (measure, programme, partner, chain, theme)
    )
    if chain is not None and chain not in {level.value for level in ChainLevel}:
        chain = None
    table = catalogue_dataset(query, measure, programme, partner, chain, theme)
    total = len(readers.catalogue().indicators)
    criteria = criteria_words(query, measure, programme, partner, chain, theme)
    params = {
        "q": (query or "").strip() or None,
        "mesure": measure,
        "programme": programme,
        "partenaire": partner,
        "chaine": chain,
        "theme": theme,
    }
    return (
        results_table(table.to_dict("records")),
        catalogue_summary(len(table), total, criteria),
        export_url("indicateurs", "csv", **params),
        export_url("indicateurs", "xlsx", **params),
    )


sync_query_string(
    "catalogue",
    {"q": "catalogue-recherche", **{name: ids[0] for name, ids in FILTERS.items()}},
)
