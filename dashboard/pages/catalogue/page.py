"""``/indicateurs``: the catalogue of indicators — search by words (accents optional), filter by
measure, programme, partner, results-chain level and theme; each row opens the indicator."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import readers
from dashboard.pages import run_callbacks
from dashboard.pages.catalogue.texts import FILTERS
from dashboard.url_state import url_state_store
from indicators.catalogue import ChainLevel

dash.register_page(
    __name__,
    path="/indicateurs",
    name="Indicateurs",
    title="Indicateurs — Suivi des territoires",
    order=30,
)


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


run_callbacks(__name__, __file__)
