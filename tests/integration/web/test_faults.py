"""Faults of the web face (issue #11, point 3), each with real components and its recovery:

- the database unreachable — a SQLite file locked by another process, a PostgreSQL server gone
  (a TCP proxy in front of the shared server is stopped: new connections refused, open ones
  cut) — gives French errors and a 503 ``/healthz``, and the app recovers without a restart;
- Redis gone: the cache is skipped, the pages still answer, one warning is logged;
- a load that finds the write lock held past the lock timeout says « Une autre opération est en
  cours » and writes nothing; the same file then loads;
- a background load killed half-way writes nothing, the page says the job failed, and the file
  loads again;
- a full disk while the upload is stored gives a clear French message and leaves no file.

The app is the session's; each test points its context at its own database (a copy of the
session's demo, or a PostgreSQL schema) so that a fault never reaches the other tests.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from flask_caching import Cache
from import_requests import CHECK_OUTPUTS, LIST_OUTPUTS, LOAD_OUTPUTS, OPTIONS_STATES
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard import readers
from dashboard.cache import ResilientRedisCache, cache, cache_config
from dashboard.context import app_context
from indicators.accounts import create_user
from indicators.config import Settings, load_settings
from indicators.store import make_engine, session_factory, upgrade_database
from indicators.store.models import Load, Observation

pytestmark = pytest.mark.integration

CSV = "indicateur;territoire;periode;valeur\nACC_FS_DEMANDES;2A004;2018-T1;120\n"
UNREACHABLE = "La base de données est momentanément injoignable"
BUSY = "Une autre opération est en cours, réessayez dans un instant."


@pytest.fixture
def callbacks(callbacks, client, login_as):  # type: ignore[no-untyped-def]
    """An administrator: loads any partner's file, sees every load (the faults are the same
    for everyone)."""
    login_as(client, "administrateur")
    return callbacks


def data_url(text: str) -> str:
    import base64

    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def texts(component: Any) -> str:
    return json.dumps(component, ensure_ascii=False)


@pytest.fixture
def use_database(
    dash_app: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[Engine], None]]:
    """Point the app's context (requests, and the jobs it forks) at another engine; forget
    afterwards what was cached from it (its data versions are not the session's)."""
    with dash_app.server.app_context():
        context = app_context()

    def use(engine: Engine) -> None:
        monkeypatch.setattr(context, "engine", engine)
        monkeypatch.setattr(context, "sessions", session_factory(engine))

    yield use
    with dash_app.server.app_context():
        cache.clear()


@pytest.fixture
def demo_copy(app_settings: Settings, tmp_path: Path) -> Path:
    """A copy of the session's demo database, made through SQLite's backup API."""
    source = sqlite3.connect(app_settings.var_dir / "suivi.db")
    path = tmp_path / "copie.db"
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return path


def loads_list(callbacks: Any) -> dict[str, Any]:
    return callbacks.call(
        LIST_OUTPUTS,
        [("chargements-demande", "data", None), ("chargements-rollback-fait", "data", 0)],
    )


def notice(callbacks: Any) -> str:
    """The French notice a failed callback shows (an empty string when none failed)."""
    response = callbacks.client.post(
        "/_dash-update-component",
        json={
            "output": callbacks._key(LIST_OUTPUTS, None),
            "outputs": [{"id": cid, "property": prop} for cid, prop in LIST_OUTPUTS],
            "inputs": [
                {"id": "chargements-demande", "property": "data", "value": None},
                {"id": "chargements-rollback-fait", "property": "data", "value": 0},
            ],
            "changedPropIds": ["chargements-demande.data"],
        },
    )
    assert response.status_code in (200, 204)
    body = response.get_json() or {}
    side = body.get("sideUpdate", {}).get("erreur-application", {})
    return texts(side.get("children")) if side.get("hidden") is False else ""


# --- the database unreachable -------------------------------------------------------------------


def test_a_locked_sqlite_file_gives_french_errors_then_recovers(  # type: ignore[no-untyped-def]
    callbacks, client, demo_copy: Path, use_database
) -> None:
    engine = make_engine(f"sqlite:///{demo_copy}", lock_timeout_s=0.3)
    use_database(engine)
    assert client.get("/healthz").status_code == 200
    assert "chargements-liste" in texts(loads_list(callbacks))
    engine.dispose()  # no pooled connection left open: another process takes the file
    locker = sqlite3.connect(demo_copy, isolation_level=None)
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json()["status"] == "erreur"
        message = notice(callbacks)
        assert BUSY in message and "Une partie de la page" in message
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    # the file is free again: the same app answers, without a restart
    assert client.get("/healthz").status_code == 200
    assert "chargements-liste" in texts(loads_list(callbacks)) and not notice(callbacks)
    engine.dispose()


@pytest.mark.postgres
def test_a_stopped_postgresql_gives_french_errors_then_recovers(  # type: ignore[no-untyped-def]
    callbacks, client, postgres_url: str, tcp_proxy, use_database, login_as, account_password
) -> None:
    upgrade_database(direct := make_engine(postgres_url))
    with Session(direct) as session, session.begin():  # the signed-in person exists there too
        create_user(session, "administrateur", role="administrateur", password=account_password)
    direct.dispose()
    proxy = tcp_proxy("127.0.0.1", 5432)
    engine = make_engine(postgres_url.replace(":5432/", f":{proxy.port}/"), lock_timeout_s=1)
    use_database(engine)
    login_as(client, "administrateur")
    assert client.get("/healthz").status_code == 200
    assert "chargements-liste" in texts(loads_list(callbacks))
    received = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", data_url(CSV))],
        [("import-upload", "filename", "demandes.csv")],
    )
    proxy.stop()  # the server goes away: its connections are cut, new ones refused
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["status"] == "erreur"
    assert UNREACHABLE in notice(callbacks)
    checked = callbacks.call(  # a background job, in its own process, says it too
        CHECK_OUTPUTS,
        [("import-verifier", "n_clicks", 1)],
        [
            ("import-contenu", "data", received["import-contenu"]["data"]),
            *OPTIONS_STATES,
            ("import-options", "value", []),
        ],
    )
    assert UNREACHABLE in texts(checked["import-resultat"]["children"])
    proxy.start()  # it is back: the pool reconnects on its next use
    assert client.get("/healthz").status_code == 200
    assert "chargements-liste" in texts(loads_list(callbacks)) and not notice(callbacks)
    engine.dispose()


