"""Calling Dash callbacks through Flask's test client, as the browser does: the one client of the
tests, the crawl and the benchmarks (issue #13). No browser, no server: a callback is one POST
to ``/_dash-update-component``; a background callback answers with signed handles of its job,
which the client then polls until the result comes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

ComponentId = str | dict[str, Any]
UPDATE = "/_dash-update-component"


def component_id_text(component_id: ComponentId) -> str:
    """A component id as Dash writes it in a callback's key (pattern ids as sorted JSON)."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def callback_key(
    dash_app: Any, outputs: list[tuple[ComponentId, str]], pattern: str | None = None
) -> str:
    """The app's own id of the callback with exactly these outputs (``pattern``: the wildcard id
    of a pattern-matching callback's outputs)."""
    wanted = {f"{pattern or component_id_text(cid)}.{prop}" for cid, prop in outputs}
    for key in dash_app.callback_map:
        parts = key[2:-2].split("...") if key.startswith("..") else [key]
        if {part.split("@")[0] for part in parts} == wanted:
            return str(key)
    raise KeyError(f"aucun callback n'a pour sorties {sorted(wanted)}")


def wait_for_job(
    client: Any,
    payload: dict[str, Any],
    handles: dict[str, Any],
    timeout: float = 60,
    on_progress: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """Poll a background callback's job with its handles, as the browser does, until the
    answer comes: the whole body (``{}`` when the job updates nothing)."""
    query = {"cacheKey": handles["cacheKey"], "job": handles["job"]}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        response = client.post(UPDATE, json=payload, query_string=query)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:2000]
        if response.status_code == 204:
            return {}
        body = response.get_json()
        if "progress" in body and on_progress is not None:
            on_progress(body["progress"])
        if "response" in body:
            return dict(body)
    raise TimeoutError(f"la tâche de fond n'a pas répondu en {timeout} s")


class CallbackClient:
    """POST ``/_dash-update-component`` with the ids, properties and values of a callback."""

    def __init__(self, client: Any, dash_app: Any) -> None:
        self.client = client
        self.dash_app = dash_app
        self.progress: list[dict[str, Any]] = []
        client.get("/_dash-layout")  # page callbacks join the app's map on the first request

    def outputs_of(self, function_name: str) -> list[tuple[ComponentId, str]]:
        """The outputs of the callback defined as ``function_name``, in its declared order (the
        order Dash pairs them by): tests and benchmarks name the callback, not a copy of its
        output list."""
        for key, spec in self.dash_app.callback_map.items():
            if getattr(spec.get("callback"), "__name__", None) == function_name:
                parts = key.strip(".").split("...")
                return [(cid, prop) for cid, prop in (part.rsplit(".", 1) for part in parts)]
        raise KeyError(f"no callback named {function_name}")

    def _key(self, outputs: list[tuple[ComponentId, str]], pattern: str | None) -> str:
        return callback_key(self.dash_app, outputs, pattern)

    def payload(
        self,
        outputs: list[tuple[ComponentId, str]],
        inputs: list[tuple[ComponentId, str, Any]],
        states: list[tuple[ComponentId, str, Any]] | None = None,
        pattern: str | None = None,
    ) -> dict[str, Any]:
        """The request the browser sends when the first input changes."""
        described = [{"id": cid, "property": prop} for cid, prop in outputs]
        key = self._key(outputs, pattern)
        return {
            "output": key,
            # a callback of named outputs is a multi-output one even with a single output
            "outputs": described if key.startswith("..") else described[0],
            "inputs": [{"id": cid, "property": prop, "value": v} for cid, prop, v in inputs],
            "state": [{"id": cid, "property": prop, "value": v} for cid, prop, v in states or []],
            "changedPropIds": [f"{component_id_text(inputs[0][0])}.{inputs[0][1]}"],
        }

    def call(
        self,
        outputs: list[tuple[ComponentId, str]],
        inputs: list[tuple[ComponentId, str, Any]],
        states: list[tuple[ComponentId, str, Any]] | None = None,
        pattern: str | None = None,
    ) -> dict[str, Any]:
        """The callback's ``response``: its outputs by component id and property."""
        payload = self.payload(outputs, inputs, states, pattern)
        response = self.client.post(UPDATE, json=payload)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:2000]
        if response.status_code == 204:
            return {}
        body = response.get_json()
        if "cacheKey" in body:
            self.progress = []
            body = wait_for_job(self.client, payload, body, on_progress=self.progress.append)
        return dict(body.get("response", {}))
