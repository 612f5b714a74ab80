"""Every page in headless Chromium: rendered, no console error, no serious or critical axe-core
violation, and a 1440×900 screenshot in tests/browser/screenshots/.

axe-core comes from the npm registry (`make test` installs it into node_modules/); without it
the audit part skips with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# (screenshot name, address, a CSS selector that appears once the page's data is drawn)
PAGES = [
    ("accueil", "/", "#accueil-mesures .measure-card"),
    ("carte", "/carte?indicateur=ACC_FS_TEMPS_ACCES&niveau=DEP", "#carte-graph .choroplethlayer"),
    (
        "territoire",
        "/territoire/DEP:2A?indicateur=ACC_FS_TEMPS_ACCES",
        "#territoire-enfants-graph .choroplethlayer",
    ),
    ("evaluation", "/evaluation?mesure=M1", "#evaluation-carte-graph .choroplethlayer"),
]


def run_axe(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    return [v for v in result if v.get("impact") in {"serious", "critical"}]


@pytest.mark.parametrize(("name", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_and_passes_axe(dash_duo, dash_app, screenshot, name, path, ready) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(ready, timeout=20)
    assert screenshot(name).stat().st_size > 10_000
    assert dash_duo.get_logs() == []
    if not AXE.is_file():
        pytest.skip("axe-core absent : npm install --no-save axe-core@4")
    violations = run_axe(dash_duo.driver)
    assert violations == [], json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in violations
        ],
        ensure_ascii=False,
        indent=1,
    )
