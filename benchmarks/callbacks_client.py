"""Calling Dash callbacks through the Flask test client, as the browser does (benchmarks)."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.checks import check_callback


class CallbackCaller:
    def __init__(self, dash_app: Any) -> None:
        self.app = dash_app
        self.client = dash_app.server.test_client()
        self.client.get("/_dash-layout")  # page callbacks join the map on the first request

    def key(self, outputs: list[tuple[str, str]]) -> str:
        wanted = {f"{cid}.{prop}" for cid, prop in outputs}
        for key in self.app.callback_map:
            parts = key[2:-2].split("...") if key.startswith("..") else [key]
            if {part.split("@")[0] for part in parts} == wanted:
                return str(key)
        raise KeyError(sorted(wanted))

    def call(
        self,
        outputs: list[tuple[str, str]],
        inputs: list[tuple[str, str, Any]],
        states: list[tuple[str, str, Any]] | None = None,
    ) -> int:
        """Run the callback; return the size of the response body in bytes (compressed if the
        server compresses it for a browser that accepts zstd, brotli or gzip). Raises
        :class:`~benchmarks.checks.BadResponse` unless the answer holds every output and no
        error notice."""
        described = [{"id": cid, "property": prop} for cid, prop in outputs]
        payload = {
            "output": self.key(outputs),
            "outputs": described if len(outputs) > 1 else described[0],
            "inputs": [{"id": c, "property": p, "value": v} for c, p, v in inputs],
            "state": [{"id": c, "property": p, "value": v} for c, p, v in states or []],
            "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
        }
        response = self.client.post(
            "/_dash-update-component",
            data=json.dumps(payload),
            content_type="application/json",
            headers={"Accept-Encoding": "zstd, br, gzip"},
        )
        size = len(response.data)  # as sent, before the check decompresses it
        body = response.get_data() if response.status_code != 200 else _decoded(response)
        check_callback(response.status_code, body, outputs)
        return size


def _decoded(response: Any) -> bytes:
    """The JSON body of a response the server compressed for the browser."""
    encoding = response.headers.get("Content-Encoding", "")
    data: bytes = response.data
    if encoding == "gzip":
        import gzip

        return gzip.decompress(data)
    if encoding == "br":
        import brotli

        return bytes(brotli.decompress(data))
    if encoding == "zstd":
        from backports import zstd  # flask-compress's own dependency

        return zstd.decompress(data)
    return data
