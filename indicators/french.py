"""French ways of writing numbers in the sentences the core writes (reports, refusals, the demo's
summary); the web face writes its own through ``dashboard/formatting.py``, which uses these."""

from __future__ import annotations

from typing import Final

NARROW_NBSP: Final = "\u202f"  # the thousands separator of French typography


def thousands(count: int) -> str:
    """``1234567`` -> ``1 234 567`` (narrow no-break spaces: a number never breaks a line)."""
    return f"{count:,}".replace(",", NARROW_NBSP)


def plain_number(value: float) -> str:
    """``2043110.0`` -> ``2043110``, ``12.5`` -> ``12,5``: a value as its producer wrote it, with a
    decimal comma and no exponent below 10^15 (``f"{v:g}"`` wrote ``2.04311e+06``)."""
    return f"{value:.15g}".replace(".", ",")


def stored_value_text(value: object, status: object) -> str:
    """A stored value as a person reads it in a diff: ``—`` when there was none, the status
    when it is not ``ok``, else the number as its producer wrote it."""
    if not isinstance(status, str):  # no stored value before
        return "—"
    if status != "ok":
        return status
    return plain_number(value) if isinstance(value, float) else str(value)


def agree(count: int, one: str, many: str | None = None) -> str:
    """The words agreed with ``count``, French style (0 and 1 take the singular):
    ``agree(2, "valeur écartée", "valeurs écartées")`` -> ``"valeurs écartées"``; without
    ``many``, an ``s`` is added."""
    return one if count <= 1 else many or one + "s"


def plural(count: int, one: str, many: str | None = None) -> str:
    """``plural(2, "erreur")`` -> ``"2 erreurs"``, ``plural(1, "erreur")`` -> ``"1 erreur"``: real
    agreement rather than « erreur(s) »."""
    return f"{thousands(count)} {agree(count, one, many)}"
