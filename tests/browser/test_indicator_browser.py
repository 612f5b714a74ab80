"""The catalogue and an indicator page in headless Chromium: drawn, no console error, no serious
or critical axe-core violation, the view kept in the address, the page usable from the keyboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    if not AXE.is_file():
        pytest.skip("axe-core absent : npm install --no-save axe-core@4")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in found
        if v.get("impact") in {"serious", "critical"}
    ]


def test_catalogue_searches_and_keeps_its_filters_in_the_address(
    dash_duo, dash_app, screenshot
) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + "/indicateurs?mesure=M5")
    dash_duo.wait_for_element(".catalogue-table", timeout=20)
    field = dash_duo.find_element("#catalogue-recherche")
    field.send_keys("médecin")
    dash_duo.wait_for_contains_text("#catalogue-resume", "« médecin », mesure M5", timeout=10)
    assert "q=m%C3%A9decin" in dash_duo.driver.current_url
    assert "mesure=M5" in dash_duo.driver.current_url
    assert screenshot("indicateurs").stat().st_size > 10_000
    assert dash_duo.get_logs() == []
    violations = serious_violations(dash_duo.driver)
    assert violations == [], json.dumps(violations)


def test_indicator_page_draws_every_chart_and_passes_axe(dash_duo, dash_app, screenshot) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + "/indicateur/SAN_TAUX_SANS_MT")
    for selector in (
        "#indicateur-carte-graph .choroplethlayer",
        "#indicateur-classement-graph .barlayer",
        "#indicateur-distribution-graph .barlayer",
        "#indicateur-evolution-graph .scatterlayer",
        "#indicateur-couverture-graph .barlayer",
        "#indicateur-chargements table",
        "#indicateur-versions table",
    ):
        dash_duo.wait_for_element(selector, timeout=20)
    assert "periode=" in dash_duo.driver.current_url  # the default view is in the address
    assert screenshot("indicateur").stat().st_size > 10_000
    assert dash_duo.get_logs() == []
    violations = serious_violations(dash_duo.driver)
    assert violations == [], json.dumps(violations)


def test_indicator_page_works_from_the_keyboard(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + "/indicateur/SAN_TAUX_SANS_MT?niveau=DEP")
    dash_duo.wait_for_element("#indicateur-carte-graph .choroplethlayer", timeout=20)
    # the level radios form one group: an arrow key moves to the régions
    dash_duo.find_element("#indicateur-niveau input[value=DEP]").send_keys(Keys.ARROW_LEFT)
    dash_duo.wait_for_contains_text("#indicateur-carte-title", "Carte des régions", timeout=10)
    assert "niveau=REG" in dash_duo.driver.current_url
    # the table of contents moves the focus to the section's title, without re-rendering
    button = next(
        b
        for b in dash_duo.driver.find_elements("css selector", ".toc button")
        if b.text == "Provenance"
    )
    button.send_keys(Keys.ENTER)
    WebDriverWait(dash_duo.driver, 5).until(
        lambda driver: (
            driver.switch_to.active_element.get_attribute("id") == "indicateur-provenance-titre"
        )
    )
    assert dash_duo.get_logs() == []


def test_a_rate_at_212_percent_is_marked_and_explained(
    dash_duo, dash_app, screenshot, period_212
) -> None:  # type: ignore[no-untyped-def]
    """Issue #16: the reader sees the value flagged in the legend, the ranking and a note, and
    the colour classes stay those of the real rates."""
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(
        dash_duo.server_url + f"/indicateur/NUM_TAUX_FTTH?periode={period_212}&niveau=DEP"
    )
    dash_duo.wait_for_element("#indicateur-carte-graph .choroplethlayer", timeout=30)
    dash_duo.wait_for_contains_text("#indicateur-carte-summary", "Ain (212,0", timeout=20)
    dash_duo.wait_for_contains_text(
        "#indicateur-carte-legend", "Hors de l'intervalle attendu", timeout=10
    )
    assert "212" not in dash_duo.find_element("#indicateur-carte-legend").text.split("Hors")[0]
    dash_duo.wait_for_contains_text("#indicateur-classement-graph", "(hors intervalle)", timeout=10)
    dash_duo.driver.set_window_size(1440, 900)
    # below the sticky controls
    scroll = "document.getElementById(arguments[0]).scrollIntoView(); window.scrollBy(0, -140);"
    dash_duo.driver.execute_script(scroll, "indicateur-carte-title")
    assert screenshot("indicateur-hors-intervalle-carte").stat().st_size > 10_000
    dash_duo.driver.execute_script(scroll, "indicateur-classement-title")
    assert screenshot("indicateur-hors-intervalle-classement").stat().st_size > 10_000
    assert dash_duo.get_logs() == []
