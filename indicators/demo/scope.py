"""The territories that receive demo values, read from the referential already in the database.

The default scope is seven régions (about 3,850 communes), which keeps the whole build within a
minute; ``"france"`` takes every commune (benchmarks), and a list of région codes any subset
(tests use Corse and the three smallest overseas régions).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.store.models import Territory
from indicators.territories.typology import TYPOLOGY_CLASSES, typology_of_population

# Île-de-France, Bretagne, Provence-Alpes-Côte d'Azur, Corse, Guadeloupe, Martinique, La Réunion.
DEMO_REGIONS: Final = ("11", "53", "93", "94", "01", "02", "04")
LEVELS: Final = ("COM", "EPCI", "DEP")
TYPE_INDEX: Final = {name: index for index, name in enumerate(TYPOLOGY_CLASSES)}

Scope = str | Collection[str]


def scope_regions(scope: Scope) -> tuple[str, ...] | None:
    """Région codes of the scope (``None``: all of France)."""
    if scope == "regions":
        return DEMO_REGIONS
    if scope == "france":
        return None
    if isinstance(scope, str):
        raise ValueError(
            f"périmètre inconnu « {scope} » : attendu « regions », « france » "
            "ou une liste de codes de région"
        )
    codes = tuple(sorted({code.removeprefix("REG:") for code in scope}))
    if not codes:
        raise ValueError("périmètre vide : donnez au moins un code de région")
    return codes


@dataclass(frozen=True)
class Territories:
    """One frame per level (``COM``, ``EPCI``, ``DEP``), sorted by code, with the columns
    ``code``, ``population`` (float), ``type`` (0, 1, 2 for moins_20k, 20k_100k, plus_100k),
    ``epci``, ``departement``, ``region`` ("" when unknown)."""

    regions: tuple[str, ...] | None
    frames: dict[str, pd.DataFrame]

    def at(self, level: str) -> pd.DataFrame:
        return self.frames[level]

    @property
    def communes(self) -> pd.DataFrame:
        return self.frames["COM"]


def load_territories(session: Session, regions: tuple[str, ...] | None) -> Territories:
    query = select(
        Territory.code,
        Territory.level,
        Territory.population,
        Territory.typology,
        Territory.epci_code,
        Territory.departement_code,
        Territory.region_code,
    ).where(Territory.level.in_(LEVELS))
    if regions is not None:
        query = query.where(Territory.region_code.in_([f"REG:{code}" for code in regions]))
    rows = pd.DataFrame(
        session.execute(query.order_by(Territory.code)).all(),
        columns=["code", "level", "population", "typology", "epci", "departement", "region"],
    )
    if (rows["level"] == "COM").sum() == 0:
        raise ValueError(
            "aucune commune dans le périmètre : le référentiel est-il chargé (« suivi init ») ?"
        )
    rows["population"] = rows["population"].fillna(0).astype("float64")
    # Départements have no class of the plan; their population puts them among the large ones.
    typology = rows["typology"].where(
        rows["typology"].notna(),
        rows["population"].map(lambda p: typology_of_population(int(p))),
    )
    rows["type"] = typology.map(TYPE_INDEX).astype(np.int8)
    rows[["epci", "departement", "region"]] = rows[["epci", "departement", "region"]].fillna("")
    columns = ["code", "population", "type", "epci", "departement", "region"]
    frames = {
        level: rows.loc[rows["level"] == level, columns].reset_index(drop=True) for level in LEVELS
    }
    return Territories(regions, frames)
