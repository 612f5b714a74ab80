"""Bytes each page transfers on a first visit (empty browser cache), compressed as served by
gunicorn, measured by headless Chromium's resource timing (issue: <= 2 MB per page).

A page whose visit met an error (a request answered 4xx/5xx, the French notice of a failed
callback, an error card) is listed under ``errors`` with no figures, and the run exits non-zero."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

from benchmarks.checks import NOTICE_ID, PAGE_FAILED, BadResponse
from benchmarks.france import FRANCE_DIR, france_settings

PORT = 8099
PAGES = [
    "/",
    "/carte?indicateur=ACC_FS_TEMPS_ACCES&niveau=DEP",
    "/territoire/DEP:29",
    "/indicateurs",
    "/programmes",
]


def run() -> dict[str, object]:
    if not shutil.which("chromedriver"):
        return {"skipped": "chromedriver absent"}
    france_settings()
    env = {
        **os.environ,
        "SUIVI_VAR_DIR": str(FRANCE_DIR),
        "SUIVI_CACHE_TYPE": "simple",
        "SUIVI_PUBLIC": "1",  # the dashboards are read without an account
    }
    env.setdefault("SUIVI_SECRET_KEY", secrets.token_urlsafe(48))  # dashboard.wsgi requires one
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "dashboard.wsgi:server",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "--timeout",
            "120",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up()
        results: dict[str, object] = {}
        errors: dict[str, str] = {}
        for page in PAGES:
            try:
                results[page] = _weigh(page)
            except BadResponse as error:
                errors[page] = str(error)
        if errors:
            results["errors"] = errors
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up() -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("le serveur de mesure n'a pas démarré")


def _weigh(page: str) -> dict[str, object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1440,900",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    try:
        driver.get(f"http://127.0.0.1:{PORT}{page}")
        time.sleep(8)  # callbacks, async Plotly bundle and geometry
        entries = driver.execute_script(
            "return performance.getEntriesByType('navigation')"
            ".concat(performance.getEntriesByType('resource'))"
            ".map(e => [e.name, e.transferSize, e.decodedBodySize]);"
        )
        _check_visit(driver)
    finally:
        driver.quit()
    transferred = sum(size for _name, size, _decoded in entries)
    biggest = sorted(entries, key=lambda e: -e[1])[:3]
    return {
        "transferred_kb": round(transferred / 1024),
        "decoded_kb": round(sum(decoded for _n, _s, decoded in entries) / 1024),
        "requests": len(entries),
        "largest": [f"{name.split('/')[-1][:40]} {size // 1024} Ko" for name, size, _ in biggest],
    }


def _check_visit(driver: object) -> None:
    """The page loaded as an answer: no failed request, no error notice, no error card."""
    failed, notice, text = driver.execute_script(  # type: ignore[attr-defined]
        "const n = document.getElementById(arguments[0]);"
        "return [performance.getEntriesByType('navigation')"
        ".concat(performance.getEntriesByType('resource'))"
        ".filter(e => e.responseStatus >= 400).map(e => e.responseStatus + ' ' + e.name),"
        " n ? !n.hidden : false, document.body.innerText];",
        NOTICE_ID,
    )
    if failed:
        raise BadResponse(f"requêtes en erreur : {', '.join(failed[:3])}")
    if notice:
        raise BadResponse("notice d'erreur affichée (un callback a échoué)")
    if PAGE_FAILED in text:
        raise BadResponse("page en erreur")
