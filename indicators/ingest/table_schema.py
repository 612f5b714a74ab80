"""The long upload format as a Frictionless Table Schema (issue #14), built from the catalogue.

Partners and their tools (``frictionless validate``, Validata, spreadsheets with schema support)
check a file against ``/schemas/valeurs.json`` before sending it. The schema says what
:mod:`.layouts` reads for the long layout: its French column names, the base indicators of the
catalogue, the territory and period forms :mod:`indicators.territories.codes` and
:mod:`.period_formats` accept, numbers with a decimal comma, and the cell words that stand for a
missing, secret or not-applicable value. What a Table Schema cannot say (an indicator's levels,
periodicity and valid range) stays the ingest's check and is named in each field's description.
"""

from __future__ import annotations

from typing import Any, Final

from indicators.catalogue import Catalogue, Kind
from indicators.ingest.numbers import DEFAULT_MISSING, DEFAULT_NOT_APPLICABLE, DEFAULT_SECRET
from indicators.ingest.words import VALUE_TYPES

SCHEMA_NAME: Final = "valeurs"
# canonical forms first, then the variants the ``auto`` period format reads
PERIOD_PATTERN: Final = (
    r"[0-9]{4}(-S[12]|-T[1-4]|-(0[1-9]|1[0-2]))?"
    r"|[TQ][1-4] [0-9]{4}|[0-9]{4}Q[1-4]|S[12] [0-9]{4}|(0[1-9]|1[0-2])/[0-9]{4}"
)
# typed codes, plain codes (zeros lost or not, Corsica), D/R prefixes, France
TERRITORY_PATTERN: Final = (
    r"FR|(COM|EPCI|DEP|REG):[0-9AB]{2,9}|[0-9]{1,9}|[0-9]{1,3}[AB][0-9]{0,3}|[DR][0-9][0-9AB]?"
)
STATUS_WORDS: Final = ("ok", "manquant", "sans objet", "secret", "retiré")


def _cases(words: frozenset[str]) -> list[str]:
    """The tokens as written: upper and lower case (a Table Schema compares exactly)."""
    return sorted({form for word in words for form in (word, word.lower())})


def long_format_schema(catalogue: Catalogue) -> dict[str, Any]:
    """The Table Schema descriptor (a JSON-ready dict) of the long format for ``catalogue``."""
    indicators = [code for code, i in catalogue.indicators.items() if i.kind is Kind.BASE]
    missing = ["", *_cases(DEFAULT_MISSING - {""})]
    no_number = _cases(DEFAULT_SECRET | DEFAULT_NOT_APPLICABLE)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": SCHEMA_NAME,
        "title": "Valeurs d'indicateurs — format long",
        "description": (
            "Une ligne par indicateur, territoire, période (et type de valeur) ; séparateur « ; » "
            "ou « , », UTF-8 ou Windows-1252. Un même indicateur, territoire, période et type "
            "de valeur ne figure qu'une fois. Les niveaux de publication, la périodicité et "
            "l'intervalle valide de chaque indicateur sont ceux du catalogue "
            "(« suivi catalogue list --format json »)."
        ),
        "fields": [
            {
                "name": "indicateur",
                "type": "string",
                "title": "Code de l'indicateur",
                "description": "Code d'un indicateur de base du catalogue (les indicateurs "
                "calculés ne se chargent pas : on charge leurs composantes).",
                "constraints": {"required": True, "enum": indicators},
            },
            {
                "name": "territoire",
                "type": "string",
                "title": "Code du territoire",
                "description": "Code officiel géographique : commune (01001, 2A004), SIREN "
                "d'EPCI, département (01, 1, 2A, 971), région (84), FR ; ou code typé "
                "(COM:75056, DEP:2A, REG:84) qui lève toute ambiguïté.",
                "constraints": {"required": True, "pattern": TERRITORY_PATTERN},
            },
            {
                "name": "periode",
                "type": "string",
                "title": "Période",
                "description": "2025 (année), 2025-S1 (semestre), 2025-T3 (trimestre), "
                "2025-07 (mois) ; aussi T3 2025, 2025Q3, S1 2025, 07/2025. La période a la "
                "périodicité de l'indicateur (une référence ou une cible peut être plus longue).",
                "constraints": {"required": True, "pattern": PERIOD_PATTERN},
            },
            {
                "name": "valeur",
                "type": "number",
                "title": "Valeur",
                "description": "Nombre, virgule décimale, espace entre milliers admis (12,5 ; "
                "1 234,5). Vide ou NA : manquant ; s : secret ; so : sans objet.",
                "decimalChar": ",",
                "groupChar": " ",
                "bareNumber": True,
            },
            {
                "name": "type_valeur",
                "type": "string",
                "title": "Type de valeur",
                "description": "valeur (défaut), reference ou cible.",
                "constraints": {"enum": list(VALUE_TYPES)},
            },
            {
                "name": "statut",
                "type": "string",
                "title": "Statut",
                "description": "Facultatif : ok, manquant, sans objet, secret ou retiré ; il "
                "l'emporte sur la valeur.",
                "constraints": {"enum": list(STATUS_WORDS)},
            },
            {
                "name": "commentaire",
                "type": "string",
                "title": "Commentaire",
                "description": "Facultatif, conservé avec la valeur.",
            },
        ],
        "missingValues": missing + no_number,
        # Table Schema v2: a file may leave out the optional columns (type_valeur, statut,
        # commentaire) and order them as it likes; a required one missing is still an error
        "fieldsMatch": "partial",
    }
