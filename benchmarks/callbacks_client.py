"""Calling Dash callbacks through the Flask test client, as the browser does (benchmarks)."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.checks import check_callback
from dashboard.testing import CallbackClient


class CallbackCaller(CallbackClient):
    """The tests' :class:`~dashboard.testing.CallbackClient`, measuring what is sent."""

    def __init__(self, dash_app: Any) -> None:
        super().__init__(dash_app.server.test_client(), dash_app)
        self.app = dash_app

    def key(self, outputs: list[tuple[str, str]]) -> str:
        return self._key(list(outputs), None)

    def call(  # type: ignore[override]
        self,
        outputs: list[tuple[str, str]],
        inputs: list[tuple[str, str, Any]],
        states: list[tuple[str, str, Any]] | None = None,
        pattern: str | None = None,
    ) -> int:
        """Run the callback; return the size of the response body in bytes (compressed if the
        server compresses it for a browser that accepts zstd, brotli or gzip). Raises
        :class:`~benchmarks.checks.BadResponse` unless the answer holds every output and no
        error notice."""
        payload = self.payload(list(outputs), list(inputs), list(states or []), pattern)
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
