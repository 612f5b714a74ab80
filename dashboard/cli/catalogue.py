"""``suivi catalogue check`` and ``suivi catalogue list``."""

from __future__ import annotations

from pathlib import Path

import click

from indicators.catalogue import load_catalogue, render_catalogue_list, validate_catalogue
from indicators.catalogue.listing import LIST_FORMATS

DIRECTORY = click.option(
    "--dossier",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Dossier du catalogue (défaut : celui livré avec l'application).",
)


@click.group()
def catalogue() -> None:
    """Catalogue des indicateurs, mesures, programmes et partenaires."""


@catalogue.command()
@DIRECTORY
def check(directory: Path | None) -> None:
    """Valide les fichiers ; chaque erreur s'affiche « fichier:ligne: message » (code 1)."""
    errors = validate_catalogue(directory)
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        click.echo(f"{len(errors)} erreur(s) dans le catalogue.", err=True)
        raise SystemExit(1)
    loaded = load_catalogue(directory)
    click.echo(
        f"Catalogue valide : {len(loaded.indicators)} indicateurs, {len(loaded.measures)} "
        f"mesures, {len(loaded.programmes)} programmes, {len(loaded.partners)} partenaires."
    )


@catalogue.command("list")
@DIRECTORY
@click.option(
    "--format",
    "output_format",
    type=click.Choice(LIST_FORMATS),
    default="csv",
    show_default=True,
    help="Format de sortie.",
)
def list_indicators(directory: Path | None, output_format: str) -> None:
    """Liste les indicateurs : en CSV un résumé (code, libellé, unité, périodicité, niveaux,
    mesures, programmes, partenaire) ; en JSON la définition complète de chacun."""
    click.echo(render_catalogue_list(load_catalogue(directory), output_format), nl=False)
