"""Map an OpenID Connect identity (its claims) to an account (issue #12).

Provisioning, decided by ``SUIVI_OIDC_PROVISIONING``:

- ``existing`` (default): only accounts an administrator created sign in. The first time, the
  account is found by its e-mail address (``suivi users add … --email``) and linked to the
  identity's ``sub``; afterwards the ``sub`` alone finds it (a changed address does not matter).
- ``lecteur``: a person the provider knows but this service does not gets a ``lecteur`` account
  (no partner) on first sign-in.

When a role (or partner) claim is configured, its value sets the account's role (or partner) at
every sign-in: the provider is then the authority. An unknown role in the claim is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.accounts.roles import AccountError
from indicators.accounts.users import (
    Account,
    create_user,
    find_user,
    find_user_by_email,
    find_user_by_subject,
    link_subject,
    set_role_and_partner,
)
from indicators.store.models import User


@dataclass(frozen=True)
class ClaimRules:
    provisioning: str = "existing"  # or "lecteur"
    role_claim: str = ""
    partner_claim: str = ""


def _text(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name) if name else None
    return str(value).strip() if value not in (None, "") else None


def _free_username(session: Session, wanted: str) -> str:
    base = "".join(c for c in wanted if not c.isspace())[:72] or "compte"
    name, suffix = base, 1
    while find_user(session, name) is not None:
        suffix += 1
        name = f"{base}-{suffix}"
    return name


def account_for_claims(session: Session, claims: Mapping[str, Any], rules: ClaimRules) -> Account:
    """The account these claims sign in to (created or updated as the rules say); raises
    :class:`AccountError` with a French message when none may sign in."""
    subject = _text(claims, "sub")
    if subject is None:
        raise AccountError("l'émetteur n'a pas donné d'identifiant (sub)")
    account = find_user_by_subject(session, subject)
    email = _text(claims, "email")
    verified = claims.get("email_verified") is not False
    if account is None and email and verified:
        account = find_user_by_email(session, email)
        if account is not None:
            linked = session.scalar(select(User.oidc_subject).where(User.id == account.id))
            if linked not in (None, subject):
                raise AccountError("ce compte est déjà relié à une autre identité")
            account = link_subject(session, account.username, subject)
    if account is None:
        if rules.provisioning != "lecteur":
            raise AccountError(
                "aucun compte ne correspond à votre identité"
                + (f" ({email})" if email else "")
                + " : demandez à un administrateur de le créer"
            )
        name = _text(claims, "preferred_username") or email or f"oidc-{subject}"
        account = create_user(
            session,
            _free_username(session, name),
            role="lecteur",
            password=None,
            display_name=_text(claims, "name"),
            email=email if verified else None,
        )
        account = link_subject(session, account.username, subject)
    role = _text(claims, rules.role_claim) or account.role
    partner = _text(claims, rules.partner_claim) if rules.partner_claim else account.partner_code
    if (role, partner) != (account.role, account.partner_code):
        account = set_role_and_partner(session, account.username, role, partner)
    if not account.active:
        raise AccountError("ce compte est désactivé")
    return account
