"""Deny by default, sign-in and forged requests, tried as an attacker would (issue #12).

The session's app is public (anonymous visitors read); ``private_app`` turns it private for a
test. Forged requests are posted to ``/_dash-update-component`` as a browser would, with ids and
values the attacker chooses.
"""

from __future__ import annotations

import json
from typing import Any

import dash
import pytest
from flask import Flask

from dashboard import auth
from indicators.accounts import list_events

pytestmark = pytest.mark.integration

# The callbacks that write or read what not everyone may: (module's function, allowed roles).
WRITING_CALLBACKS: dict[str, frozenset[str]] = {
    "receive_upload": frozenset({"deposant", "administrateur"}),
    "update_profile_choices": frozenset({"deposant", "administrateur"}),
    "check_file": frozenset({"deposant", "administrateur"}),
    "load_file": frozenset({"deposant", "administrateur"}),
    "undo_load": frozenset({"deposant", "administrateur"}),
    "adjust_plan": frozenset({"evaluateur", "administrateur"}),
    "freeze_report": frozenset({"evaluateur", "administrateur"}),
}
ROLES = (None, "lecteur", "deposant", "evaluateur", "administrateur")


def callback_keys(dash_app: dash.Dash) -> dict[str, str]:
    """Function name -> the callback's id in ``callback_map``."""
    keys = {}
    for key, entry in dash_app.callback_map.items():
        function = entry.get("callback")
        if function is not None:
            keys[getattr(function, "__name__", "")] = key
    return keys


@pytest.fixture
def populated(client, dash_app):  # type: ignore[no-untyped-def]
    client.get("/_dash-layout")  # page callbacks join the app's map on the first request
    return dash_app


def forged(client, output: str, **headers: str) -> Any:  # type: ignore[no-untyped-def]
    return client.post(
        "/_dash-update-component",
        json={"output": output, "outputs": [], "inputs": [], "state": [], "changedPropIds": []},
        headers=headers,
    )


def home_summary(client, **headers: str) -> Any:  # type: ignore[no-untyped-def]
    """A well-formed request of the home page's summary (a callback every reader may run)."""
    return client.post(
        "/_dash-update-component",
        json={
            "output": "home-summary.children",
            "outputs": {"id": "home-summary", "property": "children"},
            "inputs": [{"id": "accueil-annee", "property": "value", "value": None}],
            "changedPropIds": ["accueil-annee.value"],
        },
        headers=headers,
    )


def test_every_callback_and_route_declares_its_action(populated) -> None:  # type: ignore[no-untyped-def]
    server = populated.server
    undeclared = []
    server_side = 0
    for key, entry in populated.callback_map.items():
        if entry.get("callback") is None:
            continue  # clientside: runs in the browser, a POST naming it is refused
        server_side += 1
        action = auth.callback_action(populated, key)
        if action not in auth.PERMISSIONS:
            undeclared.append(key)
    assert server_side > 40 and undeclared == []
    routes = [rule for rule in server.url_map.iter_rules()]
    missing = [r.rule for r in routes if auth.route_action(server, r.endpoint) is None]
    assert len(routes) > 10 and missing == []


def test_an_undeclared_callback_or_route_is_refused_at_runtime(  # type: ignore[no-untyped-def]
    populated, client, login_as, monkeypatch
) -> None:
    login_as(client, "administrateur")  # even the administrator
    key = callback_keys(populated)["update_home_summary"]
    function = populated.callback_map[key]["callback"]
    monkeypatch.delattr(function, auth.ACTION_ATTRIBUTE)
    monkeypatch.delattr(function.__wrapped__, auth.ACTION_ATTRIBUTE)
    assert auth.callback_action(populated, key) is None
    assert forged(client, key).status_code == 403
    monkeypatch.setitem(populated.server.view_functions, "health.healthz", lambda: "ouvert")
    assert client.get("/healthz").status_code == 403
    # a callback id the app does not know, or a clientside one, is refused too
    assert forged(client, "inconnu.children").status_code == 403
    assert forged(client, "erreur-application.hidden").status_code == 403


