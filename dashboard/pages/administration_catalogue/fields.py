"""The fields of the three forms of ``/administration/catalogue`` (partner, measure, indicator),
each named by its key in the catalogue files, their lists filled from the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from dashboard.pages.administration_catalogue import texts
from indicators.catalogue import (
    POPULATION_WEIGHT,
    UNIT_FACTORS,
    Aggregation,
    Catalogue,
    ChainLevel,
    Direction,
    Kind,
    Level,
    PartnerKind,
    Periodicity,
    TerritoryType,
)

YES: Final = "oui"
LAST_MILE: Final = ((YES, "mesure le « dernier kilomètre »"),)
AT_LEAST_ONE: Final = "au moins une mesure ou un programme"


@dataclass(frozen=True)
class Field:
    key: str  # a key of the file's table (range_min/range_max: the two bounds of ``range``)
    label: str
    widget: str  # text, textarea, select, number, checklist, flag
    options: tuple[tuple[str, str], ...] = ()  # (value, French label)
    required: bool = True
    hint: str = ""

    @property
    def error_key(self) -> str | None:
        """The key whose errors show under this field (the bounds share ``range``'s, below
        the second one)."""
        return {"range_min": None, "range_max": "range"}.get(self.key, self.key)


def _choices(enum: Any) -> tuple[tuple[str, str], ...]:
    return tuple((member.value, f"{member.label} ({member.value})") for member in enum)


def fields(kind: str, catalogue: Catalogue) -> list[Field]:
    """The form of ``kind``, its lists filled from ``catalogue``."""
    themes = tuple((code, theme.label) for code, theme in catalogue.themes.items())
    partners = tuple((code, f"{p.name} ({code})") for code, p in catalogue.partners.items())
    indicators = tuple((code, f"{code} — {i.label}") for code, i in catalogue.indicators.items())
    if kind == "partner":
        return [
            Field("code", "Code", "text", hint="majuscules, chiffres et _ (ex. DITP)"),
            Field("name", "Nom", "text"),
            Field("kind", "Nature", "select", _choices(PartnerKind)),
            Field("description", "Description", "textarea", required=False),
            Field("website", "Site web", "text", required=False),
        ]
    if kind == "measure":
        return [
            Field("code", "Code", "text", hint="M suivi d'un numéro (ex. M3)"),
            Field("label", "Intitulé", "text"),
            Field("description", "Description", "textarea"),
            Field("theme", "Thème", "select", themes),
            Field("test_set", "Ensemble des territoires test", "text", hint="ex. test-m3"),
            Field("start_date", "Date de lancement", "text", hint="AAAA-MM-JJ"),
            Field(
                "territory_types",
                "Types de territoires visés",
                "checklist",
                _choices(TerritoryType),
            ),
            Field("headline_indicator", "Indicateur phare", "select", indicators),
        ]
    operands = (("", "—"), *indicators)
    measures = tuple((code, f"{code} — {m.label}") for code, m in catalogue.measures.items())
    programmes = tuple((code, f"{code} — {p.label}") for code, p in catalogue.programmes.items())
    return [
        Field("code", "Code", "text", hint="majuscules, chiffres et _ (ex. ACC_FS_DIST)"),
        Field("label", "Libellé", "text"),
        Field("description", "Description", "textarea"),
        Field("theme", "Thème", "select", themes),
        Field("partner", "Partenaire producteur", "select", partners),
        Field("unit", "Unité", "select", tuple((unit, unit) for unit in UNIT_FACTORS)),
        Field("factor", "Facteur", "number", required=False, hint="déduit de l'unité si vide"),
        Field("direction", "Sens souhaité", "select", _choices(Direction)),
        Field("kind", "Nature", "select", _choices(Kind)),
        Field("formula", "Formule", "text", required=False, hint="indicateur calculé seulement"),
        Field("aggregation", "Agrégation", "select", _choices(Aggregation)),
        Field("numerator", "Numérateur", "select", operands, required=False, hint="ratio"),
        Field("denominator", "Dénominateur", "select", operands, required=False, hint="ratio"),
        Field(
            "weight",
            "Poids",
            "select",
            (("", "—"), (POPULATION_WEIGHT, "population"), *indicators),
            required=False,
            hint="moyenne pondérée",
        ),
        Field("periodicity", "Périodicité", "select", _choices(Periodicity)),
        Field("publication_lag_months", "Délai de publication (mois)", "number"),
        Field("levels", "Niveaux publiés", "checklist", _choices(Level)),
        Field("chain_level", "Chaîne des résultats", "select", _choices(ChainLevel)),
        Field("last_mile", "Dernier kilomètre", "flag", LAST_MILE, required=False),
        Field("measures", "Mesures", "checklist", measures, required=False),
        Field(
            "programmes", "Programmes", "checklist", programmes, required=False, hint=AT_LEAST_ONE
        ),
        Field("range_min", "Valeur minimale", "number", required=False),
        Field("range_max", "Valeur maximale", "number", required=False),
        Field("target", "Cibles", "textarea", required=False, hint=texts.TARGETS_HINT),
        Field("source", "Source", "text"),
        Field("licence", "Licence", "text"),
    ]
