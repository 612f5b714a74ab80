"""The full-France database the benchmarks share: every commune, the demo's ~44 indicators
(about 11 million values), built once into ``benchmarks/.work/france`` and reused."""

from __future__ import annotations

import time
from pathlib import Path

from indicators.config import Settings, load_settings
from indicators.store import make_engine

WORK = Path(__file__).resolve().parent / ".work"
FRANCE_DIR = WORK / "france"
READY = FRANCE_DIR / "ready"


def france_settings() -> Settings:
    """Settings of the full-France database, building it first when absent (several minutes)."""
    settings = load_settings({}, var_dir=FRANCE_DIR, cache_type="simple", public=True)
    if not READY.exists():
        from dashboard.cli.database import initialise
        from indicators.demo import build_demo

        FRANCE_DIR.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        initialise(settings)
        report = build_demo(make_engine(settings.effective_database_url), seed=42, scope="france")
        READY.write_text(
            f"{report.summary()}\nconstruite en {time.perf_counter() - started:.0f} s\n"
        )
    return settings
