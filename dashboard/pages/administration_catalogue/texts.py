"""The French sentences of ``/administration/catalogue``."""

from __future__ import annotations

from typing import Final

from dashboard.formatting import plural

TITLE: Final = "Administration du catalogue"
ADMIN_ONLY: Final = "L'administration du catalogue est réservée aux administrateurs."
INTRO: Final = (
    "Créez ou modifiez un partenaire, une mesure ou un indicateur. Chaque définition est vérifiée "
    "par les mêmes règles que « suivi catalogue check » ; enregistrée, elle est en service "
    "aussitôt, gardée en base de données à côté des fichiers du catalogue, et « suivi catalogue "
    "export » l'écrit en fichiers. Modifier un indicateur crée une nouvelle version datée de sa "
    "définition : les précédentes restent, et chaque valeur calculée nomme la sienne."
)
KIND_TITLES: Final = {
    "partner": ("Partenaires", "Nouveau partenaire"),
    "measure": ("Mesures", "Nouvelle mesure"),
    "indicator": ("Indicateurs", "Nouvel indicateur"),
}
# a list longer than this scrolls inside its frame: said beside its count
SCROLLS_AFTER: Final = 12


def list_count(kind: str, count: int) -> str:
    """« 44 indicateurs — la liste défile », « 3 partenaires »."""
    counted = plural(count, KIND_NAMES[kind])
    return f"{counted} — la liste défile" if count > SCROLLS_AFTER else counted


# the kind in the address (French) and in the catalogue (English)
QUERY_KINDS: Final = {"partenaire": "partner", "mesure": "measure", "indicateur": "indicator"}
KIND_QUERY: Final = {kind: word for word, kind in QUERY_KINDS.items()}
KIND_NAMES: Final = {"partner": "partenaire", "measure": "mesure", "indicator": "indicateur"}
SAVE: Final = "Enregistrer"
BACK: Final = "Retour à la liste"
NOT_FOUND: Final = "Aucun {kind} « {code} » dans le catalogue : choisissez-le dans la liste."
ERRORS_TITLE: Final = "Rien n'a été enregistré : corrigez ces points."
ELSEWHERE: Final = "Dans le reste du catalogue"
CREATED: Final = "{Kind} « {code} » créé : il est en service."
CHANGED: Final = "{Kind} « {code} » enregistré : la nouvelle définition est en service."
VERSION: Final = " Nouvelle version de la définition : n°{version}."
ALREADY_EXISTS: Final = "{kind} « {code} » existe déjà : modifiez-le depuis la liste"
KEPT: Final = (
    "Valeur de référence : conservée telle quelle à l'enregistrement (elle se modifie dans les "
    "fichiers du catalogue)."
)
TARGETS_HINT: Final = (
    "une par ligne : portée ; période ; valeur, puis si besoin ; jalons 2025=70 2025-T4=75 "
    "et ; cumulée — ex. moins_20k ; 2026 ; 80"
)
TARGET_SHAPE: Final = (
    "ligne {line} des cibles : attendu « portée ; période ; valeur » (ex. all ; 2026 ; 80)"
)
TARGET_EXTRA: Final = (
    "ligne {line} des cibles : « {part} » non compris (attendu « jalons PÉRIODE=VALEUR … » ou "
    "« cumulée »)"
)
MILESTONE_SHAPE: Final = "ligne {line} des cibles : jalon « {part} » à écrire PÉRIODE=VALEUR"
TARGET_NUMBER: Final = (
    "ligne {line} des cibles : valeur « {value} » illisible (un nombre, ex. 12,5)"
)
VERSIONS_TITLE: Final = "Versions de la définition"
NO_VERSION: Final = "Pas encore de version en base : lancez « suivi init »."
HISTORY_TITLE: Final = "Enregistrements sur ces pages"
NO_HISTORY: Final = "Jamais modifié en ligne : la définition est celle des fichiers."
FIRST_VERSION: Final = "première version"
