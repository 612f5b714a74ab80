"""The "lignes à corriger" CSV, served by a route to the person who checked the file only
(issue #12): not a ``data:`` URI, not someone else's, not a forged token, a safe file name."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard import readers
from dashboard.routes import corrections
from indicators.ingest import UploadedFile, analyse

pytestmark = pytest.mark.integration

HOSTILE = "indicateur;territoire;periode;valeur\nACC_FS_DEMANDES;2A004;2019-T1;=cmd|'/C calc'!A0\n"


ALICE, BOB = "deposant", "deposant-anct"  # two test accounts allowed to load files


@pytest.fixture
def as_user(client: Any, login_as: Any):  # type: ignore[no-untyped-def]
    """Sign the test client in as that account (a real session, as a browser has)."""

    def switch(username: str) -> None:
        login_as(client, username)

    return switch


def keep(dash_app: Any, filename: str, username: str) -> str:
    with dash_app.server.app_context():
        analysis = analyse(
            UploadedFile(filename, HOSTILE.encode()),
            catalogue=readers.catalogue(),
            referential=readers.referential(),
        )
        return corrections.keep_corrections(analysis, username)


def test_the_owner_downloads_a_safe_csv_under_a_safe_name(
    client: Any, dash_app: Any, as_user: Any
) -> None:
    link = keep(dash_app, '../rapport"\r\nSet-Cookie: a=1.csv', ALICE)
    assert link.startswith("/import/lignes-a-corriger/")
    as_user(ALICE)
    response = client.get(link)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and ".." not in disposition
    assert disposition.startswith("attachment;") and "lignes-a-corriger.csv" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = response.data.decode("utf-8-sig").splitlines()
    assert rows[0] == "indicateur;territoire;periode;valeur;Problème;code"
    assert rows[1].startswith("ACC_FS_DEMANDES;2A004;2019-T1;'=cmd|")  # the formula is text
    assert rows[1].endswith(";invalid-value")


def test_someone_else_or_a_forged_token_gets_404(client: Any, dash_app: Any, as_user: Any) -> None:
    link = keep(dash_app, "demandes.csv", ALICE)
    as_user(BOB)
    assert client.get(link).status_code == 404
    as_user(ALICE)
    assert client.get(link[:-3] + "abc").status_code == 404
    assert client.get("/import/lignes-a-corriger/..%5C..%5Csuivi.db").status_code == 404
    shell = client.get("/import/lignes-a-corriger/..%2F..%2Fsuivi.db")  # not this route's
    assert shell.content_type.startswith("text/html") and b"SQLite" not in shell.data
    assert client.get(link).status_code == 200  # the control
