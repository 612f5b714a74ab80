"""``/healthz``: what a load balancer and an administrator need to know, as JSON.

Anyone gets the status (``ok`` / ``erreur``, and 200 / 503); the details — the database's
revision and the driver's error text, which may name hosts and users — go only to callers that
:func:`details_allowed` accepts (issue #12).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from dashboard.auth import current_user, is_allowed, requires
from dashboard.context import app_context
from indicators import __version__
from indicators.store import database_status

blueprint = Blueprint("health", __name__)


def details_allowed() -> bool:
    """``SUIVI_HEALTH_DETAILS=1`` (an internal probe), or a signed-in administrator."""
    if app_context().settings.health_details:
        return True
    user = current_user()
    return not user.is_anonymous and is_allowed(user, "admin")


@blueprint.get("/healthz")
@requires("public")
def healthz() -> tuple[Response, int]:
    status = database_status(app_context().engine)
    healthy = status.reachable and status.up_to_date
    body: dict[str, Any] = {"status": "ok" if healthy else "erreur"}
    if details_allowed():
        body |= {
            "app_version": __version__,
            "database": {
                "reachable": status.reachable,
                "revision": status.revision,
                "up_to_date": status.up_to_date,
                "error": status.error,
            },
            "data_version": status.data_version,
        }
    return jsonify(body), 200 if healthy else 503
