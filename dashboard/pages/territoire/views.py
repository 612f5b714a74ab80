"""What the callbacks of ``territoire`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import dcc, html

from dashboard import readers
from dashboard.components.chart import GRAPH_CONFIG, image_buttons, legend
from dashboard.datasets import map_dataset, territory_series_dataset
from dashboard.figures import empty_figure, with_caption
from dashboard.figures.ranges import series_note, with_note
from dashboard.figures.trend import trend_figure
from dashboard.formatting import format_period, format_period_short
from dashboard.pages.territoire import texts
from dashboard.pages.territoire.datasets import (
    DEPARTEMENT,
    MEMBERS,
    SAME_TYPE,
    ProgrammeMembership,
    other_members,
    programme_comparison_dataset,
    programme_indicators_at,
    territory_programmes,
)
from dashboard.programmes import programme_spans
from dashboard.routes.exports import export_url
from dashboard.routes.geo import geometry_url
from dashboard.summaries import LEVEL_PLURALS, series_summary, total_coverage
from dashboard.url_state import indicator_sheet_address
from dashboard.views import map_view, source_line
from indicators.catalogue import Indicator
from indicators.catalogue.scales import expected_range
from indicators.precompute.scope import base_level
from indicators.territories.referential import Territory

# a mini-chart is about 300 px wide: six period labels, not 54 piled up
MINI_CHART_TICKS = 6
CHILD_LEVEL = {"FR": "REG", "REG": "DEP", "DEP": "COM", "EPCI": "COM"}


SET_KIND_LABELS = {
    "programme": "Programme",
    "mesure_test": "Territoire test",
    "mesure_temoin": "Territoire témoin",
    "groupe": "Groupe",
}


def indicator_options(level: str) -> list[dict[str, str]]:
    return [
        {"label": f"{i.label} ({i.unit})", "value": code}
        for code, i in readers.catalogue().indicators.items()
        if level in {lvl.value for lvl in i.levels}
    ]


def _child_geometry(place: Territory, level: str) -> str:
    if level == "REG":
        return geometry_url("regions")
    if level == "DEP":
        return geometry_url("departements")
    departement = place.local_code if place.level == "DEP" else place.departement
    return geometry_url(f"communes-{departement}")


def _children_outputs(
    figure: Any, summary: Any, legend_items: Any, csv: str | None, xlsx: str | None, rows: Any
) -> dict[str, Any]:
    """The children block's outputs by name: the empty states and the full one share it."""
    return {
        "figure": figure,
        "summary": summary,
        "legend": legend_items,
        "csv": csv,
        "xlsx": xlsx,
        "rows": rows,
    }


def children_view(indicator_code: str | None, period: str | None, code: str) -> dict[str, Any]:
    """The territory's children on a map and in a table, for an indicator and a period."""
    referential = readers.referential()
    place = referential.territory(code)
    level = CHILD_LEVEL.get(place.level)
    if level is None:  # a commune has no children block; a forged request gets an empty state
        message = f"{place.name} n'est pas découpé en territoires plus petits."
        return _children_outputs(empty_figure(message), message, [], None, None, [])
    if not indicator_code or not period:
        message = (
            "Aucun indicateur publié à ce niveau."
            if not indicator_code
            else f"Aucune valeur transmise pour les {LEVEL_PLURALS[level]} de {place.name}."
        )
        return _children_outputs(empty_figure(message), message, [], None, None, [])
    within = None if place.level == "FR" else code
    view = map_view(indicator_code, period, level, within, _child_geometry(place, level))
    table = map_dataset(indicator_code, period, level, within)  # values come from the cache
    params = {"indicateur": indicator_code, "periode": period, "niveau": level, "dans": within}
    # the link keeps the indicator: drilling down should not lose what one is looking at
    links = [
        f"[{n}](/territoire/{c}?indicateur={indicator_code})"
        for n, c in zip(table["nom"], table["code"], strict=True)
    ]
    rows = table.assign(
        nom_lien=links,
        valeur=table["valeur"].round(2),
    )[["nom_lien", "code_officiel", "valeur", "statut_libelle"]]
    title = f"{readers.catalogue().indicators[indicator_code].label} — les {LEVEL_PLURALS[level]} "
    return _children_outputs(
        with_caption(
            view.figure,
            title + f"de {place.name}, {format_period(period)}",
            source_line(indicator_code, period),
        ),
        view.summary,
        legend(view.classes, set(view.statuses)),
        export_url("carte", "csv", **params),
        export_url("carte", "xlsx", **params),
        rows.to_dict("records"),
    )


