"""Reading list files: encodings, separators, line numbers, GeoJSON."""

from __future__ import annotations

import codecs

import pytest

from indicators.territories.tabular import (
    TableError,
    decode_bytes,
    read_table,
    sniff_delimiter,
    without_header,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Évry;Œuilly".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Évry;Œuilly".encode(), "utf-8-sig"),
        ("Évry;Œuilly".encode("cp1252"), "cp1252"),
        ("Évry;Œuilly".encode("utf-16"), "utf-16"),
    ],
)
def test_decode_bytes(data: bytes, encoding: str) -> None:
    assert decode_bytes(data) == ("Évry;Œuilly", encoding)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("code;nom\n01001;L'Abergement\n", ";"),
        ("code,nom\n01001,L'Abergement\n", ","),
        ("code\tnom\n01001\tL'Abergement\n", "\t"),
        ("code|nom\n01001|L'Abergement\n", "|"),
        # separators and line breaks inside quoted fields must not fool the sniffer
        ('"code","note"\n"01001","a;b;c\nd;e"\n"01004","f;g"\n', ","),
        ('code;note;x\n01001;"1,5";a\n01004;"2,5";b\n', ";"),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_line_numbers_count_from_the_header_and_follow_multi_line_records() -> None:
    text = 'code,note\r\n01001,"one\r\ntwo\r\nthree"\r\n\r\n01004,x\r\n'
    table = read_table(text.encode(), "list.csv")
    assert [row.line for row in table.rows] == [2, 6]
    assert table.rows[0].values == {"code": "01001", "note": "one\r\ntwo\r\nthree"}


def test_short_rows_and_duplicated_headers() -> None:
    table = read_table(b"code;code;\n01001\n", "list.csv")
    assert table.columns == ("code", "code (2)", "colonne 3")
    assert table.rows[0].values == {"code": "01001"}


def test_without_header_makes_the_first_line_data() -> None:
    table = without_header(read_table(b"01001\n01004\n", "list.csv"))
    assert table.columns == ("colonne 1",)
    assert [(row.line, row.values["colonne 1"]) for row in table.rows] == [
        (1, "01001"),
        (2, "01004"),
    ]


def test_geojson_features_are_numbered_by_their_opening_line() -> None:
    text = """{"type": "FeatureCollection",
 "features": [
  {"type": "Feature", "properties": {"insee_com": 1004},
   "geometry": {"type": "Point", "coordinates": [5.3, 45.9]}},
  {"type": "Feature",
   "properties": {"insee_com": "2A004"}, "geometry": null}
 ]}"""
    table = read_table(text.encode(), "acv.geojson")
    assert table.format == "geojson"
    assert [(row.line, row.values["insee_com"]) for row in table.rows] == [(3, 1004), (5, "2A004")]


def test_a_json_array_of_objects_is_a_table() -> None:
    table = read_table(b'[{"code": "01001"},\n{"code": 1004}]', None)
    assert table.format == "json"
    assert [(row.line, row.values["code"]) for row in table.rows] == [(1, "01001"), (2, 1004)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Fichier vide"),
        (b"\n\n", "Fichier vide"),
        (b'{"type": "FeatureCollection", "features": [', "JSON illisible"),
        (b'{"type": "Feature"}', "JSON inattendu"),
    ],
)
def test_unreadable_files_raise_a_french_table_error(data: bytes, message: str) -> None:
    with pytest.raises(TableError, match=message):
        read_table(data, None)
