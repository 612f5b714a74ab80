"""``/programmes/<code>``: one programme — its members over time and on a map, its progress
towards its targets, and its results chain from means to impacts; the address keeps the view."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import readers
from dashboard.auth import requires
from dashboard.cache import cache
from dashboard.components.chart import chart_block, legend
from dashboard.figures import empty_figure
from dashboard.figures.programme import (
    count_classes,
    members_history_figure,
    members_map_figure,
    membership_classes,
    progress_figure,
)
from dashboard.figures.programme_text import (
    at_period,
    chain_summary,
    members_history_summary,
    members_map_summary,
    progress_summary,
    since_period,
    trend_summary,
)
from dashboard.figures.trend import sparkline_figure, trend_figure
from dashboard.formatting import format_int, format_value
from dashboard.programme_datasets import (
    CHAIN_LEVELS,
    MEMBER_LEVELS,
    chain_dataset,
    chosen_level,
    departement_counts,
    member_levels,
    member_list_note,
    members_history_dataset,
    members_map_dataset,
    programme_code,
    programme_indicators,
    programme_spans,
    progress_dataset,
    trend_dataset,
)
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.url_state import sync_query_string, url_state_store
from indicators.territories.set_history import active_members


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

STEP_CHOICES = [
    {"label": "Par année", "value": "annee"},
    {"label": "Par semestre", "value": "semestre"},
]
CHAIN_STEPS = {
    "input": ("Moyens", "ce qui est engagé : crédits, postes, ingénierie"),
    "output": ("Réalisations", "ce que le programme produit"),
    "outcome": ("Résultats", "ce qui change dans les territoires"),
    "impact": ("Impacts", "l'effet durable pour les habitants"),
}
PICK_TYPE = "programme-voir"


def trend_options(code: str) -> list[dict[str, str]]:
    """Indicators that can have a value over the members (aggregable, at a member level)."""
    return [
        {"label": f"{i.label} ({i.unit})", "value": i.code}
        for i in programme_indicators(code)
        if i.aggregation.value != "none"
        and {level.value for level in i.levels} & set(MEMBER_LEVELS)
    ]


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


def departement_options(counts: dict[str, int] | None = None) -> list[dict[str, str]]:
    """« Toute la France », then the départements (with their members once counted). In the
    layout without counts, so that the select keeps the département of the address."""
    referential = readers.referential()
    codes = list(counts) if counts is not None else referential.codes("DEP")
    options = [{"label": "Toute la France", "value": ""}]
    for code in codes:
        place = referential.territory(code)
        label = f"{place.name} ({place.local_code})"
        count = (counts or {}).get(code, 0)
        if count:
            label += f" — {format_int(count)} membre{'s' if count > 1 else ''}"
        options.append({"label": label, "value": code})
    return options


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


def _downloads(dataset: str, **params: str | None) -> tuple[str, str]:
    return export_url(dataset, "csv", **params), export_url(dataset, "xlsx", **params)


# --- members -----------------------------------------------------------------------------------


@callback(
    Output("programme-niveau", "value"),
    Output("programme-niveau-control", "hidden"),
    Output("programme-membres-aujourdhui", "children"),
    Input("programme-code", "data"),
    State("programme-niveau", "value"),
)
@requires("view")
def update_levels(code: str, current: str | None) -> tuple[Any, bool, str]:
    spans = programme_spans(code)
    levels = member_levels(spans)
    today = date.today()
    active = active_members(spans, today)
    counts = [
        f"{format_int(sum(1 for s in active if s.level == level))} {MEMBER_LEVELS[level]}"
        for level in levels
    ]
    return chosen_level(code, current), len(levels) < 2, " et ".join(counts) or "aucun"


@callback(Output("programme-liste", "children"), Input("programme-code", "data"))
@requires("view")
def update_list_note(code: str) -> str:
    return member_list_note(code)


@callback(
    Output("programme-membres-graph", "figure"),
    Output("programme-membres-summary", "children"),
    Output("programme-membres-csv", "href"),
    Output("programme-membres-xlsx", "href"),
    Input("programme-code", "data"),
    Input("programme-niveau", "value"),
    Input("programme-pas", "value"),
)
@requires("view")
def update_history(code: str, level: str | None, step: str) -> tuple[Any, ...]:
    level = chosen_level(code, level)
    today = date.today()
    table = members_history_dataset(code, level, step, today)
    word = MEMBER_LEVELS.get(level or "", "territoires")
    params = {"programme": code, "niveau": level, "pas": step}
    return (
        members_history_figure(table, word),
        members_history_summary(table, word, today),
        *_downloads("programme-membres", **params),
    )


@callback(
    Output("programme-dans", "options"),
    Output("programme-dans", "value"),
    Input("programme-code", "data"),
    Input("programme-niveau", "value"),
    State("programme-dans", "value"),
)
@requires("view")
def update_departements(code: str, level: str | None, current: str | None) -> tuple[Any, Any]:
    counts = departement_counts(code, level)
    return departement_options(counts), current if current in counts else ""


@callback(
    Output("programme-carte-graph", "figure"),
    Output("programme-carte-summary", "children"),
    Output("programme-carte-legend", "children"),
    Output("programme-carte-liste", "children"),
    Output("programme-carte-csv", "href"),
    Output("programme-carte-xlsx", "href"),
    Output("programme-carte-title", "children"),
    Output("programme-carte-aide", "children"),
    Input("programme-code", "data"),
    Input("programme-niveau", "value"),
    Input("programme-dans", "value"),
)
@requires("view")
def update_map(code: str, level: str | None, within: str | None) -> tuple[Any, ...]:
    referential = readers.referential()
    level = chosen_level(code, level)
    within = within or None
    if within is not None and (
        within not in referential or referential.territory(within).level != "DEP"
    ):
        within = None
    word = MEMBER_LEVELS.get(level or "", "territoires")
    table = members_map_dataset(code, level, within)
    params = {"programme": code, "niveau": level, "dans": within}
    if within is None:
        classes = count_classes(table["membres"], word)
        hover = [
            f"<b>{row.nom}</b> ({row.code_officiel})<br>"
            + (f"{format_int(row.membres)} {word} membres" if row.membres else "Aucun membre")
            for row in table.itertuples()
        ]
        figure = members_map_figure(
            table.assign(valeur=table["membres"].astype(float)),
            classes,
            geometry_url("departements"),
            hover,
        )
        title, members_list = "Où sont les membres — France entière", []
        hint = "Cliquez sur un département, ou choisissez-le dans la liste, pour voir ses communes."
    else:
        member_label = "Membre" if level == "COM" else "Dans une intercommunalité membre"
        classes = membership_classes(member_label)
        hover = [_commune_hover(row) for row in table.itertuples()]
        place = referential.territory(within)
        figure = members_map_figure(
            table.assign(valeur=(table["membre"] == "oui").astype(float)),
            classes,
            geometry_url(f"communes-{place.local_code}"),
            hover,
        )
        title = f"Où sont les membres — {place.name}"
        members_list = member_links(table)
        hint = (
            "Cliquez sur une commune pour ouvrir sa page ; choisissez « Toute la France » "
            "dans la liste pour revenir à la carte des départements."
        )
    area = referential.name(within) if within else None
    return (
        figure,
        members_map_summary(table, word, area),
        legend(classes, set()),
        members_list,
        *_downloads("programme-carte", **params),
        title,
        hint,
    )


def _commune_hover(row: Any) -> str:
    head = f"<b>{row.nom}</b> ({row.code_officiel})<br>"
    if row.membre != "oui":
        return head + "Non membre"
    since = (
        f" depuis le {date.fromisoformat(row.membre_depuis):%d/%m/%Y}" if row.membre_depuis else ""
    )
    if row.territoire_membre and row.territoire_membre != row.nom:
        return head + f"Dans {row.territoire_membre}, membre{since}"
    return head + f"Membre{since}"


def member_links(table: pd.DataFrame) -> list[Any]:
    """The map's members as links: the keyboard's way to the territories the map shows."""
    members = table[table["membre"] == "oui"].drop_duplicates("code_membre")
    if members.empty:
        return []
    via_epci = (members["code_membre"] != members["code"]).any()
    return [
        html.H3(
            "Intercommunalités membres" if via_epci else "Communes membres",
            className="small-heading",
        ),
        html.Ul(
            [
                html.Li(dcc.Link(row.territoire_membre, href=f"/territoire/{row.code_membre}"))
                for row in members.itertuples()
            ],
            className="inline-list",
        ),
    ]


@callback(
    Output("programme-dans", "value", allow_duplicate=True),
    Output("programme-nav", "href"),  # href, not pathname: only a new href navigates (Dash 4)
    Input("programme-carte-graph", "clickData"),
    State("programme-dans", "value"),
    prevent_initial_call=True,
)
@requires("view")
def drill_down(click: dict[str, Any] | None, within: str | None) -> tuple[Any, Any]:
    """A département opens its communes; a commune opens its territory page."""
    if not click or not click.get("points"):
        return no_update, no_update
    code = click["points"][0].get("customdata")
    if not isinstance(code, str):
        return no_update, no_update
    if code.startswith("DEP:"):
        return code, no_update
    return no_update, f"/territoire/{code}"


# --- progress and results chain ----------------------------------------------------------------


@callback(
    Output("programme-progression-graph", "figure"),
    Output("programme-progression-graph", "style"),
    Output("programme-progression-summary", "children"),
    Output("programme-progression-legend", "children"),
    Output("programme-progression-csv", "href"),
    Output("programme-progression-xlsx", "href"),
    Input("programme-code", "data"),
)
@requires("view")
def update_progress(code: str) -> tuple[Any, ...]:
    table = progress_dataset(code)
    hidden = {"display": "none"} if table.empty else {}
    note = (
        []
        if table.empty
        else html.P(
            "0 % : la valeur de référence ; 100 % : la cible. Le trait noir marque la part du "
            "temps écoulé entre la période de référence et l'échéance : une barre qui "
            "l'atteint est en bonne voie.",
            className="small muted",
        )
    )
    return (
        progress_figure(table)
        if not table.empty
        else empty_figure("Aucune cible ni valeur de référence pour ce programme."),
        hidden,
        progress_summary(table),
        note,
        *_downloads("programme-progression", programme=code),
    )


@callback(
    Output("programme-chaine", "children"),
    Output("programme-chaine-summary", "children"),
    Output("programme-chaine-csv", "href"),
    Output("programme-chaine-xlsx", "href"),
    Input("programme-code", "data"),
)
@requires("view")
def update_chain(code: str) -> tuple[Any, ...]:
    return chain_view(code, readers.data_version())


@cache.memoize()
def chain_view(code: str, version: int) -> tuple[Any, ...]:
    """The results chain of a programme, once per data version (shared cache)."""
    table = chain_dataset(code)
    statuses = progress_dataset(code)
    with_values = set(table.loc[table["valeur"].notna(), "indicateur"])
    pickable = {option["value"] for option in trend_options(code)} & with_values
    columns = []
    for level in CHAIN_LEVELS:
        title, description = CHAIN_STEPS[level]
        rows = table[table["niveau_chaine"] == level]
        cards = [
            chain_card(frame, statuses[statuses["indicateur"] == indicator], indicator in pickable)
            for indicator, frame in rows.groupby("indicateur", sort=False)
        ]
        columns.append(
            html.Section(
                [
                    html.H3(title),
                    html.P(description, className="small muted"),
                    html.Ul(cards, className="chain-cards")
                    if cards
                    else html.P("Aucun indicateur à cette étape.", className="small muted"),
                ],
                className=f"chain-step chain-{level}",
            )
        )
    return columns, chain_summary(table), *_downloads("programme-chaine", programme=code)


def chain_card(frame: pd.DataFrame, targets: pd.DataFrame, pickable: bool) -> html.Li:
    first = frame.iloc[0]
    unit = str(first["unite"])
    values = frame.dropna(subset=["valeur"])
    body: list[Any]
    if values.empty:
        body = [html.P(f"Pas de valeur pour les membres ({first['remarque']}).", className="small")]
    else:
        last, start = values.iloc[-1], values.iloc[0]
        change = float(last["valeur"]) - float(start["valeur"])
        sign = "+" if change > 0 else ""
        body = [
            html.P(
                [
                    html.Span(format_value(float(last["valeur"]), unit), className="chain-value"),
                    html.Span(f" {at_period(str(last['periode']))}", className="muted small"),
                ]
            ),
            html.P(
                f"{sign}{format_value(change, unit)} depuis {since_period(str(start['periode']))}"
                if len(values) > 1
                else "Une seule période publiée.",
                className="small",
            ),
            html.Div(
                dcc.Graph(
                    figure=sparkline_figure(
                        values["periode"].tolist(), values["valeur"].astype(float).tolist()
                    ),
                    config={"staticPlot": True},
                    className="sparkline",
                    style={"height": "48px"},
                    responsive=True,
                ),
                **{"aria-hidden": "true"},
            ),
            html.P(
                f"{format_int(int(last['renseignes']))} "
                + (
                    "intercommunalités des membres renseignées sur "
                    if first["remarque"]
                    else "membres renseignés sur "
                )
                + format_int(int(last["attendus"])),
                className="muted small",
            ),
        ]
    if not targets.empty:
        body.append(
            html.P(
                "Cible : "
                + " ; ".join(
                    f"{row.statut_libelle or 'suivie'} ({row.portee})"
                    for row in targets.itertuples()
                ),
                className=f"small target-line status-text-{targets.iloc[0]['statut'] or 'none'}",
            )
        )
    if first["dernier_kilometre"] == "oui":
        body.insert(0, html.Span("Dernier kilomètre", className="tag"))
    if pickable:
        # a button, not a link to an anchor: a new address fragment would re-render the page
        body.append(
            html.Button(
                [
                    "Voir l'évolution",
                    html.Span(f" : {first['libelle']}", className="visually-hidden"),
                ],
                id={"type": PICK_TYPE, "indicator": str(first["indicateur"])},
                type="button",
                className="link-button small",
            )
        )
    return html.Li(
        html.Article(
            [
                html.H4(dcc.Link(str(first["libelle"]), href=f"/indicateur/{first['indicateur']}")),
                *body,
            ],
            className="chain-card",
        ),
    )


@callback(
    Output("programme-indicateur", "options"),
    Output("programme-indicateur", "value"),
    Input("programme-code", "data"),
    State("programme-indicateur", "value"),
)
@requires("view")
def update_trend_choices(code: str, current: str | None) -> tuple[Any, Any]:
    """Only the indicators that have values over the members (the layout, which reads no
    data, offers every aggregable one)."""
    table = chain_dataset(code)
    with_values = set(table.loc[table["valeur"].notna(), "indicateur"])
    options = [option for option in trend_options(code) if option["value"] in with_values]
    values = [option["value"] for option in options]
    if current in values:
        return options, current
    headline = readers.catalogue().programmes[code].headline_indicators
    return options, next((c for c in headline if c in values), values[0] if values else None)


@callback(
    Output("programme-indicateur", "value", allow_duplicate=True),
    Input({"type": PICK_TYPE, "indicator": ALL}, "n_clicks"),
    Input("programme-progression-graph", "clickData"),
    State("programme-indicateur", "options"),
    prevent_initial_call=True,
)
@requires("view")
def pick_indicator(_clicks: list[int | None], click: dict[str, Any] | None, options: Any) -> Any:
    """A card's "Voir l'évolution" or a progress bar shows that indicator's line below."""
    allowed = {option["value"] for option in options or []}
    chosen = None
    if isinstance(ctx.triggered_id, dict) and ctx.triggered and ctx.triggered[0]["value"]:
        chosen = ctx.triggered_id["indicator"]
    elif ctx.triggered_id == "programme-progression-graph" and click and click.get("points"):
        chosen = click["points"][0].get("customdata")
    return chosen if chosen in allowed else no_update


