"""The chart rules read from a definition: expected range, values outside it, colour scale."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from indicators.catalogue import ValidRange, load_catalogue
from indicators.catalogue.scales import (
    PERCENT_RANGE,
    colour_scale,
    expected_range,
    outside_range,
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_a_212_percent_rate_is_outside_its_range_and_gaps_are_not(catalogue) -> None:
    rate = catalogue.indicators["NUM_TAUX_FTTH"]
    flagged = outside_range(
        [212.0, 100.0, 0.0, -0.5, np.nan, 150.0],
        expected_range(rate),
        ["ok", "ok", "ok", "ok", "missing", "secret"],
    )
    assert flagged.tolist() == [True, False, False, True, False, False]


def test_open_bounds_flag_nothing_on_their_open_side() -> None:
    assert outside_range([-1e9, 1e9], ValidRange(None, None)).tolist() == [False, False]
    assert outside_range([-1.0, 1e9], ValidRange(0.0, None)).tolist() == [True, False]


def test_a_percentage_without_declared_range_is_read_as_0_to_100(catalogue) -> None:
    rate = replace(catalogue.indicators["NUM_TAUX_FTTH"], valid_range=ValidRange())
    assert expected_range(rate) == PERCENT_RANGE
    assert outside_range([212.0], expected_range(rate)).tolist() == [True]
    count = replace(catalogue.indicators["NUM_CONSEILLERS"], valid_range=ValidRange())
    assert expected_range(count) == ValidRange()


def test_counts_and_rates_are_sequential_a_signed_balance_is_diverging(catalogue) -> None:
    assert colour_scale(catalogue.indicators["NUM_TAUX_FTTH"]).kind == "sequential"
    assert colour_scale(catalogue.indicators["NUM_CONSEILLERS"]).kind == "sequential"
    balance = colour_scale(catalogue.indicators["REV_SOLDE_COMMERCES"])
    assert (balance.kind, balance.centre) == ("diverging", 0.0)
    # a percentage without a declared range is a share, not a change around 0
    share = replace(catalogue.indicators["NUM_TAUX_FTTH"], valid_range=ValidRange())
    assert colour_scale(share).kind == "sequential"
    change = replace(share, valid_range=ValidRange(-100.0, None))
    assert colour_scale(change).kind == "diverging"
