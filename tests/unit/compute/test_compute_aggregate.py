import math

import numpy as np
import pandas as pd
import pytest

from indicators.compute import (
    AGGREGATE_COLUMNS,
    AggregationSpec,
    aggregate,
    prepare_membership,
)

pytestmark = pytest.mark.unit

NAN = math.nan
SUM = AggregationSpec("sum")


def observations(*rows: tuple[str, str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "territory", "period", "value", "status"])


def membership(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["group", "territory"])


def row(result: pd.DataFrame, group: str, period: str = "2025") -> pd.Series:
    found = result[(result["group"] == group) & (result["period"] == period)]
    assert len(found) == 1, found
    return found.iloc[0]


# A = {a, b, c}, B = {c, d}: c is in both; (A, a) is listed twice.
GROUPS = membership(
    ("A", "COM:a"), ("A", "COM:b"), ("A", "COM:c"), ("A", "COM:a"), ("B", "COM:c"), ("B", "COM:d"),
)  # fmt: skip


# --- one literal expectation per rule ---------------------------------------------------------


def test_sum_adds_reported_values_and_zero_counts_as_reported() -> None:
    data = observations(
        ("x", "COM:a", "2025", 10.0, "ok"),
        ("x", "COM:b", "2025", 0.0, "ok"),
        ("x", "COM:c", "2025", 5.0, "ok"),
        ("x", "COM:d", "2025", NAN, "missing"),
    )
    result = aggregate(data, GROUPS, AggregationSpec("sum"), "x")
    a, b = row(result, "A"), row(result, "B")
    assert (a["value"], a["status"], a["k"], a["n"]) == (15.0, "ok", 3, 3)
    assert (b["value"], b["status"], b["k"], b["n"], b["n_missing"]) == (5.0, "ok", 1, 2, 1)
    assert b["coverage_rate"] == 0.5
    assert a["reason"] == ""


def test_ratio_is_the_ratio_of_sums_not_the_mean_of_ratios() -> None:
    # A village: 1 of 2 (50 %); a town: 90 of 100 (90 %).
    data = observations(
        ("num", "COM:a", "2025", 1.0, "ok"),
        ("den", "COM:a", "2025", 2.0, "ok"),
        ("num", "COM:b", "2025", 90.0, "ok"),
        ("den", "COM:b", "2025", 100.0, "ok"),
    )
    groups = membership(("G", "COM:a"), ("G", "COM:b"))
    spec = AggregationSpec("ratio", numerator="num", denominator="den", factor=100)
    g = row(aggregate(data, groups, spec, "rate"), "G")
    mean_of_ratios = (50.0 + 90.0) / 2
    assert mean_of_ratios == 70.0
    assert g["value"] == pytest.approx(100 * 91 / 102)  # 89.2157 %
    assert g["value"] != pytest.approx(mean_of_ratios)
    assert (g["numerator"], g["denominator"], g["k"], g["indicator"]) == (91.0, 102.0, 2, "rate")


def test_ratio_sums_only_territories_where_numerator_and_denominator_are_both_ok() -> None:
    data = observations(
        ("num", "COM:a", "2025", 3.0, "ok"),
        ("den", "COM:a", "2025", 10.0, "ok"),
        ("num", "COM:b", "2025", 50.0, "ok"),  # its denominator is missing: b is left out
        ("den", "COM:b", "2025", NAN, "missing"),
        ("num", "COM:c", "2025", NAN, "secret"),  # its numerator is secret: c is left out
        ("den", "COM:c", "2025", 40.0, "ok"),
    )
    spec = AggregationSpec("ratio", numerator="num", denominator="den", factor=1000)
    a = row(aggregate(data, GROUPS, spec, "rate"), "A")
    assert (a["numerator"], a["denominator"], a["value"]) == (3.0, 10.0, 300.0)
    assert (a["k"], a["n_missing"], a["n_secret"], a["n"]) == (1, 1, 1, 3)


def test_population_weighted_mean() -> None:
    data = observations(("x", "COM:a", "2025", 10.0, "ok"), ("x", "COM:b", "2025", 20.0, "ok"))
    populations = pd.Series({"COM:a": 100, "COM:b": 300})
    groups = membership(("G", "COM:a"), ("G", "COM:b"))
    spec = AggregationSpec("weighted_mean", weight="population")
    g = row(aggregate(data, groups, spec, "x", populations), "G")
    assert g["value"] == pytest.approx((10 * 100 + 20 * 300) / 400)  # 17.5, not the mean 15
    assert (g["numerator"], g["denominator"]) == (7000.0, 400.0)


