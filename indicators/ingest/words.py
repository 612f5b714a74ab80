"""The words files use for a value's type and status, in French or English, read into the codes
the store keeps (``valeur|reference|cible``; ``ok|missing|not_applicable|secret|withdrawn``)."""

from __future__ import annotations

from typing import Final

from indicators.territories.folding import fold

VALUE_TYPES: Final = ("valeur", "reference", "cible")
STATUSES: Final = ("ok", "missing", "not_applicable", "secret", "withdrawn")

_VALUE_TYPE_WORDS: Final = {
    "valeur": "valeur", "value": "valeur", "realise": "valeur", "observe": "valeur",
    "reference": "reference", "valeur de reference": "reference", "baseline": "reference",
    "initiale": "reference", "valeur initiale": "reference",
    "cible": "cible", "target": "cible", "objectif": "cible", "jalon": "cible",
    "milestone": "cible",
}  # fmt: skip
_STATUS_WORDS: Final = {
    "ok": "ok", "valeur": "ok", "disponible": "ok",
    "missing": "missing", "manquant": "missing", "manquante": "missing", "nd": "missing",
    "non disponible": "missing", "na": "missing",
    "not applicable": "not_applicable", "sans objet": "not_applicable", "so": "not_applicable",
    "non applicable": "not_applicable", "not_applicable": "not_applicable",
    "secret": "secret", "s": "secret", "secret statistique": "secret",
    "withdrawn": "withdrawn", "retire": "withdrawn", "retiree": "withdrawn",
    "supprime": "withdrawn", "supprimee": "withdrawn",
}  # fmt: skip


def value_type_of(word: str) -> str | None:
    """``"Cible"`` -> ``"cible"``, ``"baseline"`` -> ``"reference"``; ``None`` if unknown."""
    return _VALUE_TYPE_WORDS.get(fold(word))


def status_of(word: str) -> str | None:
    """``"sans objet"`` -> ``"not_applicable"``; ``""`` -> ``None`` (say it with the value)."""
    folded = fold(word)
    return _STATUS_WORDS.get(folded) if folded else None
