"""The Content-Security-Policy does not break Dash, plotly.js nor the maps (issue #12): every page
renders in headless Chromium with no violation in the console — and a violation would show."""

import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "#accueil-mesures .measure-card"),
    ("/carte", "#carte-graph .main-svg"),
    ("/territoire/DEP:2A", "h1"),
    ("/programmes", "h1"),
    ("/evaluation", "h1"),
    ("/import", "#import-upload"),
    ("/chargements", "h1"),
]


def test_pages_render_under_the_policy_without_violations(dash_duo, dash_app, sign_in) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    with urllib.request.urlopen(dash_duo.server_url + "/") as response:
        policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-eval'" not in policy
    dash_duo.driver.get(dash_duo.server_url + "/connexion")  # the sign-in page itself
    dash_duo.wait_for_element("#identifiant", timeout=15)
    assert dash_duo.get_logs() == [], "/connexion"
    sign_in("deposant-anct")  # /import's form is for people who may load files
    for path, selector in PAGES:
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(selector, timeout=15)
        time.sleep(0.5)  # let late callbacks and plotly finish
        assert dash_duo.get_logs() == [], path


def test_an_injected_inline_script_is_blocked_and_reported(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    """The control: the console does report a violation, so an empty log above means none."""
    dash_duo.start_server(dash_app)
    dash_duo.wait_for_element("h1", timeout=10)
    dash_duo.driver.execute_script(
        "const s = document.createElement('script');"
        "s.textContent = 'window.injected = true;';"
        "document.body.appendChild(s);"
    )
    time.sleep(0.3)
    assert dash_duo.driver.execute_script("return window.injected === true") is False
    logs = dash_duo.get_logs()
    assert any("Content Security Policy" in entry["message"] for entry in logs), logs
