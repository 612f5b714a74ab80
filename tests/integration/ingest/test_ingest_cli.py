"""``suivi load``, ``suivi loads`` and ``suivi profiles`` through the CLI: the JSON contract, the
exit codes, progress on stderr only, history and rollback, profiles as JSON documents."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dashboard.cli import main

pytestmark = pytest.mark.integration

UPLOADS = Path(__file__).resolve().parents[2] / "fixtures" / "uploads"
CONTRACT = {"load_id", "status", "rows_read", "created", "updated", "unchanged", "rejected"}
CONTRACT |= {"warnings", "issues"}


@pytest.fixture
def initialised(clean_env: Path) -> Path:
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    return clean_env


def suivi(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _json(result: Result) -> dict:  # type: ignore[type-arg]
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_json_contract_and_exit_codes(initialised: Path) -> None:
    path = str(UPLOADS / "long_bom_semicolon_crlf.csv")
    dry = suivi("load", path, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    payload = _json(dry)
    assert set(payload) >= CONTRACT
    assert (payload["load_id"], payload["status"], payload["created"]) == (None, "dry-run", 4)
    loaded = suivi("load", path, "--json")
    assert loaded.exit_code == 0
    payload = _json(loaded)
    assert (payload["status"], payload["created"], payload["rows_read"]) == ("committed", 4, 4)
    assert isinstance(payload["load_id"], int)
    again = _json(suivi("load", path, "--json"))
    assert (again["status"], again["unchanged"], again["created"]) == ("unchanged", 4, 0)


def test_refused_file_exits_1_and_partial_load_exits_0(initialised: Path, tmp_path: Path) -> None:
    path = str(UPLOADS / "errors.csv")
    refused = suivi("load", path, "--json")
    assert refused.exit_code == 1
    payload = _json(refused)
    assert payload["status"] == "refused" and payload["rejected"] == 12
    issue = payload["issues"][0]
    assert {k: issue[k] for k in ("line", "column", "code", "value")} == {
        "line": 2,
        "column": "indicateur",
        "code": "unknown-indicator",
        "value": "NUM_CONSEILLER",
    }
    corrections = tmp_path / "a-corriger.csv"
    partial = suivi("load", path, "--accept-partial", "--corrections", str(corrections))
    assert partial.exit_code == 0, partial.output
    assert "1 valeur créée, 0 modifiée, 0 inchangée." in partial.output
    assert "ligne 2, colonne « indicateur » [unknown-indicator]" in partial.output
    rows = list(csv.reader(io.StringIO(corrections.read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) == 14 and rows[0] == [
        "indicateur",
        "territoire",
        "periode",
        "valeur",
        "Problème",
        "code",
    ]
    assert rows[1][:4] == ["NUM_CONSEILLER", "01001", "2025-T1", "1"]
    assert rows[1][5] == "unknown-indicator"


def test_usage_errors_exit_2(initialised: Path) -> None:
    path = str(UPLOADS / "wide_semicolon.csv")
    assert suivi("load", path, "--profile", "inconnu").exit_code == 2
    unknown = suivi("load", path, "--partner", "NOPE")
    assert unknown.exit_code == 2 and "partenaire inconnu : NOPE" in unknown.output
    assert suivi("load", "absent.csv").exit_code == 2


def test_size_limit_refuses_with_a_clear_message(
    initialised: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUIVI_MAX_UPLOAD_MB", "1")
    big = tmp_path / "gros.csv"
    big.write_bytes(b"indicateur;territoire;periode;valeur\n" + b"x" * (1024 * 1024 + 1))
    result = suivi("load", str(big), "--json")
    assert result.exit_code == 1
    (issue,) = _json(result)["issues"]
    assert issue["code"] == "file-too-large" and "1 Mo au plus" in issue["message"]


def test_progress_goes_to_stderr_only(initialised: Path) -> None:
    result = suivi("load", str(UPLOADS / "wide_semicolon.csv"), "--json")
    assert "Écriture" in result.stderr and "Lecture du fichier" in result.stderr
    assert _json(result)["status"] == "committed"  # stdout is the JSON object alone


def test_history_show_and_rollback(initialised: Path) -> None:
    first = _json(suivi("load", str(UPLOADS / "wide_semicolon.csv"), "--json"))
    listing = suivi("loads", "list")
    assert f"{first['load_id']}\t" in listing.output and "4 créées" in listing.output
    listed = json.loads(suivi("loads", "list", "--json").stdout)
    assert listed[0]["load_id"] == first["load_id"] and listed[0]["created"] == 4
    shown = suivi("loads", "show", str(first["load_id"]))
    assert "wide_semicolon.csv (committed)" in shown.output
    assert "created MOB_ACTIFS COM:01001 2024 valeur : — -> 400" in shown.output
    undone = suivi("loads", "rollback", str(first["load_id"]))
    assert undone.exit_code == 0 and "4 supprimées" in undone.output
    again = suivi("loads", "rollback", str(first["load_id"]))
    assert again.exit_code == 1 and "déjà annulé" in again.output
    assert suivi("loads", "show", "999").exit_code == 2
    audit = json.loads(suivi("audit", "--json").stdout)
    assert [(e["action"], e["details"]["load_id"]) for e in audit] == [
        ("rollback", first["load_id"]),
        ("load", first["load_id"]),
    ]


def test_profiles_save_list_show_then_load_by_header(initialised: Path) -> None:
    profile = UPLOADS / "partner_layout.profile.json"
    data = UPLOADS / "partner_layout.csv"
    saved = suivi(
        "profiles", "save", str(profile), "--partner", "INSEE", "--header-from", str(data)
    )
    assert saved.exit_code == 0, saved.output
    assert "Profil « recensement-milliers » (partenaire INSEE) enregistré" in saved.output
    listing = suivi("profiles", "list")
    assert "INSEE\trecensement-milliers\treconnu par son en-tête" in listing.output
    shown = json.loads(suivi("profiles", "show", "recensement-milliers").stdout)
    assert shown["partner"] == "INSEE" and shown["scale"] == 1000
    result = _json(suivi("load", str(data), "--partner", "INSEE", "--json"))
    assert (result["status"], result["profile"], result["created"]) == (
        "committed",
        "recensement-milliers",
        8,
    )
    named = _json(suivi("load", str(data), "--profile", "recensement-milliers", "--json"))
    assert named["status"] == "unchanged"
    profile_id = shown_id = suivi("profiles", "list").output.split("\t")[0]
    assert suivi("profiles", "delete", shown_id).exit_code == 0
    assert suivi("profiles", "delete", profile_id).exit_code == 2


def test_profiles_save_reports_an_invalid_document(initialised: Path, tmp_path: Path) -> None:
    path = tmp_path / "profil.json"
    path.write_text('{"name": "x", "values": []}', encoding="utf-8")
    result = suivi("profiles", "save", str(path))
    assert result.exit_code == 2
    assert "territory.column : valeur obligatoire" in result.output
    path.write_text("{pas du json", encoding="utf-8")
    assert "JSON illisible" in suivi("profiles", "save", str(path)).output


def test_a_file_of_many_issues_keeps_the_first_thousand_and_counts_them_all(
    initialised: Path, tmp_path: Path
) -> None:
    """Issue #12: a hostile file of 1,500 bad lines does not store 1,500 issue rows."""
    from sqlalchemy.orm import Session

    from indicators.config import load_settings
    from indicators.ingest import get_load, load_issues
    from indicators.store import make_engine

    path = tmp_path / "mauvais.csv"
    lines = [f"INCONNU_{i};01001;2024;1" for i in range(1_500)]
    path.write_text("indicateur;territoire;periode;valeur\n" + "\n".join(lines) + "\n")
    result = _json(suivi("load", str(path), "--json"))
    assert result["status"] == "refused"
    engine = make_engine(load_settings().effective_database_url)
    with Session(engine) as session:
        stored = load_issues(session, result["load_id"])
        summary = get_load(session, result["load_id"])
    engine.dispose()
    assert len(stored) == 1_001 and stored[-1].code == "issues-truncated"
    assert "1500 anomalies" in stored[-1].message
    assert summary is not None
    assert summary.details["issue_counts"] == {"unknown-indicator": 1_500}
