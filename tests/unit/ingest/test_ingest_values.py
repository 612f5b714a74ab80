"""Numbers as French files write them, status tokens, and periods in partners' formats."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.ingest.numbers import StatusTokens, parse_numbers
from indicators.ingest.period_formats import read_period, written_forms
from indicators.periods import Period, PeriodError, PeriodKind

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "value", "status"),
    [
        ("12,5", 12.5, "ok"),
        ("12.5", 12.5, "ok"),
        ("1 234,5", 1234.5, "ok"),
        ("1\u00a0234,5", 1234.5, "ok"),
        ("1\u202f234", 1234.0, "ok"),
        ("1.234,5", 1234.5, "ok"),
        ("1,234.5", 1234.5, "ok"),
        ("12,5 %", 12.5, "ok"),
        ("-3", -3.0, "ok"),
        ("+3", 3.0, "ok"),
        ("0", 0.0, "ok"),
        ("1e3", 1000.0, "ok"),
        ("", None, "missing"),
        ("NA", None, "missing"),
        ("n/a", None, "missing"),
        ("-9999", None, "missing"),
        ("s", None, "secret"),
        ("sans objet", None, "not_applicable"),
        ("beaucoup", None, ""),
        ("inf", None, ""),
    ],
)
def test_parse_numbers(text: str, value: float | None, status: str) -> None:
    parsed = parse_numbers(pd.Series([text]))
    assert parsed.status[0] == status
    assert parsed.invalid[0] == (status == "")
    if value is None:
        assert math.isnan(parsed.values[0])
    else:
        assert parsed.values[0] == value


def test_profile_tokens_replace_the_defaults() -> None:
    tokens = StatusTokens.of(missing=["x"], secret=["c"])
    parsed = parse_numbers(pd.Series(["x", "NA", "c", "-9999"]), tokens)
    assert parsed.status.tolist() == ["missing", "", "secret", "ok"]
    assert parsed.values[3] == -9999


@pytest.mark.parametrize(
    ("text", "fmt", "period"),
    [
        ("2025", "auto", "2025"),
        ("2025-S1", "auto", "2025-S1"),
        ("2025-Q3", "auto", "2025-T3"),
        ("T3 2025", "auto", "2025-T3"),
        ("07/2025", "auto", "2025-07"),
        ("2025", "year", "2025"),
        ("25", "year2", "2025"),
        ("98", "year2", "1998"),
        ("1er semestre 2025", "semester", "2025-S1"),
        ("S2-25", "semester", "2025-S2"),
        ("3T2025", "quarter", "2025-T3"),
        ("2025 T4", "quarter", "2025-T4"),
        ("T1-24", "quarter", "2024-T1"),
        ("202507", "month", "2025-07"),
        ("juillet 2025", "month", "2025-07"),
        ("Févr. 2025", "month", "2025-02"),
        ("janv-24", "month", "2024-01"),
    ],
)
def test_period_formats(text: str, fmt: str, period: str) -> None:
    assert str(read_period(text, fmt)) == period  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "period"),
    [
        ("2025-07-31", PeriodKind.QUARTER, "2025-T3"),
        ("31/07/2025", PeriodKind.YEAR, "2025"),
        ("31/07/25", PeriodKind.SEMESTER, "2025-S2"),
        ("2025-07-31T00:00:00", PeriodKind.MONTH, "2025-07"),
    ],
)
def test_a_date_becomes_the_indicators_period(text: str, kind: PeriodKind, period: str) -> None:
    assert str(read_period(text, "date", kind)) == period


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("2025-13", "auto", "mois 13 invalide"),
        ("T5 2025", "quarter", "trimestre attendu"),
        ("31/02/2025", "date", "date attendue"),
        ("", "auto", "période vide"),
        ("25", "year", "année sur quatre chiffres"),
    ],
)
def test_unreadable_periods_say_why(text: str, fmt: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        read_period(text, fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", list(PeriodKind))
def test_every_written_form_reads_back_as_its_period(kind: PeriodKind) -> None:
    """The forms the /import help shows: the code first, each read back by the parser."""
    for index in range(1, kind.per_year + 1):
        period = Period(2026, kind, index)
        forms = written_forms(period)
        assert forms[0] == str(period) and len(set(forms)) == len(forms)
        for form in forms:
            assert read_period(form) == period, form
