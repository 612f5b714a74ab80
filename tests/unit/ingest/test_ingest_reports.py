"""What a dry run says back: the JSON contract, the French summary, the "lignes à corriger"."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from indicators.catalogue import Catalogue
from indicators.ingest import (
    Analysis,
    LoadOptions,
    UploadedFile,
    analyse,
    corrections_csv,
    load_payload,
    preview_upload,
    summary_lines,
)
from indicators.ingest.csv_source import read_csv_source
from indicators.territories import Referential

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


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: French spreadsheets open it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_lines_to_correct_are_the_original_lines_with_a_french_problem(
    analyse_fixture: Callable[..., Analysis],
) -> None:
    rows = _rows(corrections_csv(analyse_fixture("errors.csv")))
    assert rows[0] == ["indicateur", "territoire", "periode", "valeur", "Problème", "code"]
    assert rows[1][:4] == ["NUM_CONSEILLER", "01001", "2025-T1", "1"]
    assert rows[1][4].startswith("Ligne 2 — Indicateur inconnu (indicateur) : Indicateur ")
    assert rows[1][5] == "unknown-indicator"
    beaucoup = next(row for row in rows if row[3] == "beaucoup")
    assert beaucoup[4] == (
        "Ligne 8 — Valeur non numérique (valeur) : « beaucoup » — Écrivez un nombre (virgule ou "
        "point décimal), ou laissez vide."
    )  # title, where, the message's detail, what to fix
    assert beaucoup[5] == "invalid-value"
    old = next(row for row in rows if row[1] == "01340")
    assert old[4].startswith("Ligne 13 — (avertissement) Ancien code de commune (territoire)")
    assert len(rows) == 14 and all(len(row) == 6 for row in rows)


def test_several_problems_of_one_line_share_its_row(
    catalogue: Catalogue, mini: Referential
) -> None:
    text = "indicateur;territoire;periode;valeur\nNUM_CONSEILLER;01002;2025-T1;beaucoup\n"
    analysis = analyse(UploadedFile("f.csv", text.encode()), catalogue=catalogue, referential=mini)
    (row,) = _rows(corrections_csv(analysis))[1:]
    assert row[:4] == ["NUM_CONSEILLER", "01002", "2025-T1", "beaucoup"]
    assert row[4].startswith("Ligne 2 — Indicateur inconnu (indicateur) : ")
    assert " ; Territoire inconnu (territoire) : " in row[4]
    assert row[5] == "unknown-indicator ; unknown-territory ; invalid-value"


def test_a_corrected_file_loads_as_it_is(catalogue: Catalogue, mini: Referential) -> None:
    text = (
        "indicateur;territoire;periode;valeur;commentaire\n"
        "NUM_CONSEILLERS;01001;2025-T1;1;bon\n"
        "NUM_CONSEILLERS;01004;2025-T1;beaucoup;=trop\n"
        "NUM_CONSEILLERS;01002;2025-T1;2;\n"
    )
    options = LoadOptions(accept_partial=True, replace_scope=True)
    first = analyse(
        UploadedFile("f.csv", text.encode()), catalogue=catalogue, referential=mini, options=options
    )
    data = corrections_csv(first)
    rows = _rows(data)
    assert rows[0][-2:] == ["Problème", "code"]
    whole_file, *lines = rows[1:]
    assert whole_file[:5] == [""] * 5 and whole_file[5].startswith("Remplacement partiel refusé")
    assert [row[:5] for row in lines] == [
        ["NUM_CONSEILLERS", "01004", "2025-T1", "beaucoup", "'=trop"],
        ["NUM_CONSEILLERS", "01002", "2025-T1", "2", ""],
    ]
    fixed = data.decode("utf-8-sig").replace("beaucoup", "7").replace("01002", "01053")
    again = analyse(
        UploadedFile("f-lignes-a-corriger.csv", fixed.encode("utf-8-sig")),
        catalogue=catalogue,
        referential=mini,
    )
    assert again.layout == "long" and again.file.columns[-1] == "commentaire"
    assert again.errors == 0 and again.verdict == "valid"
    values = again.validated.values
    assert sorted(values["territory"]) == ["COM:01004", "COM:01053"]
    assert sorted(values["value"]) == [2.0, 7.0]


def test_an_unreadable_file_gives_its_problem_alone(
    catalogue: Catalogue, mini: Referential
) -> None:
    analysis = analyse(UploadedFile("vide.csv", b"   "), catalogue=catalogue, referential=mini)
    assert _rows(corrections_csv(analysis)) == [
        ["Problème", "code"],
        ["Fichier vide : aucune ligne à lire", "empty-file"],
    ]


def test_preview_for_the_profile_editor() -> None:
    path = Path(__file__).resolve().parents[2] / "fixtures" / "uploads" / "partner_layout.csv"
    preview = preview_upload(UploadedFile.from_path(path), max_bytes=1024 * 1024, rows=2)
    assert preview.columns[:2] == ("Code commune", "Année") and preview.issue is None
    assert preview.rows == (("1001", "24", "0,4", "0,3", "75"), ("1004", "24", "NA", "-9999", ""))
    assert preview.lines == (2, 3) and preview.delimiter == ";"
    broken = preview_upload(UploadedFile("x.csv", b""), max_bytes=1024)
    assert broken.issue is not None and broken.issue.code == "empty-file"


@pytest.mark.parametrize("comment", ["court", '"sur\ndeux lignes"'])
def test_the_reader_drops_the_added_columns_and_their_blank_rows(comment: str) -> None:
    # a quoted line break sends the CSV through the record-by-record reader, not pandas
    text = (
        "indicateur;territoire;periode;valeur;commentaire;Problème;code\n"
        ";;;;;Remplacement partiel refusé : …;partial-replace-refused\n"
        f"NUM_CONSEILLERS;01004;2025-T1;7;{comment};Ligne 3 — Valeur non numérique;invalid-value\n"
    )
    table = read_csv_source(text.encode())
    assert table.columns == ("indicateur", "territoire", "periode", "valeur", "commentaire")
    assert table.frame.values.tolist() == [
        ["NUM_CONSEILLERS", "01004", "2025-T1", "7", comment.strip('"')]
    ]
    assert table.lines.tolist() == [3]
    kept = read_csv_source(b"territoire;periode;code\n01004;2025;X\n")  # "code" alone is data
    assert kept.columns == ("territoire", "periode", "code")
