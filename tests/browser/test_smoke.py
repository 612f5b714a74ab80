"""Open the shell in headless Chromium: it renders in French with no console error."""

import pytest

pytestmark = pytest.mark.browser


def test_home_renders_without_console_errors(dash_duo, dash_app, screenshot) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.wait_for_text_to_equal("h1", "Vue d'ensemble", timeout=10)
    dash_duo.wait_for_element("#home-summary ul, #home-summary p", timeout=10)
    dash_duo.wait_for_element("#accueil-mesures .measure-card", timeout=10)
    assert dash_duo.driver.find_element("css selector", "html").get_attribute("lang") == "fr"
    nav = dash_duo.find_element("nav.main-nav")
    assert "Vue d'ensemble" in nav.text and "Carte" in nav.text
    assert dash_duo.get_logs() == []
    assert screenshot("accueil").stat().st_size > 10_000


def test_unknown_address_shows_the_french_404(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.wait_for_text_to_equal("h1", "Vue d'ensemble", timeout=10)
    dash_duo.driver.get(dash_duo.server_url + "/nulle-part")
    dash_duo.wait_for_text_to_equal("h1", "Page introuvable", timeout=10)
    assert dash_duo.get_logs() == []