def test_requires_marks_the_function_in_either_order() -> None:
    @auth.requires("upload")
    def first() -> None: ...

    assert auth.declared_action(first) == "upload"
    with pytest.raises(ValueError, match="action inconnue"):
        auth.requires("tout")


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonyme" for r in ROLES])
@pytest.mark.parametrize("function", sorted(WRITING_CALLBACKS))
def test_forged_callback_requests_by_role(  # type: ignore[no-untyped-def]
    populated, client, login_as, function: str, role: str | None
) -> None:
    """Each role forges each writing callback: 401 anonymous, 403 not allowed. An allowed
    role passes the authorisation point (not posted: a background job would start)."""
    login_as(client, role)
    key = callback_keys(populated)[function]
    allowed = role in WRITING_CALLBACKS[function]
    action = auth.callback_action(populated, key)
    assert action is not None
    user = auth.User(role, role) if role else auth.PUBLIC_VISITOR
    assert auth.is_allowed(user, action) is allowed
    if not allowed:
        assert forged(client, key).status_code == (401 if role is None else 403)


def test_anonymous_on_a_private_instance_must_sign_in(private_app, client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/indicateur/ACC_FS_NOMBRE", "/chargements?id=1"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/connexion?next=")
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/export/mesures.csv").status_code == 401
    refused = forged(client, "home-summary.children")
    assert refused.status_code == 401
    assert refused.get_json()["erreur"] == "Connexion requise"
    # what anyone may reach: the sign-in page, Dash's files, the health check
    page = client.get("/connexion?next=/carte")
    assert page.status_code == 200 and "Se connecter" in page.get_data(as_text=True)
    assert client.get("/assets/style.css").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_the_public_instance_shows_dashboards_but_never_writes(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/").status_code == 200
    assert home_summary(client).status_code == 200


def test_a_cross_origin_post_is_refused(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "administrateur")
    evil = {"Origin": "https://evil.example"}
    assert home_summary(client, **evil).status_code == 403
    assert home_summary(client, Referer="https://evil.example/x").status_code == 403
    assert home_summary(client, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert home_summary(client, Origin="null").status_code == 403
    assert home_summary(client, Origin="http://localhost").status_code == 200
    assert home_summary(client, Referer="http://localhost/carte").status_code == 200
    sign_in = client.post("/connexion", data={"username": "x", "password": "y"}, headers=evil)
    assert sign_in.status_code == 403


def _sign_in(client, username: str, password: str, address: str = "198.51.100.1") -> Any:  # type: ignore[no-untyped-def]
    return client.post(
        "/connexion",
        data={"username": username, "password": password, "next": "/import"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sign_in_sign_out_and_the_audit_log(client, dash_app, account_password) -> None:  # type: ignore[no-untyped-def]
    wrong = _sign_in(client, "deposant", "pas-le-bon", "198.51.100.2")
    assert wrong.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in wrong.get_data(as_text=True)
    right = _sign_in(client, "deposant", account_password, "198.51.100.2")
    assert right.status_code == 302 and right.headers["Location"] == "/import"
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    account = client.get("/mot-de-passe")
    assert account.status_code == 200 and "deposant" in account.get_data(as_text=True)
    assert client.post("/deconnexion").status_code == 302
    assert client.get("/mot-de-passe").status_code == 401  # signed out
    with dash_app.server.app_context():
        from dashboard.context import db_session

        with db_session() as session:
            events = list_events(session, limit=3)
    assert [(e.action, e.username, e.ip) for e in events] == [
        ("sign-out", "deposant", "127.0.0.1"),
        ("sign-in", "deposant", "198.51.100.2"),
        ("sign-in-failed", "deposant", "198.51.100.2"),
    ]


def test_an_open_redirect_after_sign_in_goes_home() -> None:
    from dashboard.routes.account import safe_next

    assert safe_next("https://evil.example/") == "/"
    assert safe_next("//evil.example/") == "/"
    assert safe_next("/carte?indicateur=X") == "/carte?indicateur=X"


def test_brute_force_gets_429_in_french(client) -> None:  # type: ignore[no-untyped-def]
    statuses = [_sign_in(client, "administrateur", f"essai-{n}", "203.0.113.9") for n in range(12)]
    codes = [response.status_code for response in statuses]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    assert "Trop de tentatives" in statuses[-1].get_data(as_text=True)
    # another address is not blocked
    assert _sign_in(client, "administrateur", "essai", "203.0.113.10").status_code == 401


def test_cookies_are_secure_behind_https(app_settings) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    app = dash.Dash("securite_https_test")
    server: Flask = app.server
    auth.init_auth(app, replace(app_settings, https=True))
    assert server.config["SESSION_COOKIE_SECURE"] is True
    assert server.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert server.config["SESSION_COOKIE_HTTPONLY"] is True


def test_the_audit_log_page_is_for_administrators(callbacks, client, login_as) -> None:  # type: ignore[no-untyped-def]
    _sign_in(client, "lecteur", "pas-le-bon", "198.51.100.77")  # something to find in the log
    login_as(client, "administrateur")
    shown = callbacks.call([("journal-liste", "children")], [("journal-demande", "data", 200)])
    text = json.dumps(shown["journal-liste"]["children"], ensure_ascii=False)
    assert "connexion refusée" in text and "198.51.100.77" in text
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert "Journal d'audit" in layout and "mon compte" in layout
    login_as(client, "evaluateur")
    assert forged(client, "journal-liste.children").status_code == 403
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert "Journal d'audit" not in layout
    login_as(client, None)
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert "Se connecter" in layout


def test_the_import_page_says_who_may_load(callbacks, client, login_as) -> None:  # type: ignore[no-untyped-def]
    def page() -> str:
        shown = callbacks.call(
            [("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", "/import"), ("_pages_location", "search", "")],
        )
        return json.dumps(shown["_pages_content"]["children"], ensure_ascii=False)

    assert "réservé aux déposants" in page() and "/connexion?next=/import" in page()
    login_as(client, "lecteur")
    assert "Votre profil ne le permet pas" in page()
    login_as(client, "deposant")
    shown = page()
    assert "import-upload" in shown and '"value": "INSEE"' in shown
    assert '"value": "ANCT"' not in shown  # a déposant loads for its own partner only


def test_a_new_password_ends_the_other_sessions(dash_app) -> None:  # type: ignore[no-untyped-def]
    from dashboard.context import db_session
    from indicators.accounts import create_user

    with dash_app.server.app_context(), db_session() as session, session.begin():
        create_user(session, "ines", role="lecteur", password="ancien-mot-de-passe")
    laptop, phone = dash_app.server.test_client(), dash_app.server.test_client()
    for device, address in ((laptop, "192.0.2.31"), (phone, "192.0.2.32")):
        assert _sign_in(device, "ines", "ancien-mot-de-passe", address).status_code == 302
    form = {"current": "ancien-mot-de-passe", "new": "nouveau-mot-de-passe", "confirm": "x"}
    assert laptop.post("/mot-de-passe", data=form).status_code == 400  # confirmation differs
    form["confirm"] = form["new"]
    changed = laptop.post("/mot-de-passe", data=form)
    assert changed.status_code == 200 and "Mot de passe changé" in changed.get_data(as_text=True)
    assert laptop.get("/mot-de-passe").status_code == 200  # this session goes on
    assert phone.get("/mot-de-passe").status_code == 401  # the other one ended
    assert _sign_in(phone, "ines", "ancien-mot-de-passe", "192.0.2.32").status_code == 401
    assert _sign_in(phone, "ines", "nouveau-mot-de-passe", "192.0.2.32").status_code == 302


@pytest.mark.redis
def test_sign_in_attempts_are_counted_in_redis_when_the_cache_is_redis(  # type: ignore[no-untyped-def]
    app_settings, redis_url
) -> None:
    from dataclasses import replace

    from dashboard.routes.account import LIMITER_KEY, init_account

    server = Flask("securite_redis_test")
    init_account(server, replace(app_settings, cache_type="redis", cache_url=redis_url))
    storage = server.extensions[LIMITER_KEY].storage
    assert type(storage).__name__ == "RedisStorage" and storage.check()
