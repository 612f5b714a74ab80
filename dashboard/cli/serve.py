"""``suivi serve``: run the web application under gunicorn."""

from __future__ import annotations

import os
import sys

import click

from indicators.config import load_settings


def gunicorn_argv(bind: str, workers: int, timeout: int, log_level: str = "info") -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dashboard.wsgi:server",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        # Load the app before forking: a broken configuration fails once, loudly, and workers
        # share the imported code's memory.
        "--preload",
        "--access-logfile",
        "-",
        "--log-level",
        log_level,  # SUIVI_LOG_LEVEL, as for the app's own loggers
    ]


@click.command()
@click.option("--bind", help="Adresse d'écoute (défaut : SUIVI_BIND ou 127.0.0.1:8050).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Nombre de processus (défaut : SUIVI_WORKERS ou 2).",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=5),
    default=120,
    show_default=True,
    help="Délai maximal d'une requête, en secondes.",
)
def serve(bind: str | None, workers: int | None, timeout: int) -> None:
    """Sert l'application web avec gunicorn."""
    settings = load_settings()
    argv = gunicorn_argv(
        bind or settings.bind, workers or settings.workers, timeout, settings.log_level
    )
    click.echo(f"Suivi des territoires sur http://{bind or settings.bind}")
    os.execv(argv[0], argv)
