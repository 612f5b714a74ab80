"""``/geo/<name>.geojson``: boundaries, sent once and then cached by the browser.

Maps name their geometry by URL (Plotly fetches a ``geojson`` given as a string), so a map update
carries values only. The files are compressed once per process, not per request.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import shapely
import shapely.geometry
from flask import Blueprint, Response, abort, request

from dashboard.auth import requires
from dashboard.context import app_context

blueprint = Blueprint("geo", __name__)

NAMES = re.compile(r"^(regions|departements|epci|communes-(\d[0-9AB]|\d{3}))$")
MAX_AGE = 7 * 24 * 3600


@dataclass(frozen=True)
class GeoFile:
    raw: bytes
    compressed: bytes
    etag: str


def geometry_path(reference_dir: Path, name: str) -> Path:
    if name.startswith("communes-"):
        return reference_dir / "geo" / "communes" / f"{name.removeprefix('communes-')}.geojson"
    return reference_dir / "geo" / f"{name}.geojson"


@cache
def _load(path: Path) -> GeoFile:
    raw = clockwise_geojson(path.read_bytes())
    return GeoFile(raw, gzip.compress(raw, 6, mtime=0), hashlib.sha256(raw).hexdigest()[:20])


def clockwise_geojson(raw: bytes) -> bytes:
    """Outer rings clockwise, as d3-geo (inside Plotly) wants them.

    The files follow RFC 7946 (outer rings anticlockwise); d3 reads an anticlockwise ring on the
    sphere as "everything but this polygon" and paints the whole map.
    """
    collection = json.loads(raw)
    for feature in collection["features"]:
        geometry = shapely.geometry.shape(feature["geometry"])
        oriented = shapely.orient_polygons(geometry, exterior_cw=True)
        feature["geometry"] = shapely.geometry.mapping(oriented)
    return json.dumps(collection, separators=(",", ":")).encode()


def geometry_url(name: str) -> str:
    return f"/geo/{name}.geojson"


# Plotly's geo maps fetch a world base map from a CDN even when it is hidden; this machine (and
# many administrations' networks) cannot reach it. Graphs point ``topojsonURL`` here instead and
# get an empty base map written for this project (assets/empty_topojson.json).
TOPOJSON_URL = "/geo/topojson/"
EMPTY_TOPOJSON = Path(__file__).resolve().parents[2] / "assets" / "empty_topojson.json"


@blueprint.get("/geo/topojson/<name>.json")
@requires("view")
def empty_base_map(name: str) -> Response:
    response = Response(EMPTY_TOPOJSON.read_bytes(), mimetype="application/json")
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@blueprint.get("/geo/<name>.geojson")
@requires("view")
def geometry(name: str) -> Response:
    if not NAMES.match(name):
        abort(404)
    path = geometry_path(app_context().settings.reference_dir, name)
    if not path.is_file():
        abort(404)
    geo = _load(path)
    if request.if_none_match.contains(geo.etag):
        response = Response(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(geo.compressed, mimetype="application/geo+json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(geo.raw, mimetype="application/geo+json")
    response.set_etag(geo.etag)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
