"""OpenID Connect sign-in against a real provider process (PyPI ``oidc-provider-mock``, run by
the test): the authorization code flow end to end, then who may sign in and with which role."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from dashboard.context import EXTENSION_KEY, db_session
from dashboard.routes.oidc import OAUTH_KEY, configure_provider
from indicators.accounts import create_user, find_user, list_events

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The provider's issuer URL; the process is stopped after the module."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, "le fournisseur OIDC s'est arrêté"
            assert time.monotonic() < deadline, "le fournisseur OIDC ne répond pas"
            time.sleep(0.2)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def oidc(dash_app, provider, monkeypatch):  # type: ignore[no-untyped-def]
    """The session's app with single sign-on on ``provider``; returns a settings changer."""
    server = dash_app.server
    context = server.extensions[EXTENSION_KEY]

    def configure(**changes: Any) -> None:
        settings = replace(
            context.settings,
            oidc_issuer=provider,
            oidc_client_id="suivi-test",
            oidc_client_secret="secret-de-test",
            **changes,
        )
        monkeypatch.setattr(context, "settings", settings)
        configure_provider(server, settings)

    configure()
    yield configure
    server.extensions.pop(OAUTH_KEY, None)


def provider_user(issuer: str, sub: str, **claims: Any) -> None:
    assert requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).status_code == 204


def sign_in_through(client, issuer: str, sub: str) -> Any:  # type: ignore[no-untyped-def]
    """What a browser does: our redirect, the provider's form (choose ``sub``), back to us."""
    start = client.get("/connexion/oidc?next=/carte")
    assert start.status_code == 302 and start.headers["Location"].startswith(issuer)
    answer = requests.post(
        start.headers["Location"], data={"sub": sub}, timeout=5, allow_redirects=False
    )
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/connexion/oidc/retour"
    return client.get(f"{back.path}?{back.query}")


def account(dash_app, username: str):  # type: ignore[no-untyped-def]
    with dash_app.server.app_context(), db_session() as session:
        return find_user(session, username)


def test_a_pre_created_account_signs_in_by_its_address(oidc, provider, client, dash_app) -> None:  # type: ignore[no-untyped-def]
    with dash_app.server.app_context(), db_session() as session, session.begin():
        create_user(
            session,
            "claire",
            role="deposant",
            partner_code="INSEE",
            password=None,
            email="claire@insee.example",
        )
    provider_user(provider, "sub-claire", email="claire@insee.example", name="Claire")
    page = client.get("/connexion")
    assert "authentification unique" in page.get_data(as_text=True)
    done = sign_in_through(client, provider, "sub-claire")
    assert done.status_code == 302 and done.headers["Location"] == "/carte"
    me = client.get("/mot-de-passe").get_data(as_text=True)
    assert "claire" in me and "deposant" in me
    # linked: a changed address at the provider still finds the account by its subject
    client.post("/deconnexion")
    provider_user(provider, "sub-claire", email="claire.nouvelle@insee.example")
    assert sign_in_through(client, provider, "sub-claire").status_code == 302
    with dash_app.server.app_context(), db_session() as session:
        [event] = list_events(session, limit=1)
    assert (event.action, event.username, event.details["method"]) == ("sign-in", "claire", "oidc")


def test_an_unknown_person_is_refused_unless_readers_are_provisioned(  # type: ignore[no-untyped-def]
    oidc, provider, client, dash_app
) -> None:
    provider_user(provider, "sub-inconnu", email="inconnu@example.org", name="Inconnu")
    refused = sign_in_through(client, provider, "sub-inconnu")
    assert refused.status_code == 403
    assert "aucun compte ne correspond" in refused.get_data(as_text=True)
    assert account(dash_app, "inconnu@example.org") is None
    oidc(oidc_provisioning="lecteur")
    allowed = sign_in_through(client, provider, "sub-inconnu")
    assert allowed.status_code == 302
    created = account(dash_app, "inconnu@example.org")
    assert created is not None and (created.role, created.display_name) == ("lecteur", "Inconnu")


def test_role_and_partner_claims_set_the_account(oidc, provider, client, dash_app) -> None:  # type: ignore[no-untyped-def]
    oidc(
        oidc_provisioning="lecteur",
        oidc_role_claim="suivi_role",
        oidc_partner_claim="suivi_partenaire",
    )
    provider_user(
        provider,
        "sub-paul",
        preferred_username="paul",
        email="paul@anct.example",
        suivi_role="deposant",
        suivi_partenaire="ANCT",
    )
    assert sign_in_through(client, provider, "sub-paul").status_code == 302
    paul = account(dash_app, "paul")
    assert paul is not None and (paul.role, paul.partner_code) == ("deposant", "ANCT")
    client.post("/deconnexion")
    provider_user(provider, "sub-paul", preferred_username="paul", suivi_role="chef")
    refused = sign_in_through(client, provider, "sub-paul")
    assert refused.status_code == 403 and "rôle inconnu" in refused.get_data(as_text=True)


def test_without_an_issuer_the_route_does_not_exist(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/connexion/oidc").status_code == 404
