"""Load test: 20 visitors browse the site served by gunicorn (2 workers) while a partner's file
is loaded with ``suivi load`` into the same database (issue 11: errors must be 0).

The database is the demo over a reduced scope, copied afresh for each run so every run starts
from the same state: the full-France build is too heavy for a shared 2-core machine. Visitors
(:mod:`benchmarks.load_users`, locust) follow journeys through home, territory pages (and their
callbacks), indicator sheets, maps, programmes, the catalogue and evaluations; every response is
checked (:mod:`benchmarks.checks`). After ``LOAD_AFTER_S`` seconds the file (every commune value
of one quarterly indicator, revised) is loaded, so reads and one write overlap. Only 127.0.0.1.

Settings (environment): ``BENCH_LOAD_SCOPE`` (``regions``: the seven régions of ``make run``;
``france``; or région codes ``"53,94"``), ``BENCH_LOAD_USERS`` (20), ``BENCH_LOAD_SECONDS`` (60).

Figures: per page, the time of a whole visit (its requests one after another: HTML, router,
callbacks) at p50/p95; per request, p95; errors per request and reason; the load's duration and
verdict. ``visit`` times are the sum of a page's requests as one visitor waits for them; a browser
would send independent callbacks in parallel, so a person waits less than that sum.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from benchmarks.france import WORK, demo_settings, parse_scope, scope_dir
from dashboard.cli.serve import gunicorn_argv
from indicators.catalogue import load_catalogue
from indicators.demo import scope_regions

WORKERS = 2
LOAD_AFTER_S = 15  # let every visitor start before the write begins
LOADED_INDICATOR = "EMP_DEFM_A"  # quarterly, every commune: ~67,000 values in the demo regions
SEED = 42


def run() -> dict[str, object]:
    scope = os.environ.get("BENCH_LOAD_SCOPE", "regions")
    users = int(os.environ.get("BENCH_LOAD_USERS", "20"))
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    demo_settings(scope)  # builds the demo database once
    run_dir = fresh_copy(scope)
    database = f"sqlite:///{run_dir / 'suivi.db'}"
    plan = browsing_plan(database, scope_regions(parse_scope(scope)), random.Random(SEED))
    (run_dir / "plan.json").write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    upload = run_dir / "envoi-france-travail.csv"
    rows = revised_file(database, LOADED_INDICATOR, upload)

    busy = round(os.getloadavg()[0], 1)  # other work on the machine skews every figure below
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SUIVI_VAR_DIR": str(run_dir),
        "SUIVI_PUBLIC": "1",  # visitors read the dashboards without an account
    }
    env.setdefault("SUIVI_SECRET_KEY", secrets.token_urlsafe(48))  # dashboard.wsgi requires one
    log = run_dir / "gunicorn.log"
    visitors: subprocess.Popen[bytes] | None = None
    with log.open("w") as server_log, (run_dir / "visitors.log").open("w") as visitors_log:
        server = subprocess.Popen(
            gunicorn_argv(f"127.0.0.1:{port}", WORKERS, 120),
            env=env,
            stdout=server_log,
            stderr=server_log,
        )
        try:
            wait_until_up(host, server)
            visitors = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.load_users",
                    *("--host", host, "--plan", str(run_dir / "plan.json")),
                    *("--users", str(users), "--seconds", str(seconds)),
                    *("--out", str(run_dir / "stats.json")),
                ],
                env=env,
                stdout=visitors_log,
                stderr=visitors_log,
            )
            started = time.monotonic()
            time.sleep(min(LOAD_AFTER_S, seconds / 4))
            load = load_file(upload, env, started)
            visitors.wait(timeout=seconds + 120)
        finally:
            if visitors is not None and visitors.poll() is None:
                visitors.terminate()
                visitors.wait(timeout=30)
            server.terminate()
            server.wait(timeout=30)
    if visitors.returncode != 0:
        raise RuntimeError(f"les visiteurs simulés ont échoué : voir {run_dir / 'visitors.log'}")
    stats = json.loads((run_dir / "stats.json").read_text())
    result = outcome(scope, users, stats, {**load, "rows": rows}, log)
    return {"machine_load_average_before": busy, **result}


def outcome(
    scope: str,
    users: int,
    stats: dict[str, Any],
    load: dict[str, Any],
    log: Path | None = None,
) -> dict[str, Any]:
    """The figures RESULTS.md shows: per page, then the errors (which must be none)."""
    visits = stats["visits"]
    requests = stats["requests"]
    pages: dict[str, Any] = {}
    for page, figures in visits.items():
        own = {name: row for name, row in requests.items() if name.startswith(f"{page} · ")}
        slowest = max(own.items(), key=lambda item: item[1]["p95_ms"] or 0, default=None)
        pages[page] = {
            "visits": figures["n"],
            "visit_p50_ms": figures["p50_ms"],
            "visit_p95_ms": figures["p95_ms"],
            "requests": sum(row["n"] + row["errors"] for row in own.values()),
            "request_errors": sum(row["errors"] for row in own.values()),
            "slowest_request_p95": f"{slowest[0]} {slowest[1]['p95_ms']} ms" if slowest else None,
        }
    causes = server_causes(log.read_text(errors="replace")) if log and log.exists() else {}
    errors = {}
    for row in stats["errors"]:
        cause = causes.get(row["reference"] or "")
        key = f"{row['request']} — {row['reason']}{f' [{cause}]' if cause else ''}"
        errors[f"{key} (ex. {row['address']})" if row.get("address") else key] = row["count"]
    if load["exit_code"] != 0 or load.get("status") != "committed":
        errors[f"suivi load (code {load['exit_code']}, {load.get('status')})"] = 1
    regions = scope_regions(parse_scope(scope))
    result: dict[str, Any] = {
        "scope": f"{scope} ({', '.join(regions)})" if regions and scope == "regions" else scope,
        "users": users,
        "workers": WORKERS,
        "seconds": stats["seconds"],
        "requests_total": stats["requests_total"],
        "error_count": sum(errors.values()),
        "pages": pages,
        "load": load,
    }
    if errors:
        result["errors"] = errors
    return result


def server_causes(log: str) -> dict[str, str]:
    """Error reference -> the exception line of its traceback in the server's log."""
    causes: dict[str, str] = {}
    reference = None
    for line in log.splitlines():
        if found := re.search(r"erreur (\w{12}) ", line):
            reference = found.group(1)
        elif reference and re.match(r"^[A-Za-z_.]*(Error|Exception)\b.*", line):
            causes[reference] = line.strip()[:160]
            reference = None
    return causes


