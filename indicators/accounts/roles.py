"""The roles a person can hold (the anonymous ``visiteur`` is not an account's role)."""

from __future__ import annotations

from typing import Final

ROLE_LABELS: Final[dict[str, str]] = {
    "lecteur": "lecteur (partenaire)",
    "deposant": "déposant (partenaire)",
    "evaluateur": "évaluateur",
    "administrateur": "administrateur",
}
ROLES: Final = tuple(ROLE_LABELS)
# roles that act for one partner: a déposant must have one, a lecteur may
PARTNER_ROLES: Final = frozenset({"lecteur", "deposant"})
PARTNER_REQUIRED: Final = frozenset({"deposant"})
MIN_PASSWORD_LENGTH: Final = 12


class AccountError(ValueError):
    """An account change that cannot be made; the message says why, in French."""


def check_role(role: str, partner_code: str | None) -> None:
    if role not in ROLE_LABELS:
        raise AccountError(f"rôle inconnu « {role} » (rôles : {', '.join(ROLES)})")
    if role in PARTNER_REQUIRED and not partner_code:
        raise AccountError(f"le rôle « {role} » demande un partenaire (--partner)")
    if partner_code and role not in PARTNER_ROLES:
        raise AccountError(f"le rôle « {role} » n'est rattaché à aucun partenaire")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères"
        )
