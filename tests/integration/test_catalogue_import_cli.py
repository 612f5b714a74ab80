"""A deployment catalogue outside the code (issue #14): ``suivi catalogue import`` writes it,
``suivi catalogue check --dir`` validates it, ``SUIVI_CATALOGUE_DIR`` makes ``suivi init`` load
it, and a file is then loaded for one of its new indicators and its new partner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dashboard.cli import main

pytestmark = pytest.mark.integration

TABLE = """identifiant,libellé,unité,périodicité,sens,description,producteur
tx-gs-rep,Part des classes de GS en éducation prioritaire dédoublées,% des classes,annuelle,hausse,Classes dédoublées,DITP
delai,Délai de traitement,mois de traitement,annuelle,baisse,Délai moyen,DITP
"""  # noqa: E501


def suivi(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_import_check_init_and_load(
    clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "barometre.csv"
    table.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "catalogue"
    imported = suivi("catalogue", "import", str(table), "--out", str(out), "--programme", "FS")
    assert imported.exit_code == 0, imported.output
    assert "1 indicateur et 1 partenaire écrits" in imported.stdout
    assert "ligne 3 [unité] (non repris) : unité inconnue « mois de traitement »" in (
        imported.stderr
    )
    assert (out / "indicators-barometre.toml").is_file()

    checked = suivi("catalogue", "check", "--dir", str(out))
    assert checked.exit_code == 0, checked.output
    assert "45 indicateurs" in checked.stdout and "14 partenaires" in checked.stdout

    monkeypatch.setenv("SUIVI_CATALOGUE_DIR", str(out))
    assert suivi("catalogue", "check").stdout == checked.stdout  # the setting is the default
    listed = json.loads(suivi("catalogue", "list", "--format", "json").stdout)
    assert "TX_GS_REP" in {d["code"] for d in listed}
    initialised = suivi("init")
    assert initialised.exit_code == 0, initialised.output

    values = tmp_path / "valeurs.csv"
    values.write_text("indicateur;territoire;periode;valeur\nTX_GS_REP;DEP:01;2024;95,5\n")
    loaded = suivi("load", str(values), "--partner", "DITP", "--json")
    assert loaded.exit_code == 0, loaded.output
    payload = json.loads(loaded.stdout)
    assert (payload["status"], payload["created"]) == ("committed", 1)


def test_import_needs_a_target(clean_env: Path, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(TABLE, encoding="utf-8")
    refused = suivi("catalogue", "import", str(table))
    assert refused.exit_code == 2 and "précisez --out" in refused.output


def test_a_missing_catalogue_directory_is_reported(
    clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUIVI_CATALOGUE_DIR", str(tmp_path / "absent"))
    checked = suivi("catalogue", "check")
    assert checked.exit_code == 1
    assert "dossier du catalogue introuvable" in checked.stderr


def test_template_of_a_partner(clean_env: Path, tmp_path: Path) -> None:
    out = tmp_path / "modele.xlsx"
    written = suivi("catalogue", "template", "ARCEP", "--format", "xlsx", "--out", str(out))
    assert written.exit_code == 0, written.output
    assert out.read_bytes()[:2] == b"PK"
    refused = suivi("catalogue", "template", "NOPE", "--out", str(tmp_path / "x.csv"))
    assert refused.exit_code == 2 and "partenaire inconnu" in refused.output