def _trend_outputs(
    figure: Any, summary: Any, csv: str | None, xlsx: str | None, title: str
) -> dict[str, Any]:
    """The trend block's outputs by name: the empty state and the full one share it."""
    return {"figure": figure, "summary": summary, "csv": csv, "xlsx": xlsx, "title": title}


def _coverage_sentence(indicator: Indicator, code: str, name: str) -> str:
    """For an aggregated value (France, a région…), what its latest value rests on."""
    values = readers.values_over_time(indicator.code, code)
    latest = values[values["status"] == "ok"].tail(1)
    if latest.empty:
        return ""
    row = latest.iloc[0]
    sentence = total_coverage(
        name,
        indicator.aggregation.value,
        int(row["reported"]),
        int(row["expected"]),
        base_level(indicator.levels).value,
    )
    return f" {sentence} en {format_period(row['period'])}." if sentence else ""


def trend_view(indicator_code: str | None, code: str) -> dict[str, Any]:
    """The territory's values of an indicator over time, beside its parent and peers."""
    if not indicator_code:
        message = "Aucun indicateur publié à ce niveau."
        return _trend_outputs(empty_figure(message), message, None, None, "Évolution")
    indicator = readers.catalogue().indicators[indicator_code]
    table, flat = without_flat_zero_median(territory_series_dataset(indicator_code, code))
    own = table[table["code"] == code].rename(
        columns={"periode": "period", "valeur": "value", "statut": "status"}
    )
    name = readers.referential().name(code)
    valid = expected_range(indicator)
    summary = with_note(
        series_summary(own, indicator.label, indicator.unit, name)
        + _coverage_sentence(indicator, code, name)
        + (f" {texts.FLAT_ZERO_MEDIAN}" if flat else ""),
        series_note(table, valid, indicator.unit),
    )
    params = {"indicateur": indicator_code, "territoire": code}
    return _trend_outputs(
        with_caption(
            trend_figure(
                table, indicator.unit, empty=f"{name} : aucune valeur transmise.", valid_range=valid
            ),
            f"{indicator.label} — {name}",
            source_line(indicator_code),
        ),
        summary,
        export_url("serie", "csv", **params),
        export_url("serie", "xlsx", **params),
        f"Évolution — {indicator.label}",
    )


