"""``suivi catalogue check``, ``list`` and ``import``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from indicators.catalogue import (
    Catalogue,
    Level,
    Periodicity,
    load_catalogue,
    render_catalogue_list,
    validate_catalogue,
)
from indicators.catalogue.edits import deployed_catalogue, settings_engine, stored_edits
from indicators.catalogue.export import ExportError, export_catalogue
from indicators.catalogue.listing import LIST_FORMATS
from indicators.catalogue.loader import catalogue_directory
from indicators.catalogue.tables import TableEdit
from indicators.config import load_settings
from indicators.french import plural
from indicators.ingest import MEGABYTE, UploadedFile
from indicators.ingest.catalogue_cells import ImportDefaults
from indicators.ingest.catalogue_files import (
    codes_in,
    indicators_file_name,
    write_catalogue_import,
)
from indicators.ingest.catalogue_import import import_indicator_table
from indicators.ingest.reading import read_source
from indicators.ingest.table_schema import long_format_schema
from indicators.ingest.templates import DEFAULT_LEVELS, expected_territories, partner_template
from indicators.territories import load_referential

DIRECTORY = click.option(
    "--dossier",
    "--dir",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Dossier du catalogue, ses fichiers seuls (défaut : le catalogue en service, les "
    "fichiers de SUIVI_CATALOGUE_DIR — sinon ceux de démonstration — et les définitions "
    "modifiées sur les pages d'administration).",
)


def _catalogue(directory: Path | None) -> Catalogue:
    """A directory's files alone, or the catalogue in service (files and web edits)."""
    return load_catalogue(directory) if directory else deployed_catalogue(load_settings())


def _web_edits() -> list[TableEdit]:
    engine = settings_engine(load_settings())
    if engine is None:
        return []
    try:
        return stored_edits(engine)
    finally:
        engine.dispose()


DEFINITION, DEFINITIONS = "définition modifiée", "définitions modifiées"


@click.group()
def catalogue() -> None:
    """Catalogue des indicateurs, mesures, programmes et partenaires."""


@catalogue.command()
@DIRECTORY
def check(directory: Path | None) -> None:
    """Valide le catalogue ; chaque erreur s'affiche « fichier:ligne: message » (code 1).

    Sans --dossier : le catalogue en service, définitions modifiées en ligne comprises."""
    edits = [] if directory else _web_edits()
    errors = validate_catalogue(directory, edits)
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        click.echo(f"{plural(len(errors), 'erreur')} dans le catalogue.", err=True)
        raise SystemExit(1)
    loaded = load_catalogue(directory, edits)
    online = f", dont {plural(len(edits), DEFINITION, DEFINITIONS)} en ligne" if edits else ""
    click.echo(
        f"Catalogue valide : {len(loaded.indicators)} indicateurs, {len(loaded.measures)} "
        f"mesures, {len(loaded.programmes)} programmes, {len(loaded.partners)} "
        f"partenaires{online}."
    )


@catalogue.command("export")
@click.option(
    "--to",
    "--vers",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Dossier à écrire (nouveau ou vide).",
)
def export(out: Path) -> None:
    """Écrit le catalogue en service en fichiers : ceux de SUIVI_CATALOGUE_DIR (ou de
    démonstration), chaque définition modifiée en ligne remplacée à sa place, les nouvelles
    ajoutées. Le dossier écrit se vérifie par « suivi catalogue check --dossier » et peut
    devenir le nouveau SUIVI_CATALOGUE_DIR. Code 1 : dossier écrit invalide."""
    edits = _web_edits()
    try:
        written = export_catalogue(catalogue_directory(), edits, out)
    except ExportError as error:
        raise click.UsageError(str(error)) from None
    click.echo(
        f"{plural(len(written), 'fichier écrit', 'fichiers écrits')} dans {out}, avec "
        f"{plural(len(edits), DEFINITION, DEFINITIONS)} en ligne."
    )
    check_written(out)


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
    click.echo(render_catalogue_list(_catalogue(directory), output_format), nl=False)


@catalogue.command("schema")
@DIRECTORY
def schema(directory: Path | None) -> None:
    """Écrit le Table Schema (Frictionless) du format long pour ce catalogue, en JSON ; celui
    du catalogue de démonstration est data/schemas/valeurs.json, servi par /schemas/valeurs.json."""
    descriptor = long_format_schema(_catalogue(directory))
    click.echo(json.dumps(descriptor, ensure_ascii=False, indent=2))


