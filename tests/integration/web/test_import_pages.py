"""The import and load-history pages through their callbacks: check a file, load it, find it in
the history, undo it (demo data of the test session: Corse and Martinique).

The check and the load are background callbacks (issue #5 point 7) run by the local manager (a
subprocess per job, diskcache under var/): the client polls them as the browser does.

The load writes into the session's database: it uses a period the demo does not hold (2019) and
is undone at the end, so that other tests see the demo as it was."""

from __future__ import annotations

import base64
import dataclasses
import json
import sys
from typing import Any

import dash
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from import_requests import CHECK_OUTPUTS, LIST_OUTPUTS, LOAD_OUTPUTS, OPTIONS_STATES
from plotly.utils import PlotlyJSONEncoder

from dashboard import auth
from dashboard.auth import IDENTITY

pytestmark = pytest.mark.integration

CSV = (
    "indicateur;territoire;periode;valeur\n"
    "ACC_FS_DEMANDES;2A004;2019-T1;120\n"
    "ACC_FS_DEMANDES;2A041;2019-T1;35\n"
    "ACC_FS_DEMANDES;2A004;2019-T2;beaucoup\n"
)


UPLOADER = auth.User("deposant-anct", "deposant", "ANCT")


@pytest.fixture
def callbacks(callbacks, client, login_as):  # type: ignore[no-untyped-def]
    """The page's callbacks as ANCT's déposant (the file holds an ANCT indicator)."""
    login_as(client, "deposant-anct")
    return callbacks


def data_url(text: str, kind: str = "text/csv") -> str:
    return f"data:{kind};base64,{base64.b64encode(text.encode('utf-8')).decode('ascii')}"


def texts(component: Any) -> list[str]:
    """Every string of a serialised component tree, in order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list):
        return [text for child in component for text in texts(child)]
    if isinstance(component, dict):
        props = component.get("props", {})
        return texts(props.get("children")) if "children" in props else []
    return [str(component)] if isinstance(component, int | float) else []


def count(words: list[str], label: str) -> str:
    """The number shown after a count's label."""
    return words[words.index(label) + 1]


def find(component: Any, component_id: str) -> dict[str, Any] | None:
    if isinstance(component, list):
        return next((f for c in component if (f := find(c, component_id))), None)
    if isinstance(component, dict):
        props = component.get("props", {})
        if props.get("id") == component_id:
            return component
        return find(props.get("children"), component_id)
    return None


def upload(callbacks, text: str, filename: str = "demandes.csv") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", data_url(text))],
        [("import-upload", "filename", filename)],
    )
    return result


