"""The period axis of a trend labels a readable number of periods, the latest always."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from dashboard.figures.trend import spaced_ticks, trend_figure

pytestmark = pytest.mark.unit

MONTHS = [f"{year}-{month:02d}" for year in range(2022, 2027) for month in range(1, 13)]


def test_few_periods_are_all_labelled() -> None:
    assert spaced_ticks(["2022", "2023", "2024"], 6) == ["2022", "2023", "2024"]


def test_many_periods_are_thinned_evenly_ending_on_the_latest() -> None:
    ticks = spaced_ticks(MONTHS, 6)
    assert len(ticks) <= 6 and ticks[-1] == "2026-12"
    steps = {MONTHS.index(b) - MONTHS.index(a) for a, b in itertools.pairwise(ticks)}
    assert steps == {10}


def test_a_monthly_trend_labels_at_most_max_ticks_periods() -> None:
    table = pd.DataFrame(
        {
            "serie": "Brest",
            "periode": MONTHS,
            "valeur": range(len(MONTHS)),
            "statut": "ok",
            "nature": "valeur",
        }
    )
    axis = trend_figure(table, "nombre", max_ticks=6)["layout"]["xaxis"]
    assert len(axis["tickvals"]) == len(axis["ticktext"]) <= 6
    assert axis["ticktext"][-1] == "décembre 2026"
    assert axis["categoryarray"] == MONTHS  # every month keeps its place on the line
    assert len(trend_figure(table, "nombre")["layout"]["xaxis"]["tickvals"]) <= 12
