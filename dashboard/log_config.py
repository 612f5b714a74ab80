"""``SUIVI_LOG_LEVEL``: one logging set-up for the CLI, the web app and its background jobs.

gunicorn (``suivi serve``) receives the same level through ``--log-level``; Celery workers build
the app, and so read it too."""

from __future__ import annotations

import logging

from indicators.config import Settings

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s : %(message)s"


def configure_logging(settings: Settings) -> int:
    """Set the root logger to ``settings.log_level`` (adding a stderr handler when nothing
    else, such as gunicorn or pytest, has installed one); return the numeric level."""
    level = logging.getLevelNamesMapping()[settings.log_level.upper()]
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=FORMAT)
    root.setLevel(level)
    # Alembic narrates every migration at INFO: a newcomer's `make run` should read as French
    # lines, not a migration log; SUIVI_LOG_LEVEL=debug shows it again.
    migrations = level if level <= logging.DEBUG else max(level, logging.WARNING)
    logging.getLogger("alembic").setLevel(migrations)
    return level
