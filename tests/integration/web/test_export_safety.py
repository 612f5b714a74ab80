"""``/export/…`` as an attacker would use it (issue #12): parameters that name nothing are refused
in French before any query or cache entry, and no cell of a CSV or XLSX is a live formula."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pandas as pd
import pytest

from dashboard import readers
from dashboard.routes import exports
from indicators.ingest import UploadedFile, analyse, corrections_csv
from indicators.spreadsheet_cells import safe_cell

pytestmark = pytest.mark.integration

INDICATOR = "ACC_FS_DEMANDES"
HOSTILE_CELLS = ['=HYPERLINK("http://x","clic")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
HOSTILE_CELLS += ["\t=1+1", "\r=1+1"]


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every read of map values the export asks for (each would be a cache entry)."""
    calls: list[tuple[Any, ...]] = []
    original = readers.values_for_map

    def spy(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(readers, "values_for_map", spy)
    return calls


def period_of(dash_app: Any) -> str:
    with dash_app.server.app_context():
        return readers.periods_of(INDICATOR)[-1]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("indicateur=NIMPORTE&periode={p}&niveau=DEP", 404, "indicateur inconnu : « NIMPORTE »"),
        ("indicateur={i}&periode=1066-T1&niveau=DEP", 400, "période illisible"),
        ("indicateur={i}&periode=demain&niveau=DEP", 400, "période illisible"),
        ("indicateur={i}&periode={p}&niveau=CANTON", 400, "niveau inconnu"),
        ("indicateur={i}&periode={p}&niveau=DEP&dans=REG:XX", 404, "territoire inconnu"),
        ("indicateur={i}&periode={p}&niveau=DEP&dans=" + "9" * 500, 400, "trop long"),
    ],
)
def test_unknown_map_parameters_are_refused_before_any_query(
    client: Any, dash_app: Any, queries: list[Any], query: str, status: int, message: str
) -> None:
    url = "/export/carte.csv?" + query.format(i=INDICATOR, p=period_of(dash_app))
    response = client.get(url)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    assert queries == []


def test_a_known_map_export_still_answers(client: Any, dash_app: Any, queries: list[Any]) -> None:
    period = period_of(dash_app)
    response = client.get(f"/export/carte.csv?indicateur={INDICATOR}&periode={period}&niveau=DEP")
    assert response.status_code == 200 and queries  # the control: a valid export does query


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/export/serie.csv?indicateur=" + INDICATOR + "&territoire=COM:00000", 404),
        ("/export/mesures.csv?type=ville_moyenne", 400),
        ("/export/mesures.csv?annee=deux-mille", 400),
        ("/export/evaluation.csv?mesure=M1&type=nimporte", 400),
    ],
)
def test_other_exports_check_their_parameters(client: Any, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.get_data(as_text=True).startswith("Demande impossible : ")


@pytest.fixture
def hostile_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"commentaire": HOSTILE_CELLS, "valeur": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0]})
    monkeypatch.setitem(exports.DATASETS, "piege", (lambda: frame, (), ()))


def test_no_csv_cell_is_a_formula(client: Any, hostile_dataset: None) -> None:
    response = client.get("/export/piege.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    comments = [row[0] for row in rows[1:]]
    assert comments == ["'" + cell for cell in HOSTILE_CELLS]
    assert [row[1] for row in rows[1:3]] == ["-1,5", "2,0"]  # numbers stay numbers


def test_no_xlsx_cell_is_a_formula(client: Any, hostile_dataset: None) -> None:
    response = client.get("/export/piege.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert [cell.value for cell in sheet["A"][1:]] == ["'" + cell for cell in HOSTILE_CELLS]
    assert sheet["B2"].value == -1.5


def test_the_lines_to_correct_hold_no_formula(dash_app: Any) -> None:
    text = "indicateur;territoire;periode;valeur\n@SUM(A1);2A004;2019-T1;=1+1\n"
    with dash_app.server.app_context():
        analysis = analyse(
            UploadedFile("f.csv", text.encode()),
            catalogue=readers.catalogue(),
            referential=readers.referential(),
        )
    rows = list(
        csv.reader(io.StringIO(corrections_csv(analysis).decode("utf-8-sig")), delimiter=";")
    )
    assert rows[1][:4] == ["'@SUM(A1)", "2A004", "2019-T1", "'=1+1"]
    assert rows[1][4].startswith("Ligne 2 — Indicateur inconnu (indicateur) : ")


@pytest.mark.parametrize("text", ["-3,5", "+2", "-1e3", "12", "texte", ""])
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert safe_cell(text) == text
