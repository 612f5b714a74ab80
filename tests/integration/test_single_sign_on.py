"""Which account an OIDC identity signs in to (``account_for_claims``), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from indicators.accounts import (
    AccountError,
    ClaimRules,
    account_for_claims,
    create_user,
    set_active,
)
from indicators.catalogue import load_catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.store import make_engine, upgrade_database

pytestmark = pytest.mark.integration


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    with Session(engine) as session:
        with session.begin():
            sync_catalogue(session, load_catalogue())
            create_user(session, "lea", role="lecteur", password=None, email="Lea@Example.org")
        yield session
    engine.dispose()


def test_an_unverified_address_does_not_find_the_account(session: Session) -> None:
    claims = {"sub": "s1", "email": "lea@example.org", "email_verified": False}
    with pytest.raises(AccountError, match="aucun compte"):
        account_for_claims(session, claims, ClaimRules())
    linked = account_for_claims(session, {**claims, "email_verified": True}, ClaimRules())
    assert linked.username == "lea"  # addresses compare without case


def test_an_account_linked_to_another_identity_is_not_taken_over(session: Session) -> None:
    account_for_claims(session, {"sub": "s1", "email": "lea@example.org"}, ClaimRules())
    with pytest.raises(AccountError, match="autre identité"):
        account_for_claims(session, {"sub": "s2", "email": "lea@example.org"}, ClaimRules())


def test_a_disabled_account_cannot_sign_in(session: Session) -> None:
    set_active(session, "lea", False)
    with pytest.raises(AccountError, match="désactivé"):
        account_for_claims(session, {"sub": "s1", "email": "lea@example.org"}, ClaimRules())


def test_claims_set_role_and_partner_together(session: Session) -> None:
    rules = ClaimRules("existing", "role", "partenaire")
    claims = {"sub": "s1", "email": "lea@example.org", "role": "deposant", "partenaire": "ANCT"}
    account = account_for_claims(session, claims, rules)
    assert (account.role, account.partner_code) == ("deposant", "ANCT")
    with pytest.raises(AccountError, match="demande un partenaire"):
        account_for_claims(session, {"sub": "s1", "role": "deposant"}, rules)
    admin = account_for_claims(session, {"sub": "s1", "role": "administrateur"}, rules)
    assert (admin.role, admin.partner_code) == ("administrateur", None)
