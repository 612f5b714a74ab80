"""A partner's template (issue #14): its indicators × expected territories × periods due, and it
loads unchanged through the ingest dry run (CSV and XLSX)."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.catalogue import Catalogue
from indicators.ingest import UploadedFile, analyse
from indicators.ingest.templates import (
    due_periods,
    expected_territories,
    partner_due_periods,
    partner_template,
    template_filename,
    template_rows,
)
from indicators.territories import Referential

pytestmark = pytest.mark.unit

TODAY = date(2025, 3, 15)
TERRITORIES = ["COM:01053", "EPCI:200029999", "DEP:01", "REG:84", "FR"]


def test_periods_due_follow_the_periodicity_and_the_lag(catalogue: Catalogue) -> None:
    quarterly = catalogue.indicators["NUM_CONSEILLERS"]  # quarterly, published 2 months later
    annual = catalogue.indicators["ACC_RENONCEMENT"]  # annual, published 9 months later
    assert quarterly.publication_lag_months == 2
    assert [str(p) for p in due_periods(quarterly, TODAY, 2)] == ["2024-T4", "2025-T1"]
    assert [str(p) for p in due_periods(quarterly, date(2025, 2, 28))] == ["2024-T3"]
    assert annual.publication_lag_months == 9
    assert [str(p) for p in due_periods(annual, TODAY)] == ["2023"]  # 2024 is due in Oct. 2025
    assert [str(p) for p in due_periods(annual, date(2025, 10, 1))] == ["2024"]


def test_rows_are_the_partner_s_base_indicators_at_their_levels(catalogue: Catalogue) -> None:
    rows = template_rows(catalogue, "INSEE", TERRITORIES, TODAY)
    indicators = {row.indicator for row in rows}
    assert "MOB_ACTIFS" in indicators and "MOB_PART_VOITURE" not in indicators  # derived
    renoncement = [r for r in rows if r.indicator == "ACC_RENONCEMENT"]
    assert [r.territory for r in renoncement] == ["DEP:01", "REG:84", "FR"]  # no COM, no EPCI
    assert all(c.partner == "INSEE" for c in (catalogue.indicators[r.indicator] for r in rows))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_loads_unchanged(catalogue: Catalogue, mini: Referential, fmt: str) -> None:
    territories = ["COM:01053", "DEP:01", "FR"]
    data = partner_template(catalogue, "ANCT", territories, TODAY, fmt, periods=2)  # type: ignore[arg-type]
    expected = template_rows(catalogue, "ANCT", territories, TODAY, periods=2)
    assert len(expected) > 20
    analysis = analyse(UploadedFile(f"modele.{fmt}", data), catalogue=catalogue, referential=mini)
    assert analysis.layout == "long"
    assert analysis.issues == () and analysis.verdict == "valid"
    values = analysis.validated.values
    assert len(values) == len(expected)
    assert set(values["status"]) == {"missing"}  # nothing typed yet
    assert sorted(zip(values["indicator"], values["territory"], values["period"], strict=True)) == (
        sorted((r.indicator, r.territory, r.period) for r in expected)
    )


def test_the_csv_template_follows_the_table_schema(catalogue: Catalogue, tmp_path) -> None:  # type: ignore[no-untyped-def]
    frictionless = pytest.importorskip("frictionless")
    from indicators.ingest.table_schema import long_format_schema

    (tmp_path / "modele.csv").write_bytes(
        partner_template(catalogue, "ARCEP", ["DEP:2A", "FR"], TODAY)
    )
    schema = frictionless.Schema.from_descriptor(long_format_schema(catalogue))
    report = frictionless.Resource(path="modele.csv", basepath=str(tmp_path), schema=schema)
    assert report.validate().valid


def test_an_unknown_partner(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="partenaire inconnu"):
        partner_template(catalogue, "NOPE", [], TODAY)


def test_the_periods_of_a_partner_s_template(catalogue: Catalogue, mini: Referential) -> None:
    territories = expected_territories(mini)
    assert territories and {t.partition(":")[0] for t in territories} == {"DEP", "REG", "FR"}
    assert territories == sorted(territories)
    rows = template_rows(catalogue, "ANCT", territories, TODAY, periods=2)
    due = partner_due_periods(catalogue, "ANCT", TODAY, 2)
    assert {str(p) for p in due} == {r.period for r in rows}
    assert due == sorted(due) and len(due) >= 2
    assert partner_due_periods(catalogue, "NOPE", TODAY) == []
    assert template_filename("ANCT", TODAY, "xlsx") == "modele-a-remplir-ANCT-2025-03-15.xlsx"
