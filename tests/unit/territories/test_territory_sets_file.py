"""Membership-list files on the mini referential: detection, issues, counts, deduplication."""

from __future__ import annotations

import codecs
import json
from datetime import date
from pathlib import Path

import pytest

from indicators.territories import Referential, read_set_file

pytestmark = pytest.mark.unit

EVERY_QUIRK = (
    "code_insee;nom;date_debut;date_fin\n"
    "01001;L'Abergement;15/03/2021;\n"  # 2 ok
    "75101;Paris 1er;2021-01-01;31/12/2023\n"  # 3 arrondissement
    "75115;Paris 15e;01/06/2020;\n"  # 4 arrondissement, same commune: duplicate
    "01340;Saint-Bois;;\n"  # 5 absorbed
    "NA;inconnu;;\n"  # 6 missing
    ";vide;;\n"  # 7 empty
    "999999;ligne de test;;\n"  # 8 dummy
    "97801;Saint-Martin;;\n"  # 9 outside the referential
    "12345;nulle part;;\n"  # 10 unknown
    "1001;zéro perdu;;\n"  # 11 padded, and a duplicate of line 2
    "84;Vaucluse;;\n"  # 12 not a commune
    "01998;scindée;;\n"  # 13 ambiguous
    "2A004;Ajaccio;demain;\n"  # 14 bad date
    "01053;Bourg;01/01/2024;01/01/2023\n"  # 15 end before start
)


@pytest.fixture
def quirks(mini: Referential):  # type: ignore[no-untyped-def]
    return read_set_file(EVERY_QUIRK.encode("cp1252"), mini, filename="liste.csv")


def test_every_quirk_becomes_an_issue_at_its_line(quirks) -> None:  # type: ignore[no-untyped-def]
    assert quirks.issue_tuples() == [
        (3, "code_insee", "mapped-arrondissement"),
        (4, "code_insee", "mapped-arrondissement"),
        (4, "code_insee", "duplicate-member"),
        (5, "code_insee", "mapped-old-code"),
        (6, "code_insee", "empty-code"),
        (7, "code_insee", "empty-code"),
        (8, "code_insee", "dummy-row"),
        (9, "code_insee", "outside-referential"),
        (10, "code_insee", "unknown-territory"),
        (11, "code_insee", "normalised-code"),
        (11, "code_insee", "duplicate-member"),
        (12, "code_insee", "wrong-level"),
        (13, "code_insee", "ambiguous-territory"),
        (14, "date_debut", "invalid-date"),
        (15, "date_fin", "invalid-date-range"),
    ]


def test_issues_carry_value_french_message_and_severity(quirks) -> None:  # type: ignore[no-untyped-def]
    by_line = {(issue.line, issue.code): issue for issue in quirks.issues}
    dummy = by_line[(8, "dummy-row")]
    assert (dummy.value, dummy.severity) == ("999999", "error")
    assert "ligne factice" in dummy.message and dummy.message.endswith("ligne ignorée")
    absorbed = by_line[(5, "mapped-old-code")]
    assert absorbed.severity == "warning"
    assert "01340→01015 (Arboys en Bugey)" in absorbed.message
    duplicate = by_line[(4, "duplicate-member")]
    assert duplicate.message == (
        "Paris (75056) figure déjà ligne 3 : lignes fusionnées en un membre"
    )
    assert by_line[(11, "normalised-code")].severity == "info"
    assert "département 84 (Vaucluse) ou région 84" in by_line[(12, "wrong-level")].message


def test_counts_add_up(quirks) -> None:  # type: ignore[no-untyped-def]
    counts = quirks.counts
    assert (counts.rows_read, counts.matched, counts.mapped) == (14, 4, 3)
    assert (counts.unknown, counts.empty, counts.duplicates) == (5, 2, 2)
    assert counts.matched + counts.mapped + counts.unknown + counts.empty == counts.rows_read
    assert counts.match_rate == pytest.approx(7 / 14)


def test_members_are_deduplicated_with_the_union_of_their_periods(quirks) -> None:  # type: ignore[no-untyped-def]
    members = {member.code: member for member in quirks.members}
    assert list(members) == ["COM:01001", "COM:75056", "COM:01015", "COM:2A004", "COM:01053"]
    paris = members["COM:75056"]
    assert (paris.start, paris.end) == (date(2020, 6, 1), None)  # no end on line 4: open
    assert (paris.line, paris.lines, paris.value) == (3, (3, 4), "75101")
    abergement = members["COM:01001"]
    assert (abergement.start, abergement.lines) == (None, (2, 11))  # line 11 has no date
    assert members["COM:2A004"].start is None
    assert (members["COM:01053"].start, members["COM:01053"].end) == (
        date(2024, 1, 1),
        date(2023, 1, 1),
    )


def test_detection_report(quirks) -> None:  # type: ignore[no-untyped-def]
    assert (quirks.format, quirks.encoding, quirks.delimiter) == ("csv", "cp1252", ";")
    assert (quirks.code_column, quirks.start_column, quirks.end_column) == (
        "code_insee",
        "date_debut",
        "date_fin",
    )
    assert quirks.readable
    assert quirks.codes == {"COM:01001", "COM:75056", "COM:01015", "COM:2A004", "COM:01053"}


