"""The one authorisation point: every Flask route and every Dash callback request passes here.

Deny by default (issue #12): each callback and route declares the action it needs where it is
defined, with :func:`requires`::

    @callback(Output("import-resultat", "children"), Input("import-verifier", "n_clicks"))
    @requires("upload")
    def check_file(...): ...

    @blueprint.get("/export/<dataset>.<file_format>")
    @requires("export")
    def export(...): ...

A request to a route or a callback that declares nothing is refused (403), and a test lists
``app.callback_map`` and ``server.url_map`` and fails on any without an action. Routes and
callbacks that Dash itself defines (its JavaScript, the page container) are declared in
:data:`FRAMEWORK_ROUTES` and :data:`FRAMEWORK_CALLBACKS`.

Who may do what is :data:`PERMISSIONS`; a partner's déposant is further limited to its partner's
data, in the domain core (``partner_scope``). Sessions are Flask-Login's, in the signed cookie.

A background callback runs in another process, where there is no request: the user is captured
on the server with every callback request (a Dash ``custom_data`` hook, never a value the browser
sends) and :func:`require_in_background_job` checks it again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

import dash
from flask import (
    Flask,
    Request,
    abort,
    current_app,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask import session as flask_session
from flask_login import LoginManager
from flask_login import current_user as _session_user
from werkzeug.wrappers import Response

from dashboard.context import app_context, db_session
from indicators.accounts import Account, find_user
from indicators.config import Settings
from indicators.store import DatabaseError, database_errors

VISITOR: Final = "visiteur"  # anonymous, on a public instance (SUIVI_PUBLIC=1)
ANONYMOUS_ROLE: Final = "anonyme"  # anonymous, on a private instance: may only sign in
SIGNED_IN: Final = frozenset({"lecteur", "deposant", "evaluateur", "administrateur"})
READERS: Final = SIGNED_IN | {VISITOR}

# action -> roles allowed; ``None``: everyone, even anonymous on a private instance
PERMISSIONS: Final[dict[str, frozenset[str] | None]] = {
    "public": None,  # sign-in page, Dash's JavaScript, /healthz
    "view": READERS,  # dashboards
    "export": READERS,  # data twins (CSV/XLSX) of what one may view
    "account": SIGNED_IN,  # one's own password
    "upload": frozenset({"deposant", "administrateur"}),  # load, profiles, roll back own loads
    "evaluate": frozenset({"evaluateur", "administrateur"}),  # designs and frozen reports
    "admin": frozenset({"administrateur"}),  # users, every load, catalogue, audit log
}
ACTION_ATTRIBUTE: Final = "__suivi_action__"
DASH_APP_KEY: Final = "suivi-dash"  # the Dash app, in its Flask server's extensions

# Routes Dash defines (not decorable here): its files are public, its pages need "view".
# "callback": judged by the declared action of the callback the request names.
FRAMEWORK_ROUTES: Final[dict[str, str]] = {
    "static": "public",
    "_dash_assets.static": "public",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": "public",
    "/_favicon.ico": "public",
    "/_reload-hash": "public",
    "/_dash-layout": "view",
    "/_dash-dependencies": "view",
    "/": "view",
    "/<path:path>": "view",
    "/_dash-update-component": "callback",
}
# Callbacks Dash defines, by (module, function): the Pages container shows a page (each page's
# own callbacks then declare their actions); "Annuler" stops a background job the person started.
FRAMEWORK_CALLBACKS: Final[dict[tuple[str, str], str]] = {
    ("dash.dash", "update"): "view",
    ("dash.dash", "cancel_call"): "view",
}

F = TypeVar("F", bound=Callable[..., Any])


def requires(action: str) -> Callable[[F], F]:
    """Declare the action a callback or a route needs (place it under ``@callback``/``@route``)."""
    if action not in PERMISSIONS:
        raise ValueError(f"action inconnue « {action} » (actions : {', '.join(PERMISSIONS)})")

    def declare(function: F) -> F:
        setattr(function, ACTION_ATTRIBUTE, action)
        return function

    return declare


def declared_action(function: Callable[..., Any] | None) -> str | None:
    """The action declared on ``function`` or on what it wraps (Dash and Flask-Limiter wrap)."""
    while function is not None:
        action = getattr(function, ACTION_ATTRIBUTE, None)
        if isinstance(action, str):
            return action
        function = getattr(function, "__wrapped__", None)
    return None


@dataclass(frozen=True)
class User:
    """Who makes the request: a signed-in account, or an anonymous visitor."""

    username: str
    role: str
    partner_code: str | None = None
    display_name: str | None = None
    # where a background job's request came from (for the audit log)
    address: str | None = field(default=None, compare=False)
    # the account's session stamp: a new password ends the sessions signed with the old one
    stamp: str = field(default="", compare=False)

    @property
    def is_anonymous(self) -> bool:
        return self.username == ""

    # Flask-Login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return not self.is_anonymous

    @property
    def is_active(self) -> bool:
        return not self.is_anonymous

    def get_id(self) -> str | None:
        return f"{self.username}:{self.stamp}" if self.username else None

    @property
    def partner_scope(self) -> str | None:
        """The partner a déposant acts for; ``None`` for an administrator (every partner)."""
        return self.partner_code if self.role == "deposant" else None

    @property
    def label(self) -> str:
        return self.display_name or self.username

    @classmethod
    def of(cls, account: Account) -> User:
        return cls(
            account.username,
            account.role,
            account.partner_code,
            account.display_name,
            stamp=account.session_stamp,
        )


ANONYMOUS = User("", ANONYMOUS_ROLE)
PUBLIC_VISITOR = User("", VISITOR)


def current_user() -> User:
    """The user of the current request (anonymous outside a request)."""
    if not has_request_context():
        return ANONYMOUS
    user = _session_user._get_current_object()
    return user if isinstance(user, User) else ANONYMOUS


def is_allowed(user: User, action: str) -> bool:
    if action not in PERMISSIONS:
        return False  # an unknown action is a programming error: refuse rather than allow
    roles = PERMISSIONS[action]
    return roles is None or user.role in roles


def callback_action(app: dash.Dash, callback_id: str) -> str | None:
    """The action a callback of ``app`` declared; ``None``: unknown callback or none declared."""
    entry = app.callback_map.get(callback_id)
    function = entry.get("callback") if entry else None
    if function is None:
        return None  # a clientside callback never reaches the server
    action = declared_action(function)
    if action is not None:
        return action
    original = inspect.unwrap(function)
    return FRAMEWORK_CALLBACKS.get((original.__module__, original.__name__))


def route_action(server: Flask, endpoint: str | None) -> str | None:
    if endpoint is None:
        return "public"  # no route matched: the 404 page
    if endpoint in FRAMEWORK_ROUTES:
        return FRAMEWORK_ROUTES[endpoint]
    return declared_action(server.view_functions.get(endpoint))


def action_for_request(req: Request) -> str | None:
    """The action a request performs; ``None`` when nothing is declared (then refused)."""
    action = route_action(current_app, req.endpoint)
    if action != "callback":
        return action
    body = req.get_json(silent=True) or {}
    output = body.get("output") if isinstance(body, dict) else None
    if not isinstance(output, str):
        return None
    return callback_action(current_app.extensions[DASH_APP_KEY], output)


def _same_origin(req: Request) -> bool:
    """A browser says where a POST comes from (Origin, else Referer, and Sec-Fetch-Site)."""
    if req.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    source = req.headers.get("Origin") or req.headers.get("Referer")
    if not source:
        return True  # not a browser (curl, scripts): no ambient cookie to abuse
    if source == "null":
        return False
    return urlsplit(source).netloc == urlsplit(req.host_url).netloc


def _wants_page(req: Request) -> bool:
    """A browser asking for a page (sent to /connexion), not a script or a data file (401)."""
    if req.method != "GET" or req.path.startswith("/_dash-"):
        return False
    return req.endpoint in ("/", "/<path:path>") or "text/html" in req.headers.get("Accept", "")


def authorize_request() -> Response | None:
    if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin(request):
        abort(403)  # cross-site request forgery
    action = action_for_request(request)
    if action is None:
        abort(403)  # deny by default: nothing declared
    user = current_user()
    if is_allowed(user, action):
        return None
    if user.is_anonymous:
        if _wants_page(request):
            return redirect(url_for("account.sign_in", next=request.full_path.rstrip("?")))
        abort(401)
    abort(403)


SESSION_IDENTITY: Final = "suivi-identity"  # the account as last read, in the signed cookie


def _load_user(session_id: str) -> User | None:
    """The session's user, read again at each request: a role changed, an account disabled or
    a password changed since the sign-in take effect at once.

    While the database is unreachable, the account as last read (kept in the signed session
    cookie) stands in, so that the page's own callbacks run and say in French that the database
    is away (issue #11) instead of a bare 401; they cannot read or write anything meanwhile."""
    username, _, stamp = session_id.rpartition(":")
    try:
        with database_errors(), db_session() as session:
            account = find_user(session, username)
    except DatabaseError:
        known = flask_session.get(SESSION_IDENTITY)
        if isinstance(known, dict) and known.get("id") == session_id:
            return User(
                username,
                str(known.get("role", "")),
                known.get("partner"),
                known.get("name"),
                stamp=stamp,
            )
        return None
    if account is None or not account.active or stamp != account.session_stamp:
        flask_session.pop(SESSION_IDENTITY, None)
        return None
    user = User.of(account)
    remembered = {
        "id": session_id,
        "role": user.role,
        "partner": user.partner_code,
        "name": user.display_name,
    }
    if flask_session.get(SESSION_IDENTITY) != remembered:
        flask_session[SESSION_IDENTITY] = remembered
    return user


def _anonymous() -> User:
    """A visitor without an account: may read the dashboards only when SUIVI_PUBLIC=1."""
    return PUBLIC_VISITOR if app_context().settings.public else ANONYMOUS


def init_auth(app: dash.Dash, settings: Settings) -> None:
    server = app.server
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.https,
    )
    # the reverse proxy's X-Forwarded-* headers are trusted in one place: dashboard.headers
    manager = LoginManager()
    manager.user_loader(_load_user)
    manager.anonymous_user = _anonymous  # type: ignore[assignment]
    manager.session_protection = "basic"
    manager.init_app(server)

    server.extensions[DASH_APP_KEY] = app
    server.before_request(authorize_request)


