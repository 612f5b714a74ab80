"""gunicorn loads the WSGI entry point (no Docker engine here: the Dockerfile check)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_check_config(tmp_path: Path) -> None:
    env = {**os.environ, "SUIVI_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "dashboard.wsgi:server"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_dockerfile_runs_gunicorn_as_non_root_with_a_healthcheck() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert "USER suivi" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert "dashboard.wsgi:server" in dockerfile
    assert "pip install" in dockerfile
