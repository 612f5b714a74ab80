"""``suivi load``: check and load an indicator file (``loads.py`` holds its history,
``profiles.py`` the import profiles that read partners' own layouts).

Contract of ``suivi load`` (scripts rely on it): with ``--json`` one JSON object on stdout
(``load_id``, ``status``, ``rows_read``, ``created``, ``updated``, ``unchanged``, ``rejected``,
``warnings``, ``issues`` of ``line``, ``column``, ``code``, ``value``, ``message``; and a few more);
exit code 0 when the file was (or would be) loaded, 1 when it was refused, 2 on usage errors.
Progress goes to stderr, never to stdout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from dashboard.cli.identity import cli_username
from dashboard.cli.ingest_common import (
    CHANGES_SHOWN,
    ISSUES_SHOWN,
    ProgressBars,
    check_partner,
    named_profile,
    progress_bars,
)
from indicators.accounts import record_event
from indicators.catalogue import Catalogue
from indicators.catalogue.edits import deployed_catalogue
from indicators.config import Settings, load_settings
from indicators.french import stored_value_text
from indicators.ingest import (
    COMBINE_POLICIES,
    MEGABYTE,
    Analysis,
    Combine,
    LoadOptions,
    LoadOutcome,
    UploadedFile,
    analyse,
    commit_analysis,
    corrections_csv,
    load_payload,
    summary_lines,
)
from indicators.store import engine_for
from indicators.territories.referential import load_referential


@click.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--profile", "profile_name", help="Profil d'import (nom ou numéro).")
@click.option("--partner", help="Code du partenaire qui envoie le fichier (ex. ANCT).")
@click.option("--dry-run", is_flag=True, help="Analyse le fichier sans rien enregistrer.")
@click.option("--json", "as_json", is_flag=True, help="Compte rendu en un objet JSON sur stdout.")
@click.option(
    "--accept-partial", is_flag=True, help="Charge les lignes valides, rejette les autres."
)
@click.option(
    "--replace-scope",
    is_flag=True,
    help="Retire les valeurs du périmètre du fichier (indicateurs × territoires × périodes) "
    "qu'il ne contient plus.",
)
@click.option("--sheet", help="Feuille d'un classeur XLSX (défaut : la première).")
@click.option(
    "--corrections",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Écrit les lignes à corriger dans ce fichier CSV.",
)
@click.option(
    "--combine",
    type=click.Choice(COMBINE_POLICIES),
    help="Plusieurs lignes pour un même indicateur, territoire et période : error (refusées), "
    "sum (additionnées), last (dernière date de la période), mean (moyenne). Remplace le "
    "« combine » du profil.",
)
def load(
    file: Path,
    profile_name: str | None,
    partner: str | None,
    dry_run: bool,
    as_json: bool,
    accept_partial: bool,
    replace_scope: bool,
    sheet: str | None,
    corrections: Path | None,
    combine: Combine | None,
) -> None:
    """Charge un fichier d'indicateurs (CSV ou XLSX) : format long, format large ou profil.

    Le fichier est refusé s'il contient une erreur, sauf --accept-partial. Code de sortie :
    0 chargé (ou chargeable avec --dry-run), 1 refusé, 2 erreur d'utilisation.
    """
    settings = load_settings()
    engine = engine_for(settings)
    catalogue = deployed_catalogue(settings)
    referential = load_referential(settings.reference_dir)
    max_bytes = settings.max_upload_mb * MEGABYTE
    options = LoadOptions(accept_partial, replace_scope, sheet, max_bytes, combine)
    upload = UploadedFile.from_path(file, max_bytes)
    with progress_bars() as progress:
        with Session(engine) as session:
            check_partner(session, partner)
            profile = named_profile(session, profile_name, partner)
            analysis = analyse(
                upload,
                catalogue=catalogue,
                referential=referential,
                session=session,
                profile=profile,
                partner_code=partner,
                options=options,
                progress=progress,
            )
        outcome = None
        if not dry_run:
            outcome = _commit(engine, analysis, catalogue, settings, partner, progress)
    final = outcome.analysis if outcome else analysis
    if corrections is not None:
        corrections.write_bytes(corrections_csv(final))
    if as_json:
        click.echo(json.dumps(load_payload(final, outcome), ensure_ascii=False))
    else:
        _print_report(final, outcome)
        if corrections is not None:
            click.echo(f"Lignes à corriger écrites dans {corrections}.")
    if final.verdict == "refused":
        raise SystemExit(1)


def _commit(
    engine: Any,
    analysis: Analysis,
    catalogue: Catalogue,
    settings: Settings,
    partner: str | None,
    progress: ProgressBars,
) -> LoadOutcome:
    with Session(engine) as session, session.begin():
        outcome = commit_analysis(
            session,
            analysis,
            catalogue=catalogue,
            raw_dir=settings.raw_files_dir,
            username=cli_username(),
            partner_code=partner,
            progress=progress,
        )
        record_event(
            session,
            "load",
            username=cli_username(),
            load_id=outcome.load_id,
            status=outcome.status,
            filename=analysis.upload.filename,
            partner=partner,
            counts=outcome.counts,
        )
        return outcome


def _print_report(analysis: Analysis, outcome: LoadOutcome | None) -> None:
    for line in summary_lines(analysis, outcome)[:-1]:
        click.echo(line)
    issues = analysis.issues
    for issue in issues[:ISSUES_SHOWN]:
        where = f"ligne {issue.line}" if issue.line else "fichier"
        column = f", colonne « {issue.column} »" if issue.column else ""
        kind = "" if issue.is_error else " (avertissement)"
        click.echo(f"  {where}{column} [{issue.code}]{kind} {issue.message}")
    if len(issues) > ISSUES_SHOWN:
        click.echo(
            f"  … et {len(issues) - ISSUES_SHOWN} autres (--json ou --corrections pour tout voir)."
        )
    changed = analysis.changes_table(("updated", "withdrawn"))
    if not changed.empty:
        title = "Valeurs modifiées" if outcome else "Valeurs qui seraient modifiées"
        click.echo(f"{title} ({min(len(changed), CHANGES_SHOWN)} sur {len(changed)}) :")
        for row in changed.head(CHANGES_SHOWN).itertuples(index=False):
            click.echo(
                f"  {row.indicator} {row.territory} {row.period} {row.value_type} : "
                f"{stored_value_text(row.old_value, row.old_status)} -> "
                f"{stored_value_text(row.value, row.status)}"
            )
    verdict = summary_lines(analysis, outcome)[-1]
    click.echo(verdict, err=analysis.verdict == "refused")
