"""Files sent to ``/import``: kept once on the server, reached through a signed token.

``dcc.Upload`` sends the file once, in base64. The upload callback writes its bytes to the raw
store (``$SUIVI_VAR_DIR/uploads/``, named by sha256, where a load keeps them anyway) and gives the
page only a token; the check and the load (background jobs, possibly in a Celery worker that
shares that folder) read the bytes back. The file never travels back to the browser, nor again
to the server.

The token is signed with the secret key and names the user who sent the file, so that a sha256
seen in the loads history does not open someone else's file.
"""

from __future__ import annotations

from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer

from indicators.ingest import UploadedFile, read_raw_file, store_raw_file

SALT = "suivi-import-upload"


class UploadExpired(LookupError):
    """The token is forged, belongs to another user, or its file is gone; French message."""


def keep_upload(upload: UploadedFile, directory: Path, secret_key: str, username: str) -> str:
    """Store ``upload``'s bytes (once per content) and return the token that reaches them."""
    store_raw_file(upload.data, upload.sha256, directory)
    serializer = URLSafeSerializer(secret_key, salt=SALT)
    return str(serializer.dumps([upload.sha256, upload.filename, username]))


def kept_upload(token: str, directory: Path, secret_key: str, username: str) -> UploadedFile:
    """The file behind ``token``, if ``username`` sent it."""
    try:
        sha256, filename, owner = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise UploadExpired("Fichier introuvable : déposez-le de nouveau.") from None
    if owner != username:
        raise UploadExpired("Fichier introuvable : déposez-le de nouveau.")
    try:
        return UploadedFile(str(filename), read_raw_file(str(sha256), directory))
    except FileNotFoundError:
        raise UploadExpired(
            "Le fichier n'est plus sur le serveur : déposez-le de nouveau."
        ) from None