@catalogue.command("template")
@click.argument("partner")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="Format du modèle.",
)
@click.option(
    "--levels",
    default=",".join(DEFAULT_LEVELS),
    show_default=True,
    help="Niveaux des territoires attendus (tous ceux du référentiel à ces niveaux).",
)
@click.option("--periods", type=click.IntRange(1, 12), default=1, show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Fichier à écrire.",
)
def template(partner: str, fmt: str, levels: str, periods: int, out: Path) -> None:
    """Écrit le modèle à remplir d'un partenaire : ses indicateurs × les territoires attendus ×
    les périodes dues (format long, valeurs vides) ; il se charge tel quel."""
    settings = load_settings()
    wanted = {code.strip().upper() for code in levels.split(",") if code.strip()}
    territories = expected_territories(load_referential(settings.reference_dir), wanted)
    try:
        data = partner_template(
            deployed_catalogue(settings),
            partner.upper(),
            territories,
            date.today(),
            fmt,
            periods,  # type: ignore[arg-type]
        )
    except KeyError as error:
        raise click.UsageError(str(error.args[0])) from None
    out.write_bytes(data)
    click.echo(f"Modèle écrit : {out} ({len(data)} octets).")


@catalogue.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier du catalogue à écrire (défaut : SUIVI_CATALOGUE_DIR) ; s'il ne contient pas "
    "encore de catalogue, celui en service y est d'abord copié.",
)
@click.option("--partner", help="Partenaire des lignes sans producteur (code, ex. DITP).")
@click.option("--measure", "measures", multiple=True, help="Mesure de rattachement (ex. M1).")
@click.option("--programme", "programmes", multiple=True, help="Programme de rattachement.")
@click.option("--theme", help="Thème des lignes qui n'en donnent pas (défaut : le premier).")
@click.option(
    "--periodicity",
    type=click.Choice([p.value for p in Periodicity]),
    default="annual",
    show_default=True,
    help="Périodicité des lignes qui n'en donnent pas.",
)
@click.option(
    "--levels",
    default=",".join(DEFAULT_LEVELS),
    show_default=True,
    help="Niveaux de publication des lignes qui n'en donnent pas.",
)
@click.option("--prefix", default="", help="Préfixe des codes créés (ex. BARO_).")
@click.option("--sheet", help="Feuille d'un classeur XLSX (défaut : la première).")
def import_table(
    table: Path,
    out: Path | None,
    partner: str | None,
    measures: tuple[str, ...],
    programmes: tuple[str, ...],
    theme: str | None,
    periodicity: str,
    levels: str,
    prefix: str,
    sheet: str | None,
) -> None:
    """Crée les fichiers du catalogue à partir d'un tableau de métadonnées d'indicateurs (CSV ou
    XLSX, une ligne par indicateur : identifiant, libellé, unité, périodicité, sens,
    description, producteur). Chaque ligne non reprise est signalée ; un producteur inconnu
    devient un nouveau partenaire. Code 0 : catalogue écrit et valide ; 1 : catalogue invalide ;
    2 : erreur d'utilisation."""
    settings = load_settings()
    target = out or settings.catalogue_dir
    if target is None:
        raise click.UsageError(
            "précisez --out (ou SUIVI_CATALOGUE_DIR) : le catalogue livré avec l'application "
            "ne se modifie pas"
        )
    base = catalogue_directory()
    file_name = indicators_file_name(table.name)
    in_place = (target / "partners.toml").exists()
    current = load_catalogue(target if in_place else base)
    try:
        level_list = tuple(Level(code.strip().upper()) for code in levels.split(",") if code)
        source = read_source(
            UploadedFile.from_path(table), max_bytes=settings.max_upload_mb * MEGABYTE, sheet=sheet
        )
    except ValueError as error:  # SourceError too
        raise click.UsageError(str(error)) from None
    defaults = ImportDefaults(
        partner=partner.upper() if partner else None,
        measures=measures,
        programmes=programmes,
        theme=theme,
        periodicity=Periodicity(periodicity),
        levels=level_list,
        prefix=prefix,
    )
    result = import_indicator_table(
        source, current, defaults, replaced=codes_in(target / file_name)
    )
    for issue in result.issues:
        where = f"ligne {issue.line}" if issue.line else "fichier"
        column = f" [{issue.column}]" if issue.column else ""
        kind = "non repris" if issue.is_error else "note"
        click.echo(f"{where}{column} ({kind}) : {issue.message}", err=True)
    if not result.indicators:
        click.echo("Aucun indicateur à écrire.", err=True)
        raise SystemExit(1)
    written = write_catalogue_import(result, base, target, file_name, table.name)
    click.echo(
        f"{plural(len(result.indicators), 'indicateur')} et "
        f"{plural(len(result.partners), 'partenaire')} écrits "
        f"({', '.join(str(path) for path in written)}) ; "
        f"{plural(result.skipped, 'ligne non reprise', 'lignes non reprises')}."
    )
    check_written(target)


def check_written(directory: Path) -> None:
    """Validate a catalogue folder this command just wrote: its errors on stderr and exit 1,
    or « Catalogue valide »."""
    errors = validate_catalogue(directory)
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        click.echo(f"{plural(len(errors), 'erreur')} dans le catalogue écrit.", err=True)
        raise SystemExit(1)
    click.echo(f"Catalogue valide : {directory}")
