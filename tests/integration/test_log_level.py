"""``SUIVI_LOG_LEVEL`` is read: by the CLI, by the web app (and so its background jobs and
Celery workers), and passed to gunicorn by ``suivi serve`` (issue #11, point 6)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.cli.serve import gunicorn_argv
from dashboard.log_config import configure_logging
from indicators.config import load_settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def root_level() -> Iterator[None]:
    level = logging.getLogger().level
    yield
    logging.getLogger().setLevel(level)


@pytest.mark.parametrize(("name", "level"), [("debug", 10), ("warning", 30), ("error", 40)])
def test_configure_logging_sets_the_root_level(root_level: None, name: str, level: int) -> None:
    assert configure_logging(load_settings({"SUIVI_LOG_LEVEL": name})) == level
    assert logging.getLogger("dashboard.errors").getEffectiveLevel() == level


@pytest.mark.parametrize(("name", "alembic"), [("info", 30), ("debug", 10), ("error", 40)])
def test_migrations_are_told_only_in_debug(root_level: None, name: str, alembic: int) -> None:
    """`make run` reads as French lines: Alembic's narration shows at debug level only."""
    try:
        configure_logging(load_settings({"SUIVI_LOG_LEVEL": name}))
        assert logging.getLogger("alembic").getEffectiveLevel() == alembic
    finally:
        logging.getLogger("alembic").setLevel(logging.NOTSET)


def test_the_cli_reads_the_level(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, root_level: None
) -> None:
    monkeypatch.setenv("SUIVI_LOG_LEVEL", "debug")
    CliRunner().invoke(main, ["check"])
    assert logging.getLogger().level == logging.DEBUG
    monkeypatch.setenv("SUIVI_LOG_LEVEL", "tout")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2 and "SUIVI_LOG_LEVEL doit valoir" in result.output


def test_serve_passes_the_level_to_gunicorn() -> None:
    argv = gunicorn_argv("127.0.0.1:9000", 3, 60, "warning")
    assert argv[argv.index("--log-level") + 1] == "warning"


def test_the_web_app_reads_the_level(tmp_path: Path) -> None:
    """In a process of its own: one Dash app per process."""
    script = (
        "import logging\n"
        "from dashboard.app import create_app\n"
        "create_app()\n"
        "print(logging.getLevelName(logging.getLogger().level))\n"
        "logging.getLogger('dashboard.essai').info('masqué')\n"
        "logging.getLogger('dashboard.essai').warning('montré')\n"
    )
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUIVI_")},
        "SUIVI_VAR_DIR": str(tmp_path),
        "SUIVI_CACHE_TYPE": "simple",
        "SUIVI_LOG_LEVEL": "warning",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "WARNING"
    assert "montré" in done.stderr and "masqué" not in done.stderr
