"""``suivi demo``: fill the database with deterministic demonstration data."""

from __future__ import annotations

import click

from indicators.config import load_settings
from indicators.store import engine_for, upgrade_database
from indicators.territories.programme_lists import load_programme_lists


@click.command()
@click.option("--seed", type=int, default=42, show_default=True, help="Graine du générateur.")
def demo(seed: int) -> None:
    """Remplace les données par un jeu de démonstration reproductible."""
    from indicators.demo import build_demo  # heavy: only when asked

    settings = load_settings()
    engine = engine_for(settings)
    upgrade_database(engine)
    official = load_programme_lists(settings.reference_dir)
    report = build_demo(engine, seed=seed, official=official)
    click.echo(report.summary())
