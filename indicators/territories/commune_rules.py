"""The commune rules of the territory-code normalisation (:mod:`.code_rules`): a current commune
code, a Paris/Lyon/Marseille arrondissement, a commune absorbed by a commune nouvelle, an old
Corsican ``20xxx`` code, and a commune code that lost its leading zero."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from .code_resolution import (
    CleanValue,
    CodeResolution,
    RuleContext,
    RuleFunction,
    allows,
    failed_resolution,
    ok_resolution,
)
from .referential import typed_code

_COMMUNE_SHAPE: Final = re.compile(r"\d[\dAB]\d{3}")


def commune(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if not allows(value, "COM") or not _COMMUNE_SHAPE.fullmatch(value.key):
        return None
    territory = n.get("COM", value.key)
    return ok_resolution(territory.code, "commune", "COM") if territory else None


def arrondissement(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if not allows(value, "COM") or not _COMMUNE_SHAPE.fullmatch(value.key):
        return None
    territory = n.get("ARM", value.key)
    if territory is None or territory.commune is None:
        return None
    commune = typed_code("COM", territory.commune)
    if commune not in n.referential:
        return None
    return CodeResolution(
        commune,
        "mapped",
        "arrondissement",
        f"Code d'arrondissement municipal {value.key} ({territory.name}) : "
        f"rattaché à sa {n.describe(commune)}",
        level="COM",
    )


def old_commune_code(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if not allows(value, "COM") or not _COMMUNE_SHAPE.fullmatch(value.key):
        return None
    old = n.referential.old_codes.get(value.key)
    if old is None:
        return None
    current = [c for c in (typed_code("COM", new) for new in old.new_codes) if c in n.referential]
    named = f" ({old.old_name})" if old.old_name else ""
    absorbed = f"Code de commune {value.key} absorbé{named}"
    if not current:
        return failed_resolution(
            "old-commune-code",
            f"{absorbed} : rattaché à {', '.join(old.new_codes)}, absent du référentiel",
        )
    if len(current) > 1:
        readings = ", ".join(n.describe(code) for code in current)
        return CodeResolution(
            None,
            "ambiguous",
            "old-commune-code",
            f"{absorbed}, partagé entre plusieurs communes actuelles : {readings} ; "
            "indiquez la commune actuelle",
            candidates=tuple(current),
        )
    new = n.referential.territory(current[0])
    return CodeResolution(
        new.code,
        "mapped",
        "old-commune-code",
        f"{absorbed} : rattaché à {value.key}→{new.local_code} ({new.name})",
        level="COM",
    )


def corsica_20(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    key = value.key
    if key == "20" and allows(value, "DEP"):
        candidates = tuple(c for c in ("DEP:2A", "DEP:2B") if c in n.referential)
        if candidates:
            return CodeResolution(
                None,
                "ambiguous",
                "corsica-20",
                "Code 20 : ancien département de Corse, aujourd'hui Corse-du-Sud (2A) et "
                "Haute-Corse (2B) ; indiquez 2A ou 2B",
                candidates=candidates,
            )
    if len(key) != 5 or not key.startswith("20") or not key.isdigit() or not allows(value, "COM"):
        return None
    # before 1976 Corsican communes were 20xxx; 2A and 2B kept the three-digit number
    for departement in ("2A", "2B"):
        territory = n.get("COM", departement + key[2:])
        if territory is not None:
            return CodeResolution(
                territory.code,
                "mapped",
                "corsica-20",
                f"Ancien code corse {key} : rattaché à la {n.describe(territory.code)}",
                level="COM",
            )
    return None


_COMMUNE_FAMILY: Final[tuple[RuleFunction, ...]] = (
    commune,
    arrondissement,
    old_commune_code,
    corsica_20,
)


def commune_missing_zero(n: RuleContext, value: CleanValue) -> CodeResolution | None:
    if not allows(value, "COM") or len(value.key) != 4 or not value.key.isdigit():
        return None
    padded = "0" + value.key
    inner = CleanValue(padded, padded, False, "COM")
    for rule in _COMMUNE_FAMILY:
        found = rule(n, inner)
        if found is None:
            continue
        note = f"Code {value.key} complété en {padded} (zéro initial perdu)"
        if found.rule == "commune":
            return replace(found, rule="commune-missing-zero", message=note)
        return replace(found, message=f"{note} ; {found.message}")
    return None
