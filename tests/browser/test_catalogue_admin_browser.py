"""Issue #14: a partner and an indicator created in the browser, then a file loaded for them.

An administrator creates the partner DITP and an indicator it produces on
``/administration/catalogue``; a déposant of DITP (an account made by the core function, as
``suivi users create`` does) loads a small file for it on ``/import``, and the indicator's page
shows the values. Everything made is removed afterwards (``undo_catalogue_edits``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import Select
from sqlalchemy.orm import Session

from indicators.accounts import create_user
from indicators.store import make_engine

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PATH = "/administration/catalogue"
FILE = (
    "indicateur;territoire;periode;valeur\n"
    "DITP_DELAI;2A;2024;12\n"
    "DITP_DELAI;2B;2024;15\n"
    "DITP_DELAI;972;2024;21\n"
)


def field(key: str) -> str:
    """The CSS selector of a form field (its id is a pattern-matching id)."""
    ident = json.dumps({"key": key, "type": "catadmin-champ"}, separators=(",", ":"))
    return f"[id='{ident}']"


def test_partner_and_indicator_created_in_the_browser_then_loaded(  # type: ignore[no-untyped-def]
    dash_duo,
    dash_app,
    app_settings,
    account_password,
    sign_in,
    screenshot,
    axe_audit,
    undo_catalogue_edits,
    tmp_path: Path,
) -> None:
    dash_duo.start_server(dash_app)
    driver = dash_duo.driver
    driver.set_window_size(1440, 900)
    driver.get(dash_duo.server_url + "/connexion")
    button = dash_duo.wait_for_element(".account-card button[type=submit]", timeout=20)
    assert button.value_of_css_property("color") == "rgba(255, 255, 255, 1)"  # not browser grey
    sign_in("administrateur")

    # the partner
    driver.get(dash_duo.server_url + PATH)
    dash_duo.wait_for_contains_text(".catadmin-lists", "Nouveau partenaire", timeout=20)
    # issue #16: the lists said their count and scroll in a frame; no line is cut at its edge
    assert "indicateurs — la liste défile" in dash_duo.find_element(".catadmin-lists").text
    cut = driver.execute_script(
        "return [...document.querySelectorAll('.catadmin-list')]"
        ".filter(ul => ul.scrollWidth > ul.clientWidth + 1).length"
    )
    assert cut == 0
    screenshot("catalogue-admin-lists")
    driver.get(dash_duo.server_url + PATH + "?partenaire=nouveau")
    dash_duo.wait_for_element(field("code"), timeout=20).send_keys("DITP")
    dash_duo.find_element(field("name")).send_keys(
        "Direction interministérielle de la transformation publique"
    )
    Select(dash_duo.find_element(field("kind"))).select_by_value("direction_centrale")
    dash_duo.find_element("#catadmin-enregistrer").click()
    dash_duo.wait_for_contains_text("#catadmin-resultat", "Partenaire « DITP » créé", timeout=20)

    # the indicator: a first try with a mistake gets the catalogue's message next to the field
    driver.get(dash_duo.server_url + PATH + "?indicateur=nouveau")
    dash_duo.wait_for_element(field("code"), timeout=20).send_keys("DITP_DELAI")
    dash_duo.find_element(field("label")).send_keys("Délai de traitement des démarches")
    dash_duo.find_element(field("description")).send_keys(
        "Délai moyen de traitement des démarches en ligne, en jours."
    )
    for key, value in {
        "theme": "vivre-ou-on-a-choisi",
        "partner": "DITP",
        "unit": "jours",
        "direction": "down",
        "kind": "base",
        "aggregation": "weighted_mean",
        "weight": "population",
        "periodicity": "annual",
        "chain_level": "outcome",
    }.items():
        Select(dash_duo.find_element(field(key))).select_by_value(value)
    dash_duo.find_element(field("publication_lag_months")).send_keys("6")
    for level in ("DEP", "REG", "FR"):
        dash_duo.find_element(f"{field('levels')} input[value={level}]").click()
    box = dash_duo.find_element(f"{field('measures')} input[value=M1]")
    label = dash_duo.find_element(f"{field('measures')} label[for='{box.get_attribute('id')}']")
    assert abs(label.location["y"] - box.location["y"]) < box.size["height"]  # on one line
    assert dash_duo.find_element("#catadmin-enregistrer").value_of_css_property(
        "background-color"
    ) not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)")  # styled, not the browser's grey
    box.click()
    dash_duo.find_element(field("range_min")).send_keys("0")
    dash_duo.find_element(field("source")).send_keys("Baromètre des résultats de l'action publique")
    dash_duo.find_element("#catadmin-enregistrer").click()
    error = '[id=\'{"key":"licence","type":"catadmin-erreur"}\']'
    dash_duo.wait_for_contains_text(error, "champ obligatoire manquant : « licence »", timeout=20)
    dash_duo.find_element(field("licence")).send_keys("Licence Ouverte 2.0")
    dash_duo.find_element("#catadmin-enregistrer").click()
    dash_duo.wait_for_contains_text("#catadmin-resultat", "Indicateur « DITP_DELAI » créé")
    dash_duo.wait_for_contains_text("#catadmin-historique", "première version", timeout=20)
    assert dash_duo.find_element(error).text == ""
    driver.execute_script("window.scrollTo(0, 0)")
    screenshot("administration-catalogue-indicateur")
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    screenshot("administration-catalogue-indicateur-enregistre")
    axe_audit()

    # a déposant of the new partner, made as ``suivi users create`` makes it
    engine = make_engine(app_settings.effective_database_url)
    with Session(engine) as session, session.begin():
        create_user(
            session,
            "ditp-deposant",
            role="deposant",
            partner_code="DITP",
            password=account_password,
        )
    engine.dispose()
    driver.delete_all_cookies()
    sign_in("ditp-deposant")

    path = tmp_path / "delais-ditp.csv"
    path.write_text(FILE, encoding="utf-8")
    driver.get(dash_duo.server_url + "/import")
    dash_duo.wait_for_element("#import-upload input[type=file]", timeout=20).send_keys(str(path))
    dash_duo.wait_for_contains_text("#import-fichier", "Fichier reçu", timeout=30)
    assert (
        Select(dash_duo.find_element("#import-partenaire")).first_selected_option.get_attribute(
            "value"
        )
        == "DITP"
    )
    dash_duo.find_element("#import-verifier").click()
    dash_duo.wait_for_element("#import-resultat .import-counts", timeout=60)
    dash_duo.wait_for_element("#import-valider:not([disabled])", timeout=20).click()
    dash_duo.wait_for_element("#import-load-id", timeout=60)
    assert "3 valeurs créées" in dash_duo.find_element("#import-load-id").text

    # published: the indicator's page ranks the three départements and names its version
    driver.get(dash_duo.server_url + "/indicateur/DITP_DELAI?niveau=DEP&periode=2024")
    dash_duo.wait_for_element("#indicateur-classement-graph .barlayer", timeout=30)
    dash_duo.wait_for_element("#indicateur-versions table", timeout=20)
    assert "Délai de traitement des démarches" in dash_duo.find_element("h1").text
    assert dash_duo.get_logs() == []
