"""The evaluation page's French labels and sentences."""

from __future__ import annotations

import pandas as pd

from indicators.catalogue import TerritoryType
from indicators.evaluation.reading import SCOPE_LABELS

ALL_TYPES = "tous"


TYPE_CHOICES = {ALL_TYPES: "Tous les territoires"} | {
    str(item.value): SCOPE_LABELS.get(str(item.value), item.label).capitalize()
    for item in TerritoryType
}


ROLE_LABELS = {"test": "test", "comparison": "témoin"}


ESTIMATE_HEADERS = (
    "Indicateur",
    "Territoires",
    "Estimation",
    "IC 95 %",
    "Unités test / témoins",
    "Périodes (avant / après)",
    "Tendances préalables (p)",
    "Lecture",
)


def event_study_summary(frame: pd.DataFrame, label: str) -> str:
    usable = frame.dropna(subset=["estimate"])
    if usable.empty:
        return f"Pas d'étude d'événement disponible pour « {label} »."
    pre = usable[usable["event_time"] < 0]
    post = usable[usable["event_time"] >= 0]
    outside = lambda part: int(((part["ci_low"] > 0) | (part["ci_high"] < 0)).sum())  # noqa: E731
    return (
        f"« {label} » : {len(pre)} périodes avant le début de la mesure, dont "
        f"{outside(pre)} s'écartent nettement de zéro, et {len(post)} périodes après, dont "
        f"{outside(post)} s'écartent nettement de zéro (intervalle à 95 %)."
    )


def territories_map_summary(table: pd.DataFrame) -> str:
    if table.empty:
        return "Aucune commune à cartographier pour ce choix."
    test = int((table["valeur"] == 1).sum())
    comparison = int((table["valeur"] == 0).sum())
    places = len(set(table["origine"]))
    return (
        f"{test} communes test et {comparison} communes témoins, dans {places} départements ; "
        "les autres communes de ces départements sont en blanc."
    )
