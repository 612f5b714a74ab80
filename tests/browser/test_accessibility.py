"""Every page in headless Chromium: rendered, no console error, no serious or critical axe-core
violation, and a 1440×900 screenshot in tests/browser/screenshots/.

axe-core comes from the npm registry (`make test` installs it into node_modules/); without it
the audit part skips with its reason.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# (screenshot name, address, a CSS selector that appears once the page's data is drawn)
PAGES = [
    ("accueil", "/", "#accueil-mesures .measure-card"),
    ("carte", "/carte?indicateur=ACC_FS_TEMPS_ACCES&niveau=DEP", "#carte-graph .choroplethlayer"),
    (
        "territoire",
        "/territoire/DEP:2A?indicateur=ACC_FS_TEMPS_ACCES",
        "#territoire-enfants-graph .choroplethlayer",
    ),
    ("evaluation", "/evaluation?mesure=M1", "#evaluation-carte-maps img"),
]


@pytest.mark.parametrize(("name", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_and_passes_axe(  # type: ignore[no-untyped-def]
    dash_duo, dash_app, screenshot, axe_audit, name, path, ready
) -> None:
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(ready, timeout=20)
    assert screenshot(name).stat().st_size > 10_000
    assert dash_duo.get_logs() == []
    axe_audit()
