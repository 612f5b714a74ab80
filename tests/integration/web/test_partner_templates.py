"""A partner's template through the web (issues #14 point 5 and #16, the data officer): the
download at /modeles/<partenaire>.csv|xlsx and who may have it, the help of /import (template,
codes, periods), and the round trip: download, fill, upload on /import, check, load, values
published. The load is undone at the end (the session's database is shared)."""

from __future__ import annotations

import csv
import io
import json
import sys
from base64 import b64encode
from datetime import date
from typing import Any

import dash
import openpyxl
import pytest
from dash import no_update
from flask_login import login_user
from plotly.utils import PlotlyJSONEncoder
from test_import_pages import UPLOADER, check, find, importer, load, texts

from dashboard import auth
from dashboard.formatting import format_period
from indicators.ingest.period_formats import read_period
from indicators.ingest.templates import TEMPLATE_COLUMNS

pytestmark = pytest.mark.integration

FILLED = {"DEP:2A": "12", "DEP:2B": "7.5"}  # the départements of the session's demo


def template_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_a_deposant_gets_its_own_partner_s_template_only(as_user) -> None:  # type: ignore[no-untyped-def]
    anct = as_user("deposant-anct")
    response = anct.get("/modeles/ANCT.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    today = date.today().isoformat()
    disposition = response.headers["Content-Disposition"]
    assert f'filename="modele-a-remplir-ANCT-{today}.csv"' in disposition
    rows = template_rows(response.data)
    assert rows and list(rows[0]) == list(TEMPLATE_COLUMNS)
    assert {r["territoire"].partition(":")[0] for r in rows} <= {"DEP", "REG", "FR"}
    assert {r["valeur"] for r in rows} == {""}
    for row in rows[:50]:
        read_period(row["periode"])  # the periods are written as codes the ingest reads
    assert anct.get("/modeles/INSEE.csv").status_code == 403  # another partner's
    assert anct.get("/modeles/ANCT.csv?periodes=99").status_code == 400
    two = template_rows(anct.get("/modeles/ANCT.csv?periodes=2").data)
    assert len(two) == 2 * len(rows)
    assert as_user("lecteur").get("/modeles/ANCT.csv").status_code == 403

    admin = as_user("administrateur")
    xlsx = admin.get("/modeles/INSEE.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert workbook.sheetnames == ["valeurs", "indicateurs"]
    assert admin.get("/modeles/NOPE.csv").status_code == 404


def import_layout(dash_app: Any, user: auth.User) -> Any:
    """The /import page as ``user`` receives it."""
    name = next(p["module"] for p in dash.page_registry.values() if p["path"] == "/import")
    with dash_app.server.test_request_context("/import"):
        login_user(user)
        return _plain(sys.modules[name].layout())


def test_the_import_page_helps_prepare_the_file(dash_app, client) -> None:  # type: ignore[no-untyped-def]
    rendered = import_layout(dash_app, UPLOADER)
    words = " ".join(texts(rendered))
    assert "Télécharger le modèle à remplir" in words
    assert find(rendered, "import-modele-csv")["props"]["href"] == "/modeles/ANCT.csv"  # type: ignore[index]
    assert find(rendered, "import-modele-xlsx")["props"]["href"] == "/modeles/ANCT.xlsx"  # type: ignore[index]
    assert find(rendered, "import-codes")["props"]["href"] == "/indicateurs?partenaire=ANCT"  # type: ignore[index]
    # a period named in words gives its code, which the ingest reads as that period
    assert "(à écrire 20" in words

    table = find(rendered, "import-periodes")
    assert table is not None
    body = table["props"]["children"][2]["props"]["children"]
    assert len(body) == 4  # year, semester, quarter, month
    for row in body:
        _, in_words, code, variants = row["props"]["children"]
        code_text = code["props"]["children"]["props"]["children"]
        period = read_period(code_text)
        assert (
            str(period) == code_text and format_period(code_text) == in_words["props"]["children"]
        )
        shown = [c["props"]["children"] for c in _codes(variants)]
        for form in shown:
            assert read_period(form) == period, form
    quarter_forms = [c["props"]["children"] for c in _codes(body[2]["props"]["children"][3])]
    assert any("trimestre" in form for form in quarter_forms)

    # the catalogue filters on the partner the link names
    catalogue = client.get("/indicateurs?partenaire=ANCT")
    assert catalogue.status_code == 200


def _codes(cell: dict[str, Any]) -> list[dict[str, Any]]:
    children = cell["props"]["children"]
    return [c for c in children if isinstance(c, dict)] if isinstance(children, list) else []


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=PlotlyJSONEncoder))


