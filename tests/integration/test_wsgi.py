"""gunicorn loads the WSGI entry point (no Docker engine here: the Dockerfile check)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]


def check_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "dashboard.wsgi:server"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_check_config(tmp_path: Path) -> None:
    env = {**os.environ, "SUIVI_VAR_DIR": str(tmp_path), "SUIVI_SECRET_KEY": "s" * 32}
    result = check_config(env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", [None, "dev-secret-change-me", "trop-courte"])
def test_the_wsgi_entry_refuses_the_default_or_a_short_secret(
    tmp_path: Path, key: str | None
) -> None:
    """Issue #12: the default key signs job handles and sessions that anyone could forge."""
    env = {**os.environ, "SUIVI_VAR_DIR": str(tmp_path)}
    env.pop("SUIVI_SECRET_KEY", None)
    if key is not None:
        env["SUIVI_SECRET_KEY"] = key
    result = check_config(env)
    assert result.returncode != 0
    assert "ConfigError: SUIVI_SECRET_KEY" in result.stderr
    assert "secrets.token_urlsafe(48)" in result.stderr


def test_dockerfile_runs_gunicorn_as_non_root_with_a_healthcheck() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert "USER suivi" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert "dashboard.wsgi:server" in dockerfile
    assert "pip install" in dockerfile
