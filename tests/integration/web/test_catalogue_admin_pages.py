"""``/administration/catalogue`` (issue #14): administrators create and edit definitions through
forms checked like ``suivi catalogue check``; everyone else is refused (403)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.testing import CallbackClient
from indicators.store import make_engine
from indicators.store.models import AuditEvent, CatalogueEdit

pytestmark = pytest.mark.integration

SAVE = "catadmin-enregistrer"
ERROR = "catadmin-erreur"
FIELD = "catadmin-champ"
PATH = "/administration/catalogue"
NEW_PARTNER = {
    "code": "TESTADM",
    "name": "Partenaire créé par un test",
    "kind": "operateur",
    "description": "",
    "website": "",
}


def page(callbacks: CallbackClient, search: str) -> str:
    shown = callbacks.call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", PATH), ("_pages_location", "search", search)],
    )
    return json.dumps(shown["_pages_content"]["children"], ensure_ascii=False)


def save(client: Any, dash_app: Any, kind: str, values: dict[str, Any], code: str | None) -> Any:
    """POST the save callback as the browser sends it (pattern-matching states as lists)."""
    client.get("/_dash-layout")
    output = next(key for key in dash_app.callback_map if "catadmin-resultat.children" in key)
    keys = list(values)

    def ids(kind_of: str, prop: str, value: Any) -> list[dict[str, Any]]:
        return [
            {"id": {"type": kind_of, "key": k}, "property": prop, "value": value(k)} for k in keys
        ]

    payload = {
        "output": output,
        "outputs": [
            {"id": "catadmin-resultat", "property": "children"},
            [{"id": {"type": ERROR, "key": k}, "property": "children"} for k in keys],
            {"id": "catadmin-enregistre", "property": "data"},
        ],
        "inputs": [{"id": SAVE, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": "catadmin-type", "property": "data", "value": kind},
            {"id": "catadmin-code", "property": "data", "value": code},
            ids(FIELD, "id", lambda k: {"type": FIELD, "key": k}),
            ids(FIELD, "value", lambda k: values[k]),
            ids(ERROR, "id", lambda k: {"type": ERROR, "key": k}),
        ],
        "changedPropIds": [f"{SAVE}.n_clicks"],
    }
    return client.post("/_dash-update-component", json=payload)


def _edits(app_settings: Any) -> list[tuple[str, str, str | None]]:
    engine = make_engine(app_settings.effective_database_url)
    with Session(engine) as session:
        rows = session.execute(
            select(CatalogueEdit.kind, CatalogueEdit.code, CatalogueEdit.username)
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_administrators_create_a_partner_others_are_refused(  # type: ignore[no-untyped-def]
    client, dash_app, callbacks, login_as, app_settings, undo_catalogue_edits
) -> None:
    for role in ("lecteur", "deposant", "evaluateur"):
        login_as(client, role)
        assert "réservée aux administrateurs" in page(callbacks, "")
        assert save(client, dash_app, "partner", NEW_PARTNER, None).status_code == 403
    assert _edits(app_settings) == []

    login_as(client, "administrateur")
    listing = page(callbacks, "")
    assert (
        "Nouveau partenaire" in listing and "INSEE" in listing and "ACC_FS_TEMPS_ACCES" in listing
    )
    form = page(callbacks, "?partenaire=nouveau")
    assert '"key": "kind"' in form and "opérateur de l'État" in form

    # a code that breaks the rule of the files: the file's message, next to the field
    refused = save(
        client, dash_app, "partner", NEW_PARTNER | {"code": "t", "kind": "opérateur"}, None
    )
    assert refused.status_code == 200
    response = refused.get_json()["response"]

    def under(key: str) -> str:
        slot = response[json.dumps({"key": key, "type": ERROR}, separators=(",", ":"))]
        return json.dumps(slot, ensure_ascii=False)

    assert "code « T » mal formé : attendu majuscules, chiffres et _ (ex. INSEE)" in under("code")
    assert "valeur « opérateur » invalide pour « kind »" in under("kind")
    assert under("name") == '{"children": null}'
    assert "Rien n'a été enregistré" in json.dumps(
        response["catadmin-resultat"], ensure_ascii=False
    )
    assert _edits(app_settings) == []

    created = save(client, dash_app, "partner", NEW_PARTNER, None)
    text = json.dumps(created.get_json()["response"], ensure_ascii=False)
    assert "Partenaire « TESTADM » créé" in text
    assert _edits(app_settings) == [("partner", "TESTADM", "administrateur")]
    # every page sees it at once: the import page lists it
    assert "TESTADM" in page(callbacks, "?partenaire=TESTADM")
    again = save(client, dash_app, "partner", NEW_PARTNER, None)
    assert "existe déjà" in json.dumps(again.get_json()["response"], ensure_ascii=False)

    changed = save(client, dash_app, "partner", NEW_PARTNER | {"name": "Nom changé"}, "TESTADM")
    assert "enregistré" in json.dumps(changed.get_json()["response"], ensure_ascii=False)
    assert len(_edits(app_settings)) == 2
    engine = make_engine(app_settings.effective_database_url)
    with Session(engine) as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "catalogue-edited")
        ).all()
    engine.dispose()
    assert [(e.username, e.details["code"], e.details["created"]) for e in audited][-2:] == [
        ("administrateur", "TESTADM", True),
        ("administrateur", "TESTADM", False),
    ]


def test_an_indicator_form_shows_its_versions(callbacks, client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "administrateur")
    form = page(callbacks, "?indicateur=ACC_FS_TEMPS_ACCES")
    assert '"value": "ACC_FS_TEMPS_ACCES"' in form and '"disabled": true' in form
    shown = callbacks.call(
        [("catadmin-historique", "children")],
        [("catadmin-enregistre", "data", None)],
        [("catadmin-type", "data", "indicator"), ("catadmin-code", "data", "ACC_FS_TEMPS_ACCES")],
    )
    text = json.dumps(shown, ensure_ascii=False)
    assert "Versions de la définition" in text and "première version" in text
    assert "Jamais modifié en ligne" in text
    login_as(client, "deposant")
    response = client.post(
        "/_dash-update-component",
        json={
            "output": "catadmin-historique.children",
            "outputs": {"id": "catadmin-historique", "property": "children"},
            "inputs": [{"id": "catadmin-enregistre", "property": "data", "value": None}],
            "state": [],
            "changedPropIds": ["catadmin-enregistre.data"],
        },
    )
    assert response.status_code == 403


def test_an_edit_saved_by_another_worker_is_seen_at_the_next_request(  # type: ignore[no-untyped-def]
    callbacks, client, login_as, app_settings, undo_catalogue_edits
) -> None:
    from indicators.catalogue.tables import TableEdit
    from indicators.precompute.catalogue_edit import save_edit

    login_as(client, "administrateur")

    def import_page() -> str:
        shown = callbacks.call(
            [("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", "/import"), ("_pages_location", "search", "")],
        )
        return json.dumps(shown["_pages_content"]["children"], ensure_ascii=False)

    assert "AUTREWORKER" not in import_page()  # this process now holds the catalogue
    engine = make_engine(app_settings.effective_database_url)  # another process's connection
    with Session(engine) as session, session.begin():
        table = NEW_PARTNER | {"code": "AUTREWORKER", "name": "Partenaire d'un autre worker"}
        assert save_edit(session, TableEdit("partner", "AUTREWORKER", table), "x").saved
    engine.dispose()
    assert '"value": "AUTREWORKER"' in import_page()