def test_weighted_mean_by_an_indicator_and_unknown_weights_count_as_missing() -> None:
    data = observations(
        ("x", "COM:a", "2025", 10.0, "ok"),
        ("w", "COM:a", "2025", 1.0, "ok"),
        ("x", "COM:b", "2025", 40.0, "ok"),
        ("w", "COM:b", "2025", 3.0, "ok"),
        ("x", "COM:c", "2025", 99.0, "ok"),  # no weight row: left out, counted missing
    )
    a = row(aggregate(data, GROUPS, AggregationSpec("weighted_mean", weight="w"), "x"), "A")
    assert a["value"] == pytest.approx((10 * 1 + 40 * 3) / 4)
    assert (a["k"], a["n_missing"]) == (2, 1)


def test_territory_without_population_is_left_out_of_a_population_weighted_mean() -> None:
    data = observations(("x", "COM:a", "2025", 10.0, "ok"), ("x", "COM:b", "2025", 20.0, "ok"))
    groups = membership(("G", "COM:a"), ("G", "COM:b"))
    spec = AggregationSpec("weighted_mean", weight="population")
    g = row(aggregate(data, groups, spec, "x", pd.Series({"COM:a": 50})), "G")
    assert (g["value"], g["k"], g["n_missing"]) == (10.0, 1, 1)
    with pytest.raises(ValueError, match="populations"):
        aggregate(data, groups, spec, "x")


@pytest.mark.parametrize(("rule", "expected"), [("min", 0.0), ("max", 12.5)])
def test_min_and_max_of_reported_values(rule: str, expected: float) -> None:
    data = observations(
        ("x", "COM:a", "2025", 12.5, "ok"),
        ("x", "COM:b", "2025", 0.0, "ok"),
        ("x", "COM:c", "2025", NAN, "secret"),
    )
    a = row(aggregate(data, GROUPS, AggregationSpec(rule), "x"), "A")  # type: ignore[arg-type]
    assert (a["value"], a["k"], a["n_secret"]) == (expected, 2, 1)


def test_not_aggregable_rule_gives_not_applicable_with_a_french_reason() -> None:
    data = observations(("x", "COM:a", "2025", 1.0, "ok"), ("x", "COM:b", "2025", 2.0, "ok"))
    a = row(aggregate(data, GROUPS, AggregationSpec("none"), "x"), "A")
    assert a["status"] == "not_applicable"
    assert math.isnan(a["value"])
    assert "non agrégeable" in a["reason"]
    assert (a["k"], a["n_absent"]) == (2, 1)  # coverage is still reported


# --- overlapping groups, duplicated memberships -------------------------------------------------


def test_overlapping_groups_count_a_shared_territory_in_each_and_duplicates_once() -> None:
    data = observations(
        ("x", "COM:a", "2025", 1.0, "ok"),
        ("x", "COM:b", "2025", 10.0, "ok"),
        ("x", "COM:c", "2025", 100.0, "ok"),
        ("x", "COM:d", "2025", 1000.0, "ok"),
    )
    result = aggregate(data, GROUPS, AggregationSpec("sum"), "x")
    assert (row(result, "A")["value"], row(result, "A")["n"]) == (111.0, 3)  # a once, not twice
    assert (row(result, "B")["value"], row(result, "B")["n"]) == (1100.0, 2)  # c in B too
    assert len(result) == 2


# --- coverage -----------------------------------------------------------------------------------


def test_coverage_keeps_missing_not_applicable_secret_zero_and_absent_apart() -> None:
    groups = membership(*[("G", f"COM:{name}") for name in "pqrstu"])
    data = observations(
        ("x", "COM:p", "2025", 7.0, "ok"),
        ("x", "COM:q", "2025", 0.0, "ok"),
        ("x", "COM:r", "2025", NAN, "missing"),
        ("x", "COM:s", "2025", NAN, "not_applicable"),
        ("x", "COM:t", "2025", NAN, "secret"),
        # COM:u has no row at all
        ("x", "COM:elsewhere", "2025", 1e6, "ok"),  # not a member: ignored
        ("y", "COM:p", "2025", 1e6, "ok"),  # another indicator: ignored
    )
    g = row(aggregate(data, groups, SUM, "x"), "G")
    assert g["value"] == 7.0
    counts = ("k", "n", "n_missing", "n_not_applicable", "n_secret", "n_absent")
    assert tuple(int(g[c]) for c in counts) == (2, 6, 1, 1, 1, 1)
    assert g["coverage_rate"] == pytest.approx(2 / 6)


