"""``suivi sets``: membership lists from messy files, through the CLI, on a real SQLite file."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from dashboard.cli import main
from indicators.config import load_settings
from indicators.store import make_engine
from indicators.territories.set_store import set_members

pytestmark = pytest.mark.integration

# Semicolons, a BOM, Windows-1252 accents, an arrondissement, an absorbed commune, an unknown code
MESSY = (
    "\ufeffcode_insee;nom;date_debut\r\n"
    "01053;Bourg-en-Bresse;01/03/2021\r\n"
    "75101;Paris 1er;2022-01-01\r\n"
    "01340;Saint-Bois;\r\n"
    "999999;ligne factice;\r\n"
)


def _members(slug: str) -> list[str]:
    engine = make_engine(load_settings().effective_database_url)
    with Session(engine) as session:
        return set_members(session, slug)


@pytest.fixture
def initialised(clean_env: Path) -> Path:
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    return clean_env


def test_load_a_messy_list_reports_each_line(initialised: Path, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(MESSY, encoding="utf-8")
    result = CliRunner().invoke(main, ["sets", "load", str(path), "--set", "pvd"])
    assert result.exit_code == 0, result.output
    assert "4 lignes lues" in result.output
    assert "ligne 5" in result.output and "999999" in result.output
    assert "ligne 3" in result.output and "75056" in result.output
    assert "3 membres ajoutés" in result.output
    assert _members("pvd") == ["COM:01015", "COM:01053", "COM:75056"]


def test_dry_run_writes_nothing_and_json_lists_issues(initialised: Path, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(MESSY, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["sets", "load", str(path), "--set", "pvd", "--dry-run", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["status"] == "dry-run" and payload["members"] == 3
    assert {(i["line"], i["code"]) for i in payload["issues"]} >= {(5, "dummy-row")}
    assert _members("pvd") == []


def test_reloading_replaces_the_members(initialised: Path, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(MESSY, encoding="utf-8")
    CliRunner().invoke(main, ["sets", "load", str(path), "--set", "acv"])
    path.write_text("insee\n01053\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sets", "load", str(path), "--set", "acv"])
    assert "0 membres ajoutés, 2 retirés, 1 aux dates modifiées, 0 inchangés" in result.output
    assert _members("acv") == ["COM:01053"]
    listing = CliRunner().invoke(main, ["sets", "list"])
    assert "acv\tprogramme\t1 membres" in listing.output


def test_a_file_without_any_territory_is_refused(initialised: Path, tmp_path: Path) -> None:
    path = tmp_path / "vide.csv"
    path.write_text("code\n999999\nZZ\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sets", "load", str(path), "--set", "x"])
    assert result.exit_code == 1
    assert "rien n'a été enregistré" in result.output


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sample", "members"),
    [
        ("06_anct_pvd_communes_2021_redacted.csv", 1606),
        ("05_anct_france_services_20240801.csv", 2601),
        ("07_anct_action_coeur_de_ville_communes.json", 244),
    ],
)
def test_real_lists_load_on_the_real_referential(
    samples_dir: Path,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    sample: str,
    members: int,
) -> None:
    monkeypatch.delenv("SUIVI_REFERENCE_DIR")
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    result = CliRunner().invoke(main, ["sets", "load", str(samples_dir / sample), "--set", "s"])
    assert result.exit_code == 0, result.output
    assert len(_members("s")) == members
