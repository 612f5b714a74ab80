"""Server time of the shell: page `/`, its layout, its callback and `/healthz`.

Each response is checked (:mod:`benchmarks.checks`) outside the timed part; an error stops the
benchmark, which is then reported as failed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.checks import check_callback, check_json, check_page
from benchmarks.timing import time_calls
from dashboard.app import create_app
from indicators.config import load_settings
from indicators.store import make_engine, upgrade_database

HOME_CALLBACK = {
    "output": "home-summary.children",
    "outputs": {"id": "home-summary", "property": "children"},
    "inputs": [{"id": "accueil-annee", "property": "value", "value": None}],
    "changedPropIds": ["accueil-annee.value"],
}


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as var_dir:
        settings = load_settings({}, var_dir=Path(var_dir), cache_type="simple", public=True)
        upgrade_database(make_engine(settings.effective_database_url))
        client = create_app(settings).server.test_client()

        def page(response: Any) -> None:
            check_page(response.status_code, response.content_type, response.get_data(True))

        def json_body(response: Any) -> None:
            check_json(response.status_code, response.get_data())

        def callback(response: Any) -> None:
            check_callback(
                response.status_code, response.get_data(), [("home-summary", "children")]
            )

        def home_callback() -> Any:
            return client.post("/_dash-update-component", json=HOME_CALLBACK)

        return {
            "page_index": time_calls(lambda: client.get("/"), repeat=200, check=page),
            "page_layout": time_calls(
                lambda: client.get("/_dash-layout"), repeat=200, check=json_body
            ),
            "callback_home_summary": time_calls(home_callback, repeat=200, check=callback),
            "healthz": time_calls(lambda: client.get("/healthz"), repeat=200, check=json_body),
        }
