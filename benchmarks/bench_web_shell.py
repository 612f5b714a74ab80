"""Server time of the shell: page `/`, its layout, its callback and `/healthz`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.timing import time_calls
from dashboard.app import create_app
from indicators.config import load_settings
from indicators.store import make_engine, upgrade_database

HOME_CALLBACK = {
    "output": "home-summary.children",
    "outputs": {"id": "home-summary", "property": "children"},
    "inputs": [{"id": "url", "property": "pathname", "value": "/"}],
    "changedPropIds": ["url.pathname"],
}


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as var_dir:
        settings = load_settings({}, var_dir=Path(var_dir), cache_type="simple", public=True)
        upgrade_database(make_engine(settings.effective_database_url))
        client = create_app(settings).server.test_client()

        def get(path: str) -> None:
            assert client.get(path).status_code == 200

        def home_callback() -> None:
            assert client.post("/_dash-update-component", json=HOME_CALLBACK).status_code == 200

        return {
            "page_index": time_calls(lambda: get("/"), repeat=200),
            "page_layout": time_calls(lambda: get("/_dash-layout"), repeat=200),
            "callback_home_summary": time_calls(home_callback, repeat=200),
            "healthz": time_calls(lambda: get("/healthz"), repeat=200),
        }
