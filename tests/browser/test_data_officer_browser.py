"""A partner's data officer sends this quarter's figures (issue #16), in headless Chromium: signed
in as ANCT's déposant, downloads the template from /import, fills values in it, uploads it, checks
it, validates the load, and sees a clean result panel (what was loaded, no dry-run text left).
The load is undone at the end (the session's database is shared)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from indicators.catalogue import load_catalogue
from indicators.french import plural
from indicators.ingest import rollback_load
from indicators.store import make_engine

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FILLED = {"DEP:2A": "41", "DEP:2B": "17"}  # the départements of the session's demo
DRY_RUN_TEXTS = ("Rien n'a encore été enregistré", "Résultat de la vérification", "seraient")


def _downloaded(directory: Path, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in directory.glob("*.csv") if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"aucun fichier téléchargé dans {directory}")


def _undo(settings, load_id: int) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as session, session.begin():
        rollback_load(session, load_id, catalogue=load_catalogue(), username="test")
    engine.dispose()


def test_the_data_officer_fills_the_template_and_loads_it(  # type: ignore[no-untyped-def]
    dash_duo, dash_app, app_settings, sign_in, screenshot, axe_audit, tmp_path: Path
) -> None:
    downloads = tmp_path / "telechargements"
    downloads.mkdir()
    dash_duo.start_server(dash_app)
    sign_in("deposant-anct")
    driver = dash_duo.driver
    driver.set_window_size(1440, 900)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.get(dash_duo.server_url + "/import")
    link = dash_duo.wait_for_element("#import-modele-csv", timeout=20)
    assert "Télécharger le modèle à remplir" in dash_duo.find_element("#import-modele").text
    codes = dash_duo.find_element("#import-codes")
    assert codes.get_attribute("href").endswith("/indicateurs?partenaire=ANCT")
    # the period help names each period in words and gives its code
    dash_duo.find_element(".import-period-help summary").click()
    help_text = dash_duo.find_element("#import-periodes").text
    assert "trimestre" in help_text and "-T" in help_text
    screenshot("import-aide")
    axe_audit()

    link.click()
    template = _downloaded(downloads)
    assert template.name.startswith("modele-a-remplir-ANCT-")
    with template.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    # fill the two départements of one indicator's due period; the other rows are deleted
    first = next(r for r in rows if r["territoire"] in FILLED)
    kept = [
        {**r, "valeur": FILLED[r["territoire"]]}
        for r in rows
        if (r["indicateur"], r["periode"]) == (first["indicateur"], first["periode"])
        and r["territoire"] in FILLED
    ]
    filled = tmp_path / "modele-rempli.csv"
    with filled.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=";")
        writer.writeheader()
        writer.writerows(kept)

    dash_duo.find_element("#import-upload input[type=file]").send_keys(str(filled))
    dash_duo.wait_for_contains_text("#import-fichier", "Fichier reçu", timeout=30)
    dash_duo.find_element("#import-verifier").click()
    dash_duo.wait_for_contains_text("#import-resultat", "Rien n'a encore été enregistré", 60)
    dash_duo.wait_for_element("#import-valider:not([disabled])").click()
    dash_duo.wait_for_element("#import-load-id", timeout=120)
    message = dash_duo.find_element("#import-load-id").text
    load_id = int(message.split("n°")[1].split(" ")[0])
    try:
        assert (
            plural(len(kept), "valeur créée", "valeurs créées") in message or "modifiée" in message
        )
        panel = dash_duo.find_element("#import-resultat").text
        assert "Chargement terminé" in panel and "modele-rempli.csv" in panel
        for text in DRY_RUN_TEXTS:
            assert text not in panel
        assert dash_duo.find_element("#import-confirmation").text == ""
        assert "a été chargé" in dash_duo.find_element("#import-fichier").text
        history = dash_duo.find_element("#import-load-link")
        assert history.get_attribute("href").endswith(f"/chargements?id={load_id}")
        values = dash_duo.find_element("#import-values-links a").get_attribute("href")
        assert f"/indicateur/{first['indicateur']}?periode={first['periode']}" in values
        assert not dash_duo.find_element("#import-valider").is_enabled()
        driver.execute_script(
            "document.querySelector('#import-fichier').scrollIntoView({block: 'start'})"
        )
        screenshot("import-charge")
        assert dash_duo.get_logs() == []
        axe_audit()
    finally:
        _undo(app_settings, load_id)
