"""The evaluation page's pure pieces, without HTTP nor database (issue #16): warnings grouped
by indicator name, the types a measure targets, the effects by type, the event study summary."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.evaluation_texts import DESIGN_GROUP, grouped_warnings
from dashboard.pages.evaluation.figures import effects_by_type_figure
from dashboard.pages.evaluation.sections import warnings_view
from dashboard.pages.evaluation.texts import event_study_summary, type_choices
from indicators.catalogue import load_catalogue
from indicators.evaluation import WARNING_COLUMNS

pytestmark = pytest.mark.unit


def _warnings(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(WARNING_COLUMNS))


def test_warnings_grouped_by_name_deduplicated_and_filtered_by_type() -> None:
    frame = _warnings(
        [
            ("A", None, "unbalanced-panel", "warning", "Panel déséquilibré."),
            ("A", "ensemble", "too-few-test-units", "warning", "Trop peu de territoires test."),
            ("A", "moins_20k", "too-few-test-units", "warning", "Trop peu (< 20 000 hab.)."),
            ("B", "20k_100k", "not-estimable", "warning", "Non estimable (20 000 – 100 000)."),
            ("A", None, "unbalanced-panel", "warning", "Panel déséquilibré."),  # a repeat
            (None, "moins_20k", "poor-balance", "warning", "Appariement imparfait."),
        ]
    )
    labels = {"A": "Taux de vacance", "B": "Indice de vitalité"}
    groups = grouped_warnings(frame, labels)
    assert [g.title for g in groups] == [DESIGN_GROUP, "Taux de vacance", "Indice de vitalité"]
    assert [m for m, _ in groups[1].messages] == [
        "Panel déséquilibré.",
        "Trop peu de territoires test.",
        "Trop peu (< 20 000 hab.).",
    ]
    assert groups[1].indicator == "A" and groups[1].messages[0][1] == "unbalanced-panel"
    # one type: its own warnings and the indicator-wide ones, not the pooled or other types'
    small = grouped_warnings(frame, labels, "moins_20k")
    assert [g.title for g in small] == [DESIGN_GROUP, "Taux de vacance"]
    assert [m for m, _ in small[1].messages] == ["Panel déséquilibré.", "Trop peu (< 20 000 hab.)."]
    shown = str(warnings_view(small))
    assert "unbalanced-panel" not in shown.replace("title='code : unbalanced-panel'", "")


def test_only_the_types_a_measure_targets() -> None:
    catalogue = load_catalogue()
    m2 = catalogue.measures["M2"]
    assert list(type_choices(m2)) == ["tous", *(str(t) for t in m2.territory_types)]
    assert "plus_100k" not in type_choices(m2)
    assert list(type_choices(None).values()) == [
        "Tous les types",
        "< 20 000 hab.",
        "20 000 – 100 000 hab.",
        "> 100 000 hab.",
    ]


def test_effects_by_type_one_point_and_interval_per_type() -> None:
    frame = pd.DataFrame(
        {
            "scope": ["ensemble", "moins_20k", "20k_100k"],
            "scope_label": ["ensemble", "< 20 000 hab.", "20 000 – 100 000 hab."],
            "estimate": [1.0, 2.0, None],
            "ci_low": [0.5, 1.0, None],
            "ci_high": [1.5, 3.5, None],
            "verdict_label": ["a", "b", "c"],
        }
    )
    figure = effects_by_type_figure(frame, "%", "moins_20k")
    trace = figure["data"][0]
    assert trace["y"] == ["ensemble", "< 20 000 hab."]  # no point without an estimate
    assert trace["error_x"]["array"] == [0.5, 1.5] and trace["error_x"]["arrayminus"] == [0.5, 1.0]
    assert trace["marker"]["color"][0] != trace["marker"]["color"][1]  # the chosen type stands out
    empty = effects_by_type_figure(frame.iloc[2:], "%", None)
    assert empty["layout"]["annotations"]  # says why


def test_event_study_summary_does_not_count_zero_width_intervals() -> None:
    frame = pd.DataFrame(
        {
            "event_time": [-2, -1, 0, 1],
            "estimate": [0.1, 0.0, 1.0, 2.0],
            "ci_low": [-0.5, 0.0, 1.0, 1.5],
            "ci_high": [0.7, 0.0, 1.0, 2.5],
        }
    )
    text = event_study_summary(frame, "X")
    assert "2 périodes avant le début de la mesure, dont 0" in text
    assert "2 périodes après, dont 1 s'écartent" in text  # +1,00 [1,00 ; 1,00] is not counted
