import math
from collections.abc import Mapping

import pandas as pd
import pytest

from indicators.catalogue.formula import parse_formula
from indicators.compute import OBSERVATION_COLUMNS, derive

pytestmark = pytest.mark.unit

NAN = math.nan


def observations(*rows: tuple[str, str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))


def by_territory(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[float, str]]:
    return {
        (t, p): (v, s)
        for t, p, v, s in zip(
            frame["territory"], frame["period"], frame["value"], frame["status"], strict=True
        )
    }


def test_derived_values_and_status_propagation() -> None:
    data = observations(
        ("births", "COM:a", "2025", 12.0, "ok"),
        ("pop", "COM:a", "2025", 1000.0, "ok"),
        ("births", "COM:b", "2025", 0.0, "ok"),  # zero is a value
        ("pop", "COM:b", "2025", 500.0, "ok"),
        ("births", "COM:c", "2025", NAN, "secret"),
        ("pop", "COM:c", "2025", NAN, "missing"),  # secret wins over missing
        ("births", "COM:d", "2025", NAN, "missing"),
        ("pop", "COM:d", "2025", NAN, "not_applicable"),  # missing wins over not applicable
        ("births", "COM:e", "2025", NAN, "not_applicable"),
        ("pop", "COM:e", "2025", 80.0, "ok"),
        ("births", "COM:f", "2025", 3.0, "ok"),  # no pop row: missing
        ("births", "COM:g", "2025", 3.0, "ok"),
        ("pop", "COM:g", "2025", 0.0, "ok"),  # division by zero: missing, NaN
        ("other", "COM:h", "2025", 1.0, "ok"),  # not an input: no output row
    )
    result = derive(data, parse_formula("births / pop"), "birth_rate", factor=1000)
    assert list(result.columns) == list(OBSERVATION_COLUMNS)
    assert set(result["indicator"]) == {"birth_rate"}
    got = by_territory(result)
    assert got[("COM:a", "2025")] == (12.0, "ok")
    assert got[("COM:b", "2025")] == (0.0, "ok")
    assert {key: status for key, (_, status) in got.items()} == {
        ("COM:a", "2025"): "ok",
        ("COM:b", "2025"): "ok",
        ("COM:c", "2025"): "secret",
        ("COM:d", "2025"): "missing",
        ("COM:e", "2025"): "not_applicable",
        ("COM:f", "2025"): "missing",
        ("COM:g", "2025"): "missing",
    }
    not_ok = result[result["status"] != "ok"]
    assert not_ok["value"].isna().all()


def test_variables_can_name_other_codes_and_periods_stay_apart() -> None:
    data = observations(
        ("IND_A", "COM:a", "2024", 2.0, "ok"),
        ("IND_B", "COM:a", "2024", 3.0, "ok"),
        ("IND_A", "COM:a", "2025", 5.0, "ok"),
        ("IND_B", "COM:a", "2025", 7.0, "ok"),
    )
    result = derive(
        data, parse_formula("a * b + 1"), "prod", variables={"a": "IND_A", "b": "IND_B"}
    )
    assert by_territory(result) == {("COM:a", "2024"): (7.0, "ok"), ("COM:a", "2025"): (36.0, "ok")}


def test_coalesce_may_stand_in_for_a_missing_input_but_never_for_a_secret_one() -> None:
    data = observations(
        ("a", "COM:x", "2025", NAN, "missing"),
        ("b", "COM:x", "2025", 4.0, "ok"),
        ("a", "COM:y", "2025", NAN, "secret"),
        ("b", "COM:y", "2025", 4.0, "ok"),
    )
    got = by_territory(derive(data, parse_formula("coalesce(a, b)"), "c"))
    assert got[("COM:x", "2025")] == (4.0, "ok")
    assert got[("COM:y", "2025")][1] == "secret"


class Doubling:
    """A stand-in formula: anything with ``variables`` and a vectorised ``evaluate`` works."""

    variables = frozenset({"v"})

    def evaluate(self, env: Mapping[str, pd.Series]) -> pd.Series:
        return env["v"] * 2


def test_any_formula_like_object_is_accepted() -> None:
    data = observations(("v", "COM:a", "2025-T1", 1.5, "ok"))
    assert by_territory(derive(data, Doubling(), "twice")) == {("COM:a", "2025-T1"): (3.0, "ok")}


def test_duplicated_inputs_are_refused() -> None:
    data = observations(("v", "COM:a", "2025", 1.0, "ok"), ("v", "COM:a", "2025", 2.0, "ok"))
    with pytest.raises(ValueError, match="en double"):
        derive(data, Doubling(), "twice")


def test_no_input_rows_give_an_empty_frame() -> None:
    result = derive(observations(), Doubling(), "twice")
    assert result.empty
    assert list(result.columns) == list(OBSERVATION_COLUMNS)
