"""Hostile files sent to ``/import`` and to ``suivi load --dry-run`` (issue #12): refused quickly,
in French, and nothing is kept on the server."""

from __future__ import annotations

import base64
import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dashboard.cli import main

pytestmark = pytest.mark.integration

QUICK_S = 5.0


def wide_csv() -> bytes:
    header = ";".join(f"indicateur_{i}" for i in range(300_000))
    return (header + "\n" + ";".join("1" for _ in range(300_000)) + "\n").encode()


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 80_000_000)
    return buffer.getvalue()


HOSTILE = {
    "300000-columns": (wide_csv, "colonnes sur la ligne d'en-tête (au plus 1\u202f000)"),
    "10-mb-line": (lambda: b"x" * (10 * 1024 * 1024), "caractères (au plus 100\u202f000)"),
    "xlsx-bomb": (bomb, "Classeur refusé"),
}


@pytest.fixture
def callbacks(callbacks, client, login_as):  # type: ignore[no-untyped-def]
    """Files are dropped on /import by someone allowed to load them."""
    login_as(client, "deposant-anct")
    return callbacks


def kept_files(directory: Path) -> set[Path]:
    return set(directory.rglob("*")) if directory.exists() else set()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_upload_is_refused_at_once_and_not_kept(
    callbacks: Any, app_settings: Any, kind: str
) -> None:
    make, message = HOSTILE[kind]
    data = make()
    before = kept_files(app_settings.raw_files_dir)
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    started = time.perf_counter()
    result = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", contents)],
        [("import-upload", "filename", "../../tmp/\x1b[31mpiège\r\n.csv")],
    )
    assert time.perf_counter() - started < QUICK_S
    shown = result["import-fichier"]["children"]
    assert shown.startswith("« [31mpiège .csv » refusé, rien n'a été enregistré.")  # no ESC, CR, LF
    assert message in shown
    assert result["import-contenu"]["data"] is None  # no token: nothing to check or load
    assert kept_files(app_settings.raw_files_dir) == before


def test_an_ordinary_upload_is_kept_under_a_safe_name(callbacks: Any) -> None:
    text = "indicateur;territoire;periode;valeur\nACC_FS_DEMANDES;2A004;2019-T1;1\n"
    contents = "data:text/csv;base64," + base64.b64encode(text.encode()).decode()
    result = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", contents)],
        [("import-upload", "filename", "..\\..\\demandes\u202e.csv")],
    )
    assert result["import-contenu"]["data"]["filename"] == "demandes .csv"


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_suivi_load_dry_run_refuses_a_hostile_file_at_once(
    clean_env: Path, tmp_path: Path, kind: str
) -> None:
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    make, message = HOSTILE[kind]
    path = tmp_path / ("hostile.xlsx" if kind == "xlsx-bomb" else "hostile.csv")
    path.write_bytes(make())
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["load", str(path), "--dry-run"])
    assert time.perf_counter() - started < QUICK_S  # was over a minute for 300,000 columns
    assert result.exit_code == 1
    assert message in result.output
    assert kept_files(clean_env / "uploads") == set()
