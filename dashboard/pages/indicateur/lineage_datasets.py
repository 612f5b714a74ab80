"""The indicator page's provenance tables: the loads and computations behind a period's
numbers, and the stored versions of the definition. Registered as exports."""

from __future__ import annotations

import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.context import db_session
from dashboard.pages.indicateur.datasets import LEVEL_LABELS, indicator
from dashboard.routes.exports import register_dataset
from indicators.precompute.lineage import (
    computed_behind,
    indicator_versions,
    loads_behind,
    source_indicators,
)

# --- Lineage: the loads and the definition versions behind the numbers -------------------------

LOAD_COLUMNS = [
    "indicateur",
    "niveau",
    "chargement",
    "fichier",
    "utilisateur",
    "partenaire",
    "date",
    "valeurs",
]
COMPUTED_COLUMNS = ["version", "en_vigueur_depuis", "niveau", "valeurs", "calcule_le"]


@by_data_version
def _loads(codes: tuple[str, ...], period: str) -> pd.DataFrame:
    with db_session() as session:
        return loads_behind(session, codes, period)


@by_data_version
def _computed(code: str, period: str) -> pd.DataFrame:
    with db_session() as session:
        return computed_behind(session, code, period)


def lineage_loads_dataset(code: str, period: str) -> pd.DataFrame:
    """The loads whose values of ``period`` stand behind the numbers shown: the indicator's own
    uploads and, for a computed indicator, those of every indicator it is computed from."""
    indicator(code)
    codes = tuple(source_indicators(readers.catalogue(), code))
    frame = _loads(codes, period)
    if frame.empty:
        return pd.DataFrame(columns=LOAD_COLUMNS)
    return pd.DataFrame(
        {
            "indicateur": frame["indicator"],
            "niveau": frame["level"].map(lambda level: LEVEL_LABELS.get(level, level)),
            "chargement": frame["load_id"].astype("Int64"),
            "fichier": frame["filename"].fillna("—"),
            "utilisateur": frame["username"].fillna("—"),
            "partenaire": frame["partner"].fillna("—"),
            "date": frame["committed_at"],
            "valeurs": frame["values"],
        }
    )[LOAD_COLUMNS]


def lineage_computed_dataset(code: str, period: str) -> pd.DataFrame:
    """The pre-computed values of ``period`` by definition version and level."""
    indicator(code)
    frame = _computed(code, period)
    if frame.empty:
        return pd.DataFrame(columns=COMPUTED_COLUMNS)
    return pd.DataFrame(
        {
            "version": frame["version"].astype("Int64"),
            "en_vigueur_depuis": frame["valid_from"],
            "niveau": frame["level"].map(lambda level: LEVEL_LABELS.get(level, level)),
            "valeurs": frame["values"],
            "calcule_le": frame["computed_at"],
        }
    )[COMPUTED_COLUMNS]


def versions_table(code: str) -> pd.DataFrame:
    """Every stored version of the definition (read at each call: a few rows)."""
    indicator(code)
    with db_session() as session:
        return indicator_versions(session, code)


register_dataset(
    "indicateur-chargements",
    lineage_loads_dataset,
    ("indicateur", "periode"),
    ("indicateur", "periode"),
)
register_dataset(
    "indicateur-calculs",
    lineage_computed_dataset,
    ("indicateur", "periode"),
    ("indicateur", "periode"),
)
