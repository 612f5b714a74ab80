"""Security headers on pages, callbacks, routes and errors; ``/healthz`` tells strangers only the
status; Dash's MCP endpoint is off (issue #12)."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard import auth
from dashboard.auth import User
from dashboard.routes import health
from indicators.store import database_status

pytestmark = pytest.mark.integration

CALLBACK = {
    "output": "home-summary.children",
    "outputs": {"id": "home-summary", "property": "children"},
    "inputs": [{"id": "url", "property": "pathname", "value": "/"}],
    "changedPropIds": ["url.pathname"],
}


def responses(client: Any) -> dict[str, Any]:
    return {
        "page": client.get("/carte"),
        "callback": client.post("/_dash-update-component", json=CALLBACK),
        "route": client.get("/healthz"),
        "export": client.get("/export/carte.csv"),  # a 400
        "not-found": client.get("/nulle-part.txt"),
        "asset": client.get("/assets/style.css"),
    }


def test_every_kind_of_response_carries_the_headers(client: Any) -> None:
    for kind, response in responses(client).items():
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff", kind
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", kind
        assert headers["X-Frame-Options"] == "DENY", kind
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, kind
        assert "Strict-Transport-Security" not in headers, kind  # plain HTTP here


def test_the_policy_allows_dash_inline_scripts_by_hash_only(client: Any, dash_app: Any) -> None:
    page = client.get("/")
    policy = dict(
        part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";")
    )
    scripts = policy["script-src"].split()
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert set(dash_app.csp_hashes()) <= set(scripts)
    assert policy["object-src"] == "'none'" and policy["default-src"] == "'self'"


def test_hsts_is_sent_over_https_only(client: Any) -> None:
    secure = client.get("/", base_url="https://suivi.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_behind_a_trusted_proxy_https_is_recognised(app_settings: Any, tmp_path: Any) -> None:
    """SUIVI_PROXIES=1: the proxy's X-Forwarded-Proto says HTTPS (a second app, routes only)."""
    from dataclasses import replace

    from flask import Flask

    from dashboard.headers import SecurityHeaders, init_headers

    class FakeDash:
        server = Flask("proxy-test")

        def csp_hashes(self) -> list[str]:
            return []

    app = FakeDash()
    init_headers(app, replace(app_settings, proxies=1))  # type: ignore[arg-type]
    app.server.add_url_rule("/", "index", lambda: "ok")
    client = app.server.test_client()
    forwarded = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in forwarded.headers
    assert isinstance(SecurityHeaders(app), SecurityHeaders)  # type: ignore[arg-type]
    # without SUIVI_PROXIES, a client's own X-Forwarded-Proto is not believed
    bare = FakeDash()
    bare.server = Flask("no-proxy-test")
    init_headers(bare, app_settings)  # type: ignore[arg-type]
    bare.server.add_url_rule("/", "index", lambda: "ok")
    spoofed = bare.server.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


def test_healthz_tells_strangers_the_status_only(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(engine: Any) -> Any:
        status = database_status(engine)
        return type(status)(
            **{
                **status.__dict__,
                "reachable": False,
                "error": 'password authentication failed for user "suivi" (db.interne:5432)',
            }
        )

    monkeypatch.setattr(health, "database_status", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "erreur"}
    assert "db.interne" not in response.get_data(as_text=True)

    # a signed-in administrator (the accounts' check) sees the driver's error
    monkeypatch.setattr(health, "current_user", lambda: User("admin", "administrateur"))
    monkeypatch.setitem(auth.PERMISSIONS, "admin", frozenset({"administrateur"}))
    detailed = client.get("/healthz").get_json()
    assert "db.interne" in detailed["database"]["error"]
    monkeypatch.setattr(health, "current_user", lambda: User("lecteur", "lecteur"))
    assert client.get("/healthz").get_json() == {"status": "erreur"}


def test_dash_mcp_endpoint_is_off(client: Any, dash_app: Any, monkeypatch: Any) -> None:
    assert dash_app._enable_mcp is False
    for path in ("/_mcp", "/_mcp/", "/_mcp/sse"):
        assert client.get(path).status_code == 404
        call = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        assert client.post(path, json=call).status_code == 404
    assert client.get("/nulle-part").status_code == 200  # the control: Dash Pages' shell