def check(callbacks, stored, options: list[str]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return callbacks.call(
        CHECK_OUTPUTS,
        [("import-verifier", "n_clicks", 1)],
        [("import-contenu", "data", stored), *OPTIONS_STATES, ("import-options", "value", options)],
    )


def load(callbacks, stored, options: list[str], key) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return callbacks.call(
        LOAD_OUTPUTS,
        [("import-valider", "n_clicks", 1)],
        [
            ("import-contenu", "data", stored),
            *OPTIONS_STATES,
            ("import-options", "value", options),
            ("import-verifie", "data", key),
        ],
    )


def loads(callbacks, load_id: int | None, done: int = 0) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return callbacks.call(
        LIST_OUTPUTS,
        [("chargements-demande", "data", load_id), ("chargements-rollback-fait", "data", done)],
    )


def test_pages_answer(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/import", "/chargements", "/chargements?id=1"):
        assert client.get(path).status_code == 200
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert "/import" in layout and "/chargements" in layout  # the menu lists them


def test_upload_check_load_list_and_undo(callbacks) -> None:  # type: ignore[no-untyped-def]
    received = upload(callbacks, CSV)
    stored = received["import-contenu"]["data"]
    assert stored["filename"] == "demandes.csv"
    assert "demandes.csv" in received["import-fichier"]["children"]

    # strict: refused, says what to fix, offers the corrections, nothing to validate
    refused = check(callbacks, stored, [])
    report = refused["import-resultat"]["children"]
    words = " ".join(texts(report))
    assert "Fichier refusé" in words and "lignes valides" in words
    assert refused["import-valider"]["disabled"] is True
    assert refused["import-verifie"]["data"] is None
    assert "Valeur non numérique" in words and "beaucoup" in words
    assert "invalid-value" not in words  # the French title, not the code
    link = find(report, "import-corrections")
    assert link is not None and link["props"]["href"].startswith("/import/lignes-a-corriger/")
    download = callbacks.client.get(link["props"]["href"])
    assert download.status_code == 200
    assert "demandes-lignes-a-corriger.csv" in download.headers["Content-Disposition"]
    corrections = download.data.decode("utf-8-sig")
    assert corrections.splitlines()[1] == (
        "ACC_FS_DEMANDES;2A004;2019-T2;beaucoup;"
        "Ligne 4 — Valeur non numérique (valeur) : « beaucoup » — Écrivez un nombre (virgule ou "
        "point décimal), ou laissez vide.;invalid-value"
    )

    # valid lines only: 2 to create, 1 rejected, the changes listed
    partial = check(callbacks, stored, ["partial"])
    report = partial["import-resultat"]["children"]
    words = texts(report)
    assert count(words, "Créées") == "2" and count(words, "Rejetées") == "1"
    assert count(words, "Modifiées") == "0" and count(words, "Inchangées") == "0"
    assert "Bonifacio (COM:2A041)" in words and "120" in words and "—" in words
    assert partial["import-valider"]["disabled"] is False
    key = partial["import-verifie"]["data"]

    # the options changed since the check: nothing is written
    stale = load(callbacks, stored, [], key)
    assert "relancez la vérification" in " ".join(texts(stale["import-confirmation"]["children"]))

    done = load(callbacks, stored, ["partial"], key)
    assert "import-confirmation" not in done or done["import-confirmation"]["children"] is None
    message = " ".join(texts(done["import-resultat"]["children"]))
    assert "enregistré" in message and "2 valeurs créées" in message
    assert "Rien n'a encore été enregistré" not in message  # the dry run's report is gone
    load_id = int(message.split("n°")[1].split(" ")[0])
    try:
        # the same file again changes nothing: nothing to validate
        again = check(callbacks, stored, ["partial"])
        assert f"chargement n°{load_id}" in " ".join(texts(again["import-resultat"]["children"]))
        assert again["import-valider"]["disabled"] is True

        history = loads(callbacks, load_id)
        listing = texts(history["chargements-liste"]["children"])
        assert str(load_id) in listing and "demandes.csv" in listing and "ANCT" in listing
        detail = texts(history["chargements-detail"]["children"])
        assert (
            "demandes.csv" in detail
            and "invalid-value" in detail
            and "Valeur non numérique" in detail  # the code's French title beside it
            and "Ajaccio (COM:2A004)" in detail
        )
        assert history["chargements-annuler"]["hidden"] is False
    finally:
        undone = callbacks.call(
            [("chargements-rollback-message", "children"), ("chargements-rollback-fait", "data")],
            [("chargements-rollback-confirmation", "submit_n_clicks", 1)],
            [("chargements-demande", "data", load_id), ("chargements-rollback-fait", "data", 0)],
        )
    text = " ".join(texts(undone["chargements-rollback-message"]["children"]))
    assert f"Chargement n°{load_id} annulé" in text and "2 supprimées" in text
    assert undone["chargements-rollback-fait"]["data"] == 1

    # undone: it cannot be undone twice, and the same file would create its values again
    history = loads(callbacks, load_id, 1)
    assert "annulé" in texts(history["chargements-detail"]["children"])
    assert history["chargements-annuler"]["hidden"] is True
    refused_again = callbacks.call(
        [("chargements-rollback-message", "children"), ("chargements-rollback-fait", "data")],
        [("chargements-rollback-confirmation", "submit_n_clicks", 2)],
        [("chargements-demande", "data", load_id), ("chargements-rollback-fait", "data", 1)],
    )
    assert "Annulation refusée" in " ".join(
        texts(refused_again["chargements-rollback-message"]["children"])
    )
    after = check(callbacks, stored, ["partial"])
    words = texts(after["import-resultat"]["children"])
    assert count(words, "Créées") == "2"


def test_an_oversized_file_is_refused_with_the_limit(callbacks, dash_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    context = dash_app.server.extensions["suivi"]
    monkeypatch.setattr(context, "settings", dataclasses.replace(context.settings, max_upload_mb=1))
    limit = callbacks.call(
        [("import-limite", "children")], [("import-upload", "id", "import-upload")]
    )
    assert "1 Mo au plus" in limit["import-limite"]["children"]
    received = upload(callbacks, "x" * (2 * 1024 * 1024))
    assert received["import-contenu"]["data"] is None
    message = received["import-fichier"]["children"]
    assert "trop volumineux" in message and "1 Mo" in message


def test_an_unrecognised_file_says_what_to_fix(callbacks) -> None:  # type: ignore[no-untyped-def]
    stored = upload(callbacks, "a;b\n1;2\n")["import-contenu"]["data"]
    result = check(callbacks, stored, ["partial"])
    words = " ".join(texts(result["import-resultat"]["children"]))
    assert "format long" in words and "Colonnes non reconnues" in words
    assert "Colonnes lues : a, b." in words  # which columns the page read
    assert words.count("Colonnes non reconnues") == 1  # said once, not again in « Anomalies »
    assert "Anomalies" not in words
    assert result["import-valider"]["disabled"] is True


def test_rollback_of_an_unknown_load_is_refused(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        [("chargements-rollback-message", "children"), ("chargements-rollback-fait", "data")],
        [("chargements-rollback-confirmation", "submit_n_clicks", 1)],
        [("chargements-demande", "data", 999_999), ("chargements-rollback-fait", "data", 0)],
    )
    assert "Annulation refusée" in " ".join(
        texts(result["chargements-rollback-message"]["children"])
    )


@pytest.mark.parametrize(
    ("output", "action"),
    [
        ("import-resultat", "upload"),
        ("import-confirmation", "upload"),
        ("import-contenu", "upload"),
        ("import-profil", "upload"),
        ("import-annuler", "view"),  # Dash's cancel callback: stops one's own job
        ("chargements-liste", "view"),
        ("chargements-rollback-confirmation", "view"),  # opens the dialog only
        ("chargements-rollback-message", "upload"),
    ],
)
def test_each_callback_asks_for_its_action(callbacks, dash_app, output, action) -> None:  # type: ignore[no-untyped-def]
    """The one authorisation point judges these callbacks by the action they declare."""
    from dashboard.auth import action_for_request

    keys = [key for key in dash_app.callback_map if f"{output}." in key]
    assert keys
    for key in keys:
        with dash_app.server.test_request_context(
            "/_dash-update-component", method="POST", json={"output": key}
        ) as context:
            assert action_for_request(context.request) == action


def importer() -> Any:
    """The import page's ``callbacks.py``, as the page ran it for this app."""
    name = next(p["module"] for p in dash.page_registry.values() if p["path"] == "/import")
    return sys.modules[name.rpartition(".")[0] + ".callbacks"]


def plain(value: Any) -> Any:
    """Components as the browser receives them."""
    return json.loads(json.dumps(value, cls=PlotlyJSONEncoder))


def test_the_local_manager_runs_jobs_in_var(dash_app, app_settings) -> None:  # type: ignore[no-untyped-def]
    manager = dash_app.server.extensions["suivi-background"]
    assert isinstance(manager, dash.DiskcacheManager)
    assert manager.handle.directory == str(app_settings.var_dir / "background")


def test_a_large_check_reports_progress_and_the_same_result(  # type: ignore[no-untyped-def]
    callbacks, dash_app, large_indicator_csv
) -> None:
    stored = upload(callbacks, large_indicator_csv, "accompagnements.csv")["import-contenu"]["data"]
    # the page keeps a token, not the file: the file is not sent again
    assert set(stored) == {"filename", "size", "token"}
    assert len(json.dumps(stored)) < 500 < stored["size"]

    result = check(callbacks, stored, [])  # a background job, polled until it answers
    shown = [value for progress in callbacks.progress for value in progress.values()]
    assert any(isinstance(text, str) and " — " in text for text in shown), callbacks.progress
    words = texts(result["import-resultat"]["children"])
    assert count(words, "Créées") == "50\u202f000" and count(words, "Rejetées") == "0"
    assert result["import-valider"]["disabled"] is False

    with dash_app.server.app_context():
        direct = importer().check_outputs(stored, "ANCT", "", [], UPLOADER)
    outputs = [result[cid][prop] for cid, prop in CHECK_OUTPUTS]
    assert outputs == plain(list(direct.values()))


def test_the_upload_token_is_signed_and_bound_to_its_user(callbacks, dash_app) -> None:  # type: ignore[no-untyped-def]
    stored = upload(callbacks, "indicateur;territoire;periode;valeur\n")["import-contenu"]["data"]
    forged = {**stored, "token": stored["token"][:-2] + "xx"}
    message = " ".join(texts(check(callbacks, forged, [])["import-resultat"]["children"]))
    assert "Fichier introuvable" in message
    with dash_app.server.app_context():
        someone_else = auth.User("autre", "agent")
        outputs = importer().check_outputs(stored, None, "", [], someone_else)
    assert "Fichier introuvable" in " ".join(texts(plain(outputs["report"])))
    assert outputs["disabled"] is True


@pytest.fixture
def job_context(dash_app):  # type: ignore[no-untyped-def]
    """What a background job's process holds: the callback context the request passed on."""

    tokens = []

    def enter(identity: dict[str, str] | None) -> None:
        custom = {IDENTITY: identity} if identity is not None else {}
        tokens.append(context_value.set(AttributeDict(custom_data=custom, updated_props={})))

    yield enter
    for token in reversed(tokens):
        context_value.reset(token)


@pytest.mark.parametrize(
    "identity",
    [None, {"username": "visiteur", "role": "anonyme"}],
    ids=["no-identity", "role-not-allowed"],
)
def test_the_job_checks_the_user_captured_in_the_request(  # type: ignore[no-untyped-def]
    job_context, monkeypatch, identity
) -> None:
    monkeypatch.setitem(auth.PERMISSIONS, "upload", frozenset({"agent"}))
    job_context(identity)
    check_job = importer().check_file
    checked = check_job(lambda _: None, 1, {"token": "x"}, None, "", [])
    assert "Action refusée" in " ".join(texts(plain(checked["report"])))
    assert checked["disabled"] is True and checked["key"] is None
    load_job = importer().load_file
    refused = load_job(lambda _: None, 1, {"token": "x"}, None, "", [], "clé")
    assert "Action refusée" in " ".join(texts(plain(refused["confirmation"])))
    assert refused["result"] is dash.no_update  # the report stays


def test_the_request_captures_the_user_for_the_job(client) -> None:  # type: ignore[no-untyped-def]
    hooks = dash._hooks.HooksManager.get_hooks("custom_data")
    assert [hook.data["namespace"] for hook in hooks].count(IDENTITY) == 1
    with client.application.test_request_context("/_dash-update-component", method="POST"):
        captured = auth.capture_identity({})
        assert captured == {"username": "", "role": "visiteur", "partner": None, "ip": None}
    from flask_login import login_user

    with client.application.test_request_context(
        "/_dash-update-component", method="POST", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    ):
        login_user(UPLOADER)
        assert auth.capture_identity({}) == {
            "username": "deposant-anct",
            "role": "deposant",
            "partner": "ANCT",
            "ip": "192.0.2.7",
        }


def test_an_allowed_user_runs_the_job(job_context, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(auth.PERMISSIONS, "upload", frozenset({"agent"}))
    job_context({"username": "agent1", "role": "agent"})
    check_job = importer().check_file
    checked = check_job(lambda _: None, 1, None, None, "", [])
    assert "Déposez d'abord un fichier." in texts(plain(checked["report"]))
    assert checked["disabled"] is True


def test_a_period_in_another_form_is_checked_with_a_notice(callbacks) -> None:  # type: ignore[no-untyped-def]
    text = (
        "indicateur;territoire;periode;valeur\n"
        "ACC_FS_DEMANDES;2A004;2019Q1;120\n"
        "ACC_FS_DEMANDES;2A041;2019Q1;35\n"
        "ACC_FS_DEMANDES;2A004;T2 2019;40\n"
        "ACC_FS_DEMANDES;2A041;2019-T2;41\n"
    )
    stored = upload(callbacks, text)["import-contenu"]["data"]
    checked = check(callbacks, stored, [])
    words = texts(checked["import-resultat"]["children"])
    notices = [word for word in words if "a été lu comme" in word]
    assert notices == [
        "(avertissement) « 2019Q1 » a été lu comme 1er trimestre 2019 (2019-T1)",
        "(avertissement) « T2 2019 » a été lu comme 2e trimestre 2019 (2019-T2)",
    ]  # one per written form, none for the canonical 2019-T2
    assert words.count("Période lue dans une autre écriture") == 2
    assert count(words, "Avertissements") == "2" and count(words, "Rejetées") == "0"
    assert checked["import-valider"]["disabled"] is False  # a notice does not refuse the file
