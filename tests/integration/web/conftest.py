"""Helpers to call Dash callbacks through the Flask test client, as the browser does."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

ComponentId = str | dict[str, Any]


def _id_text(component_id: ComponentId) -> str:
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


class CallbackClient:
    """POST ``/_dash-update-component`` with the ids, properties and values of a callback.

    A background callback answers first with signed handles of its job; like the browser, the
    client then polls with them until the result comes, keeping the progress values seen."""

    def __init__(self, client: Any, dash_app: Any) -> None:
        self.client = client
        self.dash_app = dash_app
        self.progress: list[dict[str, Any]] = []
        client.get("/_dash-layout")  # page callbacks join the app's map on the first request

    def _key(self, outputs: list[tuple[ComponentId, str]], pattern: str | None) -> str:
        """The app's own id of the callback with exactly these outputs."""
        wanted = {f"{pattern or _id_text(cid)}.{prop}" for cid, prop in outputs}
        for key in self.dash_app.callback_map:
            parts = key[2:-2].split("...") if key.startswith("..") else [key]
            if {part.split("@")[0] for part in parts} == wanted:
                return str(key)
        raise KeyError(f"aucun callback n'a pour sorties {sorted(wanted)}")

    def call(
        self,
        outputs: list[tuple[ComponentId, str]],
        inputs: list[tuple[ComponentId, str, Any]],
        states: list[tuple[ComponentId, str, Any]] | None = None,
        pattern: str | None = None,
    ) -> dict[str, Any]:
        """``pattern`` is the wildcard id of a pattern-matching callback's outputs."""
        described = [{"id": cid, "property": prop} for cid, prop in outputs]
        payload = {
            "output": self._key(outputs, pattern),
            "outputs": described if len(outputs) > 1 else described[0],
            "inputs": [{"id": cid, "property": prop, "value": v} for cid, prop, v in inputs],
            "state": [{"id": cid, "property": prop, "value": v} for cid, prop, v in states or []],
            "changedPropIds": [f"{_id_text(inputs[0][0])}.{inputs[0][1]}"],
        }
        response = self.client.post("/_dash-update-component", json=payload)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:2000]
        if response.status_code == 204:
            return {}
        body = response.get_json()
        if "cacheKey" in body:
            return self._wait_for_job(payload, body)
        return dict(body["response"])

    def _wait_for_job(
        self, payload: dict[str, Any], handles: dict[str, Any], timeout: float = 60
    ) -> dict[str, Any]:
        self.progress = []
        query = {"cacheKey": handles["cacheKey"], "job": handles["job"]}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.05)
            response = self.client.post("/_dash-update-component", json=payload, query_string=query)
            assert response.status_code in (200, 204), response.get_data(as_text=True)[:2000]
            if response.status_code == 204:
                return {}
            body = response.get_json()
            if "progress" in body:
                self.progress.append(body["progress"])
            if "response" in body:
                return dict(body["response"])
        raise TimeoutError(f"la tâche de fond n'a pas répondu en {timeout} s")


@pytest.fixture
def callbacks(client: Any, dash_app: Any) -> CallbackClient:
    return CallbackClient(client, dash_app)
