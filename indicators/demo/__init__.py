"""Deterministic demonstration data: ``build_demo(engine, seed=42)``.

Generates plausible values for every base indicator of the catalogue over seven régions (or all
of France), for the programmes' official members (synthetic ones where no list is available),
test territories in staggered cohorts, injected effects documented in ``effects.toml``, and the
imperfections of real partner files. The rules are written down in data/README.md, « Données de
démonstration ».
"""

from indicators.demo.build import DemoReport, build_demo
from indicators.demo.effects import EFFECTS_FILE, Effect, EffectTable, load_effects
from indicators.demo.panel import DemoData, generate_demo
from indicators.demo.scope import DEMO_REGIONS, load_territories, scope_regions

__all__ = [
    "DEMO_REGIONS",
    "EFFECTS_FILE",
    "DemoData",
    "DemoReport",
    "Effect",
    "EffectTable",
    "build_demo",
    "generate_demo",
    "load_effects",
    "load_territories",
    "scope_regions",
]
