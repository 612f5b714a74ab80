"""French number writing shared by the core's messages and the import pages."""

from __future__ import annotations

import pytest

from indicators.french import plain_number, stored_value_text, thousands


@pytest.mark.parametrize(
    ("value", "written"),
    [(2043110.0, "2043110"), (12.5, "12,5"), (-0.25, "-0,25"), (3.0, "3"), (0.1 + 0.2, "0,3")],
)
def test_plain_number_has_no_exponent_and_a_decimal_comma(value: float, written: str) -> None:
    assert plain_number(value) == written


def test_thousands_uses_narrow_no_break_spaces() -> None:
    assert thousands(1234567) == "1\u202f234\u202f567"


def test_stored_value_text_reads_a_diff_cell() -> None:
    assert stored_value_text(None, None) == "—"  # nothing stored before
    assert stored_value_text(None, "secret") == "secret"
    assert stored_value_text(2043110.0, "ok") == "2043110"
    assert stored_value_text(7, "ok") == "7"