def test_an_unreadable_sqlite_file_gives_french_errors_then_recovers(  # type: ignore[no-untyped-def]
    callbacks, client, demo_copy: Path, tmp_path: Path, use_database
) -> None:
    folder = tmp_path / "volume"
    engine = make_engine(f"sqlite:///{folder / 'suivi.db'}")  # creates the folder
    folder.rmdir()  # the volume is gone: the file cannot be opened
    use_database(engine)
    assert client.get("/healthz").status_code == 503
    assert UNREACHABLE in notice(callbacks)
    export = client.get("/export/evaluation.csv?mesure=M1")  # a Flask route
    assert export.status_code == 503 and UNREACHABLE in export.get_data(as_text=True)
    folder.mkdir()
    shutil.copyfile(demo_copy, folder / "suivi.db")  # the volume is back
    assert client.get("/healthz").status_code == 200
    assert "chargements-liste" in texts(loads_list(callbacks)) and not notice(callbacks)
    assert client.get("/export/evaluation.csv?mesure=M1").status_code == 200
    engine.dispose()


# --- Redis gone ---------------------------------------------------------------------------------


@pytest.mark.redis
def test_pages_work_without_redis_and_use_it_again_when_it_returns(  # type: ignore[no-untyped-def]
    dash_app, callbacks, redis_url: str, tcp_proxy, monkeypatch, caplog
) -> None:
    proxy = tcp_proxy("127.0.0.1", 6379)
    url = redis_url.replace(":6379/", f":{proxy.port}/")
    settings = load_settings({}, cache_type="redis", cache_url=url)
    holder = type(dash_app.server)("essai-redis")
    redis_cache = Cache()
    redis_cache.init_app(holder, config=cache_config(settings))
    backend = holder.extensions["cache"][redis_cache]
    assert isinstance(backend, ResilientRedisCache)
    backend.clear()
    monkeypatch.setattr(ResilientRedisCache, "RETRY_AFTER_S", 0.2)
    monkeypatch.setitem(dash_app.server.extensions["cache"], cache, backend)

    def map_values() -> Any:
        with dash_app.server.app_context():
            return readers.values_for_map("ACC_FS_DEMANDES", "2024-T1", "DEP")

    expected = map_values()
    assert backend._write_client.dbsize() > 0  # the value went to Redis
    proxy.stop()
    caplog.set_level(logging.WARNING, logger="dashboard.cache")
    for _ in range(3):
        assert map_values().equals(expected)  # computed again, no error
    assert "chargements-liste" in texts(loads_list(callbacks))
    warnings = [r for r in caplog.records if "Redis injoignable" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per request
    proxy.start()
    time.sleep(0.3)
    backend.clear()
    assert map_values().equals(expected)
    assert backend._write_client.dbsize() > 0  # cached again
    assert any("de nouveau joignable" in r.getMessage() for r in caplog.records)


# --- the write lock held too long, a job killed -----------------------------------------------


def _upload_and_check(callbacks: Any, text: str) -> tuple[dict[str, Any], str]:
    received = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", data_url(text))],
        [("import-upload", "filename", "demandes.csv")],
    )
    stored = received["import-contenu"]["data"]
    checked = callbacks.call(
        CHECK_OUTPUTS,
        [("import-verifier", "n_clicks", 1)],
        [("import-contenu", "data", stored), *OPTIONS_STATES, ("import-options", "value", [])],
    )
    key = checked["import-verifie"]["data"]
    assert key, texts(checked)
    return stored, key


