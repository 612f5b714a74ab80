"""Every link of the main pages, as a screen reader lists them (issue #16): two links with the
same accessible name must lead to the same place ("Évaluation" nine times, to nine measures,
tells nothing). The name is computed as browsers do for links: aria-label, aria-labelledby,
then the text content, visually hidden text included."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest

pytestmark = pytest.mark.browser

# (address, a CSS selector that appears once the page's data is drawn)
PAGES = [
    ("/", "#accueil-mesures .measure-card"),
    ("/indicateurs", "#catalogue-liste a"),
    ("/indicateur/SAN_TAUX_SANS_MT", "#indicateur-carte-graph .choroplethlayer"),
    ("/carte?indicateur=ACC_FS_TEMPS_ACCES&niveau=DEP", "#carte-graph .choroplethlayer"),
    (
        "/territoire/DEP:2A?indicateur=ACC_FS_TEMPS_ACCES",
        "#territoire-enfants-graph .choroplethlayer",
    ),
    ("/programmes", ".programme-card"),
    ("/programmes/PVD", ".programme-headline, .card"),
    ("/evaluation?mesure=M1", "#evaluation-carte-maps img"),
]

LINKS = """
const name = (a) => {
  const label = (a.getAttribute('aria-label') || '').trim();
  if (label) return label;
  const ids = (a.getAttribute('aria-labelledby') || '').trim();
  const byId = (id) => (document.getElementById(id) || {}).textContent || '';
  if (ids) return ids.split(/\\s+/).map(byId).join(' ');
  const text = a.textContent.trim();
  if (text) return text;
  const img = a.querySelector('img[alt]');
  return img ? img.alt : (a.getAttribute('title') || '');
};
return Array.from(document.querySelectorAll('a[href]'))
  .filter(a => a.getClientRects().length > 0 && !a.closest('[aria-hidden=true]'))
  .map(a => [name(a).replace(/\\s+/g, ' ').trim(), new URL(a.href, location.href).href]);
"""


def ambiguous_links(links: list[list[str]]) -> dict[str, list[str]]:
    """Names given to links that lead to different addresses, with those addresses."""
    targets: dict[str, set[str]] = defaultdict(set)
    for name, href in links:
        targets[name].add(href)
    return {name: sorted(hrefs) for name, hrefs in targets.items() if len(hrefs) > 1}


def test_ambiguous_links_are_found() -> None:
    links = [["CSV", "/a.csv"], ["CSV", "/b.csv"], ["Accueil", "/"], ["Accueil", "/"]]
    assert ambiguous_links(links) == {"CSV": ["/a.csv", "/b.csv"]}


def test_no_two_links_share_a_name_but_not_a_target(dash_duo, dash_app) -> None:  # type: ignore[no-untyped-def]
    dash_duo.start_server(dash_app)
    found: dict[str, dict[str, list[str]]] = {}
    for path, ready in PAGES:
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(ready, timeout=30)
        # links filled by later callbacks (downloads, cards): read until two reads agree
        links, previous = dash_duo.driver.execute_script(LINKS), None
        for _ in range(10):
            if links == previous:
                break
            time.sleep(1)
            previous, links = links, dash_duo.driver.execute_script(LINKS)
        assert len(links) > 5, (path, links)
        if ambiguous := ambiguous_links(links):
            found[path] = ambiguous
    assert found == {}
