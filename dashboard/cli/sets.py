"""``suivi sets load`` and ``suivi sets list``: named territory sets from membership files."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indicators.catalogue.edits import deployed_catalogue
from indicators.config import load_settings
from indicators.precompute import DataWrite, write_data
from indicators.store import engine_for
from indicators.store.models import Membership, TerritorySet
from indicators.territories.referential import load_referential
from indicators.territories.set_store import SET_KINDS, Member, SetReport, replace_set_members
from indicators.territories.sets_file import SetFile, read_set_file

ISSUES_SHOWN = 20


@click.group()
def sets() -> None:
    """Ensembles de territoires : membres des programmes, territoires test et témoins."""


@sets.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--set", "slug", required=True, help="Identifiant de l'ensemble (ex. pvd, test-m1).")
@click.option("--nom", "name", help="Libellé de l'ensemble (défaut : l'identifiant).")
@click.option(
    "--type",
    "kind",
    type=click.Choice(SET_KINDS),
    default="programme",
    show_default=True,
    help="Nature de l'ensemble.",
)
@click.option(
    "--niveau",
    "level",
    type=click.Choice(["COM", "EPCI", "DEP", "REG"]),
    default="COM",
    show_default=True,
    help="Niveau des codes du fichier.",
)
@click.option("--colonne-code", "code_column", help="Colonne des codes (défaut : détectée).")
@click.option("--colonne-debut", "start_column", help="Colonne des dates d'entrée.")
@click.option("--colonne-fin", "end_column", help="Colonne des dates de sortie.")
@click.option("--dry-run", is_flag=True, help="Analyse le fichier sans rien enregistrer.")
@click.option("--json", "as_json", is_flag=True, help="Compte rendu en JSON.")
def load_set(
    file: Path,
    slug: str,
    name: str | None,
    kind: str,
    level: str,
    code_column: str | None,
    start_column: str | None,
    end_column: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Charge la liste des membres d'un ensemble (CSV ou GeoJSON de points) : elle remplace
    les membres actuels. Les codes inconnus sont signalés, ligne par ligne, et ignorés."""
    settings = load_settings()
    parsed = read_set_file(
        file,
        load_referential(settings.reference_dir),
        level=level,
        code_column=code_column,
        start_column=start_column,
        end_column=end_column,
    )
    summary = None
    if parsed.readable and parsed.members and not dry_run:
        engine = engine_for(settings)

        def write(change: DataWrite) -> SetReport:
            change.changed_everything()  # every aggregate over the set changes
            return replace_set_members(
                change.session,
                slug,
                [Member(m.code, m.start, m.end) for m in parsed.members],
                name=name,
                kind=kind,
                # replaces the description of a previous list (a demo list says it is invented)
                description=f"Liste chargée depuis le fichier « {file.name} ».",
                source=file.name,
            )

        with Session(engine) as session:
            summary = write_data(session, deployed_catalogue(settings), write).result.summary()
    _print_report(parsed, summary, dry_run, as_json)
    if not parsed.readable or not parsed.members:
        raise SystemExit(1)


def _print_report(parsed: SetFile, summary: str | None, dry_run: bool, as_json: bool) -> None:
    counts = parsed.counts
    if as_json:
        payload = {
            "status": "dry-run" if dry_run else ("loaded" if summary else "refused"),
            "rows_read": counts.rows_read,
            "matched": counts.matched,
            "mapped": counts.mapped,
            "unknown": counts.unknown,
            "empty": counts.empty,
            "duplicates": counts.duplicates,
            "members": len(parsed.members),
            "code_column": parsed.code_column,
            "issues": [
                {
                    "line": issue.line,
                    "column": issue.column,
                    "code": issue.code,
                    "value": issue.value,
                    "message": issue.message,
                    "severity": issue.severity,
                }
                for issue in parsed.issues
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{counts.rows_read} lignes lues (colonne des codes : {parsed.code_column or '—'}) : "
        f"{counts.matched} reconnues, {counts.mapped} rattachées, {counts.unknown} inconnues, "
        f"{counts.empty} vides, {counts.duplicates} doublons ; {len(parsed.members)} membres "
        f"({counts.match_rate:.2%} des lignes)."
    )
    for issue in parsed.issues[:ISSUES_SHOWN]:
        where = f"ligne {issue.line}" if issue.line else "fichier"
        column = f", colonne « {issue.column} »" if issue.column else ""
        click.echo(f"  {where}{column} [{issue.code}] {issue.message}")
    if len(parsed.issues) > ISSUES_SHOWN:
        click.echo(f"  … et {len(parsed.issues) - ISSUES_SHOWN} autres (--json pour tout voir).")
    if dry_run:
        click.echo("Essai à blanc : rien n'a été enregistré.")
    elif summary:
        click.echo(summary)
    else:
        click.echo("Aucun membre exploitable : rien n'a été enregistré.", err=True)


@sets.command("list")
def list_sets() -> None:
    """Liste les ensembles avec leur nombre de membres."""
    engine = engine_for(load_settings())
    with Session(engine) as session:
        rows = session.execute(
            select(TerritorySet.slug, TerritorySet.name, TerritorySet.kind, func.count())
            .join(Membership, Membership.set_id == TerritorySet.id, isouter=True)
            .group_by(TerritorySet.slug, TerritorySet.name, TerritorySet.kind)
            .order_by(TerritorySet.slug)
        ).all()
    if not rows:
        click.echo("Aucun ensemble. Chargez-en un avec « suivi sets load FICHIER --set NOM ».")
    for slug, name, kind, count in rows:
        click.echo(f"{slug}\t{kind}\t{count} membres\t{name}")
