"""INSEE's déposant attacks ANCT's data through forged callback requests (issue #12): load ANCT's
indicator, roll back ANCT's load, read its rejected lines, use its import profile.

ANCT's load (period 2017, a rejected line) and profile are written into the session's database by
the module fixture and removed afterwards, so that other tests see the demo as it was.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Iterator
from typing import Any

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import func, select

from indicators.ingest import (
    LoadOptions,
    UploadedFile,
    analyse,
    commit_analysis,
    delete_profile,
    rollback_load,
    save_profile,
)
from indicators.store.models import Observation

pytestmark = pytest.mark.integration

HEADER = "indicateur;territoire;periode;valeur\n"
ANCT_FILE = HEADER + "ACC_FS_DEMANDES;2A004;2017-T1;120\nACC_FS_DEMANDES;2A041;2017-T1;secret-42\n"
PROFILE = {
    "name": "export anct",
    "territory": {"column": "territoire", "level": "COM"},
    "period": {"column": "periode"},
    "indicator": {"column": "indicateur"},
    "values": [{"column": "valeur"}],
}
CHECK_OUTPUTS = [
    ("import-resultat", "children"),
    ("import-valider", "disabled"),
    ("import-verifie", "data"),
    ("import-confirmation", "children"),
]
LIST_OUTPUTS = [
    ("chargements-liste", "children"),
    ("chargements-detail", "children"),
    ("chargements-annuler", "hidden"),
]
ROLLBACK_OUTPUTS = [
    ("chargements-rollback-message", "children"),
    ("chargements-rollback-fait", "data"),
]


def words(component: Any) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def importer() -> Any:
    """The import page's ``callbacks.py``, as the page ran it for this app."""
    name = next(p["module"] for p in dash.page_registry.values() if p["path"] == "/import")
    return sys.modules[name.rpartition(".")[0] + ".callbacks"]


@pytest.fixture(scope="module")
def anct(dash_app) -> Iterator[dict[str, int]]:  # type: ignore[no-untyped-def]
    """ANCT's load (one line rejected) and import profile."""
    from dashboard import readers
    from dashboard.context import db_session

    with dash_app.server.app_context():
        with db_session() as session:
            analysis = analyse(
                UploadedFile("anct.csv", ANCT_FILE.encode()),
                catalogue=readers.catalogue(),
                referential=readers.referential(),
                session=session,
                partner_code="ANCT",
                partner_scope="ANCT",
                options=LoadOptions(accept_partial=True),
            )
        with db_session() as session, session.begin():
            outcome = commit_analysis(
                session,
                analysis,
                catalogue=readers.catalogue(),
                raw_dir=None,
                username="deposant-anct",
                partner_code="ANCT",
            )
            profile = save_profile(session, PROFILE, partner_code="ANCT", header=["x", "y"])
    assert outcome.status == "committed"
    yield {"load": outcome.load_id, "profile": profile.id}
    with dash_app.server.app_context():
        with db_session() as session, session.begin():
            delete_profile(session, profile.id)
        with db_session() as session, session.begin():
            rollback_load(session, outcome.load_id, catalogue=readers.catalogue())


@pytest.fixture
def insee(callbacks, client, login_as):  # type: ignore[no-untyped-def]
    login_as(client, "deposant")  # INSEE's déposant
    return callbacks


def upload(callbacks, text: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    data = f"data:text/csv;base64,{base64.b64encode(text.encode()).decode()}"
    result = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", data)],
        [("import-upload", "filename", "attaque.csv")],
    )
    return dict(result["import-contenu"]["data"])


def check(callbacks, stored, partner: str, profile: str = "", options=()) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return callbacks.call(
        CHECK_OUTPUTS,
        [("import-verifier", "n_clicks", 1)],
        [
            ("import-contenu", "data", stored),
            ("import-partenaire", "value", partner),
            ("import-profil", "value", profile),
            ("import-options", "value", list(options)),
        ],
    )


def anct_values(dash_app) -> int:  # type: ignore[no-untyped-def]
    from dashboard.context import db_session

    with dash_app.server.app_context(), db_session() as session:
        query = select(func.count()).where(
            Observation.indicator_code == "ACC_FS_DEMANDES", Observation.period == "2018-T1"
        )
        return int(session.scalar(query) or 0)


