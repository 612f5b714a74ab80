"""Browser tests: one Dash app per session, served by dash[testing] in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def screenshot(dash_duo):  # type: ignore[no-untyped-def]
    """Save a 1440×900 screenshot under tests/browser/screenshots/ and return its path."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        dash_duo.driver.set_window_size(1440, 900)
        path = SCREENSHOTS / f"{name}.png"
        dash_duo.driver.save_screenshot(str(path))
        return path

    return take


@pytest.fixture
def axe_audit(dash_duo):  # type: ignore[no-untyped-def]
    """Assert that the page has no serious or critical axe-core violation (skip without axe).

    axe-core comes from the npm registry (`make test` installs it into node_modules/)."""

    def audit(exclude: tuple[str, ...] = ()) -> None:
        """``exclude``: CSS selectors of elements left out (a library's own known defect)."""
        if not AXE.is_file():
            pytest.skip("axe-core absent : npm install --no-save axe-core@4")
        driver = dash_duo.driver
        driver.execute_script(AXE.read_text(encoding="utf-8"))
        context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
        result = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(arguments[0], {resultTypes: ['violations']}).then(r => done(r.violations));",
            context if exclude else "html",
        )
        violations = [v for v in result if v.get("impact") in {"serious", "critical"}]
        assert violations == [], json.dumps(
            [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "nodes": [n["target"] for n in v["nodes"][:5]],
                }
                for v in violations
            ],
            ensure_ascii=False,
            indent=1,
        )

    return audit


@pytest.fixture
def sign_in(dash_duo, account_password):  # type: ignore[no-untyped-def]
    """Sign in through /connexion's form as a test account (``sign_in("deposant-anct")``)."""

    def submit(username: str) -> None:
        dash_duo.driver.get(dash_duo.server_url + "/connexion")
        dash_duo.wait_for_element("#identifiant", timeout=20).send_keys(username)
        dash_duo.find_element("#mot-de-passe").send_keys(account_password)
        dash_duo.find_element("form button[type=submit]").click()
        dash_duo.wait_for_contains_text(".account-link", "mon compte", timeout=20)

    return submit
