"""The programme pages in headless Chromium: drawn with the session's demo data, no console
error, no serious or critical axe-core violation, usable with the keyboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

PAGES = [
    ("programmes", "/programmes", "#programmes-cartes .programme-card"),
    ("programme-fs", "/programmes/FS", "#programme-progression-graph .bars"),
    ("programme-ti-corse", "/programmes/TI?dans=DEP:2B", "#programme-carte-graph .choroplethlayer"),
]


def serious_axe_violations(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result
        if v.get("impact") in {"serious", "critical"}
    ]


@pytest.mark.parametrize(("name", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_programme_page_renders_and_passes_axe(
    dash_duo, dash_app, screenshot, name, path, ready
) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    # the size first: a chart of fixed height takes the width of its first drawing
    dash_duo.driver.set_window_size(1440, 900)
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(ready, timeout=20)
    dash_duo.wait_for_element("#programme-chaine .chain-step, #programmes-resume", timeout=20)
    assert screenshot(name).stat().st_size > 10_000
    assert dash_duo.get_logs() == []
    if not AXE.is_file():
        pytest.skip("axe-core absent : npm install --no-save axe-core@4")
    violations = serious_axe_violations(dash_duo.driver)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_a_card_of_the_results_chain_opens_its_trend_from_the_keyboard(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + "/programmes/ACV")
    button = dash_duo.wait_for_element('button[id*="REV_SOLDE_COMMERCES"]', timeout=20)
    dash_duo.driver.execute_script("arguments[0].focus()", button)
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal(
        "#programme-evolution-title",
        "Évolution — Solde des ouvertures et fermetures de commerces en centre-ville",
        timeout=10,
    )
    # the focus follows, and the address keeps the choice
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == "programme-indicateur"
    assert "indicateur=REV_SOLDE_COMMERCES" in dash_duo.driver.current_url
    # the count per semester, with the arrow keys
    radio = dash_duo.driver.find_element(By.CSS_SELECTOR, '#programme-pas input[value="annee"]')
    dash_duo.driver.execute_script("arguments[0].focus()", radio)
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    dash_duo.wait_for_contains_text("#programme-membres-summary", "semestre", timeout=10)
    assert "pas=semestre" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
