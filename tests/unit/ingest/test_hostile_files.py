"""Files an attacker would send (issue #12): each is refused quickly, before any parser sees it,
with a stable code and a French message; names are made safe to show, store and serve."""

from __future__ import annotations

import io
import random
import time
import zipfile

import openpyxl
import pytest

from indicators.ingest import xlsx_source
from indicators.ingest.reading import check_upload, read_source
from indicators.ingest.source import SourceError, UploadedFile, safe_filename
from indicators.territories.tabular import column_names

pytestmark = pytest.mark.unit

LIMIT = 50 * 1024 * 1024  # the default SUIVI_MAX_UPLOAD_MB
QUICK_S = 5.0  # generous: these files are refused in a few hundredths of a second here


def wide_csv(columns: int = 300_000) -> bytes:
    header = ";".join(f"indicateur_{i}" for i in range(columns))
    return (header + "\n" + ";".join("1" for _ in range(columns)) + "\n").encode()


def refused(data: bytes, name: str = "fichier.csv", limit: int = LIMIT) -> SourceError:
    """The error of both the pre-check (at upload) and the reader (check and load)."""
    errors = []
    for step in (check_upload, read_source):
        started = time.perf_counter()
        with pytest.raises(SourceError) as raised:
            step(UploadedFile(name, data), max_bytes=limit)
        assert time.perf_counter() - started < QUICK_S, step.__name__
        errors.append(raised.value)
    assert errors[0].code == errors[1].code
    return errors[1]


def test_a_csv_of_300_000_columns_is_refused_at_once() -> None:
    data = wide_csv()
    assert len(data) > 2_900_000
    error = refused(data)
    assert error.code == "too-many-columns"
    assert "300\u202f000 colonnes sur la ligne d'en-tête (au plus 1\u202f000)" in str(error)


def test_a_csv_of_one_10_mb_line_is_refused_at_once() -> None:
    error = refused(b"x" * (10 * 1024 * 1024))
    assert error.code == "line-too-long"
    assert "la ligne 1 compte 10\u202f485\u202f760 caractères (au plus 100\u202f000)" in str(error)


def test_a_long_line_below_an_ordinary_header_is_refused_with_its_number() -> None:
    data = b"indicateur;territoire;periode;valeur\nA;01001;2024;1\n" + b"9" * 200_000 + b"\n"
    error = refused(data)
    assert error.code == "line-too-long" and "la ligne 3" in str(error)


def test_an_ordinary_wide_file_is_still_read() -> None:
    header = ";".join(["territoire", "periode", *(f"IND_{i}" for i in range(900))])
    row = ";".join(["01001", "2024", *("1" for _ in range(900))])
    table = read_source(UploadedFile("large.csv", f"{header}\n{row}\n".encode()), max_bytes=LIMIT)
    assert len(table.columns) == 902 and len(table) == 1


def test_duplicate_column_names_are_made_unique_in_linear_time() -> None:
    started = time.perf_counter()
    names = column_names(["x"] * 200_000)
    assert time.perf_counter() - started < QUICK_S  # quadratic, this took minutes
    assert names[:3] == ("x", "x (2)", "x (3)") and len(set(names)) == 200_000


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_xlsx_bomb_is_refused_before_parsing() -> None:
    data = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * 80_000_000})
    assert len(data) < 100 * 1024  # 80 MB inflated from less than 100 kB
    error = refused(data, "bombe.xlsx")
    assert error.code == "xlsx-too-large" and "Classeur refusé" in str(error)


def test_an_xlsx_may_inflate_to_ten_times_the_upload_limit_at_most() -> None:
    """Below the per-member ratio guard, the total is what stops it: 10 x the upload limit."""
    rng = random.Random(42)
    cell = '<c r="A{}" s="0" t="n"><f>SUM(B1:B9)+SUM(C1:C9)+SUM(D1:D9)</f><v>{}</v></c>'
    sheet = "".join(cell.format(i, rng.randrange(30)) for i in range(200_000))
    data = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": sheet.encode()})
    limit = len(data) + 1  # the file itself is within the upload limit
    assert len(sheet) > 10 * limit  # but inflates to more than ten times it
    error = refused(data, "gonfle.xlsx", limit=limit)
    assert error.code == "xlsx-too-large" and "10 fois la taille maximale" in str(error)


def test_an_xlsx_with_too_many_cells_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_source, "MAX_CELLS", 1_000)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in range(600):
        sheet.append([f"T{row}", "2024", row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(SourceError) as raised:
        read_source(UploadedFile("cellules.xlsx", buffer.getvalue()), max_bytes=LIMIT)
    assert raised.value.code == "xlsx-too-large" and "1\u202f000 cellules" in str(raised.value)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("rapport\r\nSet-Cookie: x=1.csv", "rapport Set-Cookie: x=1.csv"),
        ("facture\u202egpj.csv", "facture gpj.csv"),  # a right-to-left override hides ".csv"
        ("nul\x00octet.csv", "nul octet.csv"),
        (".cache", "cache"),
        ("..", "fichier"),
        ("données 2025 (v2).csv", "données 2025 (v2).csv"),
    ],
)
def test_uploaded_file_names_are_made_safe(sent: str, kept: str) -> None:
    assert safe_filename(sent) == kept
    assert UploadedFile(sent, b"a").filename == kept  # what is stored and shown


def test_a_very_long_file_name_keeps_its_extension() -> None:
    name = safe_filename("a" * 500 + ".xlsx")
    assert len(name) == 120 and name.endswith(".xlsx")