# the chosen indicator's chart is further down: take the keyboard's focus (and the eye) there
dash.clientside_callback(
    """
    function(clicks) {
        if ((clicks || []).some(Boolean)) {
            const select = document.getElementById("programme-indicateur");
            if (select) {
                select.focus({preventScroll: true});
                select.closest("section").scrollIntoView({behavior: "smooth"});
            }
        }
    }
    """,
    Input({"type": PICK_TYPE, "indicator": ALL}, "n_clicks"),
    prevent_initial_call=True,
)


@callback(
    Output("programme-evolution-graph", "figure"),
    Output("programme-evolution-summary", "children"),
    Output("programme-evolution-csv", "href"),
    Output("programme-evolution-xlsx", "href"),
    Output("programme-evolution-title", "children"),
    Input("programme-code", "data"),
    Input("programme-indicateur", "value"),
)
@requires("view")
def update_trend(code: str, indicator_code: str | None) -> tuple[Any, ...]:
    if not indicator_code:
        return (
            empty_figure("Aucun indicateur de ce programme n'a de valeur pour ses membres."),
            "Aucun indicateur de ce programme n'a de valeur pour ses membres.",
            None,
            None,
            "Évolution d'un indicateur",
        )
    indicator = readers.catalogue().indicators[indicator_code]
    table = trend_dataset(code, indicator_code)
    return (
        trend_figure(table, indicator.unit),
        trend_summary(table, indicator.label, indicator.unit),
        *_downloads("programme-evolution", programme=code, indicateur=indicator_code),
        f"Évolution — {indicator.label}",
    )


sync_query_string(
    "programme",
    {
        "niveau": "programme-niveau",
        "pas": "programme-pas",
        "dans": "programme-dans",
        "indicateur": "programme-indicateur",
    },
)
