"""Run by ``test_import_celery.py`` in its own process (one Dash app per process): upload, check
and load a small file through ``/import``'s callbacks with the ``SUIVI_*`` environment, whose
``SUIVI_CELERY_URL`` sends the jobs to a Celery worker. Prints what the page would show, as JSON.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard.app import create_app
from dashboard.auth import User
from dashboard.context import db_session
from dashboard.testing import CallbackClient
from indicators.accounts import create_user

CSV = "indicateur;territoire;periode;valeur\nACC_FS_DEMANDES;01004;2019-T1;120\n"
STATES = [("import-partenaire", "value", None), ("import-profil", "value", "")]


def main() -> None:
    app = create_app()
    with app.server.app_context(), db_session() as session, session.begin():
        admin = create_user(session, "admin-celery", role="administrateur", password=None)
    client = app.server.test_client()
    with client.session_transaction() as cookie:  # signed in, as /connexion would do
        cookie["_user_id"] = User.of(admin).get_id()
    callbacks = CallbackClient(client, app)
    contents = "data:text/csv;base64," + base64.b64encode(CSV.encode()).decode()
    stored = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", contents)],
        [("import-upload", "filename", "demandes.csv")],
    )["import-contenu"]["data"]
    states = [("import-contenu", "data", stored), *STATES, ("import-options", "value", [])]
    checked = callbacks.call(
        [
            ("import-resultat", "children"),
            ("import-valider", "disabled"),
            ("import-verifie", "data"),
            ("import-confirmation", "children"),
        ],
        [("import-verifier", "n_clicks", 1)],
        states,
    )
    loaded = callbacks.call(
        [
            ("import-resultat", "children"),
            ("import-fichier", "children"),
            ("import-confirmation", "children"),
            ("import-valider", "disabled"),
        ],
        [("import-valider", "n_clicks", 1)],
        [*states, ("import-verifie", "data", checked["import-verifie"]["data"])],
    )
    print(json.dumps({"check": checked, "load": loaded}))


if __name__ == "__main__":
    main()