@pytest.mark.parametrize(
    "header",
    ["insee_com", "CODGEO", "Code INSEE", "code_commune", "inseeCom", "COM", "depcom", "code"],
)
def test_code_column_found_by_name(mini: Referential, header: str) -> None:
    data = f"nom,{header}\nParis,75056\nAin,01001\n".encode()
    result = read_set_file(data, mini, filename="x.csv")
    assert result.code_column == header
    assert result.codes == {"COM:75056", "COM:01001"}


def test_code_column_found_by_values(mini: Referential) -> None:
    data = b"id,libelle,identifiant\n1,Paris,75056\n2,Ain,01001\n3,Bourg,01053\n"
    result = read_set_file(data, mini, filename="x.csv")
    assert result.code_column == "identifiant"
    assert len(result.members) == 3


def test_a_named_column_full_of_junk_loses_to_one_with_codes(mini: Referential) -> None:
    data = b"code,commune\nA1,75056\nA2,01001\n"
    assert read_set_file(data, mini, filename="x.csv").code_column == "commune"


def test_a_list_without_header(mini: Referential) -> None:
    result = read_set_file(b"75056\n01001\n2A004\n", mini, filename="x.txt")
    assert result.code_column == "colonne 1"
    assert [(m.code, m.line) for m in result.members] == [
        ("COM:75056", 1),
        ("COM:01001", 2),
        ("COM:2A004", 3),
    ]


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "code_insee,nom\n01001,Ambérieu\n".encode(),
        "code_insee\tnom\n01001\tAmbérieu\n".encode(),
        "code_insee;nom\r\n01001;Ambérieu\r\n".encode("cp1252"),
        '"code_insee","nom"\n"01001","Ambérieu\nsur deux lignes"\n'.encode(),
    ],
    ids=["utf8-bom", "tab", "cp1252-crlf", "quoted-multiline"],
)
def test_encodings_and_separators(mini: Referential, data: bytes) -> None:
    result = read_set_file(data, mini, filename="x.csv")
    assert result.codes == {"COM:01001"}
    assert result.issues == ()


def test_explicit_columns_override_detection(mini: Referential) -> None:
    data = b"a,b,quand\n01001,75056,2022\n"
    result = read_set_file(data, mini, filename="x.csv", code_column="b", start_column="quand")
    assert [(m.code, m.start) for m in result.members] == [("COM:75056", date(2022, 1, 1))]


def test_epci_lists(mini: Referential) -> None:
    data = b"siren_epci;nom\n200054781;MGP\n248400251;Grand Avignon\n123456789;dissous\n"
    result = read_set_file(data, mini, level="EPCI", filename="x.csv")
    assert result.code_column == "siren_epci"
    assert result.codes == {"EPCI:200054781", "EPCI:248400251"}
    assert result.issue_tuples() == [(4, "siren_epci", "unknown-territory")]


def test_geojson_points_with_numbers_and_strings(mini: Referential) -> None:
    features = [
        {"type": "Feature", "properties": {"insee_com": 1004, "nom": "Ambérieu"}},
        {"type": "Feature", "properties": {"insee_com": "2A004"}},
        {"type": "Feature", "properties": {"insee_com": 75056.0}},
        {"type": "Feature", "properties": {"insee_com": None}},
        {"type": "Feature", "properties": {"nom": "sans code"}},
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}, indent=1)
    result = read_set_file(text.encode(), mini, filename="acv.geojson")
    assert result.format == "geojson"
    assert result.codes == {"COM:01004", "COM:2A004", "COM:75056"}
    lines = [m.line for m in result.members]
    assert lines == [4, 11, 17]  # the line of each feature's opening brace
    assert [(issue.code, issue.value) for issue in result.issues] == [
        ("normalised-code", "1004"),
        ("empty-code", ""),
        ("empty-code", ""),
    ]


def test_a_path_is_read_too(mini: Referential, tmp_path: Path) -> None:
    path = tmp_path / "membres.csv"
    path.write_bytes(b"insee\n01001\n")
    assert read_set_file(path, mini).codes == {"COM:01001"}


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "x.csv", "empty-file"),
        (b"{not json", "x.json", "unreadable-file"),
        (b"nom,commentaire\nParis,rien\nLyon,rien\n", "x.csv", "no-code-column"),
    ],
)
def test_unusable_files_are_one_issue_not_an_exception(
    mini: Referential, data: bytes, filename: str, code: str
) -> None:
    result = read_set_file(data, mini, filename=filename)
    assert result.members == ()
    assert [(issue.line, issue.code) for issue in result.issues] == [(None, code)]
    assert not result.readable


def test_a_missing_path_is_an_issue(mini: Referential, tmp_path: Path) -> None:
    result = read_set_file(tmp_path / "absent.csv", mini)
    assert [issue.code for issue in result.issues] == ["unreadable-file"]


def test_an_explicit_column_that_does_not_exist(mini: Referential) -> None:
    result = read_set_file(b"insee\n01001\n", mini, filename="x.csv", code_column="code")
    assert [issue.code for issue in result.issues] == ["no-code-column"]
    assert "« code » absente" in result.issues[0].message