def without_flat_zero_median(table: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The series without the type median when it is 0 at every period it has a value (a count
    most territories do not report): a flat line at zero compares with nothing. The export keeps
    it (the same dataset, unfiltered). Also says whether it was left out."""
    median = table["code"].astype(str).str.startswith("MED:")
    values = table.loc[median & (table["statut"] == "ok"), "valeur"]
    if values.empty or not (values == 0).all():
        return table, False
    return table[~median].reset_index(drop=True), True


def sheet_address(indicator_code: str | None, code: str) -> str:
    """The indicator's page on the territory's surroundings, the territory highlighted."""
    indicator = readers.catalogue().indicators.get(indicator_code or "")
    place = readers.referential().get(code)
    if indicator is None or place is None:
        return "/indicateurs"
    return indicator_sheet_address(indicator, place)


# --- Mes programmes ------------------------------------------------------------------------------


def programmes_view(code: str) -> list[Any]:
    """ "Mes programmes": for a commune or an EPCI, each programme it belongs to with its
    indicators side by side; for a larger territory, the programmes' members inside it."""
    place = readers.referential().territory(code)
    if place.level not in {"COM", "EPCI"}:
        return programmes_inside(place)
    memberships = territory_programmes(code)
    if not memberships:
        return [html.P(texts.NO_PROGRAMME, className="muted")]
    return [programme_section(membership, place) for membership in memberships]


def programme_section(membership: ProgrammeMembership, place: Territory) -> html.Section:
    indicators = programme_indicators_at(membership.code, place.level)
    members = other_members(membership.code, place.code)
    heading_id = f"programme-{membership.code}"
    since = f" Membre depuis le {membership.since}." if membership.since else ""
    charts = [mini_chart(membership.code, indicator, place) for indicator in indicators]
    cards = [card for card, _ in charts]
    note = texts.section_note(
        [i.label for i, (_, marks) in zip(indicators, charts, strict=True) if COUNTED in marks],
        [i.label for i, (_, marks) in zip(indicators, charts, strict=True) if FLAT_ZERO in marks],
    )
    return html.Section(
        [
            html.H3(
                dcc.Link(membership.label, href=f"/programmes/{membership.code}"),
                id=heading_id,
            ),
            html.P(texts.members_note(len(members)) + since, className="small muted"),
            html.Div(cards, className="small-multiples")
            if cards
            else html.P(texts.NO_INDICATOR, className="muted"),
            *([html.P(note, className="notice small programme-note")] if note else []),
        ],
        className="programme-block",
        **{"aria-labelledby": heading_id},
    )


COUNTED = "comptage"  # a count: no département line
FLAT_ZERO = "médiane nulle"  # the type median, 0 at every period, left out


def mini_chart(
    programme: str, indicator: Indicator, place: Territory
) -> tuple[html.Article, set[str]]:
    """One indicator: the territory against the comparisons, and in words what is missing; with
    the marks (``COUNTED``, ``FLAT_ZERO``) the programme's note explains once for all cards."""
    table = programme_comparison_dataset(programme, indicator.code, place.code)
    # the same rule as the single-indicator chart: a type median at 0 throughout is not drawn
    drawn, flat = without_flat_zero_median(table)
    figure = trend_figure(
        drawn,
        indicator.unit,
        height=260,
        empty=f"{place.name} : aucune valeur transmise.",
        max_ticks=MINI_CHART_TICKS,
    )
    if figure["data"]:
        layout = figure["layout"]
        layout["margin"] = {"l": 50, "r": 10, "t": 10, "b": 10}
        layout["legend"] = {"orientation": "h", "y": -0.25, "font": {"size": 11}}
        layout["height"] = 320
        axis = layout["xaxis"]
        axis["ticktext"] = [format_period_short(p) for p in axis["tickvals"]]
    own = table[table["comparaison"] == ""]
    latest = str(own["periode"].iloc[-1]) if not own.empty else None
    at_latest = drawn[(drawn["periode"] == latest) & (drawn["comparaison"] != "")]
    summary = texts.comparison_summary(
        place.name,
        indicator.label,
        indicator.unit,
        latest,
        float(own["valeur"].iloc[-1]) if not own.empty else None,
        dict(zip(at_latest["serie"], at_latest["valeur"].astype(float), strict=True)),
    )
    counted = indicator.aggregation.value == "sum"
    expected = [MEMBERS, *([DEPARTEMENT] if place.departement and not counted else []), SAME_TYPE]
    counted_here = counted and bool(place.departement)
    missing = texts.missing_comparisons(set(table["comparaison"]), expected, counted_here)
    if flat:
        missing = f"{missing} {texts.FLAT_ZERO_CARD}" if missing else texts.FLAT_ZERO_CARD
    marks = {COUNTED} if counted_here else set()
    marks |= {FLAT_ZERO} if flat else set()
    title = f"{indicator.label} — {place.name}"
    params = {"programme": programme, "indicateur": indicator.code, "territoire": place.code}
    return html.Article(
        [
            html.H4(indicator.label),
            dcc.Graph(
                figure=with_caption(figure, title, source_line(indicator.code, latest)),
                config=GRAPH_CONFIG,
                id={"type": "territoire-mini", "index": f"{programme}-{indicator.code}"},
            ),
            html.P(summary, className="chart-summary small"),
            *([html.P(missing, className="notice small")] if missing else []),
            html.P(
                [
                    html.A(
                        [
                            "Fiche de l'indicateur",
                            html.Span(f" « {indicator.label} »", className="visually-hidden"),
                        ],
                        href=indicator_sheet_address(indicator, place),
                        className="indicator-sheet",
                    ),
                    " · ",
                    html.A(
                        [
                            "CSV",
                            html.Span(f" : {indicator.label}", className="visually-hidden"),
                        ],
                        href=export_url("territoire-programme", "csv", **params),
                        className="download",
                    ),
                    *image_buttons(title),
                ],
                className="data-twin small",
            ),
        ],
        className="mini-chart",
    ), marks


def programmes_inside(place: Territory) -> list[Any]:
    """For a département, a région or France: each programme's members inside it."""
    referential = readers.referential()
    items = []
    for code, programme in readers.catalogue().programmes.items():
        inside = [
            span.territory
            for span in programme_spans(code)
            if span.territory in referential
            and (place.level == "FR" or place.code in referential.parents(span.territory))
        ]
        if inside:
            items.append(
                html.Li(
                    [
                        dcc.Link(programme.label, href=f"/programmes/{code}"),
                        f" : {texts.members_inside(len(set(inside)))}",
                    ]
                )
            )
    if not items:
        return [html.P("Aucun membre d'un programme sur ce territoire.", className="muted")]
    return [html.Ul(items, className="memberships")]
