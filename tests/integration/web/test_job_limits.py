"""Long jobs are limited per person and on the whole server, and stopped past their time
(issue #12); the load's rollback and the PDF report are such jobs."""

from __future__ import annotations

import dataclasses
import os
import time
from typing import Any

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from import_requests import CHECK

from dashboard.auth import IDENTITY
from dashboard.background import BACKGROUND_KEY, JobTimedOut, background_job

pytestmark = pytest.mark.integration


@pytest.fixture
def manager(dash_app: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app's manager with an empty registry; nothing is ever killed for real."""
    manager = dash_app.server.extensions[BACKGROUND_KEY]
    with manager.registry.locked() as jobs:
        jobs.clear()
    manager.terminated = []
    monkeypatch.setattr(manager, "terminate_job", manager.terminated.append)
    yield manager
    with manager.registry.locked() as jobs:
        jobs.clear()


def running_job(manager: Any, username: str, started: float | None = None) -> None:
    """A job of ``username`` that is running (this very process: it exists)."""
    with manager.registry.locked() as jobs:
        jobs[f"slot-{username}-{len(jobs)}"] = {
            "user": username,
            "started": time.time() if started is None else started,
            "job": str(os.getpid()),
        }


def ask_for_a_job(client: Any) -> dict[str, Any]:
    client.get("/_dash-layout")
    response = client.post("/_dash-update-component", json=CHECK)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return dict(response.get_json())


def notice(body: dict[str, Any]) -> str:
    """The refusal, shown where the check's report goes."""
    return str(body.get("response", {}).get("import-resultat", {}).get("children", ""))


def test_one_person_cannot_run_more_than_their_share(
    dash_app: Any, manager: Any, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manager, "per_user", 1)
    running_job(manager, "deposant")
    refused = ask_for_a_job(as_user("deposant"))
    assert "cacheKey" not in refused  # no job started
    assert "Vous avez déjà 1 tâche longue en cours (au plus 1)" in notice(refused)
    assert "cacheKey" in ask_for_a_job(as_user("deposant-anct"))  # someone else still may


def test_the_server_runs_a_bounded_number_of_jobs(
    dash_app: Any, manager: Any, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manager, "total", 2)
    running_job(manager, "deposant")
    running_job(manager, "deposant-anct")
    refused = ask_for_a_job(as_user("administrateur"))
    assert "cacheKey" not in refused
    assert "Le serveur exécute déjà 2 tâches longues (au plus 2)" in notice(refused)


def test_a_job_past_its_time_is_stopped_and_frees_its_slot(
    dash_app: Any, manager: Any, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manager, "total", 1)
    running_job(manager, "deposant", started=time.time() - manager.timeout_s - 120)
    assert "cacheKey" in ask_for_a_job(as_user("deposant-anct"))
    assert manager.terminated == [str(os.getpid())]  # the overdue job was asked to stop


def test_finished_jobs_do_not_count(
    dash_app: Any, manager: Any, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manager, "per_user", 1)
    with manager.registry.locked() as jobs:
        jobs["done"] = {"user": "deposant", "started": time.time(), "job": "999999999"}
    assert "cacheKey" in ask_for_a_job(as_user("deposant"))


def test_a_job_stops_itself_past_its_time(dash_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    context = dash_app.server.extensions["suivi"]
    monkeypatch.setattr(context, "settings", dataclasses.replace(context.settings, job_timeout_s=1))
    token = context_value.set(
        AttributeDict(
            custom_data={IDENTITY: {"username": "a", "role": "administrateur"}}, updated_props={}
        )
    )
    started = time.perf_counter()
    try:
        with pytest.raises(JobTimedOut, match="dépassait 1 secondes"), background_job("upload"):
            time.sleep(5)
    finally:
        context_value.reset(token)
    assert time.perf_counter() - started < 3


def test_rollback_and_the_pdf_report_are_long_jobs(dash_app: Any) -> None:
    dash_app.server.test_client().get("/_dash-layout")
    outputs = {
        "chargements-rollback-message.children": "undo_load",
        "evaluation-report-download.data": "freeze_report",
    }
    for key, spec in dash_app.callback_map.items():
        for output, name in outputs.items():
            if output in key:
                assert spec.get("background"), name