def test_the_help_follows_the_partner_chosen(
    as_user, dash_app, callbacks, login_as, client
) -> None:  # type: ignore[no-untyped-def]
    login_as(client, "administrateur")
    outputs = [("import-modele", "children")]
    insee = callbacks.call(outputs, [("import-partenaire", "value", "INSEE")])
    assert find(insee["import-modele"]["children"], "import-modele-csv")["props"]["href"] == (  # type: ignore[index]
        "/modeles/INSEE.csv"
    )
    nobody = callbacks.call(outputs, [("import-partenaire", "value", None)])
    assert "Choisissez un partenaire" in " ".join(texts(nobody["import-modele"]["children"]))
    login_as(client, "deposant-anct")  # a déposant sees its own partner's, whatever is chosen
    own = callbacks.call(outputs, [("import-partenaire", "value", "INSEE")])
    assert find(own["import-modele"]["children"], "import-modele-csv")["props"]["href"] == (  # type: ignore[index]
        "/modeles/ANCT.csv"
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fill(data: bytes, fmt: str) -> tuple[bytes, list[dict[str, str]]]:
    """What the data officer does: fill its départements of one indicator's period, delete the
    other rows (in the spreadsheet itself for an XLSX: its help sheet stays)."""
    if fmt == "csv":
        rows = template_rows(data)
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        cells = list(workbook["valeurs"].iter_rows(values_only=True))
        rows = [{str(k): str(v or "") for k, v in zip(cells[0], r, strict=True)} for r in cells[1:]]
    first = next(r for r in rows if r["territoire"] in FILLED)
    kept = [
        {**r, "valeur": FILLED[r["territoire"]]}
        for r in rows
        if (r["indicateur"], r["periode"]) == (first["indicateur"], first["periode"])
        and r["territoire"] in FILLED
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(kept)
        return buffer.getvalue().encode("utf-8-sig"), kept
    sheet = workbook["valeurs"]
    sheet.delete_rows(2, sheet.max_row)
    for row in kept:
        sheet.append([row[c] for c in TEMPLATE_COLUMNS])
    saved = io.BytesIO()
    workbook.save(saved)
    return saved.getvalue(), kept


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_filled_in_goes_round_trip_through_the_web(  # type: ignore[no-untyped-def]
    callbacks, client, login_as, fmt
) -> None:
    login_as(client, "deposant-anct")
    filled, kept = fill(client.get(f"/modeles/ANCT.{fmt}").data, fmt)
    assert len(kept) == len(FILLED)
    indicator, period = kept[0]["indicateur"], kept[0]["periode"]
    kind = XLSX if fmt == "xlsx" else "text/csv"
    received = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", f"data:{kind};base64,{b64encode(filled).decode()}")],
        [("import-upload", "filename", f"modele-rempli.{fmt}")],
    )
    stored = received["import-contenu"]["data"]
    assert stored, received["import-fichier"]["children"]
    checked = check(callbacks, stored, [])
    dry_run = " ".join(texts(checked["import-resultat"]["children"]))
    assert "Rien n'a encore été enregistré" in dry_run
    key = checked["import-verifie"]["data"]
    assert key, dry_run

    done = load(callbacks, stored, [], key)
    panel = done["import-resultat"]["children"]
    words = " ".join(texts(panel))
    load_id = int(words.split("n°")[1].split(" ")[0])
    try:
        assert "Chargement terminé" in words
        assert "Rien n'a encore" not in words and "seraient" not in words  # no dry-run text
        assert done["import-valider"]["disabled"] is True
        line = done["import-fichier"]["children"]
        assert "a été chargé" in line and "Vérifier" not in line  # no stale instruction
        history = find(panel, "import-load-link")
        assert history is not None and history["props"]["href"] == f"/chargements?id={load_id}"
        links = find(panel, "import-values-links")
        assert links is not None
        href = links["props"]["children"][0]["props"]["children"]["props"]["href"]
        assert href == f"/indicateur/{indicator}?periode={period}&niveau=DEP"

        # published: the map's data of that indicator shows the values typed
        published = client.get(
            f"/export/carte.csv?indicateur={indicator}&periode={period}&niveau=DEP"
        )
        assert published.status_code == 200
        table = {
            r["code"]: r
            for r in csv.DictReader(io.StringIO(published.data.decode("utf-8-sig")), delimiter=";")
        }
        assert table["DEP:2A"]["valeur"] == "12,0" and table["DEP:2B"]["valeur"] == "7,5"
    finally:
        undone = callbacks.call(
            [("chargements-rollback-message", "children"), ("chargements-rollback-fait", "data")],
            [("chargements-rollback-confirmation", "submit_n_clicks", 1)],
            [("chargements-demande", "data", load_id), ("chargements-rollback-fait", "data", 0)],
        )
    assert f"Chargement n°{load_id} annulé" in " ".join(
        texts(undone["chargements-rollback-message"]["children"])
    )


def test_a_refused_load_keeps_the_report(dash_app) -> None:  # type: ignore[no-untyped-def]
    with dash_app.server.app_context():
        views = importer().load_outputs
        outputs = views({"token": "x"}, "ANCT", "", [], "autre clé", auth.User("a", "deposant"))
    assert outputs["result"] is no_update and outputs["file"] is no_update
    assert "relancez la vérification" in " ".join(texts(_plain(outputs["confirmation"])))
    assert outputs["disabled"] is True
