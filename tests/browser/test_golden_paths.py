"""The paths partners and evaluators take, in headless Chromium: map -> territory -> indicator,
search a commune by name, change the period, download a chart's data."""

from __future__ import annotations

import urllib.request

import pytest
from selenium.webdriver.support.ui import Select

from dashboard.formatting import format_period

pytestmark = pytest.mark.browser

MAP = "/carte?indicateur=ACC_FS_TEMPS_ACCES&niveau=COM&dans=DEP:2A"


def test_drill_down_to_a_commune_then_its_indicator_sheet(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    """France -> Corse-du-Sud -> Ajaccio -> the indicator sheet, by links and the children table.

    A click on the map itself is tested through its callback (tests/integration/web): headless
    Chromium does not deliver Plotly's geographic hover, hence no click data."""
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + "/territoire/DEP:2A?indicateur=ACC_FS_TEMPS_ACCES")
    link = dash_duo.wait_for_element(
        "#territoire-table a[href='/territoire/COM:2A004?indicateur=ACC_FS_TEMPS_ACCES']",
        timeout=20,
    )
    link.click()
    dash_duo.wait_for_text_to_equal("#territoire-nom", "Ajaccio", timeout=20)
    crumbs = dash_duo.find_element("nav.breadcrumb").text
    assert "Corse-du-Sud" in crumbs and "France" in crumbs
    # the sheet opens on Ajaccio's département, Ajaccio highlighted (issue #16)
    dash_duo.wait_for_element(
        "#territoire-fiche[href='/indicateur/ACC_FS_TEMPS_ACCES"
        "?niveau=COM&dans=DEP%3A2A&surligne=COM%3A2A004']"
    )
    dash_duo.find_element("#territoire-fiche").click()
    dash_duo.wait_for_contains_text("h1", "Temps d'accès", timeout=20)
    assert "/indicateur/ACC_FS_TEMPS_ACCES" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_search_a_commune_by_name(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + "/territoire/FR")
    field = dash_duo.wait_for_element(".territory-search input", timeout=20)
    field.send_keys("ajaccio")
    link = dash_duo.wait_for_element(".search-results a[href='/territoire/COM:2A004']", timeout=20)
    link.click()
    dash_duo.wait_for_text_to_equal("#territoire-nom", "Ajaccio", timeout=20)
    assert dash_duo.get_logs() == []


def test_changing_the_period_changes_the_values(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + MAP)
    dash_duo.wait_for_element("#carte-graph .choroplethlocation", timeout=20)
    summary = dash_duo.wait_for_element("#carte-summary")
    before = summary.text
    picker = Select(dash_duo.find_element("#carte-periode"))
    periods = [
        option.get_attribute("value") for option in picker.options if option.get_attribute("value")
    ]
    assert len(periods) >= 2
    picker.select_by_value(periods[1])
    dash_duo.wait_for_contains_text(
        "#carte-summary", f", {format_period(periods[1])} :", timeout=20
    )
    assert dash_duo.find_element("#carte-summary").text != before
    assert f"periode={periods[1]}" in dash_duo.driver.current_url  # the address keeps the view


def test_download_a_charts_data(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + MAP)
    dash_duo.wait_for_element("#carte-graph .choroplethlocation", timeout=20)
    href = dash_duo.find_element("#carte-csv").get_attribute("href")
    assert "/export/carte.csv?" in href
    with urllib.request.urlopen(href, timeout=10) as response:
        body = response.read().decode("utf-8-sig")
    header, *rows = body.strip().splitlines()
    assert header.startswith("code;code_officiel;nom;valeur")
    assert len(rows) == len(
        dash_duo.driver.find_elements("css selector", "#carte-graph .choroplethlocation")
    )


CLICK_FIRST_TERRITORY = """
const graph = document.querySelector('#carte-graph .js-plotly-plot');
const trace = graph.data.find(t => t.customdata.includes(arguments[0]));
const index = trace.customdata.indexOf(arguments[0]);
const fullData = graph._fullData[graph.data.indexOf(trace)];
graph.emit('plotly_click', {event: {}, points: [{curveNumber: graph.data.indexOf(trace),
  pointNumber: index, pointIndex: index, location: trace.locations[index],
  customdata: arguments[0], data: trace, fullData: fullData}]});
"""


def test_clicking_a_commune_on_the_map_opens_its_page(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    """Plotly's own click event (headless Chromium has no geographic hover to click with)."""
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + MAP)
    dash_duo.wait_for_element("#carte-graph .choroplethlocation", timeout=20)
    dash_duo.driver.execute_script(CLICK_FIRST_TERRITORY, "COM:2A004")
    dash_duo.wait_for_text_to_equal("#territoire-nom", "Ajaccio", timeout=20)
    assert "indicateur=ACC_FS_TEMPS_ACCES" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
