"""Browser tests: one Dash app per session, served by dash[testing] in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


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
