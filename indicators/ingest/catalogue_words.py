"""How the words of a published indicator-metadata table map to the catalogue's: which column
holds what (:data:`COLUMN_ALIASES`), units, periodicities, directions, levels, and the codes of
indicators and partners made from identifiers and names (``suivi catalogue import``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from indicators.catalogue import UNIT_FACTORS, Level, Periodicity
from indicators.catalogue.records import CODE_PATTERNS
from indicators.territories.folding import fold_identifier, strip_accents

# role -> folded column names, French and English, first match wins
COLUMN_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "code": ("idindicateur", "identifiant", "codeindicateur", "code", "id", "indicatorid",
             "indicatorcode", "identifier"),
    "label": ("indicateur", "libelle", "libelleindicateur", "nomindicateur", "nom", "intitule",
              "name", "label", "indicator", "indicatorname", "title", "titre"),
    "unit": ("unite", "unites", "unit", "units", "unitedemesure"),
    "periodicity": ("periodicite", "frequence", "periodicity", "frequency"),
    "direction": ("sens", "senssouhaite", "sensdevolution", "direction", "polarite", "polarity"),
    "description": ("description", "definition", "methodologie", "methode", "methodology"),
    "producer": ("producteur", "producer", "partenaire", "partner", "organisme", "fournisseur",
                 "ministere", "ministry"),
    "source": ("source", "sourcedesdonnees", "datasource"),
    "licence": ("licence", "license"),
    "measure": ("mesure", "measure", "codemesure"),
    "programme": ("programme", "program"),
    "theme": ("theme", "thematique", "secteur"),
    "levels": ("niveaux", "levels", "maille", "mailles", "niveaugeographique"),
}  # fmt: skip

_PERIODICITIES: Final = (
    (("annuel", "annuelle", "annual", "yearly", "an", "annee", "year"), Periodicity.ANNUAL),
    (("semestriel", "semestrielle", "semester", "semiannual", "biannual"), Periodicity.SEMESTER),
    (("trimestriel", "trimestrielle", "quarter", "quarterly"), Periodicity.QUARTER),
    (("mensuel", "mensuelle", "month", "monthly", "mois"), Periodicity.MONTH),
)
_DIRECTIONS: Final = (
    (
        (
            "hausse",
            "up",
            "augmentation",
            "croissant",
            "positif",
            "+",
            "alahausse",
            "increase",
            "higher",
            "higherisbetter",
        ),
        "up",
    ),
    (
        (
            "baisse",
            "down",
            "diminution",
            "decroissant",
            "negatif",
            "-",
            "alabaisse",
            "decrease",
            "lower",
            "lowerisbetter",
        ),
        "down",
    ),
    (("neutre", "neutral", "aucun", "none"), "neutral"),
)
_UNIT_WORDS: Final = (
    (("pourcent", "pourcentage", "taux", "part", "percent"), "%"),
    (("pourmille", "permille"), "‰"),
    (("euro", "euros", "eur"), "€"),
    (("milliersdeuros", "keur"), "k€"),
    (("europarhabitant", "eurosparhabitant"), "€ par habitant"),
    (("kilometre", "kilometres", "kilometers"), "km"),
    (("hectare", "hectares"), "ha"),
    (("minute", "minutes", "min"), "minutes"),
    (("jour", "jours", "days"), "jours"),
    (("nombre", "nb", "count", "number"), "nombre"),
)
# a unit made of these is a rate or a duration we cannot guess the factor of
_UNGUESSABLE: Final = re.compile(r"\bpar\b|/|heure|mois|ratio|indice|\bmds?\b|million|milliard")
_COUNT_LIKE: Final = re.compile(r"[a-z' ]+")
_SMALL_WORDS: Final = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au"})


def find_metadata_columns(columns: Sequence[str]) -> dict[str, str]:
    """Role -> column name for the roles of :data:`COLUMN_ALIASES` present in ``columns``."""
    folded = {fold_identifier(column): column for column in reversed(columns)}
    found: dict[str, str] = {}
    for role, names in COLUMN_ALIASES.items():
        for name in names:
            column = folded.get(name)
            if column is not None and column not in found.values():
                found[role] = column
                break
    return found


def _words(text: str) -> str:
    return " ".join(strip_accents(text).lower().replace("*", " ").split())


def map_unit(text: str) -> tuple[str | None, str]:
    """The catalogue unit of a published one, and a French note when it was guessed."""
    written = " ".join(text.replace("*", " ").split())
    if not written:
        return None, "unité absente"
    for unit in UNIT_FACTORS:
        if unit.lower() == written.lower():
            return unit, ""
    words = _words(written)
    if written.startswith("%"):
        return "%", f"unité « {written} » lue comme « % »"
    for names, unit in _UNIT_WORDS:
        if fold_identifier(written) in names or (words.split(" ")[0] in names and unit == "%"):
            return unit, f"unité « {written} » lue comme « {unit} »"
    if _UNGUESSABLE.search(words) or not _COUNT_LIKE.fullmatch(words):
        known = ", ".join(f"« {u} »" for u in UNIT_FACTORS)
        return None, f"unité inconnue « {written} » : indicateur non importé ; connues : {known}"
    return "nombre", f"unité « {written} » lue comme un nombre ({written})"


def map_periodicity(text: str) -> Periodicity | None:
    folded = fold_identifier(text)
    for names, periodicity in _PERIODICITIES:
        if folded in names or folded.startswith(names[0]):
            return periodicity
    return None


def map_direction(text: str) -> str | None:
    folded = fold_identifier(text) or text.strip()
    for names, direction in _DIRECTIONS:
        if folded in names or text.strip() in names:
            return direction
    return None


_LEVEL_NAMES: Final[Mapping[str, Level]] = {
    **{fold_identifier(level.label): level for level in Level},
    **{level.value.lower(): level for level in Level},
    "departements": Level.DEP,
    "regions": Level.REG,
    "national": Level.FR,
    "communes": Level.COM,
    "nationale": Level.FR,
    "france": Level.FR,
}


def map_levels(text: str) -> tuple[tuple[Level, ...], list[str]]:
    """The levels a cell names (``départements, régions``), in the catalogue's order, and the
    parts it could not read."""
    found: set[Level] = set()
    unknown: list[str] = []
    for part in re.split(r"[,;|/]| et ", text):
        level = _LEVEL_NAMES.get(fold_identifier(part))
        if level is not None:
            found.add(level)
        elif part.strip():
            unknown.append(part.strip())
    return tuple(level for level in Level if level in found), unknown


def indicator_code(identifier: str, prefix: str = "") -> str:
    """``tx-classes-cp-ce1-rep`` -> ``TX_CLASSES_CP_CE1_REP`` (with the prefix, 40 at most)."""
    core = re.sub(r"[^A-Z0-9]+", "_", strip_accents(identifier).upper()).strip("_")
    code = f"{prefix.upper()}{core}"
    if code[:1].isdigit():
        code = f"I_{code}"
    return code[:40].rstrip("_")


def partner_code(name: str) -> str:
    """``DITP`` stays ``DITP``; ``Direction interministérielle de la transformation publique``
    becomes its initials ``DITP``."""
    plain = strip_accents(name).strip()
    upper = re.sub(r"[^A-Z0-9]+", "_", plain.upper()).strip("_")
    if " " not in plain and CODE_PATTERNS["partner"].match(upper):
        return upper
    words = [w for w in re.split(r"[^A-Za-z0-9]+", plain) if w and w.lower() not in _SMALL_WORDS]
    initials = "".join(word[0].upper() for word in words)
    return initials if len(initials) >= 2 else upper[:20]


def partner_kind(name: str) -> str:
    folded = _words(name)
    if folded.startswith("ministere"):
        return "ministere"
    if folded.startswith(("direction", "delegation", "secretariat")):
        return "direction_centrale"
    if "statisti" in folded or folded.startswith("insee"):
        return "service_statistique"
    if folded.startswith(("region", "departement", "commune", "communaute", "metropole")):
        return "collectivite"
    return "operateur"
