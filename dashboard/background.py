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
import json
import secrets
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dash
from flask import has_request_context, session

from dashboard.auth import User, current_user, require_in_background_job
from dashboard.context import app_context
from dashboard.routes.errors import JOB_LOST, NoticeError
from indicators.config import Settings
from indicators.french import plural

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


class JobRefused(NoticeError):
    """Too many jobs running (for this person, or on the server): try again later."""


class JobTimedOut(RuntimeError):
    """The job ran past ``SUIVI_JOB_TIMEOUT_S``; the message says so in French."""


class _Registry:
    """The running jobs, shared by every web worker: ``{slot: {user, started, job}}``, read and
    written under a lock — diskcache's transaction locally, a Redis lock with Celery."""

    def __init__(self, store: Any, redis_client: Any = None) -> None:
        self.store = store
        self.redis = redis_client

    @contextmanager
    def locked(self) -> Iterator[dict[str, dict[str, Any]]]:
        if self.redis is not None:
            with self.redis.lock(_REGISTRY_KEY + ":lock", timeout=10, blocking_timeout=10):
                raw = self.redis.get(_REGISTRY_KEY)
                jobs = json.loads(raw) if raw else {}
                yield jobs
                self.redis.set(_REGISTRY_KEY, json.dumps(jobs), ex=JOB_EXPIRY_SECONDS)
        else:
            with self.store.transact():
                jobs = dict(self.store.get(_REGISTRY_KEY) or {})
                yield jobs
                self.store.set(_REGISTRY_KEY, jobs, expire=JOB_EXPIRY_SECONDS)


_REGISTRY_KEY = "suivi-running-jobs"
_LAUNCH_GRACE_S = 60  # a slot whose job never got an id (a failed launch) is freed after this


class JobLimits:
    """Mixed into Dash's managers: at most ``per_user`` jobs per person and ``total`` on the
    server, each stopped after ``timeout_s`` (issue #12). Checked when a job is asked for, in
    the web request; a job past its time is also stopped by the job itself
    (:func:`background_job`)."""

    registry: _Registry
    per_user: int
    total: int
    timeout_s: int

    def limit(self, registry: _Registry, settings: Settings) -> None:
        self.registry = registry
        self.per_user = settings.jobs_per_user
        self.total = settings.jobs_total
        self.timeout_s = settings.job_timeout_s

    def call_job_fn(self, key: Any, job_fn: Any, args: Any, context: Any) -> Any:
        username = current_user().username if has_request_context() else ""
        slot = self._reserve(username)
        try:
            job = super().call_job_fn(key, job_fn, args, context)  # type: ignore[misc]
        except BaseException:
            with self.registry.locked() as jobs:
                jobs.pop(slot, None)
            raise
        with self.registry.locked() as jobs:
            if slot in jobs:
                jobs[slot]["job"] = str(job)
        return job

    def _reserve(self, username: str) -> str:
        now = time.time()
        overdue: list[str] = []
        with self.registry.locked() as jobs:
            for slot, entry in list(jobs.items()):
                job, age = entry.get("job"), now - float(entry["started"])
                if job is None:
                    if age > _LAUNCH_GRACE_S:
                        del jobs[slot]
                elif age > self.timeout_s + _LAUNCH_GRACE_S:
                    overdue.append(str(job))  # it did not stop by itself: stopped here
                    del jobs[slot]
                elif not self.job_running(job):  # type: ignore[attr-defined]
                    del jobs[slot]
            mine = sum(entry["user"] == username for entry in jobs.values())
            if mine >= self.per_user:
                refusal = (
                    "Vous avez déjà "
                    f"{plural(mine, 'tâche longue', 'tâches longues')} en cours "
                    f"(au plus {self.per_user}) : attendez qu'elles finissent ou annulez-en une."
                )
            elif len(jobs) >= self.total:
                refusal = (
                    f"Le serveur exécute déjà {len(jobs)} tâches longues (au plus "
                    f"{self.total}) : réessayez dans quelques instants."
                )
            else:
                refusal = ""
                slot = uuid.uuid4().hex
                jobs[slot] = {"user": username, "started": now, "job": None}
        for job in overdue:
            self.terminate_job(job)  # type: ignore[attr-defined]
        if refusal:
            raise JobRefused(refusal)
        return slot


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


class LimitedDiskcacheManager(JobLimits, LocalJobManager):
    """Local jobs (the default): limited, and reported when their process dies."""


class LimitedCeleryManager(JobLimits, dash.CeleryManager):
    """Jobs in Celery workers (``SUIVI_CELERY_URL``), limited the same way."""


def make_celery(settings: Settings) -> Any:
    """The Celery application of ``SUIVI_CELERY_URL`` (broker and result store)."""
    from celery import Celery  # the optional "celery" extra: imported only when configured

    celery = Celery("suivi", broker=settings.celery_url, backend=settings.celery_url)
    celery.conf.update(
        result_expires=JOB_EXPIRY_SECONDS,
        # the job stops itself at SUIVI_JOB_TIMEOUT_S (background_job); Celery kills it after
        task_time_limit=settings.job_timeout_s + 30,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return celery


def background_manager(settings: Settings) -> Any:
    """``CeleryManager`` when ``SUIVI_CELERY_URL`` is set, else ``LocalJobManager`` in var/."""
    if settings.celery_url:
        import redis

        celery_manager = LimitedCeleryManager(make_celery(settings), expire=JOB_EXPIRY_SECONDS)
        client = redis.Redis.from_url(settings.celery_url)
        celery_manager.limit(_Registry(None, client), settings)
        return celery_manager
    import diskcache

    settings.background_dir.mkdir(parents=True, exist_ok=True)
    cache = diskcache.Cache(str(settings.background_dir))
    manager = LimitedDiskcacheManager(cache, expire=JOB_EXPIRY_SECONDS)
    manager.limit(_Registry(cache), settings)
    return manager


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

    One Dash app per process (pages and callbacks register on the process-wide app, which
    ``dash.get_app()`` returns), so the process's app is the one that queued it.
    Past ``SUIVI_JOB_TIMEOUT_S`` the job raises :class:`JobTimedOut` where it stands (a load's
    transaction is then rolled back): in the main thread of the job's process, as both Dash's
    local processes and Celery's prefork workers run it."""
    server = dash.get_app().server
    with server.app_context():
        user = require_in_background_job(action)
        timeout = int(app_context().settings.job_timeout_s)
        if threading.current_thread() is not threading.main_thread():
            yield user
            return
        previous = signal.signal(signal.SIGALRM, _time_is_up(timeout))
        signal.alarm(timeout)
        try:
            yield user
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def _time_is_up(timeout: int) -> Any:
    def stop(_signum: int, _frame: Any) -> None:
        raise JobTimedOut(
            f"Tâche arrêtée : elle dépassait {timeout} secondes (réglage SUIVI_JOB_TIMEOUT_S) ; "
            "rien n'a été enregistré. Découpez le fichier, ou réessayez plus tard."
        )

    return stop