def test_insee_cannot_load_anct_indicators(insee, dash_app) -> None:  # type: ignore[no-untyped-def]
    text = HEADER + "ACC_FS_DEMANDES;2A004;2018-T1;999\n"
    stored = upload(insee, text)
    refused = check(insee, stored, "INSEE")
    assert "Indicateur d'un autre partenaire" in words(refused["import-resultat"]["children"])
    assert (
        refused["import-valider"]["disabled"] is True and refused["import-verifie"]["data"] is None
    )
    # claiming to load for ANCT is refused before anything is read
    claimed = check(insee, stored, "ANCT")
    assert "partenaire INSEE uniquement" in words(claimed["import-resultat"]["children"])
    # forging the load itself (its key is computable): the core checks again, writes nothing
    from dashboard.pages.importer.views import _request_key

    key = _request_key(stored, "INSEE", "", ["partial"])
    before = anct_values(dash_app)
    done = insee.call(
        [
            ("import-resultat", "children"),
            ("import-fichier", "children"),
            ("import-confirmation", "children"),
            ("import-valider", "disabled"),
        ],
        [("import-valider", "n_clicks", 1)],
        [
            ("import-contenu", "data", stored),
            ("import-partenaire", "value", "INSEE"),
            ("import-profil", "value", ""),
            ("import-options", "value", ["partial"]),
            ("import-verifie", "data", key),
        ],
    )
    confirmation = words(done["import-resultat"]["children"])  # the report, anew
    assert "Indicateur d'un autre partenaire" in confirmation
    assert "Chargement n°" not in confirmation
    assert anct_values(dash_app) == before


def test_insee_cannot_roll_back_anct_load(insee, client, dash_app, login_as, anct) -> None:  # type: ignore[no-untyped-def]
    result = insee.call(
        ROLLBACK_OUTPUTS,
        [("chargements-rollback-confirmation", "submit_n_clicks", 1)],
        [("chargements-demande", "data", anct["load"]), ("chargements-rollback-fait", "data", 0)],
    )
    message = words(result["chargements-rollback-message"]["children"])
    assert "Annulation refusée" in message and "pas un chargement de INSEE" in message
    shown = insee.call(
        LIST_OUTPUTS,
        [("chargements-demande", "data", anct["load"]), ("chargements-rollback-fait", "data", 0)],
    )
    assert shown["chargements-annuler"]["hidden"] is True  # no button either
    login_as(client, "lecteur")
    key = next(k for k in dash_app.callback_map if "chargements-rollback-message" in k)
    refused = client.post("/_dash-update-component", json={"output": key, "inputs": []})
    assert refused.status_code == 403


def test_only_anct_and_administrators_read_anct_rejected_lines(  # type: ignore[no-untyped-def]
    callbacks, client, login_as, anct
) -> None:
    request = [
        ("chargements-demande", "data", anct["load"]),
        ("chargements-rollback-fait", "data", 0),
    ]
    seen = {}
    for role in (None, "lecteur", "evaluateur", "deposant", "deposant-anct", "administrateur"):
        login_as(client, role)
        detail = words(callbacks.call(LIST_OUTPUTS, request)["chargements-detail"]["children"])
        seen[role] = "secret-42" in detail
    assert seen == {
        None: False,
        "lecteur": False,
        "evaluateur": False,
        "deposant": False,
        "deposant-anct": True,
        "administrateur": True,
    }


def test_insee_cannot_see_or_use_anct_profile(insee, anct) -> None:  # type: ignore[no-untyped-def]
    options = insee.call([("import-profil", "options")], [("import-partenaire", "value", "ANCT")])
    values = [option["value"] for option in options["import-profil"]["options"]]
    assert str(anct["profile"]) not in values
    stored = upload(insee, HEADER + "MOB_ACTIFS;2A004;2024;400\n")
    forged = check(insee, stored, "INSEE", profile=str(anct["profile"]))
    assert "Profil d'un autre partenaire" in words(forged["import-resultat"]["children"])
    assert forged["import-valider"]["disabled"] is True
