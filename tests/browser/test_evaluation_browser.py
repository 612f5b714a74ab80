"""The evaluator's path in headless Chromium: exclude a comparison territory from a measure's
design, see the new version saved and shown, then freeze the report. Measure M7: no other test
of the session's database reads its design."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import Select

pytestmark = pytest.mark.browser

MEASURE = "M7"


def _a_comparison_commune(dash_app) -> str:  # type: ignore[no-untyped-def]
    from dashboard.pages.evaluation.datasets import measure_evaluation

    with dash_app.server.app_context():
        units = measure_evaluation(MEASURE).territories
    chosen = units[(units["role"] == "comparison") & (units["level"] == "COM")]
    return str(chosen["territory"].iloc[0]).split(":")[1]


def test_exclude_a_comparison_territory_then_freeze_the_report(
    dash_duo, dash_app, screenshot, sign_in
) -> None:  # type: ignore[no-untyped-def]
    code = _a_comparison_commune(dash_app)
    dash_duo.start_server(dash_app)
    sign_in("evaluateur")
    dash_duo.driver.get(dash_duo.server_url + f"/evaluation?mesure={MEASURE}")
    dash_duo.wait_for_contains_text("#evaluation-plan-facts", "Proposition automatique", timeout=30)

    field = dash_duo.find_element("#evaluation-design-territoire")
    field.send_keys(code)
    field.send_keys("\n")  # debounce: the value reaches the server on Enter or blur
    dash_duo.find_element("#evaluation-design-exclude").click()
    dash_duo.wait_for_contains_text(
        "#evaluation-design-message", "Plan enregistré : version 1", timeout=60
    )
    # the page now shows the saved version, with the exclusion listed and withdrawable
    dash_duo.wait_for_contains_text("#evaluation-plan-facts", "Version 1", timeout=60)
    assert "exclus : 1" in dash_duo.find_element("#evaluation-plan-facts").text
    choices = Select(dash_duo.find_element("#evaluation-plan-choices"))
    assert any(code in option.text for option in choices.options)
    assert (
        "Version 1" in Select(dash_duo.find_element("#evaluation-plan")).first_selected_option.text
    )
    dash_duo.driver.set_window_size(1440, 900)
    dash_duo.driver.execute_script(
        "document.getElementById('evaluation-plan-title').scrollIntoView()"
    )
    screenshot("evaluation-plan-ajuste")

    dash_duo.find_element("#evaluation-report-html").click()
    dash_duo.wait_for_contains_text(
        "#evaluation-report-message", "Rapport figé : plan version 1", timeout=60
    )
    assert dash_duo.get_logs() == []
