"""The databases the benchmarks share, built once under ``benchmarks/.work`` and reused.

``france_settings()``: every commune, the demo's ~44 indicators (about 11 million values).
``demo_settings(scope)``: the same demo over a smaller scope (``"regions"``, the seven régions of
``make run``; or région codes such as ``"53,94"``), for benchmarks that cannot afford the full
build on a shared machine (the load test).
"""

from __future__ import annotations

import time
from pathlib import Path

from indicators.config import Settings, load_settings
from indicators.store import make_engine

WORK = Path(__file__).resolve().parent / ".work"
FRANCE_DIR = WORK / "france"


def france_settings() -> Settings:
    """Settings of the full-France database, building it first when absent (several minutes)."""
    return demo_settings("france")


def scope_dir(scope: str) -> Path:
    """The folder of the demo database over ``scope``."""
    if scope == "france":
        return FRANCE_DIR
    return WORK / f"demo-{scope.replace(',', '-')}"


def parse_scope(scope: str) -> str | list[str]:
    """``"regions"`` and ``"france"`` as they are, ``"53,94"`` as a list of région codes."""
    return scope if scope in {"regions", "france"} else [c.strip() for c in scope.split(",")]


def demo_settings(scope: str) -> Settings:
    """Settings of the demo database over ``scope``, building it first when absent."""
    folder = scope_dir(scope)
    settings = load_settings({}, var_dir=folder, cache_type="simple", public=True)
    ready = folder / "ready"
    if not ready.exists():
        from dashboard.cli.database import initialise
        from indicators.demo import build_demo

        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        initialise(settings)
        engine = make_engine(settings.effective_database_url)
        report = build_demo(engine, seed=42, scope=parse_scope(scope))
        engine.dispose()
        seconds = time.perf_counter() - started
        ready.write_text(f"{report.summary()}\nconstruite en {seconds:.0f} s\n")
    return settings
