"""The action plan's territory typology by population.

Three classes, with bounds chosen so that the plan's own wording holds literally:

- ``moins_20k``: population < 20 000 ("communes rurales et petites villes");
- ``20k_100k``: 20 000 <= population <= 100 000 ("villes moyennes") — both bounds belong here,
  because the plan writes "< 20 000" and "> 100 000" for the other two classes;
- ``plus_100k``: population > 100 000 ("grandes villes et métropoles").

A commune is classed by its legal population; a municipal arrondissement by its commune. An EPCI
is classed by its *ville-centre* (its most populous commune), see :func:`ville_centre`.
Départements, régions and France have no class (``None``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

import pandas as pd

from .referential import Referential, typed_code

TypologyClass = Literal["moins_20k", "20k_100k", "plus_100k"]

TYPOLOGY_CLASSES: Final[tuple[TypologyClass, ...]] = ("moins_20k", "20k_100k", "plus_100k")
# The one vocabulary for territory types (issue #16): every page and sentence reads these three
# forms, so that "< 20 000 hab." on one page is "territoires de moins de 20 000 hab." on the next.
# The short label, for filters, legends and table cells.
TYPOLOGY_LABELS: Final[Mapping[TypologyClass, str]] = MappingProxyType(
    {
        "moins_20k": "< 20 000 hab.",
        "20k_100k": "20 000 – 100 000 hab.",
        "plus_100k": "> 100 000 hab.",
    }
)
# The plural phrase, after "Médiane des", "Cible —" or as a drop-down choice.
TYPOLOGY_NAMES: Final[Mapping[TypologyClass, str]] = MappingProxyType(
    {
        "moins_20k": "territoires de moins de 20 000 hab.",
        "20k_100k": "territoires de 20 000 à 100 000 hab.",
        "plus_100k": "territoires de plus de 100 000 hab.",
    }
)
# The sentence form, in words: "Dans les territoires test de moins de 20 000 habitants, …". The
# catalogue's ``TerritoryType.label`` says the same (it may not import this module: the layer
# contract keeps catalogue and territories apart); a test holds the two equal.
TYPOLOGY_WORDS: Final[Mapping[TypologyClass, str]] = MappingProxyType(
    {
        "moins_20k": "de moins de 20 000 habitants",
        "20k_100k": "de 20 000 à 100 000 habitants",
        "plus_100k": "de plus de 100 000 habitants",
    }
)
SMALL_TOWN_MAX: Final = 20_000  # exclusive upper bound of "moins_20k"
LARGE_CITY_MIN: Final = 100_000  # exclusive lower bound of "plus_100k"


def typology_of_population(population: int) -> TypologyClass:
    if population < SMALL_TOWN_MAX:
        return "moins_20k"
    if population <= LARGE_CITY_MIN:
        return "20k_100k"
    return "plus_100k"


def ville_centre(referential: Referential, epci_code: str) -> str | None:
    """Typed code of the EPCI's most populous member commune (ties: smallest code).

    The plan's three classes describe *places* (rural areas and small towns, medium towns, large
    cities), not institutions: a communauté de communes of 40 villages totalling 25 000
    inhabitants is rural, and would wrongly read as a medium town by its total population. The
    largest commune is the town the EPCI is organised around, so it carries the class.
    """
    best: tuple[int, str] | None = None
    for code in referential.children(epci_code, "COM"):
        population = referential.territory(code).population
        if population is None:
            continue
        candidate = (-population, code)
        if best is None or candidate < best:
            best = candidate
    return best[1] if best else None


def typology_of(referential: Referential, code: str) -> TypologyClass | None:
    """Class of a typed code, ``None`` for levels without one or unknown populations."""
    territory = referential.territory(code)
    if territory.level == "ARM" and territory.commune:
        territory = referential.territory(typed_code("COM", territory.commune))
    if territory.level == "EPCI":
        centre = ville_centre(referential, code)
        if centre is None:
            return None
        territory = referential.territory(centre)
    if territory.level != "COM" or territory.population is None:
        return None
    return typology_of_population(territory.population)


def typology_frame(referential: Referential) -> pd.DataFrame:
    """Every commune and EPCI with its class: columns ``code``, ``level``, ``typology``,
    ``population_used`` (the population that decided), ``ville_centre`` (EPCI only)."""
    communes = referential.tables["communes"]
    population = pd.to_numeric(communes["population"], errors="coerce")
    commune_rows = pd.DataFrame(
        {
            "code": "COM:" + communes["code"],
            "level": "COM",
            "population_used": population,
            "ville_centre": None,
        }
    )
    # the idxmax per EPCI is the ville-centre; ties resolved by code order (sorted first)
    members = pd.DataFrame(
        {"epci": communes["epci"], "code": communes["code"], "population": population}
    )
    members = members[(members["epci"] != "") & members["population"].notna()]
    members = members.sort_values(["epci", "population", "code"], ascending=[True, False, True])
    centres = members.drop_duplicates("epci")
    epci_rows = pd.DataFrame(
        {
            "code": "EPCI:" + centres["epci"],
            "level": "EPCI",
            "population_used": centres["population"],
            "ville_centre": "COM:" + centres["code"],
        }
    )
    frame = pd.concat([commune_rows, epci_rows], ignore_index=True)
    frame["typology"] = [
        None if pd.isna(value) else typology_of_population(int(value))
        for value in frame["population_used"]
    ]
    return frame[["code", "level", "typology", "population_used", "ville_centre"]]
