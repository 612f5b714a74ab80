"""Long callbacks (``/import``'s check and load) run as Dash background callbacks, in the manager
chosen here from the settings:

- by default, a local subprocess per job, its progress and result in a diskcache under
  ``$SUIVI_VAR_DIR/background/`` (nothing else to install or run);
- with ``SUIVI_CELERY_URL``, Celery workers (``celery -A dashboard.worker worker``), with Redis
  as broker and result store, so that jobs outlive a web worker and run on other hosts.

The browser polls the web server for the job's progress and result either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dash

from dashboard.auth import User, require_in_background_job
from dashboard.routes.errors import JOB_LOST
from indicators.config import Settings

JOB_EXPIRY_SECONDS = 3600  # a result nobody came back for is dropped after an hour
BACKGROUND_KEY = "suivi-background"  # the manager, in the Flask server's extensions


def make_celery(settings: Settings) -> Any:
    """The Celery application of ``SUIVI_CELERY_URL`` (broker and result store)."""
    from celery import Celery  # the optional "celery" extra: imported only when configured

    celery = Celery("suivi", broker=settings.celery_url, backend=settings.celery_url)
    celery.conf.update(
        result_expires=JOB_EXPIRY_SECONDS,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return celery


class LocalJobManager(dash.DiskcacheManager):  # type: ignore[misc]
    """Dash's ``DiskcacheManager``, except that a job whose process died without answering
    (killed, out of memory) is reported as a failure — Dash alone would leave the page waiting
    with no word. The error goes to the app's ``on_error``
    (:func:`dashboard.routes.errors.callback_error_notice`), which says so in French. A job the
    user cancelled (« Annuler ») is not a failure: it is marked when it is stopped."""

    def terminate_job(self, job: Any) -> None:
        if job:
            self.handle.set(_cancelled_key(job), True, expire=JOB_EXPIRY_SECONDS)
        super().terminate_job(job)

    def get_result(self, key: Any, job: Any) -> Any:
        result = super().get_result(key, job)
        if result is not self.UNDEFINED or not job or self.job_running(job):
            return result
        result = super().get_result(key, job)  # it may have answered just before ending
        if result is self.UNDEFINED and not self.handle.get(_cancelled_key(job)):
            return {"background_callback_error": {"msg": JOB_LOST, "tb": ""}}
        return result


def _cancelled_key(job: Any) -> str:
    return f"suivi-job-cancelled-{job}"


def background_manager(settings: Settings) -> Any:
    """``CeleryManager`` when ``SUIVI_CELERY_URL`` is set, else ``LocalJobManager`` in var/."""
    if settings.celery_url:
        return dash.CeleryManager(make_celery(settings), expire=JOB_EXPIRY_SECONDS)
    import diskcache

    settings.background_dir.mkdir(parents=True, exist_ok=True)
    return LocalJobManager(diskcache.Cache(str(settings.background_dir)), expire=JOB_EXPIRY_SECONDS)


def celery_app_of(app: dash.Dash) -> Any:
    """The Celery application behind ``app``'s background callbacks (for ``dashboard.worker``)."""
    manager = app.server.extensions[BACKGROUND_KEY]
    if not isinstance(manager, dash.CeleryManager):
        raise RuntimeError(
            "SUIVI_CELERY_URL n'est pas défini : les tâches longues tournent dans des "
            "sous-processus locaux, sans worker Celery."
        )
    return manager.handle


@contextmanager
def background_job(action: str) -> Iterator[User]:
    """Inside a background callback: the app's context (settings, database, cache) and the user
    who asked, allowed to perform ``action`` — checked here again, in the job's process.

    One Dash app per process (see STYLE.md), so the process's app is the one that queued it."""
    server = dash.get_app().server
    with server.app_context():
        yield require_in_background_job(action)