def test_status_of_groups_without_reported_values() -> None:
    groups = membership(
        ("NA", "COM:a"), ("NA", "COM:b"), ("SEC", "COM:c"), ("SEC", "COM:b"), ("MIS", "COM:d"),
        ("MIS", "COM:c"), ("ABS", "COM:z"),
    )  # fmt: skip
    data = observations(
        ("x", "COM:a", "2025", NAN, "not_applicable"),
        ("x", "COM:b", "2025", NAN, "not_applicable"),
        ("x", "COM:c", "2025", NAN, "secret"),
        ("x", "COM:d", "2025", NAN, "missing"),
    )
    result = aggregate(data, groups, SUM, "x")
    assert row(result, "NA")["status"] == "not_applicable"
    assert row(result, "SEC")["status"] == "secret"  # secret and not applicable: nothing missing
    assert row(result, "MIS")["status"] == "missing"
    assert row(result, "ABS")["status"] == "missing"
    assert row(result, "ABS")["n_absent"] == 1
    assert result["value"].isna().all()
    assert (result["reason"] != "").all()


def test_ratio_with_a_zero_denominator_is_missing() -> None:
    data = observations(("num", "COM:a", "2025", 0.0, "ok"), ("den", "COM:a", "2025", 0.0, "ok"))
    spec = AggregationSpec("ratio", numerator="num", denominator="den")
    g = row(aggregate(data, membership(("G", "COM:a")), spec, "rate"), "G")
    assert (g["status"], g["k"]) == ("missing", 1)
    assert math.isnan(g["value"])
    assert "dénominateur nul" in g["reason"]


def test_expected_periods_without_rows_are_reported_as_absent() -> None:
    data = observations(("x", "COM:a", "2025-T1", 4.0, "ok"))
    groups = membership(("G", "COM:a"))
    result = aggregate(data, groups, AggregationSpec("sum"), "x", periods=["2025-T2", "2025-T1"])
    assert list(result["period"]) == ["2025-T1", "2025-T2"]  # chronological
    t2 = row(result, "G", "2025-T2")
    assert (t2["status"], t2["k"], t2["n_absent"]) == ("missing", 0, 1)


def test_several_periods_and_groups_in_order() -> None:
    data = observations(
        ("x", "COM:a", "2025-T1", 1.0, "ok"),
        ("x", "COM:a", "2024-T4", 2.0, "ok"),
        ("x", "COM:d", "2025-T1", 3.0, "ok"),
    )
    result = aggregate(data, GROUPS, AggregationSpec("sum"), "x")
    assert list(result.columns) == list(AGGREGATE_COLUMNS)
    assert list(zip(result["group"], result["period"], strict=True)) == [
        ("A", "2024-T4"), ("A", "2025-T1"), ("B", "2024-T4"), ("B", "2025-T1"),
    ]  # fmt: skip
    assert list(result["value"].fillna(-1)) == [2.0, 1.0, -1.0, 3.0]


# --- small numbers ----------------------------------------------------------------------------


def test_small_sums_and_small_ratio_numerators_are_suppressed() -> None:
    data = observations(
        ("x", "COM:a", "2025", 4.0, "ok"),
        ("x", "COM:b", "2025", 3.0, "ok"),
        ("x", "COM:c", "2025", 0.0, "ok"),
        ("x", "COM:d", "2025", 0.0, "ok"),
    )
    result = aggregate(data, GROUPS, AggregationSpec("sum"), "x", suppress_below=11)
    a, b = row(result, "A"), row(result, "B")
    assert (a["status"], math.isnan(a["value"])) == ("secret", True)
    assert "11" in a["reason"]
    assert (b["status"], b["value"]) == ("ok", 0.0)  # zero reveals nobody
    ratio = observations(("n", "COM:a", "2025", 5.0, "ok"), ("d", "COM:a", "2025", 900.0, "ok"))
    spec = AggregationSpec("ratio", numerator="n", denominator="d")
    g = row(aggregate(ratio, membership(("G", "COM:a")), spec, "r", suppress_below=11), "G")
    assert g["status"] == "secret"
    assert math.isnan(g["numerator"]) and math.isnan(g["denominator"])  # no back door


# --- inputs -------------------------------------------------------------------------------------


