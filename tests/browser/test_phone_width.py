"""The main pages at a phone's width (390 px, issue #16): the header wraps, and nothing runs off
the right of the screen — the page does not scroll sideways and no element's box passes the
viewport's edge, except inside a part that scrolls sideways on purpose (a wide table). A
screenshot of each page is kept under tests/browser/screenshots/."""

from __future__ import annotations

import base64
import json

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

PAGES = {
    "accueil": ("/", ".cards .measure-card"),
    "territoire": ("/territoire/COM:2B033", "#territoire-programmes .mini-chart .js-plotly-plot"),
    "indicateur": (
        "/indicateur/LOG_TAUX_VACANCE?niveau=COM&dans=DEP:2B&surligne=COM:2B033",
        "#indicateur-classement-graph .barlayer",
    ),
    "evaluation": ("/evaluation", "h1"),
    "import": ("/import", "h1"),
    "catalogue": ("/indicateurs", ".catalogue-table"),
    "programme": ("/programmes/ACV", "h1"),
}

# Elements whose box passes the right edge, outside any ancestor that scrolls or clips sideways
# (a table wrapper with overflow-x: auto, a visually hidden text, the skip link parked off-screen).
OVERFLOWING = """
const width = window.innerWidth;
function clipped(element) {
    for (let node = element.parentElement; node && node !== document.body;
         node = node.parentElement) {
        const style = getComputedStyle(node);
        if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) { return true; }
    }
    return false;
}
const found = [];
for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) { continue; }
    if (box.right <= width + 1 && box.left >= -1) { continue; }
    const style = getComputedStyle(element);
    if (style.position === "absolute" && (box.width <= 1 || box.right < 0)) { continue; }
    if (clipped(element)) { continue; }
    found.push({
        tag: element.tagName.toLowerCase(),
        id: element.id,
        cls: String(element.className && element.className.baseVal !== undefined
            ? element.className.baseVal : element.className).slice(0, 60),
        left: Math.round(box.left),
        right: Math.round(box.right),
        text: (element.innerText || "").slice(0, 40),
    });
}
return {scroll: document.documentElement.scrollWidth, inner: width, found: found.slice(0, 15)};
"""


def save_screens(driver, name: str, screens: int = 3, height: int = 1400) -> None:  # type: ignore[no-untyped-def]
    """The page's first screens at full resolution, one file each (a whole long page scaled to
    one image is too small to read)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    total = int(driver.execute_script("return document.documentElement.scrollHeight"))
    for number, top in enumerate(range(0, min(total, screens * height), height)):
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "clip": {"x": 0, "y": top, "width": 390, "height": height, "scale": 1},
                "captureBeyondViewport": True,
            },
        )
        path = SCREENSHOTS / f"phone-{name}-{number + 1}.png"
        path.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_overflows_at_390_pixels(dash_duo, dash_app, name: str) -> None:  # type: ignore[no-untyped-def]
    path, ready = PAGES[name]
    dash_duo.start_server(dash_app)
    driver = dash_duo.driver
    driver.set_window_size(390, 844)
    driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(ready, timeout=30)
    dash_duo.wait_for_no_elements("._dash-loading", timeout=30)
    driver.execute_script("return new Promise(r => setTimeout(r, 500));")
    result = driver.execute_script(OVERFLOWING)
    save_screens(driver, name)
    assert result["inner"] <= 400, result  # the window really is a phone's width
    assert result["scroll"] <= result["inner"], json.dumps(result, ensure_ascii=False, indent=1)
    assert result["found"] == [], json.dumps(result, ensure_ascii=False, indent=1)
    # the menu is on screen: every entry of the navigation lies within the width
    entries = driver.find_elements("css selector", ".nav-list a")
    assert entries and all(e.rect["x"] + e.rect["width"] <= result["inner"] + 1 for e in entries)
    # controls stacked in a column would hold a third of the screen if they stayed on top
    for controls in driver.find_elements("css selector", ".sticky-controls"):
        assert controls.value_of_css_property("position") == "static"
