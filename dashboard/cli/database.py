"""``suivi init`` and ``suivi check``: create or upgrade the database, and report its health."""

from __future__ import annotations

import click

from indicators.config import load_settings
from indicators.store import database_status, make_engine, upgrade_database


@click.command()
def init() -> None:
    """Crée ou met à jour la base (migrations), puis charge le référentiel et le catalogue."""
    settings = load_settings()
    engine = make_engine(settings.effective_database_url)
    revision = upgrade_database(engine)
    click.echo(f"Base à jour (révision {revision}) : {engine.url.render_as_string()}")


@click.command()
def check() -> None:
    """Vérifie la configuration et l'état de la base ; code 1 si quelque chose ne va pas."""
    settings = load_settings()
    engine = make_engine(settings.effective_database_url)
    click.echo(f"Base : {engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Cache : {settings.cache_type} {settings.cache_url}".rstrip())
    status = database_status(engine)
    healthy = True
    if not status.reachable:
        click.echo(f"Erreur : base injoignable ({status.error})", err=True)
        healthy = False
    elif status.revision is None:
        click.echo("Erreur : base non initialisée — lancez « suivi init ».", err=True)
        healthy = False
    elif not status.up_to_date:
        click.echo(
            f"Erreur : schéma en retard (révision {status.revision}) — lancez « suivi init ».",
            err=True,
        )
        healthy = False
    else:
        click.echo(f"Schéma : à jour (révision {status.revision})")
        click.echo(f"Version des données : {status.data_version}")
    if not healthy:
        raise SystemExit(1)
    click.echo("Tout est en ordre.")
