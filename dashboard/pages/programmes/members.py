"""The programme's members over time and on a map, and the tables behind them (charts and
downloads call the same functions)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.context import db_session
from dashboard.datasets import OVERSEAS
from dashboard.formatting import format_period
from dashboard.programmes import STEPS, member_levels, programme, programme_spans
from dashboard.routes.exports import register_dataset
from indicators.periods import PeriodKind
from indicators.territories.set_history import (
    active_members,
    members_over_time,
)
from indicators.territories.set_store import set_provenance


@by_data_version
def _list_note(slug: str) -> str:
    with db_session() as session:
        provenance = set_provenance(session, slug)
    if provenance is None:
        return "Aucune liste de membres n'est chargée pour ce programme."
    parts = [text.rstrip(".") + "." for text in (provenance.description,) if text]
    if provenance.source:
        parts.append(f"Source : {provenance.source.rstrip('.')}.")
    return " ".join(parts) or "Liste de membres sans description."


def member_list_note(code: str) -> str:
    """Where the members come from, in French: the official list (its date, how entry dates
    were set) or a demonstration list invented by rules (Territoires d'industrie)."""
    return _list_note(programme(code).membership_set)


def chosen_level(code: str, level: str | None) -> str | None:
    levels = member_levels(programme_spans(code))
    if level in levels:
        return level
    return levels[0] if levels else None


HISTORY_COLUMNS = ["periode", "periode_libelle", "membres", "deja_membres", "entrees", "sorties"]


def members_history_dataset(
    code: str, level: str | None = None, step: str | None = None, today: date | None = None
) -> pd.DataFrame:
    """Members of one level at the end of each year (or semester), joinings and departures."""
    level = chosen_level(code, level)
    spans = [s for s in programme_spans(code) if s.level == level]
    if not spans:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    counts = members_over_time(spans, STEPS.get(step or "", PeriodKind.YEAR), today or date.today())
    return pd.DataFrame(
        {
            "periode": [c.period for c in counts],
            "periode_libelle": [format_period(c.period) for c in counts],
            "membres": [c.members for c in counts],
            "deja_membres": [max(c.members - c.joined, 0) for c in counts],
            "entrees": [c.joined for c in counts],
            "sorties": [c.left for c in counts],
        }
    )[HISTORY_COLUMNS]


DEPARTEMENT_COLUMNS = ["code", "code_officiel", "nom", "membres", "zone"]


COMMUNE_COLUMNS = [
    "code",
    "code_officiel",
    "nom",
    "membre",
    "code_membre",
    "territoire_membre",
    "membre_depuis",
    "zone",
]


def members_map_dataset(
    code: str, level: str | None = None, within: str | None = None, today: date | None = None
) -> pd.DataFrame:
    """Today's members on a map: per département (how many), or the communes of one
    département (which: a member commune, or a commune of a member intercommunalité)."""
    referential = readers.referential()
    level = chosen_level(code, level)
    day = today or date.today()
    members = {
        s.territory: s for s in active_members(programme_spans(code), day) if s.level == level
    }
    if within:
        if within not in referential or referential.territory(within).level != "DEP":
            raise KeyError(f"département inconnu : {within}")
        rows = []
        for commune in referential.children(within, "COM"):
            place = referential.territory(commune)
            via = commune if level == "COM" else f"EPCI:{place.epci}" if place.epci else ""
            span = members.get(via)
            rows.append(
                {
                    "code": commune,
                    "code_officiel": place.local_code,
                    "nom": place.name,
                    "membre": "oui" if span else "non",
                    "code_membre": via if span else "",
                    "territoire_membre": referential.name(via) if span else "",
                    "membre_depuis": span.start.isoformat() if span and span.start else "",
                    "zone": _zone(place.region),
                }
            )
        return pd.DataFrame(rows, columns=COMMUNE_COLUMNS)
    counts: dict[str, int] = {}
    for member in members:
        place = referential.get(member)
        if place is not None and place.departement:
            key = f"DEP:{place.departement}"
            counts[key] = counts.get(key, 0) + 1
    rows = [
        {
            "code": dep,
            "code_officiel": referential.territory(dep).local_code,
            "nom": referential.name(dep),
            "membres": counts.get(dep, 0),
            "zone": _zone(referential.territory(dep).region),
        }
        for dep in referential.codes("DEP")
    ]
    return pd.DataFrame(rows, columns=DEPARTEMENT_COLUMNS)


def _zone(region: str | None) -> str:
    return OVERSEAS.get(region or "", "metropole")


def departement_counts(code: str, level: str | None = None) -> dict[str, int]:
    """Département code -> members today, those with members first (most first)."""
    table = members_map_dataset(code, level)
    table = table.sort_values(["membres", "code_officiel"], ascending=[False, True], kind="stable")
    return dict(zip(table["code"], table["membres"].astype(int), strict=True))


register_dataset(
    "programme-membres",
    lambda code, level, step: members_history_dataset(programme(code).code, level, step),
    ("programme", "niveau", "pas"),
    ("programme",),
)


register_dataset(
    "programme-carte",
    lambda code, level, within: members_map_dataset(programme(code).code, level, within),
    ("programme", "niveau", "dans"),
    ("programme",),
)
