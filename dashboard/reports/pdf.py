"""HTML to PDF with headless Chromium's own printer, when Chromium is installed.

Chromium runs the report's scripts (the Plotly charts) before printing; the virtual time budget
lets them finish without a fixed sleep. Without Chromium, PDF export is simply unavailable and
the page says so; the HTML report is always available.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


class PdfUnavailable(RuntimeError):
    """Chromium is missing or failed; the message is French and says what to do."""


def chromium_path() -> str | None:
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def pdf_available() -> bool:
    return chromium_path() is not None


def html_to_pdf(html: str) -> bytes:
    browser = chromium_path()
    if browser is None:
        raise PdfUnavailable(
            "Export PDF indisponible : Chromium n'est pas installé sur le serveur "
            "(paquet Debian « chromium »). Le rapport HTML, lui, "
            "s'imprime depuis n'importe quel navigateur."
        )
    with tempfile.TemporaryDirectory(prefix="suivi-pdf-") as folder:
        source, target = Path(folder) / "rapport.html", Path(folder) / "rapport.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",  # the server may run as root in a container
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--virtual-time-budget=20000",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable(
                f"Export PDF interrompu : Chromium n'a pas fini en {TIMEOUT_S} s."
            ) from error
        if not target.exists() or target.stat().st_size == 0:
            raise PdfUnavailable("Export PDF impossible : Chromium n'a produit aucun fichier.")
        return target.read_bytes()
