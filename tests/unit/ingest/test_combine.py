"""Several source rows in one (indicator, territory, period): the profile's ``combine`` (issue
#14). A monthly barometer series read as a quarterly stock keeps the latest month."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from indicators.ingest import Analysis, LoadOptions, parse_profile
from indicators.ingest.profile import Profile

pytestmark = pytest.mark.unit

Analyse = Callable[..., Analysis]

# NUM_CONSEILLERS is quarterly; a partner sends its monthly counts, months in disorder
MONTHLY = (
    "commune;mois;conseillers\n"
    "01053;2025-02;5\n"
    "01053;2025-01;4\n"
    "01053;2025-03;7\n"
    "01053;2025-04;8\n"
    "01004;2025-01;1\n"
    "01004;2025-02;s\n"
)


def _profile(combine: str | None, fmt: str = "month", column: str = "mois") -> Profile:
    document: dict[str, object] = {
        "territory": {"column": "commune", "level": "COM"},
        "period": {"column": column, "format": fmt},
        "indicator": {"value": "NUM_CONSEILLERS"},
        "values": [{"column": "conseillers"}],
        "secret": ["s"],
    }
    if combine is not None:
        document["combine"] = combine
    return parse_profile(document)


def _by_key(analysis: Analysis) -> dict[tuple[str, str], tuple[float | None, str, int]]:
    frame = analysis.validated.values
    return {
        (row.territory, row.period): (
            None if row.value != row.value else row.value,
            row.status,
            int(row.line),
        )
        for row in frame.itertuples(index=False)
    }


def test_last_keeps_the_latest_month_of_each_quarter(analyse_text: Analyse) -> None:
    analysis = analyse_text(MONTHLY, profile=_profile("last"))
    assert analysis.issues == ()
    assert _by_key(analysis) == {
        ("COM:01053", "2025-T1"): (7.0, "ok", 4),  # March, written on line 4
        ("COM:01053", "2025-T2"): (8.0, "ok", 5),
        ("COM:01004", "2025-T1"): (None, "secret", 7),  # the latest month is secret
    }
    assert "moment" not in analysis.validated.values.columns


def test_last_reads_dates_within_the_period(analyse_text: Analyse) -> None:
    text = "commune;date;conseillers\n01053;2025-03-31;7\n01053;2025-01-31;4\n01053;2025-02-28;5\n"
    analysis = analyse_text(text, profile=_profile("last", "date", "date"))
    assert _by_key(analysis) == {("COM:01053", "2025-T1"): (7.0, "ok", 2)}


def test_sum_and_mean_of_the_months(analyse_text: Analyse) -> None:
    summed = _by_key(analyse_text(MONTHLY, profile=_profile("sum")))
    assert summed[("COM:01053", "2025-T1")] == (16.0, "ok", 2)
    assert summed[("COM:01004", "2025-T1")] == (1.0, "ok", 6)  # the secret month adds nothing
    mean = _by_key(analyse_text(MONTHLY, profile=_profile("mean")))
    assert mean[("COM:01053", "2025-T1")][0] == pytest.approx(16 / 3)
    assert mean[("COM:01053", "2025-T2")][0] == 8.0


def test_error_is_the_default_and_months_stay_months(analyse_text: Analyse) -> None:
    default = analyse_text(MONTHLY, profile=_profile(None))
    assert default.validated.values.empty
    assert {issue.code for issue in default.issues} == {"wrong-periodicity"}
    dates = "commune;date;conseillers\n01053;2025-01-31;4\n01053;2025-03-31;7\n"
    refused = analyse_text(dates, profile=_profile(None, "date", "date"))
    assert [(i.line, i.code) for i in refused.issues] == [
        (2, "duplicate-key"),
        (3, "duplicate-key"),
    ]


def test_the_load_option_overrides_the_profile(analyse_text: Analyse) -> None:
    """``suivi load --combine last`` on a file whose profile says nothing."""
    analysis = analyse_text(MONTHLY, profile=_profile(None), options=LoadOptions(combine="last"))
    assert analysis.profile is not None and analysis.profile.combine == "last"
    assert _by_key(analysis)[("COM:01053", "2025-T1")] == (7.0, "ok", 4)


def test_a_profile_document_keeps_its_policy() -> None:
    assert _profile("last").combine == "last"
    assert _profile(None).combine == "error"
