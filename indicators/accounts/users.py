"""Accounts: create, list and change them; check a password (argon2).

Functions receive the caller's session and never commit: the CLI and the web decide the
transaction, and write the matching audit entry in it (:mod:`.audit`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.accounts.roles import PARTNER_ROLES, AccountError, check_password, check_role
from indicators.store.models import Partner, User, utcnow

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
# a hash checked when the user does not exist, so that timing does not tell who has an account
_DUMMY_HASH = _HASHER.hash("not-a-password-of-anyone")


@dataclass(frozen=True)
class Account:
    """A user as the web and the CLI see it (never the password hash)."""

    id: int
    username: str
    role: str
    partner_code: str | None = None
    display_name: str | None = None
    email: str | None = None
    active: bool = True
    created_at: datetime | None = None
    last_sign_in_at: datetime | None = None
    # changes with the password: a session signed with an older stamp ends (see dashboard.auth)
    session_stamp: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "email": self.email,
            "role": self.role,
            "partner": self.partner_code,
            "active": self.active,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "last_sign_in_at": self.last_sign_in_at.isoformat() if self.last_sign_in_at else None,
        }


def _account(row: User) -> Account:
    return Account(
        row.id,
        row.username,
        row.role,
        row.partner_code,
        row.display_name,
        row.email,
        bool(row.active),
        row.created_at,
        row.last_sign_in_at,
        session_stamp(row.password_hash),
    )


def session_stamp(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode("utf-8")).hexdigest()[:16]


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of 20 URL-safe characters (about 120 bits)."""
    return secrets.token_urlsafe(15)


def _row(session: Session, username: str) -> User:
    row = session.scalar(select(User).where(User.username == username))
    if row is None:
        raise AccountError(f"utilisateur « {username} » inconnu")
    return row


def _check_partner(session: Session, partner_code: str | None) -> None:
    if partner_code and session.get(Partner, partner_code) is None:
        raise AccountError(
            f"partenaire « {partner_code} » inconnu (« suivi catalogue sync » charge le catalogue)"
        )


def create_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str | None,
    partner_code: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> Account:
    """Create an account; ``password=None`` makes an account that signs in by OIDC only."""
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise AccountError("identifiant invalide : 1 à 80 caractères, sans espace")
    check_role(role, partner_code)
    _check_partner(session, partner_code)
    if password is not None:
        check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"l'utilisateur « {username} » existe déjà")
    email = email.strip().lower() if email else None
    if email and find_user_by_email(session, email) is not None:
        raise AccountError(f"l'adresse « {email} » est déjà celle d'un autre compte")
    row = User(
        username=username,
        role=role,
        partner_code=partner_code or None,
        password_hash=hash_password(password) if password is not None else None,
        display_name=display_name,
        email=email,
        active=True,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _account(row)


def list_users(session: Session) -> list[Account]:
    return [_account(row) for row in session.scalars(select(User).order_by(User.username))]


def find_user(session: Session, username: str) -> Account | None:
    row = session.scalar(select(User).where(User.username == username))
    return _account(row) if row is not None else None


def find_user_by_email(session: Session, email: str) -> Account | None:
    row = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    return _account(row) if row is not None else None


def find_user_by_subject(session: Session, subject: str) -> Account | None:
    row = session.scalar(select(User).where(User.oidc_subject == subject))
    return _account(row) if row is not None else None


def authenticate(session: Session, username: str, password: str) -> Account | None:
    """The active account of that name and password, else ``None`` (same cost either way)."""
    row = session.scalar(select(User).where(User.username == username.strip()))
    if not verify_password(row.password_hash if row is not None else None, password):
        return None
    assert row is not None
    if not row.active:
        return None
    if row.password_hash and _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    return _account(row)


def record_sign_in(session: Session, username: str) -> None:
    _row(session, username).last_sign_in_at = utcnow()
    session.flush()


def set_role(session: Session, username: str, role: str) -> Account:
    row = _row(session, username)
    check_role(role, row.partner_code if role in PARTNER_ROLES else None)
    row.role = role
    if role not in PARTNER_ROLES:
        row.partner_code = None
    session.flush()
    return _account(row)


def set_partner(session: Session, username: str, partner_code: str | None) -> Account:
    row = _row(session, username)
    check_role(row.role, partner_code)
    _check_partner(session, partner_code)
    row.partner_code = partner_code or None
    session.flush()
    return _account(row)


def set_role_and_partner(
    session: Session, username: str, role: str, partner_code: str | None
) -> Account:
    """Both at once (a déposant needs its partner; an administrator has none)."""
    row = _row(session, username)
    check_role(role, partner_code)
    _check_partner(session, partner_code)
    row.role, row.partner_code = role, partner_code or None
    session.flush()
    return _account(row)


def set_active(session: Session, username: str, active: bool) -> Account:
    row = _row(session, username)
    row.active = active
    session.flush()
    return _account(row)


def set_password(session: Session, username: str, password: str) -> Account:
    check_password(password)
    row = _row(session, username)
    row.password_hash = hash_password(password)
    session.flush()
    return _account(row)


def link_subject(session: Session, username: str, subject: str) -> Account:
    """Link the OIDC account ``subject`` (the ``sub`` claim) to this user."""
    row = _row(session, username)
    row.oidc_subject = subject
    session.flush()
    return _account(row)
