"""Reading uploads: encodings, separators, line breaks inside quotes, lines as a person sees them,
XLSX sheets, and the guards (size limit, zip bombs, absurd dimensions)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from indicators.ingest.reading import read_source
from indicators.ingest.source import SourceError, UploadedFile
from indicators.ingest.xlsx_source import cell_text

pytestmark = pytest.mark.unit

UPLOADS = Path(__file__).resolve().parents[2] / "fixtures" / "uploads"
LIMIT = 10 * 1024 * 1024


def _read(name: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return read_source(UploadedFile.from_path(UPLOADS / name), max_bytes=LIMIT, **kwargs)  # type: ignore[arg-type]


def test_utf8_bom_semicolon_crlf() -> None:
    table = _read("long_bom_semicolon_crlf.csv")
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert table.columns == ("indicateur", "territoire", "periode", "valeur", "commentaire")
    assert table.lines.tolist() == [2, 3, 4, 5]
    assert table.frame["valeur"].tolist() == ["400", "312,5", "3", "4"]
    assert not any("\r" in value for value in table.frame["commentaire"])


def test_windows_1252_and_tabs() -> None:
    table = _read("long_cp1252_tab.tsv")
    assert (table.encoding, table.delimiter) == ("cp1252", "\t")
    assert table.frame["comment"].tolist() == ["données révisées", "Corse-du-Sud"]


def test_quoted_line_break_keeps_the_lines_a_person_sees() -> None:
    table = _read("long_comma_multiline.csv")
    assert table.delimiter == ","
    assert table.lines.tolist() == [2, 4]  # the first record spans lines 2 and 3
    assert table.frame["commentaire"].iloc[0] == "première ligne\ndeuxième ligne"


def test_fast_and_exact_readers_agree() -> None:
    """A ragged row sends the file to the line-counting reader: same cells, same lines."""
    regular = "a;b;c\r\n1;2;3\r\n\r\n4;5;6\r\n7;8\r\n"
    ragged = regular + "9;10;11;12\r\n"
    fast = read_source(UploadedFile("x.csv", regular.encode()), max_bytes=LIMIT)
    exact = read_source(UploadedFile("x.csv", ragged.encode()), max_bytes=LIMIT)
    assert fast.lines.tolist() == [2, 4, 5]
    assert exact.lines.tolist() == [2, 4, 5, 6]
    assert fast.frame.to_dict("list") == exact.frame.iloc[:3].to_dict("list")
    assert exact.frame.iloc[3].tolist() == ["9", "10", "11"]  # the extra field is dropped


def test_header_line_below_a_title() -> None:
    text = "Source : ministère, 2025\n\nterritoire;periode;valeur\n01001;2024;1\n"
    table = read_source(UploadedFile("x.csv", text.encode()), max_bytes=LIMIT, header_line=3)
    assert table.columns == ("territoire", "periode", "valeur")
    assert table.lines.tolist() == [4]


def test_size_limit_has_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "gros.csv"
    path.write_bytes(b"a;b\n" + b"1;2\n" * 1000)
    upload = UploadedFile.from_path(path, max_bytes=1024)
    assert upload.data == b"" and upload.size == path.stat().st_size
    with pytest.raises(SourceError) as raised:
        read_source(upload, max_bytes=1024)
    assert raised.value.code == "file-too-large"
    assert "SUIVI_MAX_UPLOAD_MB" in str(raised.value)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty-file"),
        (b"  \r\n\r\n", "empty-file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "unsupported-format"),
        (b"PK\x03\x04 not really a zip", "unreadable-file"),
    ],
)
def test_unreadable_files(data: bytes, code: str) -> None:
    with pytest.raises(SourceError) as raised:
        read_source(UploadedFile("x", data), max_bytes=LIMIT)
    assert raised.value.code == code


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_chosen_sheet_with_numbers_and_dates() -> None:
    data = _workbook(
        {
            "Notes": [["à lire d'abord"]],
            "Données": [
                ["territoire", "periode", "valeur", "date"],
                [1001, 2024, 12.5, datetime(2024, 6, 30)],
                [None, None, None, None],
                ["2A004", "2024", 3.0, date(2024, 12, 31)],
            ],
        }
    )
    table = read_source(UploadedFile("classeur.xlsx", data), max_bytes=LIMIT, sheet="Données")
    assert table.format == "xlsx" and table.sheets == ("Notes", "Données")
    assert table.lines.tolist() == [2, 4]  # the empty row 3 is skipped, rows keep their number
    assert table.frame.to_dict("list") == {
        "territoire": ["1001", "2A004"],
        "periode": ["2024", "2024"],
        "valeur": ["12.5", "3"],
        "date": ["2024-06-30", "2024-12-31"],
    }
    first = read_source(UploadedFile("classeur.xlsx", data), max_bytes=LIMIT)
    assert first.sheet == "Notes"
    with pytest.raises(SourceError) as raised:
        read_source(UploadedFile("classeur.xlsx", data), max_bytes=LIMIT, sheet="Autre")
    assert raised.value.code == "unknown-sheet" and "Données" in str(raised.value)


def test_xlsx_zip_bomb_is_refused_before_parsing() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100 * 1024  # 50 MB inflated from a few dozen kilobytes
    with pytest.raises(SourceError) as raised:
        read_source(UploadedFile("bombe.xlsx", data), max_bytes=LIMIT)
    assert raised.value.code == "xlsx-too-large"


def test_xlsx_absurd_width_is_refused() -> None:
    data = _workbook({"Feuil1": [["a", "b"], [1, *([None] * 1500), "loin"]]})
    with pytest.raises(SourceError) as raised:
        read_source(UploadedFile("large.xlsx", data), max_bytes=LIMIT)
    assert raised.value.code == "xlsx-too-large" and "ligne 2" in str(raised.value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (75056, "75056"),
        (1001.0, "1001"),
        (12.25, "12.25"),
        (datetime(2025, 3, 31), "2025-03-31"),
        (datetime(2025, 3, 31, 8, 30), "2025-03-31 08:30:00"),
        (True, "1"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text
