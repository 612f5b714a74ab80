"""The ``suivi`` command line, through click's CliRunner, on a real SQLite file."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.cli.serve import gunicorn_argv

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("command", [[], ["init"], ["check"], ["demo"], ["serve"]])
def test_every_command_has_french_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert len(result.output.splitlines()) > 3


def test_init_then_check(clean_env: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert "Base à jour" in result.output
    assert "territoires créés" in result.output
    assert (clean_env / "suivi.db").exists()
    again = runner.invoke(main, ["init"])
    assert again.exit_code == 0 and " 0 territoires créés" in again.output
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "Tout est en ordre." in result.output


def test_init_without_reference_files_says_how_to_rebuild_them(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUIVI_REFERENCE_DIR", str(tmp_path / "nulle-part"))
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 1
    assert "fichier du référentiel absent" in result.output
    assert "make reference" in result.output


def test_check_on_an_empty_database_says_to_run_init(clean_env: Path) -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "lancez « suivi init »" in result.output


def test_bad_database_url_is_one_line_and_exit_2(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUIVI_DATABASE_URL", "pas une url")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 2
    assert "URL de base de données illisible" in result.output
    assert "Traceback" not in result.output


def test_unreachable_database_is_one_line_and_exit_2(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "SUIVI_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"
    )
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 2
    assert "base de données injoignable" in result.output


def test_bad_setting_is_a_usage_error(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUIVI_WORKERS", "zéro")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "SUIVI_WORKERS doit être un nombre entier" in result.output


def test_serve_builds_a_gunicorn_command_on_the_wsgi_entry() -> None:
    argv = gunicorn_argv("127.0.0.1:9000", 3, 60)
    assert argv[1:4] == ["-m", "gunicorn", "dashboard.wsgi:server"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000"
    assert argv[argv.index("--workers") + 1] == "3"


@pytest.mark.parametrize("key", [None, "dev-secret-change-me", "courte"])
def test_serve_refuses_to_start_without_a_real_secret_key(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    if key is not None:
        monkeypatch.setenv("SUIVI_SECRET_KEY", key)
    started: list[list[str]] = []
    monkeypatch.setattr("os.execv", lambda path, argv: started.append(argv))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "le serveur refuse de démarrer" in result.output
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in result.output
    assert started == []


def test_serve_starts_with_a_long_secret_key(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUIVI_SECRET_KEY", "x" * 32)
    started: list[list[str]] = []
    monkeypatch.setattr("os.execv", lambda path, argv: started.append(argv))
    result = CliRunner().invoke(main, ["serve", "--bind", "127.0.0.1:9001"])
    assert result.exit_code == 0, result.output
    assert started and "dashboard.wsgi:server" in started[0]


def test_serve_local_makes_a_private_key_once_and_reuses_it(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.execv", lambda path, argv: None)
    keys = []
    for _ in range(2):
        monkeypatch.delenv("SUIVI_SECRET_KEY", raising=False)
        result = CliRunner().invoke(main, ["serve", "--local"])
        assert result.exit_code == 0, result.output
        keys.append(os.environ["SUIVI_SECRET_KEY"])  # what gunicorn's workers inherit
    key_file = clean_env / "secret_key"
    assert keys[0] == keys[1] == key_file.read_text().strip()
    assert len(keys[0]) >= 32
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_make_run_serves_the_local_demo_with_its_own_key() -> None:
    """`make run` stays two commands: its key is made in var/ by `suivi serve --local`."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "suivi serve --local" in run
