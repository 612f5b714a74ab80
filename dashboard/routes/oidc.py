"""``/connexion/oidc`` and its return address: sign in with the organisation's single sign-on
(OpenID Connect, authorization code flow with authlib), when ``SUIVI_OIDC_ISSUER`` is set.

Who may sign in, and with which role, is :mod:`indicators.accounts.single_sign_on`'s rule.
"""

from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, redirect, request, session, url_for
from flask_login import login_user
from werkzeug.wrappers import Response

from dashboard.auth import User, client_address, requires
from dashboard.context import app_context, db_session
from dashboard.routes.account import safe_next, sign_in_page
from indicators.accounts import (
    AccountError,
    ClaimRules,
    account_for_claims,
    record_event,
    record_sign_in,
)
from indicators.config import Settings

blueprint = Blueprint("oidc", __name__)
OAUTH_KEY = "suivi-oauth"
NEXT_KEY = "suivi-oidc-next"


def _client() -> object:
    oauth: OAuth | None = current_app.extensions.get(OAUTH_KEY)
    if oauth is None:
        abort(404)  # single sign-on is not configured
    return oauth.create_client("suivi")


@blueprint.get("/connexion/oidc")
@requires("public")
def oidc_sign_in() -> Response:
    client = _client()
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    return client.authorize_redirect(url_for("oidc.oidc_return", _external=True))  # type: ignore[attr-defined, no-any-return]


@blueprint.get("/connexion/oidc/retour")
@requires("public")
def oidc_return() -> Response:
    client = _client()
    next_url = safe_next(session.pop(NEXT_KEY, None))
    try:
        token = client.authorize_access_token()  # type: ignore[attr-defined]
        claims = dict(token.get("userinfo") or client.userinfo(token=token))  # type: ignore[attr-defined]
    except OAuthError as error:
        return _refused(f"l'émetteur a refusé la connexion ({error.error})", None, next_url)
    settings = app_context().settings
    rules = ClaimRules(
        settings.oidc_provisioning, settings.oidc_role_claim, settings.oidc_partner_claim
    )
    try:
        with db_session() as db, db.begin():
            account = account_for_claims(db, claims, rules)
            record_sign_in(db, account.username)
            record_event(
                db, "sign-in", username=account.username, ip=client_address(), method="oidc"
            )
    except AccountError as error:
        return _refused(str(error), claims.get("email") or claims.get("sub"), next_url)
    login_user(User.of(account))
    return redirect(next_url)  # type: ignore[return-value]


def _refused(reason: str, who: object, next_url: str) -> Response:
    with db_session() as db, db.begin():
        record_event(
            db,
            "sign-in-failed",
            username=str(who)[:80] if who else None,
            ip=client_address(),
            method="oidc",
            reason=reason,
        )
    return sign_in_page(403, f"Connexion refusée : {reason}.", next_url)


def init_oidc(server: Flask, settings: Settings) -> None:
    """The routes, and the provider when ``SUIVI_OIDC_ISSUER`` is set (else they answer 404)."""
    server.register_blueprint(blueprint)
    if settings.oidc_issuer:
        configure_provider(server, settings)


def configure_provider(server: Flask, settings: Settings) -> None:
    oauth = OAuth(server)
    oauth.register(
        "suivi",
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )
    server.extensions[OAUTH_KEY] = oauth
