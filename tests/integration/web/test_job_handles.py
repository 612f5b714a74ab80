"""Background-job handles, attacked as a visitor would (issue #12): a handle forged with the
shared development key, tampered with, or taken from someone else's page neither cancels (kills)
a process nor reads a result."""

from __future__ import annotations

from typing import Any

import pytest
from dash import _callback_signing
from import_requests import CHECK

from dashboard.background import BACKGROUND_KEY
from indicators.config import DEFAULT_SECRET_KEY

pytestmark = pytest.mark.integration

STRONG_KEY = "k" * 48
CANCEL = {
    "output": "import-annuler.id",
    "outputs": {"id": "import-annuler", "property": "id"},
    "inputs": [{"id": "import-annuler", "property": "n_clicks", "value": 1}],
    "state": [],
    "changedPropIds": ["import-annuler.n_clicks"],
}


@pytest.fixture
def killed(dash_app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The job ids the manager was asked to terminate (nothing is killed for real)."""
    monkeypatch.setitem(dash_app.server.config, "SECRET_KEY", STRONG_KEY)
    calls: list[str] = []
    manager = dash_app.server.extensions[BACKGROUND_KEY]
    monkeypatch.setattr(manager, "terminate_job", calls.append)
    return calls


def start_job(client: Any) -> dict[str, str]:
    client.get("/_dash-layout")
    response = client.post("/_dash-update-component", json=CHECK)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    handles = response.get_json()
    assert {"cacheKey", "job"} <= set(handles)
    return dict(handles)


def cancel(client: Any, job_handle: str) -> None:
    response = client.post(
        "/_dash-update-component", json=CANCEL, query_string={"cancelJob": job_handle}
    )
    assert response.status_code in (200, 204)


def test_a_handle_forged_with_the_development_key_kills_nothing(
    dash_app: Any, killed: list[str]
) -> None:
    client = dash_app.server.test_client()
    client.get("/_dash-layout")
    # what stock Dash would accept from anyone who knows the default SECRET_KEY
    forged = _callback_signing.sign(
        DEFAULT_SECRET_KEY.encode(), _callback_signing.job_scope(None), "1"
    )
    cancel(client, forged)
    assert killed == []


def test_a_tampered_handle_kills_nothing(dash_app: Any, killed: list[str], as_user: Any) -> None:
    client = as_user("deposant")
    job = start_job(client)["job"]
    pid, _, mac = job.rpartition("~")
    cancel(client, f"1~{mac}")  # the process id swapped, the signature kept
    assert killed == []
    cancel(client, job)  # the untouched handle, by its owner: the job is cancelled
    assert killed == [pid]


def test_someone_elses_handle_neither_cancels_nor_reads_the_job(
    dash_app: Any, killed: list[str], as_user: Any
) -> None:
    alice = as_user("deposant")
    handles = start_job(alice)

    bob = as_user("deposant-anct")  # another person, with another browser session
    bob.get("/_dash-layout")
    cancel(bob, handles["job"])
    assert killed == []
    polled = bob.post("/_dash-update-component", json=CHECK, query_string=handles)
    body = polled.get_json(silent=True) or {}
    assert "response" not in body  # no result read (nor deleted) with alice's handles

    other_tab = as_user("deposant")  # the same user in another session: not the page that asked
    other_tab.get("/_dash-layout")
    cancel(other_tab, handles["job"])
    assert killed == []

    cancel(alice, handles["job"])
    assert killed == [handles["job"].rpartition("~")[0]]