def test_prepared_membership_and_categorical_columns_give_the_same_result() -> None:
    data = observations(
        ("x", "COM:a", "2025", 1.5, "ok"),
        ("x", "COM:c", "2025", NAN, "secret"),
        ("x", "COM:d", "2025", 2.0, "ok"),
        ("other", "COM:d", "2025", 2.0, "ok"),
    )
    expected = aggregate(data, GROUPS, AggregationSpec("sum"), "x")
    categorical = data.astype(
        {c: "category" for c in ("indicator", "territory", "period", "status")}
    )
    result = aggregate(categorical, prepare_membership(GROUPS), AggregationSpec("sum"), "x")
    pd.testing.assert_frame_equal(result, expected)


def test_counts_stay_exact_in_groups_larger_than_a_packed_field() -> None:
    size = 70_000  # more than 65,535 members: the counts need wider bit fields
    names = np.array([f"COM:{i:06d}" for i in range(size)], dtype=object)
    statuses = np.array(["ok", "missing", "not_applicable", "secret", "ok"] * (size // 5))
    data = pd.DataFrame(
        {"indicator": "x", "territory": names, "period": "2025", "value": 1.0, "status": statuses}
    )
    data.loc[data["status"] != "ok", "value"] = NAN
    data = data.iloc[
        :-7
    ]  # the last seven (3 ok, 1 missing, 1 not applicable, 2 secret) have no row
    groups = pd.DataFrame({"group": "FR", "territory": names})
    g = row(aggregate(data, groups, SUM, "x"), "FR")
    counts = ("k", "n_missing", "n_not_applicable", "n_secret", "n_absent", "n")
    assert tuple(int(g[c]) for c in counts) == (27_997, 13_999, 13_999, 13_998, 7, size)
    assert g["value"] == 27_997.0


def test_bad_observations_are_refused_in_french() -> None:
    groups = membership(("G", "COM:a"))
    twice = observations(("x", "COM:a", "2025", 1.0, "ok"), ("x", "COM:a", "2025", 2.0, "ok"))
    with pytest.raises(ValueError, match="en double"):
        aggregate(twice, groups, SUM, "x")
    with pytest.raises(ValueError, match="statut"):
        aggregate(
            observations(("x", "COM:a", "2025", 1.0, "OK?")), groups, AggregationSpec("sum"), "x"
        )
    with pytest.raises(ValueError, match="sans valeur"):
        aggregate(
            observations(("x", "COM:a", "2025", NAN, "ok")), groups, AggregationSpec("sum"), "x"
        )
    with pytest.raises(ValueError, match="période invalide"):
        aggregate(
            observations(("x", "COM:a", "25-T9", 1.0, "ok")), groups, AggregationSpec("sum"), "x"
        )


def test_a_value_beside_a_non_ok_status_is_ignored() -> None:
    data = observations(("x", "COM:a", "2025", 8.0, "ok"), ("x", "COM:b", "2025", 5.0, "secret"))
    a = row(aggregate(data, GROUPS, AggregationSpec("sum"), "x"), "A")
    assert (a["value"], a["n_secret"]) == (8.0, 1)


def test_specs_are_checked() -> None:
    with pytest.raises(ValueError, match="numérateur"):
        AggregationSpec("ratio", numerator="n")
    with pytest.raises(ValueError, match="poids"):
        AggregationSpec("weighted_mean")
    with pytest.raises(ValueError, match="inconnue"):
        AggregationSpec("median")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="facteur"):
        AggregationSpec("ratio", numerator="n", denominator="d", factor=0)
    data = observations(("x", "COM:a", "2025", 1.0, "ok"))
    with pytest.raises(ValueError, match="petits effectifs"):
        aggregate(data, GROUPS, AggregationSpec("max"), "x", suppress_below=11)


def test_empty_membership_gives_an_empty_frame() -> None:
    data = observations(("x", "COM:a", "2025", 1.0, "ok"))
    result = aggregate(data, membership(), AggregationSpec("sum"), "x")
    assert result.empty
    assert list(result.columns) == list(AGGREGATE_COLUMNS)


def test_every_period_is_found_even_a_rare_one() -> None:
    names = [f"COM:{i:03d}" for i in range(300)]
    data = pd.DataFrame(
        {"indicator": "x", "territory": names, "period": "2025", "value": 1.0, "status": "ok"}
    )
    data.loc[1, "period"] = "2024"  # one row in three hundred
    result = aggregate(data, pd.DataFrame({"group": "FR", "territory": names}), SUM, "x")
    assert list(zip(result["period"], result["k"], strict=True)) == [("2024", 1), ("2025", 299)]
    data.loc[2, "period"] = None
    with pytest.raises(ValueError, match="période vide"):
        aggregate(data, pd.DataFrame({"group": "FR", "territory": names}), SUM, "x")
