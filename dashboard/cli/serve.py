"""``suivi serve``: run the web application under gunicorn."""

from __future__ import annotations

import os
import sys

import click

from indicators.config import (
    DEFAULT_SECRET_KEY,
    ConfigError,
    check_production_secret,
    load_settings,
    local_secret_key,
)


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
@click.option(
    "--local",
    is_flag=True,
    help="Démonstration sur ce poste : sans SUIVI_SECRET_KEY, une clé est créée dans var/ "
    "(fichier secret_key, mode 600) au premier lancement puis réutilisée.",
)
def serve(bind: str | None, workers: int | None, timeout: int, local: bool) -> None:
    """Sert l'application web avec gunicorn.

    Refuse de démarrer sans SUIVI_SECRET_KEY d'au moins 32 caractères (sauf --local)."""
    settings = load_settings()
    if local and settings.secret_key == DEFAULT_SECRET_KEY:
        # gunicorn's workers read the key from the environment, like any other setting
        os.environ["SUIVI_SECRET_KEY"] = local_secret_key(settings.var_dir)
        settings = load_settings()
    try:
        check_production_secret(settings)
    except ConfigError as error:
        click.echo(f"Erreur : {error}", err=True)
        raise SystemExit(2) from None
    argv = gunicorn_argv(
        bind or settings.bind, workers or settings.workers, timeout, settings.log_level
    )
    click.echo(f"Suivi des territoires sur http://{bind or settings.bind}")
    os.execv(argv[0], argv)
