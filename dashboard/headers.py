"""Security headers on every response: pages, callbacks, routes, files (issue #12).

The Content-Security-Policy allows scripts from this server only, plus the exact inline scripts
Dash writes into the page (its renderer and clientside callbacks), by their sha256 hashes
(``Dash.csp_hashes``): no ``'unsafe-inline'``, no ``'unsafe-eval'`` for scripts. Styles keep
``'unsafe-inline'``: Dash components and plotly.js set ``style`` attributes and inject ``<style>``
elements. No page may be framed (``frame-ancestors 'none'``).

Behind a reverse proxy that terminates TLS, ``SUIVI_PROXIES`` says how many proxies'
``X-Forwarded-*`` headers to believe (werkzeug's ``ProxyFix``): the request is then seen as
HTTPS, and HSTS is sent.
"""

from __future__ import annotations

from dash import Dash
from flask import Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from indicators.config import Settings

HSTS = "max-age=31536000; includeSubDomains"
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers that ignore frame-ancestors
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeaders:
    """The ``after_request`` hook; the policy is computed once Dash knows its inline scripts."""

    def __init__(self, app: Dash) -> None:
        self.app = app
        self._policy: tuple[int, str] | None = None

    def policy(self) -> str:
        # clientside callbacks of page modules join the app at its first request
        hashes = list(self.app.csp_hashes())
        if self._policy is None or self._policy[0] != len(hashes):
            self._policy = (len(hashes), content_security_policy(hashes))
        return self._policy[1]

    def __call__(self, response: Response) -> Response:
        headers = response.headers
        for name, value in STATIC_HEADERS.items():
            headers.setdefault(name, value)
        headers.setdefault("Content-Security-Policy", self.policy())
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def init_headers(app: Dash, settings: Settings) -> None:
    server = app.server
    # SUIVI_PROXIES proxies are trusted; SUIVI_HTTPS alone means one (a TLS-terminating proxy)
    n = settings.proxies or (1 if settings.https else 0)
    if n:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n
        )
    server.after_request(SecurityHeaders(app))
