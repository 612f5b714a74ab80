"""Each quirk and each error, as (line, column, code): the issues a person gets for a file."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import openpyxl
import pytest

from indicators.catalogue import Catalogue
from indicators.ingest import Analysis, LoadOptions, UploadedFile, analyse, parse_profile
from indicators.ingest.period_check import check_periods
from indicators.ingest.text_columns import text_column
from indicators.territories import Referential

pytestmark = pytest.mark.unit

Analyse = Callable[..., Analysis]


def _issues(analysis: Analysis) -> list[tuple[int | None, str | None, str]]:
    return [(issue.line, issue.column, issue.code) for issue in analysis.issues]


def _rows(analysis: Analysis) -> list[tuple[object, ...]]:
    frame = analysis.validated.values
    columns = ["indicator", "territory", "period", "value_type", "value", "status"]
    rows = frame[columns].astype(object).where(frame[columns].notna(), None)
    return [tuple(row) for row in rows.itertuples(index=False)]


def test_every_error_with_its_line_and_column(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("errors.csv")
    assert _issues(analysis) == [
        (2, "indicateur", "unknown-indicator"),
        (3, "territoire", "unknown-territory"),
        (4, "territoire", "ambiguous-territory"),
        (5, "territoire", "level-not-allowed"),
        (6, "periode", "invalid-period"),
        (7, "periode", "wrong-periodicity"),
        (8, "valeur", "invalid-value"),
        (9, "valeur", "out-of-range"),
        (10, "valeur", "duplicate-key"),
        (11, "valeur", "duplicate-key"),
        (12, "indicateur", "derived-indicator"),
        (13, "territoire", "mapped-old-code"),
        (14, "territoire", "dummy-row"),
    ]
    by_line = {issue.line: issue for issue in analysis.issues}
    assert "vouliez-vous dire NUM_CONSEILLERS" in by_line[2].message
    assert "« DEP:84 » ou « REG:84 »" in by_line[4].message
    assert "département, région, France" in by_line[5].message
    assert "trimestrielle" in by_line[7].message and by_line[7].value == "2025"
    assert by_line[8].value == "beaucoup"
    assert "de 0 à 100" in by_line[9].message
    assert "ligne 11" in by_line[10].message and "ligne 10" in by_line[11].message
    assert by_line[13].severity == "warning" and "01015" in by_line[13].message
    assert analysis.verdict == "refused" and analysis.counts["rejected"] == 12
    assert _rows(analysis) == [("NUM_CONSEILLERS", "COM:01015", "2025-T1", "valeur", 1.0, "ok")]


def test_accept_partial_keeps_the_valid_lines(analyse_fixture: Analyse) -> None:
    assert analyse_fixture("errors.csv", accept_partial=True).verdict == "valid"


def test_partial_load_cannot_replace_a_scope(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("errors.csv", accept_partial=True, replace_scope=True)
    assert analysis.verdict == "refused"
    assert (None, None, "partial-replace-refused") in _issues(analysis)


def test_canonical_long_with_bom_crlf_and_decimal_comma(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("long_bom_semicolon_crlf.csv")
    assert analysis.layout == "long" and analysis.errors == 0
    (notice,) = analysis.issues  # "T2 2025" is accepted, and the page says how it was read
    assert (notice.line, notice.column, notice.code, notice.severity) == (
        None,
        "periode",
        "period-read-as",
        "warning",
    )
    assert notice.message == "« T2 2025 » a été lu comme 2e trimestre 2025 (2025-T2)"
    assert _rows(analysis) == [
        ("MOB_ACTIFS", "COM:01001", "2024", "valeur", 400.0, "ok"),
        ("MOB_ACTIFS_VOITURE", "COM:01001", "2024", "valeur", 312.5, "ok"),
        ("NUM_CONSEILLERS", "COM:01004", "2025-T1", "valeur", 3.0, "ok"),
        ("NUM_CONSEILLERS", "COM:01053", "2025-T2", "valeur", 4.0, "ok"),
    ]
    assert analysis.validated.values["comment"].tolist()[1] == "estimation"


def test_english_names_windows_1252_tabs(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("long_cp1252_tab.tsv")
    assert analysis.file.encoding == "cp1252" and analysis.issues == ()
    assert [row[4] for row in _rows(analysis)] == [1234.5, 12000.0]


def test_error_after_a_multiline_field_names_the_line_seen(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("long_comma_multiline.csv")
    assert _issues(analysis) == [(4, "valeur", "invalid-value")]


def test_wide_layout(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("wide_semicolon.csv")
    assert analysis.layout == "wide" and analysis.issues == ()
    assert sorted(_rows(analysis), key=str) == sorted(
        [
            ("MOB_ACTIFS", "COM:01001", "2024", "valeur", 400.0, "ok"),
            ("MOB_ACTIFS", "COM:01053", "2024", "valeur", 20000.0, "ok"),
            ("MOB_ACTIFS_VOITURE", "COM:01001", "2024", "valeur", 300.0, "ok"),
            ("MOB_ACTIFS_VOITURE", "COM:01053", "2024", "valeur", None, "missing"),
        ],
        key=str,
    )


def test_wide_layout_reports_an_unknown_code_column_once(analyse_text: Analyse) -> None:
    analysis = analyse_text("territoire;periode;MOB_ACTIFS;MOB_ACTIF_VELO\n99999;2024;1;2\n")
    assert _issues(analysis) == [
        (1, "MOB_ACTIF_VELO", "unknown-indicator"),
        (2, "territoire", "dummy-row"),
    ]


def test_partner_layout_through_a_profile(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("partner_layout.csv")
    assert analysis.layout == "profile"
    assert _issues(analysis) == [(4, "Code commune", "mapped-arrondissement")]
    rows = {(row[0], row[1]): row[4:] for row in _rows(analysis)}
    assert rows[("MOB_ACTIFS", "COM:01001")] == (400.0, "ok")  # 0,4 thousand, 1001 padded
    assert rows[("MOB_ACTIFS", "COM:01053")] == (20000.0, "ok")
    assert rows[("MOB_ACTIFS_VOITURE", "COM:01053")] == (15200.0, "ok")
    assert rows[("MOB_ACTIFS", "COM:01004")][1] == "missing"  # NA
    assert rows[("MOB_ACTIFS_VOITURE", "COM:01004")][1] == "missing"  # -9999
    assert rows[("MOB_ACTIFS", "COM:75056")][1] == "secret"  # s, in Paris 1er -> Paris
    assert {row[2] for row in _rows(analysis)} == {"2024"}  # two-digit years


def test_values_baselines_and_targets(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("values_baselines_targets.csv")
    assert [(row[2], row[3], row[4]) for row in _rows(analysis)] == [
        ("2024-S2", "reference", 2.0),
        ("2025-S1", "valeur", 3.0),
        ("2026", "cible", 5.0),  # a yearly target of a semester indicator is fine
    ]
    assert _issues(analysis) == [(5, "periode", "wrong-periodicity")]  # a quarter is finer


def test_statuses(analyse_fixture: Analyse) -> None:
    analysis = analyse_fixture("statuses_long.csv")
    assert [row[5] for row in _rows(analysis)] == [
        "missing",
        "secret",
        "not_applicable",
        "secret",
    ]
    assert _issues(analysis) == [(5, "valeur", "value-ignored"), (6, "statut", "invalid-status")]


def test_missing_columns_of_a_profile(analyse_text: Analyse) -> None:
    profile = parse_profile(
        {
            "territory": {"column": "code"},
            "period": {"column": "annee"},
            "values": [{"column": "n", "indicator": "MOB_ACTIFS"}],
        }
    )
    analysis = analyse_text("code;an;n\n01001;2024;3\n", profile=profile)
    assert _issues(analysis) == [(1, "annee", "missing-column")]
    assert analysis.verdict == "refused"


def test_unknown_layout_lists_the_columns(analyse_text: Analyse) -> None:
    analysis = analyse_text("foo;bar\n1;2\n")
    assert _issues(analysis) == [(None, None, "unknown-layout")]
    assert "foo, bar" in analysis.issues[0].message


def test_combine_counts_rows_per_territory(analyse_text: Analyse) -> None:
    """A list of sites becomes a count per commune; an arrondissement counts in its commune."""
    profile = parse_profile(
        {
            "territory": {"column": "insee_com", "level": "COM"},
            "period": {"value": "2024-S2"},
            "values": [{"constant": 1, "indicator": "ACC_FS_NOMBRE"}],
            "combine": "sum",
        }
    )
    text = "id;insee_com\n1;01053\n2;75101\n3;75115\n4;01053\n5;01004\n"
    analysis = analyse_text(text, profile=profile)
    counts = {row[1]: row[4] for row in _rows(analysis)}
    assert counts == {"COM:01053": 2.0, "COM:75056": 2.0, "COM:01004": 1.0}
    assert [code for _, _, code in _issues(analysis)] == ["mapped-arrondissement"] * 2


def test_indicator_column_mapped_by_value_with_others_ignored(analyse_text: Analyse) -> None:
    profile = parse_profile(
        {
            "territory": {"column": "dep", "level": "DEP"},
            "period": {"column": "date", "format": "date"},
            "indicator": {
                "column": "id",
                "map": {"renonce": "ACC_RENONCEMENT", "renonce-cible": {
                    "indicator": "ACC_RENONCEMENT", "value_type": "cible"}},
                "others": "ignore",
            },
            "values": [{"column": "valeur", "empty": "skip"}],
        }
    )  # fmt: skip
    text = (
        "id,dep,date,valeur\n"
        "renonce,1,2024-06-30,3.5\n"
        "autre,1,2024-06-30,9\n"
        "renonce-cible,01,2026-12-31,2\n"
        "renonce-cible,2A,2026-12-31,\n"
    )
    analysis = analyse_text(text, profile=profile)
    assert analysis.issues == ()
    assert _rows(analysis) == [
        ("ACC_RENONCEMENT", "DEP:01", "2024", "valeur", 3.5, "ok"),
        ("ACC_RENONCEMENT", "DEP:01", "2026", "cible", 2.0, "ok"),
    ]
    assert analysis.counts["ignored"] == 2  # the unmapped indicator, the empty target


def test_typed_code_settles_an_ambiguous_one(analyse_text: Analyse) -> None:
    """``84`` is Vaucluse or Auvergne-Rhône-Alpes, both levels of the indicator: the file
    must say which, and ``DEP:84`` does."""
    header = "indicateur;territoire;periode;valeur\n"
    ambiguous = analyse_text(header + "ACC_RENONCEMENT;84;2024;3\n")
    assert _issues(ambiguous) == [(2, "territoire", "ambiguous-territory")]
    typed = analyse_text(header + "ACC_RENONCEMENT;DEP:84;2024;3\n")
    assert typed.issues == () and _rows(typed)[0][1] == "DEP:84"


def test_a_group_is_no_level_to_upload_to(analyse_text: Analyse) -> None:
    analysis = analyse_text("indicateur;territoire;periode;valeur\nMOB_ACTIFS;GRP:pvd;2024;3\n")
    assert _issues(analysis) == [(2, "territoire", "level-not-allowed")]
    assert "niveau groupe (GRP:pvd)" in analysis.issues[0].message


def test_xlsx_long_layout_with_numbers_as_cells(analyse_text: Analyse) -> None:
    """A spreadsheet keeps codes as numbers (1001 lost its zero) and years as numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "valeurs"
    for row in (
        ["indicateur", "territoire", "periode", "valeur"],
        ["MOB_ACTIFS", 1001, 2024, 400],
        ["MOB_ACTIFS", "2A004", 2024, 1234.5],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    analysis = analyse_text(
        buffer.getvalue(), name="valeurs.xlsx", options=LoadOptions(sheet="valeurs")
    )
    assert analysis.file.format == "xlsx" and analysis.issues == ()
    assert _rows(analysis) == [
        ("MOB_ACTIFS", "COM:01001", "2024", "valeur", 400.0, "ok"),
        ("MOB_ACTIFS", "COM:2A004", "2024", "valeur", 1234.5, "ok"),
    ]


def test_a_period_in_another_form_is_read_with_one_notice_per_form(
    catalogue: Catalogue, mini: Referential
) -> None:
    text = (
        "indicateur;territoire;periode;valeur\n"
        "NUM_CONSEILLERS;01001;2026Q2;1\n"
        "NUM_CONSEILLERS;01004;2026Q2;2\n"  # the same form twice: one notice
        "NUM_CONSEILLERS;01053;T2 2026;3\n"
        "NUM_LOCAUX;01001;2e trimestre 2026;4\n"
        "NUM_CONSEILLERS;01001;2026-T1;5\n"  # canonical: no notice
        "NUM_ACCOMPAGNEMENTS;01001;04/2026;6\n"
        "NUM_CONSEILLERS;01004;2026-T5;7\n"  # unreadable: an error, no notice
    )
    analysis = analyse(UploadedFile("f.csv", text.encode()), catalogue=catalogue, referential=mini)
    notices = [issue for issue in analysis.issues if issue.code == "period-read-as"]
    assert {(n.line, n.column, n.severity) for n in notices} == {(None, "periode", "warning")}
    assert [n.message for n in notices] == [  # in the order the file first uses them
        "« 2026Q2 » a été lu comme 2e trimestre 2026 (2026-T2)",
        "« T2 2026 » a été lu comme 2e trimestre 2026 (2026-T2)",
        "« 2e trimestre 2026 » a été lu comme 2e trimestre 2026 (2026-T2)",
        "« 04/2026 » a été lu comme avril 2026 (2026-04)",
    ]
    assert analysis.errors == 1 and analysis.warnings == 4
    assert sorted(set(analysis.validated.values["period"])) == ["2026-04", "2026-T1", "2026-T2"]


def test_a_profile_with_a_declared_format_gets_no_notice(catalogue: Catalogue) -> None:
    column = text_column(np.array(["T2 2026", "T2 2026"], dtype=object))
    _, failed, issues = check_periods(
        column,
        "quarter",
        np.array(["NUM_CONSEILLERS"] * 2, dtype=object),
        np.array(["valeur"] * 2, dtype=object),
        catalogue,
        np.array([2, 3]),
        "trimestre",
    )
    assert not failed.any() and issues == []


def test_a_period_of_the_wrong_kind_is_named_with_its_article(catalogue: Catalogue) -> None:
    """« désigne une année », not « désigne un(e) année »: the message is read by a person."""
    column = text_column(np.array(["2026", "2026-S1"], dtype=object))
    _, failed, issues = check_periods(
        column,
        "auto",
        np.array(["NUM_CONSEILLERS"] * 2, dtype=object),
        np.array(["valeur"] * 2, dtype=object),
        catalogue,
        np.array([2, 3]),
        "periode",
    )
    assert failed.all()
    messages = [issue.message for issue in issues]
    assert any("« 2026 » désigne une année (2026)" in m for m in messages), messages
    assert any("« 2026-S1 » désigne un semestre (2026-S1)" in m for m in messages), messages
    assert not any("un(e)" in m for m in messages)
