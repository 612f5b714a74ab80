"""The indicator page's tables over time: France and the three size classes with the
targets, and how many territories reported at each period. Registered as exports."""

from __future__ import annotations

import pandas as pd

from dashboard import readers
from dashboard.cache import by_data_version
from dashboard.context import db_session
from dashboard.datasets import target_frame
from dashboard.pages.indicateur.datasets import indicator
from dashboard.routes.exports import register_dataset
from indicators.catalogue import Indicator
from indicators.precompute.coverage import coverage_over_time
from indicators.precompute.scope import base_level
from indicators.territories import TYPOLOGY_NAMES

# --- Trend: France and the three size classes, with the targets ---------------------------------

# the coverage columns say what a France total rests on (k of n territories reported)
TREND_COLUMNS = [
    "serie",
    "code",
    "periode",
    "valeur",
    "statut",
    "nature",
    "territoires_renseignes",
    "territoires_attendus",
]
TREND_GROUPS = [("France", "FR")] + [
    (name[0].upper() + name[1:], f"TYPE:{typology}") for typology, name in TYPOLOGY_NAMES.items()
]


def target_name(scope: str) -> str | None:
    """The name of a target's series on the national chart; ``None`` when it concerns one
    territory (shown in the targets table, not on this chart)."""
    if scope == "all":
        return "Cible (chaque territoire)"
    if scope == "FR":
        return "Cible — France"
    if scope in TYPOLOGY_NAMES:
        return f"Cible — {TYPOLOGY_NAMES[scope]}"
    return None


def target_series(scope: str) -> str | None:
    """The series a target applies to on the national chart (``None``: every territory)."""
    groups = {group: label for label, group in TREND_GROUPS}
    return groups.get("FR" if scope == "FR" else f"TYPE:{scope}")


def national_trend_dataset(code: str) -> pd.DataFrame:
    """France and the typology classes over time (only what has values), then the targets that
    apply to them (every territory, France, or one class), milestones included."""
    definition = indicator(code)
    frames = []
    for label, group in TREND_GROUPS:
        values = readers.values_over_time(code, group)
        if values.empty:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "serie": label,
                    "code": group,
                    "periode": values["period"],
                    "valeur": values["value"].astype(float),
                    "statut": values["status"],
                    "nature": "valeur",
                    "territoires_renseignes": values["reported"],
                    "territoires_attendus": values["expected"],
                }
            )
        )
    for target in definition.targets:
        name = target_name(target.scope)
        if name is None:
            continue
        frames.append(target_frame(name, target))
    if not frames:
        return pd.DataFrame(columns=TREND_COLUMNS)
    table = pd.concat(frames, ignore_index=True).reindex(columns=TREND_COLUMNS)
    table = table.astype({"territoires_renseignes": "Int64", "territoires_attendus": "Int64"})
    return table.sort_values("periode", kind="stable").reset_index(drop=True)


# --- Coverage: k of n territories per period, over France ---------------------------------------

COVERAGE_COLUMNS = [
    "periode",
    "renseignes",
    "secret",
    "sans_objet",
    "manquants",
    "attendus",
    "taux_couverture",
]


@by_data_version
def _coverage(code: str) -> pd.DataFrame:
    with db_session() as session:
        return coverage_over_time(session, code, "FR")


def coverage_dataset(code: str) -> pd.DataFrame:
    """Per period, how many territories of the indicator's base level reported a value over all
    of France, how many are secret, not applicable or missing (no row counts as missing)."""
    indicator(code)
    frame = _coverage(code)
    if frame.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    expected = frame["expected"]
    known = frame["reported"] + frame["n_secret"] + frame["n_not_applicable"]
    return pd.DataFrame(
        {
            "periode": frame["period"],
            "renseignes": frame["reported"],
            "secret": frame["n_secret"],
            "sans_objet": frame["n_not_applicable"],
            "manquants": (expected - known).clip(lower=0),
            "attendus": expected,
            "taux_couverture": (100 * frame["reported"] / expected.where(expected > 0)).round(1),
        }
    )[COVERAGE_COLUMNS]


def coverage_level(definition: Indicator) -> str:
    """The level whose territories the coverage counts: the indicator's finest one."""
    return base_level(definition.levels).value


register_dataset("indicateur-evolution", national_trend_dataset, ("indicateur",), ("indicateur",))
register_dataset("indicateur-couverture", coverage_dataset, ("indicateur",), ("indicateur",))
