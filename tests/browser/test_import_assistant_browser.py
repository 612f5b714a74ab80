"""A file shape never seen, taken from the drop zone to published values without a terminal
(issue #14): ANCT's déposant drops a producer's own CSV (unpadded département codes, decimal
commas, Windows-1252), describes it in the assistant, saves the profile, loads the file; then
drops next year's file of the same shape, which loads with no question asked.

The loads are undone and the profile deleted at the end (the session's database is shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.catalogue import load_catalogue
from indicators.ingest import delete_profile, list_profiles, rollback_load
from indicators.store import make_engine
from indicators.store.models import Observation
from tests.browser.test_phone_width import OVERFLOWING

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# the page's scroll width against the width inside its scroll bar (``OVERFLOWING`` measures
# against ``innerWidth``, scroll bar included), and, to say which when it fails, the elements
# (margins included) beyond it
BEYOND_CLIENT = """
const client = document.documentElement.clientWidth;
function clipped(element) {
    for (let node = element.parentElement; node && node !== document.body;
         node = node.parentElement) {
        if (getComputedStyle(node).overflowX !== "visible") { return true; }
    }
    return false;
}
const found = [];
for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const margin = Math.max(parseFloat(style.marginRight) || 0, 0);
    // an absolute box escapes a scroll box that is not its containing block: always listed
    const loose = ["absolute", "fixed"].includes(style.position);
    if (box.right + margin <= client + 0.5 || (!loose && clipped(element))) { continue; }
    found.push([element.tagName, String(element.className).slice(0, 50), Math.round(box.right)]);
}
return {scroll: document.documentElement.scrollWidth, client: client, found: found.slice(0, 20)};
"""

HEADER = "annee;code_dep;libelle;nb_structures;population\n"
ROWS = (
    "{year};1;Ain;12;656955,5\n"
    "{year};2A;Corse-du-Sud;4;158507,0\n"
    "{year};971;Guadeloupe;7;384239,0\n"
    "{year};13;Bouches-du-Rhône;21;2043110,0\n"
)
INDICATOR = "CON_DEMARCHES_PARTICIPATIVES"
PROFILE = "structures par département"


def write(tmp_path: Path, year: int) -> Path:
    path = tmp_path / f"structures-{year}.csv"
    path.write_bytes((HEADER + ROWS.format(year=year)).encode("cp1252"))
    return path


def load_through_page(dash_duo, path: Path) -> int:  # type: ignore[no-untyped-def]
    """Wait for the check's report, click « Valider le chargement »; the load's number."""
    dash_duo.wait_for_element("#import-valider:not([disabled])", timeout=60).click()
    dash_duo.wait_for_element("#import-load-id", timeout=60)
    message = dash_duo.find_element("#import-load-id").text
    assert "4 valeurs créées" in message, message
    return int(message.split("n°")[1].split(" ")[0])


def published(settings, period: str) -> int:  # type: ignore[no-untyped-def]
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session:
        count = session.scalar(
            select(func.count()).where(
                Observation.indicator_code == INDICATOR,
                Observation.period == period,
                Observation.territory_code.in_(("DEP:01", "DEP:2A", "DEP:971", "DEP:13")),
            )
        )
    engine.dispose()
    return int(count or 0)


def clean(settings, load_ids: list[int]) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(settings.effective_database_url)
    for load_id in reversed(load_ids):
        with Session(engine) as session, session.begin():
            rollback_load(session, load_id, catalogue=load_catalogue(), username="test")
    with Session(engine) as session, session.begin():
        for profile in list_profiles(session, "ANCT"):
            if profile.name == PROFILE:
                delete_profile(session, profile.id)
    engine.dispose()


def test_a_new_file_shape_is_described_saved_and_loaded_then_recognised(  # type: ignore[no-untyped-def]
    dash_duo, dash_app, app_settings, screenshot, axe_audit, sign_in, tmp_path: Path
) -> None:
    dash_duo.start_server(dash_app)
    sign_in("deposant-anct")
    driver = dash_duo.driver
    driver.set_window_size(1440, 900)
    driver.get(dash_duo.server_url + "/import")
    dash_duo.wait_for_element("#import-upload input[type=file]", timeout=20)
    loads: list[int] = []
    try:
        # a shape never seen: the assistant opens by itself, its guesses filled in
        dash_duo.find_element("#import-upload input[type=file]").send_keys(
            str(write(tmp_path, 2019))
        )
        dash_duo.wait_for_contains_text("#assistant-zone", "Colonnes non reconnues", timeout=30)
        assert "Corse-du-Sud" in dash_duo.find_element(".assistant-head").text
        assert "Bouches-du-Rhône" in dash_duo.find_element(".assistant-head").text  # cp1252
        assert "départements" in dash_duo.find_element("#assistant-niveau-deduit").text
        assert dash_duo.find_element("#assistant-ouvrir").is_displayed()  # a file to describe
        # at a phone's width the wide tables scroll in their fieldset: nothing runs off the page
        driver.set_window_size(390, 900)
        wide = driver.execute_script(OVERFLOWING)
        assert wide["found"] == [], wide
        # measured against the width inside the scroll bar: the page itself does not scroll
        page = driver.execute_script(BEYOND_CLIENT)
        assert page["scroll"] <= page["client"], json.dumps(page, ensure_ascii=False)
        driver.set_window_size(1440, 900)
        chosen = {
            control: Select(dash_duo.find_element(f"#{control}")).first_selected_option.text
            for control in (
                "assistant-territoire",
                "assistant-niveau",
                "assistant-periode",
                "assistant-periode-format",
            )
        }
        assert chosen == {
            "assistant-territoire": "code_dep",
            "assistant-niveau": "Départements",
            "assistant-periode": "annee",
            "assistant-periode-format": "Année (2025)",
        }

        # the indicator, picked by searching the catalogue; the preview follows
        dash_duo.wait_for_contains_text("#assistant-apercu", "Choisissez l'indicateur", timeout=30)
        dash_duo.find_element("#assistant-indicateur").click()
        search = dash_duo.wait_for_element(".dash-dropdown-search, .dash-dropdown-options input")
        search.send_keys("participation")
        option = dash_duo.wait_for_element(".dash-dropdown-option", timeout=10)
        assert INDICATOR in option.text
        option.click()
        dash_duo.wait_for_contains_text("#assistant-apercu", "Valeurs valides", timeout=30)
        preview = dash_duo.find_element("#assistant-apercu").text
        assert "DEP:01" in preview and "DEP:971" in preview and "DEP:2A" in preview
        # the population column is not read (the guess reads one number column per indicator)
        assert "Valeurs valides\n4" in preview and "Valeurs rejetées\n0" in preview
        driver.execute_script(
            "document.querySelector('#assistant-zone').scrollIntoView({block: 'start'});"
        )
        assert screenshot("import-assistant").stat().st_size > 0
        # Dash 4's dcc.Dropdown keeps its tab stop in an aria-hidden input (its own design):
        # left out; every other element of the assistant is audited
        axe_audit(exclude=(".dash-dropdown-focus-target",))
        driver.execute_script(
            "document.querySelector('.assistant-values').scrollIntoView({block: 'start'});"
        )
        assert screenshot("import-assistant-apercu").stat().st_size > 0

        # saved as ANCT's profile: the file is checked again through it, then loaded
        name = dash_duo.find_element("#assistant-nom")
        name.send_keys(PROFILE)
        name.send_keys(Keys.TAB)  # debounce: the value reaches the server on blur
        dash_duo.find_element("#assistant-enregistrer").click()
        dash_duo.wait_for_contains_text("#assistant-message", "enregistré pour ANCT", timeout=30)
        dash_duo.wait_for_contains_text(
            "#import-resultat", "reconnu par l'en-tête du fichier", timeout=60
        )
        loads.append(load_through_page(dash_duo, Path("2019")))
        assert published(app_settings, "2019") == 4
        dash_duo.wait_for_style_to_equal("#assistant-ouvrir", "display", "none", timeout=10)
        dash_duo.find_element(".profiles-section summary").click()
        dash_duo.wait_for_contains_text("#profils-liste", PROFILE, timeout=30)
        driver.execute_script(
            "document.querySelector('.profiles-section').scrollIntoView({block: 'start'});"
        )
        assert screenshot("import-profils").stat().st_size > 0

        # next year's file, same shape: no assistant, recognised, loaded
        driver.get(dash_duo.server_url + "/import")
        dash_duo.wait_for_element("#import-upload input[type=file]", timeout=20).send_keys(
            str(write(tmp_path, 2020))
        )
        dash_duo.wait_for_contains_text("#import-fichier", "Fichier reçu", timeout=30)
        dash_duo.find_element("#import-verifier").click()
        dash_duo.wait_for_contains_text(
            "#import-resultat", "reconnu par l'en-tête du fichier", timeout=60
        )
        assert not dash_duo.find_element("#assistant-zone").is_displayed()
        loads.append(load_through_page(dash_duo, Path("2020")))
        assert published(app_settings, "2020") == 4
        assert not dash_duo.find_element("#assistant-zone").is_displayed()
        assert dash_duo.get_logs() == []
    finally:
        clean(app_settings, loads)
