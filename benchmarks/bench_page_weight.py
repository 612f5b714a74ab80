"""Bytes each page transfers on a first visit (empty browser cache), compressed as served by
gunicorn, measured by headless Chromium's resource timing (issue: <= 2 MB per page)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request

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
        return {page: _weigh(page) for page in PAGES}
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
