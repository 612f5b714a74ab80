"""``/healthz``: what a load balancer and an administrator need to know, as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from dashboard.auth import requires
from dashboard.context import app_context
from indicators import __version__
from indicators.store import database_status

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
@requires("public")
def healthz() -> tuple[Response, int]:
    status = database_status(app_context().engine)
    healthy = status.reachable and status.up_to_date
    body = {
        "status": "ok" if healthy else "erreur",
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
