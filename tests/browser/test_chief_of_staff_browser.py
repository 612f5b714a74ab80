"""A town's chief of staff (issue #16), end to end in headless Chromium: find the town with the
keyboard, read "Mes programmes", open an indicator's sheet with the town highlighted, and take a
chart's image for the council."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser.test_phone_width import OVERFLOWING

pytestmark = pytest.mark.browser

TOWN = "COM:2B033"  # Bastia: in three programmes of the session's demo (Corse, Martinique)


def wait_for_file(folder: Path, suffix: str, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"aucun fichier {suffix} dans {folder} : {list(folder.iterdir())}")


def test_chief_of_staff_finds_the_town_compares_it_and_takes_a_chart(
    dash_duo, dash_app, screenshot, axe_audit, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    driver = dash_duo.driver
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    driver.get(dash_duo.server_url + "/")

    # search with the keyboard alone: type, ArrowDown selects the first suggestion, Enter opens
    field = dash_duo.wait_for_element(".territory-search input", timeout=20)
    lead = dash_duo.find_element(".lead").location
    field.send_keys("bastia")
    dash_duo.wait_for_element(f".search-results a[href='/territoire/{TOWN}']", timeout=20)
    assert dash_duo.find_element(".lead").location == lead  # the list opens over the page
    field.send_keys(Keys.ARROW_DOWN)
    selected = dash_duo.find_element(".search-results li.is-selected")
    assert selected.get_attribute("role") == "option"
    assert field.get_attribute("aria-activedescendant") == selected.get_attribute("id")
    assert field.get_attribute("role") == "combobox"
    assert dash_duo.find_element(".search-results").get_attribute("role") == "listbox"
    field.send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal("#territoire-nom", "Bastia", timeout=20)
    assert f"/territoire/{TOWN}" in driver.current_url

    # Mes programmes: a section per programme, a link to it, the comparisons drawn or said
    dash_duo.wait_for_element("#territoire-programmes .mini-chart .js-plotly-plot", timeout=30)
    programmes = dash_duo.find_element("#territoire-programmes")
    links = {a.get_attribute("pathname") for a in programmes.find_elements("css selector", "h3 a")}
    assert {"/programmes/ACV", "/programmes/FS", "/programmes/TI"} <= links
    first = programmes.find_element("css selector", "#programme-ACV ~ div .mini-chart")
    legend = first.find_element("css selector", ".legend").text
    assert "Bastia" in legend
    assert "Médiane des autres membres" in legend
    assert "Médiane, même type (20 000 – 100 000 hab.)" in legend
    assert "Bastia" in first.find_element("css selector", ".chart-summary").text
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", programmes)
    screenshot("chief-of-staff-mes-programmes")
    wide = driver.execute_script(OVERFLOWING)
    assert wide["scroll"] <= wide["inner"] and wide["found"] == [], wide  # nothing sideways
    axe_audit()  # no serious or critical violation with the mini-charts, their links and buttons

    # « Copier le lien »: the address of this view, and a visible confirmation in French
    driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {
            "origin": dash_duo.server_url,
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
        },
    )
    search = dash_duo.find_element(".title-row .territory-search").location
    dash_duo.find_element("button.copy-link").click()
    dash_duo.wait_for_contains_text(".copy-link-status", "Lien copié : http", timeout=10)
    # the long address shows under the title row: the search box beside it stays put
    assert dash_duo.find_element(".title-row .territory-search").location == search
    assert f"/territoire/{TOWN}" in dash_duo.find_element(".copy-link-status").text
    copied = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, () => done(null));"
    )
    assert copied is None or f"/territoire/{TOWN}" in copied

    # the indicator's sheet: communes of Haute-Corse, Bastia picked out with its rank
    first.find_element("css selector", "a.indicator-sheet").click()
    dash_duo.wait_for_element("#indicateur-classement-graph .barlayer", timeout=30)
    assert "surligne=COM%3A2B033" in driver.current_url
    assert "dans=DEP%3A2B" in driver.current_url and "niveau=COM" in driver.current_url
    dash_duo.wait_for_contains_text("#indicateur-carte-title", "Haute-Corse", timeout=20)
    ticks = [
        t.text
        for t in driver.find_elements("css selector", "#indicateur-classement-graph .ytick text")
    ]
    assert any("► Bastia" in tick for tick in ticks), ticks
    assert any("autres" in tick for tick in ticks)  # a long list, and Bastia is not hidden in it
    dash_duo.wait_for_contains_text("#indicateur-classement-summary", "Bastia :", timeout=10)
    assert "sur" in dash_duo.find_element("#indicateur-classement-summary").text

    # the toolbar's image download gives a PNG file
    toolbar = dash_duo.find_element("#indicateur-classement-graph .modebar-btn")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", toolbar)
    toolbar.click()
    image = wait_for_file(tmp_path, ".png")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.stat().st_size > 5_000
    # and the SVG under the chart carries the title, the source and the date in its text
    svg_button = dash_duo.find_element(
        "#indicateur-classement-graph ~ * button.chart-image[data-format='svg'], "
        "section.chart:has(#indicateur-classement-graph) button.chart-image[data-format='svg']"
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", svg_button)
    svg_button.click()
    text = wait_for_file(tmp_path, ".svg").read_text(encoding="utf-8")
    assert "classement des communes — Haute-Corse" in text
    assert "Source : " in text and "image du " in text
    assert dash_duo.get_logs() == []
