"""``suivi users …`` and ``suivi audit`` through CliRunner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from dashboard.cli import main
from indicators.accounts import authenticate
from indicators.store import make_engine

pytestmark = pytest.mark.integration


@pytest.fixture
def runner(clean_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SUIVI_DATABASE_URL", database_url)
    runner = CliRunner()
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    return runner


def signs_in(database_url: str, username: str, password: str) -> bool:
    engine = make_engine(database_url)
    with Session(engine) as session, session.begin():
        ok = authenticate(session, username, password) is not None
    engine.dispose()
    return ok


def test_accounts_from_creation_to_deactivation(runner: CliRunner, database_url: str) -> None:
    added = runner.invoke(
        main, ["users", "add", "marie", "--role", "deposant", "--partner", "INSEE"]
    )
    assert added.exit_code == 0, added.output
    password = added.output.split("Mot de passe : ")[1].strip()
    assert len(password) >= 20 and signs_in(database_url, "marie", password)

    listed = runner.invoke(main, ["users", "list", "--json"])
    [account] = json.loads(listed.output)
    assert (account["username"], account["role"], account["partner"]) == (
        "marie",
        "deposant",
        "INSEE",
    )
    assert account["active"] is True and "password" not in json.dumps(account)

    assert runner.invoke(main, ["users", "set-partner", "marie", "ANCT"]).exit_code == 0
    assert runner.invoke(main, ["users", "set-role", "marie", "lecteur"]).exit_code == 0
    reset = runner.invoke(
        main, ["users", "reset-password", "marie"], env={"SUIVI_NEW_PASSWORD": "un-long-secret-123"}
    )
    assert reset.exit_code == 0 and "Mot de passe :" not in reset.output
    assert signs_in(database_url, "marie", "un-long-secret-123")
    assert not signs_in(database_url, "marie", password)
    assert runner.invoke(main, ["users", "disable", "marie"]).exit_code == 0
    assert not signs_in(database_url, "marie", "un-long-secret-123")
    listed = json.loads(runner.invoke(main, ["users", "list", "--json"]).output)
    assert (listed[0]["role"], listed[0]["partner"], listed[0]["active"]) == (
        "lecteur",
        "ANCT",
        False,
    )

    logged = json.loads(runner.invoke(main, ["audit", "--json", "--limit", "10"]).output)
    assert [(e["action"], e["details"].get("target")) for e in logged] == [
        ("user-changed", "marie"),
        ("password-changed", "marie"),
        ("user-changed", "marie"),
        ("user-changed", "marie"),
        ("user-created", "marie"),
    ]
    assert all(e["username"].startswith("cli") for e in logged)
    text = runner.invoke(main, ["audit", "--action", "user-created"]).output
    assert "compte créé" in text and len(text.splitlines()) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["users", "add", "paul", "--role", "deposant"], "demande un partenaire"),
        (["users", "add", "paul", "--role", "lecteur", "--partner", "NULLE"], "inconnu"),
        (["users", "add", "paul", "--role", "administrateur", "--partner", "INSEE"], "aucun"),
        (["users", "add", "paul", "--role", "lecteur", "--password", "court"], "12 caractères"),
        (["users", "set-role", "personne", "lecteur"], "« personne » inconnu"),
    ],
)
def test_mistakes_are_one_french_line(
    runner: CliRunner, arguments: list[str], message: str
) -> None:
    result = runner.invoke(main, arguments)
    assert result.exit_code == 2 and message in result.output, result.output


def test_a_name_is_taken_once(runner: CliRunner) -> None:
    first = runner.invoke(main, ["users", "add", "zoe", "--role", "evaluateur"])
    assert first.exit_code == 0
    again = runner.invoke(main, ["users", "add", "zoe", "--role", "evaluateur"])
    assert again.exit_code == 2 and "existe déjà" in again.output


def test_demo_accounts_are_generated_once_into_var(
    runner: CliRunner, clean_env: Path, database_url: str
) -> None:
    first = runner.invoke(main, ["demo", "--accounts-only"])
    assert first.exit_code == 0, first.output
    path = clean_env / "demo-accounts.txt"
    assert path.stat().st_mode & 0o777 == 0o600
    rows = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    assert [row[:3] for row in rows] == [
        ["depot-anct", "deposant", "ANCT"],
        ["depot-insee", "deposant", "INSEE"],
        ["evaluation", "evaluateur", "-"],
        ["admin", "administrateur", "-"],
    ]
    assert all(signs_in(database_url, row[0], row[3]) for row in rows)
    assert rows[0][3] in first.output  # make run prints them
    again = runner.invoke(main, ["demo", "--accounts-only"])
    assert again.exit_code == 0 and path.read_text().count(rows[0][3]) == 1
    assert [line.split() for line in path.read_text().splitlines() if line[0] != "#"] == rows
