"""``/import``'s jobs in a real Celery worker (``celery -A dashboard.worker worker --pool=solo``)
with the local Redis as broker and result store; skipped when Redis does not answer.

The web side runs in a subprocess too: the test session's own app uses the local manager, and a
process holds one Dash app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.background import make_celery
from dashboard.cli.database import initialise
from indicators.config import load_settings

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]
CLIENT = Path(__file__).resolve().parent / "celery_client.py"


@pytest.fixture
def celery_env(redis_url: str, clean_env: Path) -> dict[str, str]:
    env = {**os.environ, "SUIVI_CELERY_URL": redis_url.rsplit("/", 1)[0] + "/14"}
    env["SUIVI_CACHE_TYPE"] = "simple"
    env["SUIVI_SECRET_KEY"] = "clé-de-test-du-worker-celery-assez-longue"  # the worker needs one
    initialise(load_settings(env))
    return env


@pytest.fixture
def worker(celery_env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "celery", "-A", "dashboard.worker", "worker"]
    options = ["--pool=solo", "--loglevel=warning", "--without-gossip", "--without-mingle"]
    process = subprocess.Popen([*command, *options], cwd=REPO, env=celery_env)
    celery = make_celery(load_settings(celery_env))
    try:
        deadline = time.monotonic() + 60
        while not celery.control.ping(timeout=1):
            assert process.poll() is None, "le worker Celery s'est arrêté"
            assert time.monotonic() < deadline, "le worker Celery ne répond pas"
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def words(component: object) -> str:
    return json.dumps(component, ensure_ascii=False)


def test_check_and_load_run_in_a_celery_worker(celery_env, worker) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run(
        [sys.executable, str(CLIENT)],
        cwd=REPO,
        env=celery_env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    report = words(shown["check"]["import-resultat"]["children"])
    assert "Le fichier peut être chargé" in report and "Ambérieu-en-Bugey" in report
    assert shown["check"]["import-valider"]["disabled"] is False
    confirmation = words(shown["load"]["import-resultat"]["children"])
    assert "enregistré : 1 valeur créée" in confirmation
    assert worker.poll() is None
