"""The evaluator's pins and exclusions and the frozen report, through the page's callbacks
(demo of the test session: Corse and Martinique). Measure M4 only: other tests read M1 and M9
with their automatic proposal, which a saved design would replace."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from dashboard.reports import pdf_available, read_metadata

pytestmark = pytest.mark.integration

MEASURE = "M4"
ADJUST_OUTPUTS = [("evaluation-design-message", "children"), ("evaluation-design-saved", "data")]
PLAN_OUTPUTS = [("evaluation-plan", "options"), ("evaluation-plan", "value")]
REPORT_OUTPUTS = [
    ("evaluation-report-download", "data"),
    ("evaluation-report-message", "children"),
    ("evaluation-report-frozen", "data"),
]


@pytest.fixture
def callbacks(callbacks, client, login_as):  # type: ignore[no-untyped-def]
    """The page's callbacks as an evaluator: adjusting and freezing need "evaluate"."""
    login_as(client, "evaluateur")
    return callbacks


def _adjust(
    callbacks,
    button: str,
    plan: str | None,
    territory: str | None = None,
    choice: str | None = None,
    measure: str = MEASURE,
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    clicks = {name: None for name in ("pin", "exclude", "undo", "save")}
    clicks[button] = 1
    return callbacks.call(
        ADJUST_OUTPUTS,
        [
            (f"evaluation-design-{button}", "n_clicks", 1),
            *(
                (f"evaluation-design-{name}", "n_clicks", value)
                for name, value in clicks.items()
                if name != button
            ),
        ],
        [
            ("evaluation-mesure", "value", measure),
            ("evaluation-plan", "value", plan),
            ("evaluation-design-territoire", "value", territory),
            ("evaluation-design-comment", "value", None),
            ("evaluation-plan-choices", "value", choice),
        ],
    )


def _message(result: dict[str, Any]) -> str:
    return json.dumps(result["evaluation-design-message"]["children"], ensure_ascii=False)


def _plans(callbacks, saved: dict[str, Any] | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return callbacks.call(
        PLAN_OUTPUTS,
        [
            ("evaluation-mesure", "value", MEASURE),
            ("evaluation-design-saved", "data", saved),
            ("evaluation-report-frozen", "data", None),
        ],
        [("evaluation-plan", "value", None)],
    )


def _units(dash_app, plan: str | None) -> Any:  # type: ignore[no-untyped-def]
    from dashboard.pages.evaluation.datasets import measure_evaluation

    with dash_app.server.app_context():
        return measure_evaluation(MEASURE, plan).territories


def test_excluding_then_pinning_saves_new_versions(callbacks, dash_app) -> None:  # type: ignore[no-untyped-def]
    before = _units(dash_app, None)
    comparisons = before[(before["role"] == "comparison") & (before["level"] == "COM")]
    dropped = str(comparisons["territory"].iloc[0])

    excluded = _adjust(callbacks, "exclude", None, territory=dropped.split(":")[1])
    saved = excluded["evaluation-design-saved"]["data"]
    assert "Plan enregistré : version" in _message(excluded)
    assert "exclu des témoins" in _message(excluded)
    after = _units(dash_app, str(saved["id"]))
    assert dropped not in set(after["territory"])
    assert len(after[after["role"] == "comparison"]) >= len(comparisons) - 1

    plans = _plans(callbacks, saved)
    assert plans["evaluation-plan"]["value"] == str(saved["id"])
    assert plans["evaluation-plan"]["options"][0]["label"].startswith(
        f"Version {saved['version']} "
    )

    # withdraw the exclusion: the territory may be matched again, and a third version exists
    undone = _adjust(callbacks, "undo", str(saved["id"]), choice=f"include:{dropped}")
    again = undone["evaluation-design-saved"]["data"]
    assert again["version"] == saved["version"] + 1
    assert "réintégré" in _message(undone)


def test_refusals_say_what_to_fix(callbacks, dash_app) -> None:  # type: ignore[no-untyped-def]
    units = _units(dash_app, None)
    test_unit = str(units[units["role"] == "test"]["territory"].iloc[0])

    unknown = _adjust(callbacks, "pin", None, territory="Zzzyx-sur-Mer")
    assert "Territoire introuvable" in _message(unknown)
    assert "evaluation-design-saved" not in unknown  # nothing saved

    test_pin = _adjust(callbacks, "exclude", None, territory=test_unit.split(":")[1])
    assert "c'est un territoire test" in _message(test_pin)

    empty = _adjust(callbacks, "pin", None, territory="  ")
    assert "Saisissez le code INSEE" in _message(empty)

    nothing_chosen = _adjust(callbacks, "undo", None)
    assert "Choisissez d'abord" in _message(nothing_chosen)


def test_frozen_report_downloads_with_its_versions(callbacks, dash_app) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        REPORT_OUTPUTS,
        [("evaluation-report-html", "n_clicks", 1), ("evaluation-report-pdf", "n_clicks", None)],
        [("evaluation-mesure", "value", MEASURE), ("evaluation-plan", "value", None)],
    )
    download = result["evaluation-report-download"]["data"]
    frozen = result["evaluation-report-frozen"]["data"]
    assert download["filename"].startswith(f"evaluation-{MEASURE}-plan-v{frozen['version']}-")
    metadata = read_metadata(download["content"])
    assert metadata["measure"] == MEASURE
    assert metadata["design_id"] == frozen["id"]
    assert len(metadata["results_sha256"]) == 64
    html = download["content"]
    assert "Ce rapport est figé" in html and "Méthode" in html and "<svg" in html
    assert "Plotly.newPlot" in html
    # the report's figures are the page's figures for the same design
    from dashboard.pages.evaluation.datasets import measure_evaluation
    from indicators.evaluation.fingerprint import results_fingerprint

    with dash_app.server.app_context():
        shown = measure_evaluation(MEASURE, str(frozen["id"]))
    assert results_fingerprint(shown) == metadata["results_sha256"]


@pytest.mark.skipif(not pdf_available(), reason="Chromium absent : pas d'export PDF")
def test_frozen_report_as_pdf(callbacks) -> None:  # type: ignore[no-untyped-def]
    result = callbacks.call(
        REPORT_OUTPUTS,
        [("evaluation-report-pdf", "n_clicks", 1), ("evaluation-report-html", "n_clicks", None)],
        [("evaluation-mesure", "value", MEASURE), ("evaluation-plan", "value", None)],
    )
    download = result["evaluation-report-download"]["data"]
    assert download["filename"].endswith(".pdf") and download["base64"] is True
    assert base64.b64decode(download["content"]).startswith(b"%PDF")


def test_downloading_saves_nothing_saving_is_explicit_and_signed(callbacks, dash_app) -> None:  # type: ignore[no-untyped-def]
    """Issue #16: no design version saved behind the evaluator's back, never under "web"."""
    from dashboard.context import db_session
    from indicators.evaluation import list_designs

    measure = "M8"  # no other test saves or reads a design of M8

    def designs() -> Any:
        with dash_app.server.app_context(), db_session() as session:
            return list_designs(session, measure)

    refused = callbacks.call(
        REPORT_OUTPUTS,
        [("evaluation-report-html", "n_clicks", 1), ("evaluation-report-pdf", "n_clicks", None)],
        [("evaluation-mesure", "value", measure), ("evaluation-plan", "value", None)],
    )
    assert "n'enregistre rien" in json.dumps(
        refused["evaluation-report-message"]["children"], ensure_ascii=False
    )
    assert "evaluation-report-download" not in refused  # no file, and
    assert designs().empty  # nothing saved

    saved = _adjust(callbacks, "save", None, measure=measure)
    assert "Plan enregistré : version 1, à votre nom (evaluateur)" in _message(saved)
    found = designs()
    assert list(found["author"]) == ["evaluateur"]
    again = _adjust(callbacks, "save", None, measure=measure)
    assert "déjà un plan enregistré" in _message(again)

    report = callbacks.call(
        REPORT_OUTPUTS,
        [("evaluation-report-html", "n_clicks", 1), ("evaluation-report-pdf", "n_clicks", None)],
        [("evaluation-mesure", "value", measure), ("evaluation-plan", "value", None)],
    )
    assert report["evaluation-report-frozen"]["data"]["version"] == 1
    assert "Rien n'a été enregistré" in json.dumps(
        report["evaluation-report-message"]["children"], ensure_ascii=False
    )
    assert len(designs()) == 1
