"""What a dry run says back: the JSON contract, the French summary, the "lignes à corriger"."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from indicators.ingest import (
    Analysis,
    UploadedFile,
    corrections_csv,
    load_payload,
    preview_upload,
    summary_lines,
)

pytestmark = pytest.mark.unit

CONTRACT = {"load_id", "status", "rows_read", "created", "updated", "unchanged", "rejected"}
CONTRACT |= {"warnings", "issues"}


def test_payload_keeps_the_contract(analyse_fixture: Callable[..., Analysis]) -> None:
    payload = load_payload(analyse_fixture("errors.csv"))
    assert set(payload) >= CONTRACT
    assert payload["load_id"] is None and payload["status"] == "refused"
    assert payload["rows_read"] == 13 and payload["rejected"] == 12 and payload["warnings"] == 1
    first = payload["issues"][0]
    assert {"line", "column", "code", "value", "message"} <= set(first)
    assert (first["line"], first["column"], first["code"]) == (2, "indicateur", "unknown-indicator")


def test_dry_run_status(analyse_fixture: Callable[..., Analysis]) -> None:
    assert load_payload(analyse_fixture("wide_semicolon.csv"))["status"] == "dry-run"


def test_summary_is_french(analyse_fixture: Callable[..., Analysis]) -> None:
    lines = summary_lines(analyse_fixture("errors.csv"))
    assert lines[0] == "13 lignes lues (format long, encodage utf-8, séparateur point-virgule)."
    assert lines[1] == "12 valeurs rejetées, 1 avertissement."
    assert lines[-1].startswith("Fichier refusé : corrigez les lignes signalées")


def test_corrections_csv_opens_in_a_french_spreadsheet(
    analyse_fixture: Callable[..., Analysis],
) -> None:
    data = corrections_csv(analyse_fixture("errors.csv").issues)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["ligne", "colonne", "code", "gravite", "valeur", "message"]
    assert rows[1][:5] == ["2", "indicateur", "unknown-indicator", "erreur", "NUM_CONSEILLER"]
    assert ["13", "territoire", "mapped-old-code", "avertissement", "01340"] in [
        row[:5] for row in rows
    ]
    assert len(rows) == 14


def test_preview_for_the_profile_editor() -> None:
    path = Path(__file__).resolve().parents[2] / "fixtures" / "uploads" / "partner_layout.csv"
    preview = preview_upload(UploadedFile.from_path(path), max_bytes=1024 * 1024, rows=2)
    assert preview.columns[:2] == ("Code commune", "Année") and preview.issue is None
    assert preview.rows == (("1001", "24", "0,4", "0,3", "75"), ("1004", "24", "NA", "-9999", ""))
    assert preview.lines == (2, 3) and preview.delimiter == ";"
    broken = preview_upload(UploadedFile("x.csv", b""), max_bytes=1024)
    assert broken.issue is not None and broken.issue.code == "empty-file"
