"""``/import`` with a large file in headless Chromium (issue #5 point 7): the check and the load
run as background jobs, a progress bar names the stage and the percentage, then the report or
the confirmation replaces it. The load is undone at the end (the session's database is shared).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import Select
from sqlalchemy.orm import Session

from indicators.catalogue import load_catalogue
from indicators.ingest import rollback_load
from indicators.store import make_engine

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every text the progress zone shows while visible: a running job is over in a few seconds,
# too fast to be sure to catch it by polling the page from the test.
RECORD_PROGRESS = """
window.progressSeen = [];
const zone = document.querySelector('#import-progression-zone');
new MutationObserver(() => {
  if (!zone.hidden) {
    const text = document.querySelector('#import-progression-texte').textContent;
    const bar = document.querySelector('#import-progression');
    window.progressSeen.push([text, bar.value]);
  }
}).observe(zone, {attributes: true, childList: true, subtree: true, characterData: true});
"""

STAGE_TEXT = re.compile(
    "(Lecture du fichier|Contrôle des valeurs|Comparaison avec la base|Écriture"
    "|Recalcul des agrégats) — [0-9]{1,3}\u202f%"
)


def _undo(settings, load_id: int) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session, session.begin():
        rollback_load(session, load_id, catalogue=load_catalogue(), username="test")
    engine.dispose()


def test_a_large_file_shows_progress_then_its_report(  # type: ignore[no-untyped-def]
    dash_duo,
    dash_app,
    app_settings,
    large_indicator_csv,
    screenshot,
    axe_audit,
    sign_in,
    tmp_path: Path,
) -> None:
    path = tmp_path / "accompagnements.csv"
    path.write_text(large_indicator_csv, encoding="utf-8")
    dash_duo.start_server(dash_app)
    sign_in("deposant-anct")  # NUM_ACCOMPAGNEMENTS is ANCT's
    driver = dash_duo.driver
    driver.set_window_size(1440, 900)
    driver.get(dash_duo.server_url + "/import")
    dash_duo.wait_for_element("#import-upload input[type=file]", timeout=20)
    assert not dash_duo.find_element("#import-progression-zone").is_displayed()
    # the zone is shown for a few seconds only: audit it once, shown by hand
    driver.execute_script("document.querySelector('#import-progression-zone').hidden = false;")
    axe_audit()
    driver.execute_script("document.querySelector('#import-progression-zone').hidden = true;")
    driver.execute_script(RECORD_PROGRESS)

    dash_duo.find_element("#import-upload input[type=file]").send_keys(str(path))
    dash_duo.wait_for_contains_text("#import-fichier", "Fichier reçu", timeout=30)
    Select(dash_duo.find_element("#import-partenaire")).select_by_value("ANCT")
    dash_duo.find_element("#import-verifier").click()
    dash_duo.wait_for_element("#import-resultat .import-counts", timeout=60)
    seen = driver.execute_script("return window.progressSeen")
    texts = [text for text, _ in seen]
    # the bar was shown; which stages the half-second poll caught depends on the machine
    assert texts and all(text == "Démarrage…" or STAGE_TEXT.fullmatch(text) for text in texts)
    counts = dash_duo.find_element("#import-resultat .import-counts").text
    assert "50\u202f000" in counts
    assert not dash_duo.find_element("#import-progression-zone").is_displayed()
    assert dash_duo.find_element("#import-verifier").is_enabled()

    # the load: the bar is caught half-way, the page photographed as a person sees it
    dash_duo.wait_for_element("#import-valider:not([disabled])").click()
    dash_duo.wait_for_contains_text("#import-progression-texte", "%", timeout=30)
    assert STAGE_TEXT.fullmatch(
        dash_duo.find_element("#import-progression-texte").get_attribute("textContent")
    )
    assert not dash_duo.find_element("#import-verifier").is_enabled()
    screenshot("import-progression")
    dash_duo.wait_for_element("#import-load-id", timeout=120)
    message = dash_duo.find_element("#import-load-id").text
    load_id = int(message.split("n°")[1].split(" ")[0])
    try:
        assert "50\u202f000 valeurs créées" in message
        assert dash_duo.get_logs() == []
        axe_audit()
    finally:
        _undo(app_settings, load_id)
