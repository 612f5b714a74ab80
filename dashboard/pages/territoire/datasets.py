"""The tables behind "Mes programmes": the programmes a territory belongs to, and for each of
their indicators the territory over time beside the median of the programme's other members, its
département and the territories of the same type (the plan's typology, ``indicators``' labels)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.context import db_session
from dashboard.datasets import SERIES_COLUMNS
from dashboard.programmes import programme_spans
from dashboard.routes.exports import register_dataset
from indicators.catalogue import Indicator
from indicators.territories.set_store import sets_of
from indicators.territories.typology import TYPOLOGY_LABELS

# the comparisons of a mini-chart, in drawing order after the territory itself
MEMBERS = "membres"
DEPARTEMENT = "departement"
SAME_TYPE = "type"
COMPARISONS = (MEMBERS, DEPARTEMENT, SAME_TYPE)


@dataclass(frozen=True)
class ProgrammeMembership:
    code: str
    label: str
    since: str | None  # dd/mm/yyyy, when the list says


@by_data_version
def territory_programmes(territory: str) -> list[ProgrammeMembership]:
    """The catalogue's programmes whose member list names ``territory``."""
    by_set = {p.membership_set: p for p in readers.catalogue().programmes.values()}
    with db_session() as session:
        memberships = sets_of(session, territory)
    found = []
    for membership in memberships:
        programme = by_set.get(membership.slug)
        if membership.kind == "programme" and programme is not None:
            since = f"{membership.start:%d/%m/%Y}" if membership.start else None
            found.append(ProgrammeMembership(programme.code, programme.label, since))
    return found


def programme_indicators_at(programme: str, level: str) -> list[Indicator]:
    """The programme's indicators published at the territory's level, in catalogue order."""
    return [
        indicator
        for indicator in readers.catalogue().indicators_for_programme(programme)
        if level in {lvl.value for lvl in indicator.levels}
    ]


def other_members(programme: str, territory: str) -> tuple[str, ...]:
    """The programme's members of the territory's level, the territory itself left out."""
    level = territory.split(":", 1)[0]
    return tuple(
        sorted(
            {span.territory for span in programme_spans(programme) if span.level == level}
            - {territory}
        )
    )


def _series(label: str, code: str, comparison: str, values: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "serie": label,
            "code": code,
            "periode": values["period"],
            "valeur": values["value"].astype(float),
            "statut": values["status"],
            "nature": "valeur",
            "comparaison": comparison,
            "territoires": values.get("reported", pd.Series(1, index=values.index)),
        }
    )


COMPARISON_COLUMNS = [*SERIES_COLUMNS, "comparaison", "territoires"]


def members_median(indicator: str, members: tuple[str, ...]) -> pd.DataFrame:
    """Period by period, the median of the members that reported (and how many did)."""
    values = readers.values_over_time_of_many(indicator, members)
    ok = values[values["status"] == "ok"]
    if ok.empty:
        return pd.DataFrame(columns=["period", "value", "status", "reported"])
    grouped = ok.groupby("period")["value"]
    return pd.DataFrame(
        {
            "period": grouped.median().index,
            "value": grouped.median().to_numpy(),
            "status": "ok",
            "reported": grouped.count().to_numpy(),
        }
    )


def programme_comparison_dataset(programme: str, indicator: str, territory: str) -> pd.DataFrame:
    """One indicator of a programme over time: the territory (``comparaison`` empty), then the
    comparisons that have values. Absent comparisons have no row: the page says so in words."""
    referential = readers.referential()
    place = referential.territory(territory)
    definition = readers.catalogue().indicators[indicator]
    frames = [_series(place.name, territory, "", readers.values_over_time(indicator, territory))]
    members = other_members(programme, territory)
    median = members_median(indicator, members)
    frames.append(_series("Médiane des autres membres", f"PRG:{programme}", MEMBERS, median))
    departement = f"DEP:{place.departement}" if place.departement else None
    # a count beside its département's total says nothing: départements for rates and means
    if departement and definition.aggregation.value != "sum" and departement in referential:
        frames.append(
            _series(
                referential.name(departement),
                departement,
                DEPARTEMENT,
                readers.values_over_time(indicator, departement),
            )
        )
    typology = readers.typology_of(territory)
    if typology:
        frames.append(
            _series(
                f"Médiane, même type ({TYPOLOGY_LABELS[typology]})",  # type: ignore[index]
                f"MED:{typology}",
                SAME_TYPE,
                readers.values_over_time(indicator, f"MED:{typology}"),
            )
        )
    drawn = [f[f["statut"] == "ok"] for f in frames]
    kept = [f for f in drawn if not f.empty]
    if not kept:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    table = pd.concat(kept, ignore_index=True)[COMPARISON_COLUMNS]
    return table.sort_values("periode", kind="stable").reset_index(drop=True)


PROGRAMME_PARAMS = ("programme", "indicateur", "territoire")
register_dataset(
    "territoire-programme", programme_comparison_dataset, PROGRAMME_PARAMS, PROGRAMME_PARAMS
)
