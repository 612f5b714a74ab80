"""Long callbacks (``/import``'s check and load) run as Dash background callbacks, in the manager
chosen here from the settings:

- by default, a local subprocess per job, its progress and result in a diskcache under
  ``$SUIVI_VAR_DIR/background/`` (nothing else to install or run);
- with ``SUIVI_CELERY_URL``, Celery workers (``celery -A dashboard.worker worker``), with Redis
  as broker and result store, so that jobs outlive a web worker and run on other hosts.

The browser polls the web server for the job's progress and result either way.

The handles of a job (its result key and its process or task id) travel through the browser.
Dash signs them with the server's key and the page load; :class:`JobSigningDash` signs them with
a key derived from the secret, the user and a nonce of the browser's session (issue #12), so a
handle forged with the shared development key, or taken from someone else's page, is ignored:
nobody reads, cancels nor kills a job that is not theirs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dash
from flask import has_request_context, session

from dashboard.auth import User, current_user, require_in_background_job
from indicators.config import Settings

JOB_EXPIRY_SECONDS = 3600  # a result nobody came back for is dropped after an hour
BACKGROUND_KEY = "suivi-background"  # the manager, in the Flask server's extensions
SESSION_NONCE = "suivi-jobs"  # a random value in the browser's (signed) session cookie
_SIGNING_CONTEXT = b"suivi: background-job handles\x00"


def job_signing_key(secret_key: str, username: str, nonce: str) -> bytes:
    """The key that signs a user's job handles: derived from the secret (never the secret
    itself), bound to the user and to one browser session."""
    message = _SIGNING_CONTEXT + f"{username}\x00{nonce}".encode()
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).digest()


def session_nonce() -> str:
    """This browser's nonce, created with its first page or callback."""
    nonce = session.get(SESSION_NONCE)
    if not isinstance(nonce, str) or not nonce:
        nonce = secrets.token_urlsafe(16)
        session[SESSION_NONCE] = nonce
    return nonce


class JobSigningDash(dash.Dash):
    """Dash, with background-job handles signed per user and per browser session."""

    def _get_signing_secret(self) -> bytes:
        secret_key = str(self.server.secret_key or "")
        if not has_request_context():  # nothing to sign nor check outside a request
            return job_signing_key(secret_key, "", "")
        return job_signing_key(secret_key, current_user().username, session_nonce())


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


def background_manager(settings: Settings) -> Any:
    """``CeleryManager`` when ``SUIVI_CELERY_URL`` is set, else ``DiskcacheManager`` in var/."""
    if settings.celery_url:
        return dash.CeleryManager(make_celery(settings), expire=JOB_EXPIRY_SECONDS)
    import diskcache

    settings.background_dir.mkdir(parents=True, exist_ok=True)
    return dash.DiskcacheManager(
        diskcache.Cache(str(settings.background_dir)), expire=JOB_EXPIRY_SECONDS
    )


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
