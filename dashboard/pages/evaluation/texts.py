"""The evaluation page's French labels and sentences."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from indicators.catalogue import Measure
from indicators.evaluation.reading import SCOPE_LABELS

ALL_TYPES = "tous"
ALL_TYPES_LABEL = "Tous les types"

# the typology's own labels (``indicators.territories.TYPOLOGY_LABELS``), one vocabulary
TYPE_LABELS = {code: label for code, label in SCOPE_LABELS.items() if code != "ensemble"}


def type_choices(measure: Measure | None) -> dict[str, str]:
    """ "Tous les types", then only the types the measure targets (the catalogue's
    ``territory_types``), in the typology's order."""
    targeted = {str(kind) for kind in measure.territory_types} if measure else set(TYPE_LABELS)
    return {ALL_TYPES: ALL_TYPES_LABEL} | {
        code: label for code, label in TYPE_LABELS.items() if code in targeted
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

# term -> (anchor id, definition); linked where each term appears on the page
GLOSSARY = {
    "IC 95 %": (
        "glossaire-ic",
        "Intervalle de confiance à 95 % : les valeurs de l'effet compatibles avec les données. "
        "S'il ne contient pas zéro, l'effet est dit significatif. Un intervalle de largeur "
        "nulle (borne basse = borne haute) ne mesure aucune incertitude : trop peu de données, "
        "l'effet n'est alors pas tenu pour significatif.",
    ),
    "Effet significatif": (
        "glossaire-significatif",
        "L'intervalle de confiance exclut zéro : l'écart entre territoires test et témoins "
        "a peu de chances d'être dû au hasard (seuil de 5 %).",
    ),
    "Tendances préalables": (
        "glossaire-tendances",
        "Avant la mesure, territoires test et témoins évoluaient-ils de la même façon ? Le "
        "test (p) le vérifie : un p inférieur à 0,05 signale des évolutions déjà différentes, "
        "et une estimation peut-être biaisée.",
    ),
    "Écart standardisé": (
        "glossaire-ecart",
        "Différence entre territoires test et témoins sur une caractéristique (population, "
        "niveau ou tendance avant la mesure), divisée par sa dispersion. Au-delà de 0,25, "
        "les deux groupes se ressemblent mal.",
    ),
    "Épingler": (
        "glossaire-epingler",
        "Imposer un territoire comme témoin. L'exclure l'écarte des témoins. Chaque choix "
        "crée une nouvelle version du plan d'évaluation.",
    ),
    "Empreinte": (
        "glossaire-empreinte",
        "Code calculé (SHA-256) à partir des données et des résultats d'un rapport figé : "
        "« suivi evaluation verify » le recalcule pour prouver que rien n'a changé.",
    ),
    "Étude d'événement": (
        "glossaire-etude",
        "L'écart test − témoins période par période, avant et après le début de la mesure. "
        "Avant le début (périodes négatives), il devrait rester proche de zéro.",
    ),
    "Territoire témoin": (
        "glossaire-temoin",
        "Territoire semblable (même type, population et évolution proches) qui ne bénéficie "
        "pas de la mesure : il montre ce qui se serait passé sans elle.",
    ),
}


def glossary_anchor(term: str) -> str:
    return GLOSSARY[term][0]


# what each count counts, said where the count appears (issue #16)
COUNT_NOTES = {
    "plan": (
        "Territoires du plan d'évaluation, à tous les niveaux (communes et EPCI), qu'ils aient "
        "ou non des données."
    ),
    "estimates": (
        "Unités test / témoins : territoires du plan qui ont des valeurs exploitables pour "
        "l'indicateur, à son niveau de publication — souvent moins que les territoires du plan."
    ),
    "territories": (
        "Territoires du plan, à tous les niveaux, par type ; le type filtré ne garde que les siens."
    ),
    "map": "La carte ne montre que les communes du plan (les EPCI sont dans la liste).",
}


def event_study_summary(frame: pd.DataFrame, label: str) -> str:
    usable = frame.dropna(subset=["estimate"])
    if usable.empty:
        return f"Pas d'étude d'événement disponible pour « {label} »."
    pre = usable[usable["event_time"] < 0]
    post = usable[usable["event_time"] >= 0]

    def outside(part: pd.DataFrame) -> int:
        # an interval of zero width is no evidence (see indicators.evaluation.verdict)
        wide = part["ci_high"] > part["ci_low"]
        return int((wide & ((part["ci_low"] > 0) | (part["ci_high"] < 0))).sum())

    return (
        f"« {label} » : {len(pre)} périodes avant le début de la mesure, dont "
        f"{outside(pre)} s'écartent nettement de zéro, et {len(post)} périodes après, dont "
        f"{outside(post)} s'écartent nettement de zéro (intervalle à 95 %)."
    )


def effects_by_type_summary(frame: pd.DataFrame, label: str) -> str:
    usable = frame.dropna(subset=["estimate"])
    if usable.empty:
        return f"Aucun effet estimé par type de territoire pour « {label} »."
    parts = [f"{row.scope_label} : {row.verdict_label}" for row in usable.itertuples(index=False)]
    return f"« {label} », effet estimé par type de territoire — " + " ; ".join(parts) + "."


def territories_map_summary(counts: pd.DataFrame, regions: Sequence[str]) -> str:
    if counts.empty:
        return "Aucune commune à cartographier pour ce choix."
    test = int((counts["role"] == "test").sum())
    comparison = int((counts["role"] == "comparison").sum())
    where = ", ".join(regions)
    return (
        f"{_count(test, 'commune test', 'communes test')} et "
        f"{_count(comparison, 'commune témoin', 'communes témoins')}, une carte par région "
        f"({where}) ; les autres communes de leurs départements sont en blanc."
    )


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number < 2 else plural}"
