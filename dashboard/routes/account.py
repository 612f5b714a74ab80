"""``/connexion``, ``/deconnexion``, ``/mot-de-passe``: sign in, out, and change one's password.

Plain HTML forms (they work without JavaScript, before the Dash app loads). Sign-in attempts are
rate-limited per IP address (Flask-Limiter; Redis when the cache is Redis) and every attempt,
successful or not, is written to the audit log with the client's address.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template_string,
    request,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import login_user, logout_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from dashboard.auth import User, client_address, current_user, requires
from dashboard.context import app_context, db_session
from dashboard.routes.page_shell import page_shell
from indicators.accounts import (
    AccountError,
    authenticate,
    record_event,
    record_sign_in,
    set_password,
)
from indicators.config import Settings

blueprint = Blueprint("account", __name__)
LIMITER_KEY = "suivi-limiter"

PAGE = page_shell(
    "{{ title }}",
    """{% if message %}<p role="alert" class="{{ message_class }}">{{ message }}</p>{% endif %}
        {{ body }}""",
    "card account-card",
)

SIGN_IN_FORM = """
<form method="post" action="/connexion">
  <input type="hidden" name="next" value="{{ next }}">
  <p><label for="identifiant">Identifiant</label><br>
  <input id="identifiant" name="username" autocomplete="username" required autofocus></p>
  <p><label for="mot-de-passe">Mot de passe</label><br>
  <input id="mot-de-passe" name="password" type="password" autocomplete="current-password"
   required></p>
  <p><button type="submit" class="btn btn-primary">Se connecter</button></p>
</form>
{% if oidc %}<p><a href="/connexion/oidc?next={{ next | urlencode }}">Se connecter avec le compte
de mon organisation (authentification unique)</a></p>{% endif %}
{% if public %}<p>Sans compte, vous pouvez <a href="/">consulter les tableaux de bord</a>.</p>
{% endif %}
"""

PASSWORD_FORM = """
<p>Connecté en tant que <strong>{{ username }}</strong> ({{ role }}).</p>
<form method="post" action="/mot-de-passe">
  <p><label for="actuel">Mot de passe actuel</label><br>
  <input id="actuel" name="current" type="password" autocomplete="current-password" required></p>
  <p><label for="nouveau">Nouveau mot de passe (12 caractères au moins)</label><br>
  <input id="nouveau" name="new" type="password" autocomplete="new-password" minlength="12"
   required></p>
  <p><label for="confirmation">Nouveau mot de passe, à nouveau</label><br>
  <input id="confirmation" name="confirm" type="password" autocomplete="new-password" required></p>
  <p><button type="submit" class="btn btn-primary">Changer le mot de passe</button></p>
</form>
<form method="post" action="/deconnexion">
  <p><button type="submit" class="btn">Se déconnecter</button></p>
</form>
"""


def _page(title: str, body: str, status: int = 200, message: str = "", **values: Any) -> Response:
    inner = Markup(render_template_string(body, **values))
    html = render_template_string(
        PAGE,
        title=title,
        body=inner,
        message=message,
        message_class="import-refused" if status >= 400 else "import-valid",
    )
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _settings() -> Settings:
    return app_context().settings


def sign_in_page(status: int = 200, message: str = "", next_url: str = "/") -> Response:
    settings = _settings()
    return _page(
        "Connexion",
        SIGN_IN_FORM,
        status,
        message,
        next=next_url,
        oidc=bool(settings.oidc_issuer),
        public=settings.public,
    )


@blueprint.get("/connexion")
@requires("public")
def sign_in() -> Response:
    if not current_user().is_anonymous:
        return redirect(safe_next(request.args.get("next")))  # type: ignore[return-value]
    return sign_in_page(next_url=safe_next(request.args.get("next")))


@blueprint.post("/connexion")
@requires("public")
def sign_in_post() -> Response:
    limiter: Limiter = current_app.extensions[LIMITER_KEY]
    with limiter.limit(lambda: _settings().login_rate_limit, scope="connexion"):
        username = request.form.get("username", "").strip()[:80]
        password = request.form.get("password", "")
        next_url = safe_next(request.form.get("next"))
        with db_session() as session, session.begin():
            account = authenticate(session, username, password)
            if account is None:
                record_event(session, "sign-in-failed", username=username, ip=client_address())
            else:
                record_sign_in(session, account.username)
                record_event(session, "sign-in", username=account.username, ip=client_address())
        if account is None:
            return sign_in_page(
                401, "Identifiant ou mot de passe incorrect, ou compte désactivé.", next_url
            )
        login_user(User.of(account))
        return redirect(next_url)  # type: ignore[return-value]


@blueprint.route("/deconnexion", methods=["GET", "POST"])
@requires("public")
def sign_out() -> Response:
    user = current_user()
    if request.method == "POST" and not user.is_anonymous:
        with db_session() as session, session.begin():
            record_event(session, "sign-out", username=user.username, ip=client_address())
        logout_user()
    return redirect("/connexion" if not _settings().public else "/")  # type: ignore[return-value]


@blueprint.get("/mot-de-passe")
@requires("account")
def password() -> Response:
    user = current_user()
    return _page("Mon compte", PASSWORD_FORM, username=user.username, role=user.role)


@blueprint.post("/mot-de-passe")
@requires("account")
def password_post() -> Response:
    user = current_user()
    current, new, confirm = (request.form.get(k, "") for k in ("current", "new", "confirm"))
    values = {"username": user.username, "role": user.role}
    if new != confirm:
        return _page(
            "Mon compte", PASSWORD_FORM, 400, "Les deux nouveaux mots de passe diffèrent.", **values
        )
    limiter: Limiter = current_app.extensions[LIMITER_KEY]
    with (
        limiter.limit(lambda: _settings().login_rate_limit, scope="connexion"),
        db_session() as session,
        session.begin(),
    ):
        if authenticate(session, user.username, current) is None:
            message = "Mot de passe actuel incorrect."
            return _page("Mon compte", PASSWORD_FORM, 400, message, **values)
        try:
            account = set_password(session, user.username, new)
        except AccountError as error:
            return _page("Mon compte", PASSWORD_FORM, 400, f"Refusé : {error}.", **values)
        record_event(session, "password-changed", username=user.username, ip=client_address())
    login_user(User.of(account))  # this session goes on; the others end
    return _page("Mon compte", PASSWORD_FORM, 200, "Mot de passe changé.", **values)


def init_account(server: Flask, settings: Settings) -> None:
    """Sign-in pages and their rate limit (Redis when the cache is Redis, else in memory)."""
    storage = settings.cache_url if settings.cache_type == "redis" else "memory://"
    limiter = Limiter(
        get_remote_address,
        app=server,
        storage_uri=storage,
        default_limits=[],
        key_prefix="suivi-connexion",
    )
    server.extensions[LIMITER_KEY] = limiter
    server.register_blueprint(blueprint)