def _load_payload(callbacks: Any, stored: dict[str, Any], key: str) -> dict[str, Any]:
    described = [{"id": cid, "property": prop} for cid, prop in LOAD_OUTPUTS]
    states = [
        ("import-contenu", "data", stored),
        *OPTIONS_STATES,
        ("import-options", "value", []),
        ("import-verifie", "data", key),
    ]
    return {
        "output": callbacks._key(LOAD_OUTPUTS, None),
        "outputs": described,
        "inputs": [{"id": "import-valider", "property": "n_clicks", "value": 1}],
        "state": [{"id": cid, "property": prop, "value": v} for cid, prop, v in states],
        "changedPropIds": ["import-valider.n_clicks"],
    }


def _load(callbacks: Any, stored: dict[str, Any], key: str) -> dict[str, Any]:
    return callbacks.call(
        LOAD_OUTPUTS,
        [("import-valider", "n_clicks", 1)],
        [
            ("import-contenu", "data", stored),
            *OPTIONS_STATES,
            ("import-options", "value", []),
            ("import-verifie", "data", key),
        ],
    )


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            int(session.scalar(select(func.count()).select_from(Load)) or 0),
            int(session.scalar(select(func.count()).select_from(Observation)) or 0),
        )


def test_a_load_that_waits_too_long_for_the_lock_says_so_and_loads_later(  # type: ignore[no-untyped-def]
    callbacks, demo_copy: Path, use_database
) -> None:
    engine = make_engine(f"sqlite:///{demo_copy}", lock_timeout_s=0.3)
    use_database(engine)
    stored, key = _upload_and_check(callbacks, CSV)
    before = _counts(engine)
    writer = sqlite3.connect(demo_copy, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer holds the lock (readers go on)
    try:
        refused = _load(callbacks, stored, key)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    text = texts(refused["import-confirmation"]["children"])
    assert BUSY in text and "database is locked" not in text
    assert refused["import-valider"]["disabled"] is False  # the button is usable again
    assert _counts(engine) == before
    loaded = _load(callbacks, stored, key)
    assert "enregistré" in texts(loaded["import-resultat"]["children"])
    assert _counts(engine) == (before[0] + 1, before[1] + 1)
    engine.dispose()


@pytest.mark.slow
def test_a_load_killed_half_way_writes_nothing_and_can_be_run_again(  # type: ignore[no-untyped-def]
    callbacks, demo_copy: Path, use_database, large_indicator_csv: str
) -> None:
    engine = make_engine(f"sqlite:///{demo_copy}")
    use_database(engine)
    stored, key = _upload_and_check(callbacks, large_indicator_csv)
    before = _counts(engine)
    payload = _load_payload(callbacks, stored, key)
    started = callbacks.client.post("/_dash-update-component", json=payload).get_json()
    query = {"cacheKey": started["cacheKey"], "job": started["job"]}
    jobs = psutil.Process().children()
    assert jobs, "aucune tâche de fond lancée"
    job = max(jobs, key=lambda process: process.create_time())
    deadline, stage = time.monotonic() + 60, ""
    while time.monotonic() < deadline and "Écriture" not in stage and "Recalcul" not in stage:
        time.sleep(0.05)
        body = callbacks.client.post(
            "/_dash-update-component", json=payload, query_string=query
        ).get_json()
        assert "response" not in body, "le chargement a fini avant d'être interrompu"
        stage = json.dumps(body.get("progress", {}), ensure_ascii=False)
    assert "Écriture" in stage or "Recalcul" in stage, stage
    os.kill(job.pid, signal.SIGKILL)  # the job dies in the middle of its transaction
    job.wait(10)
    response = callbacks.client.post("/_dash-update-component", json=payload, query_string=query)
    body = response.get_json()
    outputs = body["response"]
    text = texts(outputs["import-confirmation"]["children"])
    assert "Le traitement a échoué" in text and "Rien n'a été enregistré" in text
    assert outputs["import-valider"]["disabled"] is False
    assert "import-resultat" not in outputs  # the check's report stays
    assert "Le traitement a échoué" in texts(body["sideUpdate"]["erreur-application"])
    assert _counts(engine) == before  # nothing of the killed load
    loaded = _load(callbacks, stored, key)
    assert "enregistré" in texts(loaded["import-resultat"]["children"])
    assert _counts(engine) == (before[0] + 1, before[1] + 50_000)
    engine.dispose()


# --- the disk full ------------------------------------------------------------------------------


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Writes into the uploads folder fail with ENOSPC after their first 1,000 bytes, as on a
    full file system (the only fault simulated in-process: no small tmpfs can be mounted here).
    Yields the temporary files the writes opened."""
    real_fdopen = os.fdopen
    opened: list[str] = []

    class FullFile:
        def __init__(self, stream: Any) -> None:
            self.stream, self.written = stream, 0

        def write(self, data: bytes) -> int:
            if self.written + len(data) > 1000:
                self.stream.write(data[: 1000 - self.written])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.written += len(data)
            return int(self.stream.write(data))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.stream, name)

        def __enter__(self) -> FullFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        stream = real_fdopen(fd, *args, **kwargs)
        opened.append(os.readlink(f"/proc/self/fd/{fd}"))
        return FullFile(stream)

    import indicators.ingest.raw_store as raw_store

    monkeypatch.setattr(raw_store.os, "fdopen", fdopen)
    yield opened


def test_a_full_disk_while_storing_an_upload_gives_a_clear_message(  # type: ignore[no-untyped-def]
    callbacks, app_settings: Settings, full_disk: list[str]
) -> None:
    rows = [f"ACC_FS_DEMANDES;2A004;2017-T{q};{n}\n" for q in range(1, 5) for n in range(40)]
    text = CSV + "".join(rows)
    result = callbacks.call(
        [("import-contenu", "data"), ("import-fichier", "children")],
        [("import-upload", "contents", data_url(text))],
        [("import-upload", "filename", "plein.csv")],
    )
    assert result["import-contenu"]["data"] is None
    message = result["import-fichier"]["children"]
    assert "n'a plus de place" in message and "rien n'a été enregistré" in message
    assert full_disk, "l'écriture n'a pas eu lieu"
    for path in full_disk:  # neither the temporary file nor a half-written one is left
        assert not Path(path).exists()
    import hashlib

    digest = hashlib.sha256(text.encode()).hexdigest()
    assert not (app_settings.raw_files_dir / digest[:2] / digest).exists()
