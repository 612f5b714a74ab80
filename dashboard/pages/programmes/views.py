"""Pieces of the programme page that its layout and callbacks share: pickers' options, the
results chain's cards, the map's member links (pure builders, tested without HTTP)."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import pandas as pd
from dash import ALL, Input, dcc, html

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.components.chart import legend
from dashboard.components.sparkline import sparkline
from dashboard.figures import empty_figure
from dashboard.figures.ranges import series_note, with_note
from dashboard.figures.trend import trend_figure
from dashboard.formatting import format_int, format_value
from dashboard.pages.programmes.datasets import (
    CHAIN_LEVELS,
    chain_dataset,
    programme_indicators,
    programme_trend_dataset,
    progress_dataset,
)
from dashboard.pages.programmes.figures import (
    count_classes,
    members_map_figure,
    membership_classes,
    progress_figure,
)
from dashboard.pages.programmes.members import chosen_level, members_map_dataset
from dashboard.pages.programmes.texts import (
    at_period,
    chain_summary,
    members_map_summary,
    progress_summary,
    since_period,
    trend_summary,
)
from dashboard.programmes import MEMBER_LEVELS
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from indicators.catalogue.scales import expected_range

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


def download_links(dataset: str, **params: str | None) -> tuple[str, str]:
    return export_url(dataset, "csv", **params), export_url(dataset, "xlsx", **params)


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


@by_data_version
def chain_view(code: str) -> dict[str, Any]:
    """The results chain of a programme (the outputs of ``update_chain``), once per data
    version (shared cache)."""
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
    csv, xlsx = download_links("programme-chaine", programme=code)
    return {"chain": columns, "summary": chain_summary(table), "csv": csv, "xlsx": xlsx}


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
            sparkline(
                str(first["libelle"]),
                values["periode"].tolist(),
                values["valeur"].astype(float).tolist(),
                unit,
                style={"height": "48px"},
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


def members_map_view(code: str, level: str | None, within: str | None) -> dict[str, Any]:
    """Where the members are: France by département, or the communes of one département."""
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
    csv, xlsx = download_links("programme-carte", **params)
    return {
        "figure": figure,
        "summary": members_map_summary(table, word, area),
        "legend": legend(classes, set()),
        "members": members_list,
        "csv": csv,
        "xlsx": xlsx,
        "title": title,
        "hint": hint,
    }


def progress_view(code: str) -> dict[str, Any]:
    """How far the programme's indicators are from their targets, and the time elapsed."""
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
    csv, xlsx = download_links("programme-progression", programme=code)
    return {
        "figure": progress_figure(table)
        if not table.empty
        else empty_figure("Aucune cible ni valeur de référence pour ce programme."),
        "style": hidden,
        "summary": progress_summary(table),
        "legend": note,
        "csv": csv,
        "xlsx": xlsx,
    }


def trend_view(code: str, indicator_code: str | None) -> dict[str, Any]:
    """One indicator over the programme's members, beside the other territories and targets."""
    if not indicator_code:
        message = "Aucun indicateur de ce programme n'a de valeur pour ses membres."
        csv, xlsx, figure = None, None, empty_figure(message)
        summary, title = message, "Évolution d'un indicateur"
    else:
        indicator = readers.catalogue().indicators[indicator_code]
        table = programme_trend_dataset(code, indicator_code)
        valid = expected_range(indicator)
        figure = trend_figure(table, indicator.unit, valid_range=valid)
        summary = with_note(
            trend_summary(table, indicator.label, indicator.unit),
            series_note(table, valid, indicator.unit),
        )
        csv, xlsx = download_links("programme-evolution", programme=code, indicateur=indicator_code)
        title = f"Évolution — {indicator.label}"
    return {"figure": figure, "summary": summary, "csv": csv, "xlsx": xlsx, "title": title}