def fresh_copy(scope: str) -> Path:
    """A copy of the scope's demo database, so each run starts from the same state."""
    source = scope_dir(scope) / "suivi.db"
    run_dir = WORK / f"load-{scope.replace(',', '-')}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{source}")
    with engine.connect() as connection:  # fold the write-ahead log into the file first
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    shutil.copy2(source, run_dir / "suivi.db")
    return run_dir


def browsing_plan(
    database: str, regions: tuple[str, ...] | None, rng: random.Random
) -> dict[str, Any]:
    """Journeys through the site, drawn once (``Random(42)``): territories of every level that
    hold values (the scope's), indicators of the whole catalogue (sparse ones too), programmes
    and measures."""
    catalogue = load_catalogue()
    engine = create_engine(database)
    with engine.connect() as connection:

        def codes(table: str, level: str) -> list[str]:
            query = text(
                f"SELECT DISTINCT territory_code FROM {table} "  # table: one of two fixed names
                "WHERE territory_code LIKE :prefix ORDER BY territory_code"
            )
            return [row[0] for row in connection.execute(query, {"prefix": f"{level}:%"})]

        places = {level: codes("observation", level) for level in ("DEP", "EPCI", "COM")}
        in_scope = [f"REG:{code}" for code in regions or ()]
        places["REG"] = in_scope or codes("computed_value", "REG")
    engine.dispose()
    indicators = sorted(catalogue.indicators)
    programmes = sorted(catalogue.programmes)
    measures = sorted(catalogue.measures)

    def pick(level: str) -> str:
        return rng.choice(places[level])

    journeys = []
    for _ in range(60):
        code = rng.choice(indicators)
        dep = pick("DEP")
        journeys += [
            [
                ("accueil", "/"),
                ("territoire", f"/territoire/{dep}"),
                ("territoire", f"/territoire/{pick('COM')}?indicateur={code}"),
                ("indicateur", f"/indicateur/{code}"),
            ],
            [
                ("carte", f"/carte?indicateur={code}&niveau=DEP"),
                ("carte", f"/carte?indicateur={code}&niveau=COM&dans={dep}"),
                ("territoire", f"/territoire/{pick('EPCI')}?indicateur={code}"),
            ],
            [
                ("programmes", "/programmes"),
                ("programme", f"/programmes/{rng.choice(programmes)}"),
                ("territoire", f"/territoire/{pick('REG')}?indicateur={code}"),
            ],
            [
                ("indicateurs", "/indicateurs"),
                ("indicateur", f"/indicateur/{code}"),
                ("evaluation", f"/evaluation?mesure={rng.choice(measures)}"),
            ],
        ]
    return {"journeys": journeys}


def revised_file(database: str, indicator: str, path: Path) -> int:
    """A partner's file revising every commune value of ``indicator`` (+2 %, long format)."""
    engine = create_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT territory_code, period, value FROM observation "
                "WHERE indicator_code = :code AND value_type = 'valeur' AND status = 'ok' "
                "AND value IS NOT NULL AND territory_code LIKE 'COM:%' "
                "ORDER BY territory_code, period"
            ),
            {"code": indicator},
        ).all()
    engine.dispose()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["indicateur", "territoire", "periode", "valeur"])
        for territory, period, value in rows:
            revised = f"{round(value * 1.02 + 1)}"
            writer.writerow([indicator, territory.removeprefix("COM:"), period, revised])
    return len(rows)


def load_file(upload: Path, env: dict[str, str], started: float) -> dict[str, Any]:
    """``suivi load`` on the served database, timed from the start of the visits."""
    began = time.monotonic() - started
    command = [sys.executable, "-c", "from dashboard.cli import main; main()"]
    process = subprocess.run(
        [*command, "load", str(upload), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    ended = time.monotonic() - started
    result: dict[str, Any] = {
        "started_at_s": round(began, 1),
        "ended_at_s": round(ended, 1),
        "exit_code": process.returncode,
    }
    try:
        report = json.loads(process.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        result["message"] = (process.stderr or process.stdout).strip()[-300:]
        return result
    result["status"] = report.get("status")
    for key in ("rows_read", "created", "updated", "unchanged", "rejected"):
        result[key] = report.get(key)
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(host: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(240):
        if server.poll() is not None:
            raise RuntimeError("gunicorn s'est arrêté au démarrage (voir gunicorn.log)")
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("le serveur du test de charge n'a pas démarré")
