"""``/import/lignes-a-corriger/<jeton>``: the "lignes à corriger" CSV of a check, as a link.

The check (a background job) writes the CSV once under ``$SUIVI_VAR_DIR/corrections/`` and gives
the page a link whose token is signed with the secret key and names the user who asked: the file
never travels inside the page (a ``data:`` URI of a million issues would), and nobody else can
download it (issue #12). A file is kept a day.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from flask import Blueprint, Response, abort, send_file
from itsdangerous import BadSignature, URLSafeSerializer

from dashboard.auth import current_user, requires
from dashboard.context import app_context
from indicators.ingest import Analysis, corrections_csv, safe_filename

blueprint = Blueprint("corrections", __name__)

SALT = "suivi-corrections"
KEPT_S = 24 * 3600


def corrections_dir() -> Path:
    return app_context().settings.var_dir / "corrections"


def keep_corrections(analysis: Analysis, username: str) -> str:
    """Write the "lignes à corriger" of ``analysis`` (the file's lines with a problem, as sent,
    and a French column saying what is wrong) and return the link that downloads it (for
    ``username``)."""
    directory = corrections_dir()
    directory.mkdir(parents=True, exist_ok=True)
    _prune(directory)
    name = secrets.token_urlsafe(18)
    (directory / f"{name}.csv").write_bytes(corrections_csv(analysis))
    stem = safe_filename(analysis.upload.filename).rsplit(".", 1)[0] or "fichier"
    token = URLSafeSerializer(app_context().settings.secret_key, salt=SALT).dumps(
        [name, username, f"{stem}-lignes-a-corriger.csv"]
    )
    return f"/import/lignes-a-corriger/{token}"


def _prune(directory: Path) -> None:
    limit = time.time() - KEPT_S
    for path in directory.glob("*.csv"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass  # another worker pruned it first


@blueprint.get("/import/lignes-a-corriger/<token>")
@requires("upload")  # and the token is bound to the person who checked the file
def download_corrections(token: str) -> Response:
    try:
        name, owner, download_name = URLSafeSerializer(
            app_context().settings.secret_key, salt=SALT
        ).loads(token)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    if owner != current_user().username:
        abort(404)  # someone else's: as if it did not exist
    path = corrections_dir() / f"{name}.csv"
    if not str(name).replace("-", "").replace("_", "").isalnum() or not path.is_file():
        abort(404)
    response = send_file(
        os.fspath(path),
        mimetype="text/csv",
        as_attachment=True,
        download_name=safe_filename(str(download_name)),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