def client_address() -> str | None:
    """The client's IP (the proxy's view of it when ``SUIVI_HTTPS=1``), for the audit log."""
    return request.remote_addr if has_request_context() else None


class NotAllowed(PermissionError):
    """The user may not perform this action; the message says so in French."""


IDENTITY = "suivi-user"  # namespace of the user in ``dash.ctx.custom_data``


# Dash hooks are per process, not per app: registered once, here.
@dash.hooks.custom_data(IDENTITY)
def capture_identity(_context: Any) -> dict[str, str | None]:
    """Runs on the server for every callback request; a background job receives the result."""
    user = current_user()
    return {
        "username": user.username,
        "role": user.role,
        "partner": user.partner_code,
        "ip": client_address(),
    }


def require_in_background_job(action: str) -> User:
    """The user who queued the running background job, if allowed to perform ``action``."""
    identity = dash.ctx.custom_data.get(IDENTITY)
    if not isinstance(identity, dict):
        raise NotAllowed("Action refusée : utilisateur inconnu.")
    partner, address = identity.get("partner"), identity.get("ip")
    user = User(
        str(identity.get("username", "")),
        str(identity.get("role", "")),
        str(partner) if partner else None,
        address=str(address) if address else None,
    )
    if not is_allowed(user, action):
        raise NotAllowed("Action refusée : votre profil ne le permet pas.")
    return user
