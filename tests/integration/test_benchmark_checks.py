"""The benchmarks' answer checks (issue 11) on real responses of the test app.

A failed callback answers 200 with a French notice in ``sideUpdate``; these tests make one fail
on purpose (a broken catalogue reader: an unknown indicator code could one day become a French
empty state, a broken reader stays an error) and check that the benchmarks' checker, their
callback client and their page visits all refuse to time it."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from benchmarks.bench_load import browsing_plan
from benchmarks.callbacks_client import CallbackCaller
from benchmarks.checks import (
    BadResponse,
    check_callback,
    check_json,
    check_page,
    count_errors,
)
from benchmarks.dash_browser import DashBrowser, flask_transport, server_callbacks
from dashboard import readers
from dashboard.routes.errors import CHART_FAILED, error_card

pytestmark = pytest.mark.integration

TREND = [
    ("territoire-trend-graph", "figure"),
    ("territoire-trend-summary", "children"),
    ("territoire-trend-csv", "href"),
    ("territoire-trend-xlsx", "href"),
    ("territoire-trend-title", "children"),
]
INDICATOR = "ACC_FS_TEMPS_ACCES"
TERRITORY = "DEP:2A"


def _trend(client: Any, caller: CallbackCaller, indicator: str) -> Any:
    return client.post(
        "/_dash-update-component",
        json={
            "output": caller.key(TREND),
            "outputs": [{"id": cid, "property": prop} for cid, prop in TREND],
            "inputs": [
                {"id": "territoire-indicateur", "property": "value", "value": indicator},
                {"id": "territoire-code", "property": "data", "value": TERRITORY},
            ],
            "changedPropIds": ["territoire-indicateur.value"],
        },
    )


def _broken_catalogue() -> Any:
    raise RuntimeError("panne simulée du catalogue")


def test_a_real_answer_passes_with_its_outputs(client, dash_app) -> None:  # type: ignore[no-untyped-def]
    response = _trend(client, CallbackCaller(dash_app), INDICATOR)
    outputs = check_callback(response.status_code, response.get_data(), TREND)
    assert outputs["territoire-trend-graph"]["figure"]["data"]
    assert INDICATOR in outputs["territoire-trend-csv"]["href"]


def test_a_failed_callback_is_an_error_though_it_answers_200(client, dash_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    caller = CallbackCaller(dash_app)
    monkeypatch.setattr(readers, "catalogue", _broken_catalogue)
    response = _trend(client, caller, INDICATOR)
    assert response.status_code == 200  # what made ``make bench`` time it as an answer
    with pytest.raises(BadResponse, match="n'a pas pu être mise à jour"):
        check_callback(response.status_code, response.get_data(), TREND)


def test_the_benchmarks_callback_client_refuses_an_error(dash_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    caller = CallbackCaller(dash_app)  # asks for compressed answers, as a browser does
    inputs = [("territoire-indicateur", "value", INDICATOR), ("territoire-code", "data", TERRITORY)]
    assert caller.call(TREND, inputs) > 0
    monkeypatch.setattr(readers, "catalogue", _broken_catalogue)
    with pytest.raises(BadResponse, match="notice d'erreur"):
        caller.call(TREND, inputs)


def test_an_answer_without_an_expected_output_is_an_error(client, dash_app) -> None:  # type: ignore[no-untyped-def]
    response = _trend(client, CallbackCaller(dash_app), INDICATOR)
    expected = [*TREND, ("territoire-table", "data")]
    with pytest.raises(BadResponse, match=r"sorties absentes : territoire-table\.data"):
        check_callback(response.status_code, response.get_data(), expected)


def test_no_update_failed_chart_and_failed_page_are_errors() -> None:
    with pytest.raises(BadResponse, match="204"):
        check_callback(204, b"")
    assert check_callback(204, b"", allow_no_update=True) == {}
    failed_chart = {"response": {"x-summary": {"children": CHART_FAILED}}}
    with pytest.raises(BadResponse, match="graphique en erreur : x-summary"):
        check_callback(200, json.dumps(failed_chart))
    card = error_card("abc123").to_plotly_json()
    page = {"response": {"_pages_content": {"children": card}, "_pages_store": {"data": {}}}}
    with pytest.raises(BadResponse, match="page en erreur"):
        check_callback(200, json.dumps(page, default=_plotly))
    with pytest.raises(BadResponse, match="HTTP 500"):
        check_callback(500, b'{"erreur": "Erreur du serveur"}')
    with pytest.raises(BadResponse, match="sans aucune sortie"):
        check_callback(200, b'{"multi": true, "response": {}}')


def _plotly(value: Any) -> Any:
    return value.to_plotly_json()


def test_pages_and_json_routes(client) -> None:  # type: ignore[no-untyped-def]
    home = client.get("/")
    check_page(home.status_code, home.content_type, home.get_data(as_text=True))
    missing = client.get("/assets/absent.css", headers={"Accept": "text/html"})
    with pytest.raises(BadResponse, match="HTTP 404"):
        check_page(missing.status_code, missing.content_type, missing.get_data(as_text=True))
    health = client.get("/healthz")
    assert check_json(health.status_code, health.get_data())["status"] == "ok"
    with pytest.raises(BadResponse, match="pas du JSON"):
        check_json(200, b"<html>")


def test_count_errors_finds_them_at_any_depth() -> None:
    outcome = {"a": {"cold": {"p95_ms": 1.0}, "errors": {"X": "boom", "Y": "boom"}}, "b": {}}
    assert count_errors(outcome) == 2
    assert count_errors({"errors": ["une"]}) == 1
    assert count_errors({"errors": {"carte · x — HTTP 500": 27, "suivi load": 1}}) == 28
    assert count_errors({"a": {"cold": {}}}) == 0


def test_a_visit_fires_the_pages_callbacks_in_order(client) -> None:  # type: ignore[no-untyped-def]
    browser = DashBrowser(flask_transport(client))
    assert all(request.error is None for request in browser.start())
    visit = browser.visit("territoire", f"/territoire/{TERRITORY}?indicateur={INDICATOR}")
    names = [request.name.split(" · ")[1] for request in visit.requests]
    assert names[:2] == ["page", "_pages_content (+1)"]
    assert "territoire-trend-graph (+4)" in names
    # the children map waits for the period its chained callback chooses
    assert names.index("territoire-periode") < names.index("territoire-enfants-graph (+5)")
    assert visit.errors == []
    assert visit.milliseconds > 0


def test_a_visit_reports_each_failed_callback(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    browser = DashBrowser(flask_transport(client))
    browser.start()
    monkeypatch.setattr(readers, "catalogue", _broken_catalogue)
    visit = browser.visit("territoire", f"/territoire/{TERRITORY}?indicateur={INDICATOR}")
    assert visit.errors, "a broken catalogue must show in the visit"
    reasons = [str(request.error) for request in visit.errors]
    assert all("n'a pas pu" in reason or "page en erreur" in reason for reason in reasons)
    unknown = browser.visit("inconnue", "/pas-une-page")
    assert [str(r.error) for r in unknown.errors] == ["page introuvable (404 de Dash Pages)"]


def test_only_server_side_callbacks_are_fired(client) -> None:  # type: ignore[no-untyped-def]
    dependencies = client.get("/_dash-dependencies").get_json()
    callbacks = server_callbacks(dependencies)
    keys = {callback.key for callback in callbacks}
    assert ".._pages_content.children..._pages_store.data.." in keys
    clientside = {d["output"] for d in dependencies if d.get("clientside_function")}
    background = {d["output"] for d in dependencies if d.get("background")}
    assert keys.isdisjoint(clientside | background)
    assert all(not cid.startswith("{") for c in callbacks for cid, _ in c.outputs + c.inputs)


def test_the_load_plan_browses_every_page_within_the_scope(app_settings) -> None:  # type: ignore[no-untyped-def]
    database = app_settings.effective_database_url
    plan = browsing_plan(database, ("94", "02"), random.Random(42))
    steps = [step for journey in plan["journeys"] for step in journey]
    assert {page for page, _ in steps} == {
        "accueil",
        "territoire",
        "indicateur",
        "carte",
        "programmes",
        "programme",
        "indicateurs",
        "evaluation",
    }
    territories = {
        address.split("/territoire/")[1].split("?")[0]
        for page, address in steps
        if page == "territoire"
    }
    # Corse and Martinique only: the territories that hold values
    assert {code for code in territories if code.startswith("REG:")} <= {"REG:94", "REG:02"}
    assert {code for code in territories if code.startswith("DEP:")} <= {
        "DEP:2A",
        "DEP:2B",
        "DEP:972",
    }
    assert plan == browsing_plan(
        app_settings.effective_database_url, ("94", "02"), random.Random(42)
    )
