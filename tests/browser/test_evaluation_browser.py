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


def _section_texts(dash_duo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = ("evaluation-chain", "evaluation-estimates", "evaluation-territories")
    texts = {name: dash_duo.find_element(f"#{name}").text for name in ids}
    texts["warnings"] = dash_duo.find_element("#evaluation-warnings").text
    texts["counts"] = dash_duo.find_element("#evaluation-territories-counts").text
    return texts


def test_the_evaluator_filters_m2_by_type(dash_duo, dash_app, screenshot) -> None:  # type: ignore[no-untyped-def]
    """Issue #16, the national evaluator: "does M2 work, for which type of territory, can I
    trust it" — the type filter changes every section; the type M2 does not target is not
    offered; warnings are grouped under indicator names."""
    from dashboard.pages.evaluation.datasets import measure_evaluation

    with dash_app.server.app_context():
        evaluation = measure_evaluation("M2")
    names = {item.indicator.label for item in evaluation.indicators}
    dash_duo.start_server(dash_app)
    dash_duo.driver.set_window_size(1440, 900)
    dash_duo.driver.get(dash_duo.server_url + "/evaluation?mesure=M2")
    dash_duo.wait_for_contains_text("#evaluation-estimates", "Lecture", timeout=60)
    dash_duo.wait_for_element("#evaluation-carte-maps img", timeout=60)

    labels = [label.text for label in dash_duo.find_elements("#evaluation-type label")]
    assert labels == ["Tous les types", "< 20 000 hab.", "20 000 – 100 000 hab."]
    assert "> 100 000 hab." not in dash_duo.find_element("#evaluation-type").text

    headings = [h.text for h in dash_duo.find_elements("#evaluation-warnings h3")]
    assert headings and len(headings) == len(set(headings))
    assert set(headings) <= names | {"Plan d'évaluation (choix des témoins)"}
    assert "-" not in "".join(
        li.text.split(" ")[0] for li in dash_duo.find_elements("#evaluation-warnings li")
    )  # messages start with French words, not codes such as "too-few-test-units"
    before = _section_texts(dash_duo)

    option = dash_duo.find_elements("#evaluation-type label")[2]
    option.click()
    dash_duo.wait_for_contains_text(
        "#evaluation-chain", "de 20 000 à 100 000 habitants", timeout=60
    )
    dash_duo.wait_for_text_to_equal(
        "#evaluation-territories-counts tbody tr th", "20 000 – 100 000 hab.", timeout=60
    )
    after = _section_texts(dash_duo)
    for section, text in before.items():
        assert after[section] != text, f"la section {section} n'a pas suivi le filtre"
    assert "< 20 000 hab." not in after["evaluation-estimates"]
    assert "type=20k_100k" in dash_duo.driver.current_url
    dash_duo.find_element("#evaluation-types-graph .main-svg")  # effects by type drawn

    # the event study follows the indicator chosen among the measure's own
    chooser = Select(dash_duo.find_element("#evaluation-indicateur"))
    offered = [o for o in chooser.options if o.get_attribute("value")]  # not the placeholder
    assert {o.text for o in offered} == names
    second = offered[1].text
    chooser.select_by_value(offered[1].get_attribute("value"))
    dash_duo.wait_for_contains_text("#evaluation-etude-title", second, timeout=60)
    assert second in dash_duo.find_element("#evaluation-types-title").text
    screenshot("evaluation-m2-villes-moyennes")
    dash_duo.driver.execute_script(
        "document.getElementById('evaluation-carte-title').scrollIntoView()"
    )
    screenshot("evaluation-m2-carte")
    assert dash_duo.get_logs() == []


ARROW_BOXES = """
const box = (e) => e.getBoundingClientRect();
const chain = document.querySelector('#evaluation-chain .chain');
const children = Array.from(chain.children);
return {
  chain: box(chain).left,
  steps: children.filter((e) => e.classList.contains('chain-step')).map((e) => box(e).toJSON()),
  arrows: children.map((e, i) => [e, i]).filter(([e]) => e.classList.contains('chain-arrow'))
    .map(([e, i]) => ({arrow: box(e).toJSON(), before: box(children[i - 1]).toJSON(),
                       after: box(children[i + 1]).toJSON()})),
  pseudo: children.map((e) => getComputedStyle(e, '::before').content)
    .filter((c) => c && c !== 'none' && c !== 'normal'),
};
"""


@pytest.mark.parametrize(("width", "stacked"), [(1440, False), (1280, False), (390, True)])
def test_the_chain_arrows_sit_between_steps(dash_duo, dash_app, screenshot, width, stacked) -> None:  # type: ignore[no-untyped-def]
    """Issue #16: at desktop width a "→" sat at the left edge of the results chain (a wrapped
    step kept its arrow). Arrows now sit between two steps only, side by side or stacked."""
    dash_duo.start_server(dash_app)
    dash_duo.driver.set_window_size(width, 900)
    dash_duo.driver.get(dash_duo.server_url + "/evaluation?mesure=M2")
    dash_duo.wait_for_element("#evaluation-chain .chain-step", timeout=60)
    if width == 1440:
        dash_duo.driver.execute_script(
            "document.getElementById('evaluation-chain-title').scrollIntoView()"
        )
        screenshot("evaluation-chaine")
    boxes = dash_duo.driver.execute_script(ARROW_BOXES)
    assert len(boxes["steps"]) == 4 and len(boxes["arrows"]) == 3
    assert boxes["pseudo"] == []  # no arrow drawn as a step's decoration
    for item in boxes["arrows"]:
        arrow, before, after = item["arrow"], item["before"], item["after"]
        if stacked:  # one column: the arrow between the bottom of one step and the top of the next
            assert before["bottom"] <= arrow["top"] and arrow["bottom"] <= after["top"]
        else:  # one row: between the right edge of one step and the left edge of the next
            assert before["right"] <= arrow["left"] and arrow["right"] <= after["left"]
            assert before["top"] == after["top"]
    first = boxes["steps"][0]
    assert first["left"] == pytest.approx(boxes["chain"], abs=1)  # nothing before the first step
