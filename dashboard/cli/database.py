"""``suivi init`` and ``suivi check``: create or upgrade the database, and report its health."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.catalogue.edits import catalogue_in_service
from indicators.catalogue.store_sync import sync_catalogue
from indicators.config import Settings, load_settings
from indicators.precompute import DataWrite, observed_periods, write_data
from indicators.store import database_status, engine_for, upgrade_database
from indicators.store.models import Observation
from indicators.territories.programme_lists import load_programme_lists, sync_programme_sets
from indicators.territories.referential import ReferentialError, load_referential
from indicators.territories.sync import sync_referential


def initialise(settings: Settings) -> list[str]:
    """Migrate, then sync the referential, the catalogue and the programmes' official member
    lists (``data/reference/programmes``); returns the lines to print.

    Idempotent: a second run changes nothing and says so. When a list changed the members of a
    programme that already has values, the aggregates over its members are computed again."""
    engine = engine_for(settings)
    revision = upgrade_database(engine)
    lines = [f"Base à jour (révision {revision}) : {engine.url.render_as_string()}"]
    try:
        referential = load_referential(settings.reference_dir)
    except ReferentialError as error:
        raise click.ClickException(
            f"{error} — le référentiel se reconstruit avec « make reference »"
        ) from None
    catalogue, _ = catalogue_in_service(engine, settings.catalogue_dir)  # files and web edits
    official = load_programme_lists(settings.reference_dir)
    programme_sets = {code: (p.membership_set, p.label) for code, p in catalogue.programmes.items()}

    def write(change: DataWrite) -> list[str]:
        territories = sync_referential(change.session, referential)
        definitions = sync_catalogue(change.session, catalogue)
        programmes = sync_programme_sets(change.session, official, programme_sets)
        has_values = change.session.scalar(select(Observation.id).limit(1)) is not None
        lines = [territories.summary(), definitions.summary()]
        lines.extend(programmes.lines or [programmes.summary()])
        if territories.created or territories.updated or (programmes.changed and has_values):
            # populations, typologies and members weigh every aggregate over a set
            change.changed_everything()
            if programmes.changed and has_values:
                lines.append(
                    "Agrégats sur les membres recalculés. Base de démonstration : relancez "
                    "« suivi demo » pour que ses valeurs suivent les nouveaux membres."
                )
        elif programmes.changed:
            change.changed({})  # members shown on pages: a new data version, nothing to compute
        elif definitions.versioned:
            # a new or changed definition: its values, computed from its inputs, and theirs
            codes = set(definitions.versioned)
            for code in definitions.versioned:
                codes.update(catalogue.indicators[code].dependencies)
            change.changed(observed_periods(change.session, codes))
        return lines

    with Session(engine) as session:
        lines += write_data(session, catalogue, write).result
    engine.dispose()
    return lines


@click.command()
def init() -> None:
    """Crée ou met à jour la base (migrations), puis charge le référentiel et le catalogue."""
    for line in initialise(load_settings()):
        click.echo(line)


@click.command()
def check() -> None:
    """Vérifie la configuration et l'état de la base ; code 1 si quelque chose ne va pas."""
    settings = load_settings()
    engine = engine_for(settings)
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
