"""``/schemas/valeurs.json``: the long upload format as a Frictionless Table Schema (issue #14),
built from the deployment's catalogue, so partners can check a file before sending it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from dashboard import readers
from dashboard.auth import requires
from indicators.ingest.table_schema import long_format_schema

blueprint = Blueprint("schemas", __name__)


@blueprint.get("/schemas/valeurs.json")
@requires("view")  # read like the pages: public when SUIVI_PUBLIC=1, else signed in
def long_format() -> Response:
    response = jsonify(long_format_schema(readers.catalogue()))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
