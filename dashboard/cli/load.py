"""``suivi load``, ``suivi loads …`` and ``suivi profiles …``: indicator files, their loads and the
import profiles that read partners' own layouts.

Contract of ``suivi load`` (scripts rely on it): with ``--json`` one JSON object on stdout
(``load_id``, ``status``, ``rows_read``, ``created``, ``updated``, ``unchanged``, ``rejected``,
``warnings``, ``issues`` of ``line``, ``column``, ``code``, ``value``, ``message``; and a few more);
exit code 0 when the file was (or would be) loaded, 1 when it was refused, 2 on usage errors.
Progress goes to stderr, never to stdout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.cli.identity import cli_username
from indicators.accounts import record_event
from indicators.catalogue import Catalogue
from indicators.catalogue.edits import deployed_catalogue
from indicators.config import Settings, load_settings
from indicators.ingest import (
    COMBINE_POLICIES,
    MEGABYTE,
    Analysis,
    Combine,
    LoadOptions,
    LoadOutcome,
    ProfileError,
    ProfileNotFound,
    ProgressEvent,
    RollbackRefused,
    StoredProfile,
    UploadedFile,
    analyse,
    commit_analysis,
    corrections_csv,
    delete_profile,
    get_load,
    get_profile,
    list_loads,
    list_profiles,
    load_effects,
    load_issues,
    load_payload,
    preview_upload,
    rollback_load,
    save_profile,
    summary_lines,
)
from indicators.store import engine_for
from indicators.store.models import Partner
from indicators.territories.referential import load_referential

ISSUES_SHOWN = 20
CHANGES_SHOWN = 10


class _ProgressBars:
    """One click progress bar per stage, on stderr."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None
        self.done = 0

    def __call__(self, event: ProgressEvent) -> None:
        if event.stage != self.stage:
            self.close()
            self.stage, self.done = event.stage, 0
            self.bar = click.progressbar(
                length=max(event.total, 1), label=event.label, file=sys.stderr
            )
            self.bar.__enter__()
        if event.done > self.done:
            self.bar.update(event.done - self.done)
            self.done = event.done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextmanager
def _progress() -> Iterator[_ProgressBars]:
    bars = _ProgressBars()
    try:
        yield bars
    finally:
        bars.close()


def _check_partner(session: Session, partner: str | None) -> None:
    if partner is not None and session.get(Partner, partner) is None:
        known = ", ".join(sorted(session.scalars(select(Partner.code))))
        raise click.UsageError(f"partenaire inconnu : {partner} (partenaires : {known or '—'})")


def _profile(session: Session, name: str | None, partner: str | None) -> StoredProfile | None:
    if name is None:
        return None
    try:
        return get_profile(session, name, partner)
    except ProfileNotFound as error:
        raise click.UsageError(str(error)) from None
    except ProfileError as error:
        raise click.UsageError(f"profil « {name} » illisible : {error}") from None


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
    with _progress() as progress:
        with Session(engine) as session:
            _check_partner(session, partner)
            profile = _profile(session, profile_name, partner)
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
    progress: _ProgressBars,
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
                f"{_shown(row.old_value, row.old_status)} -> {_shown(row.value, row.status)}"
            )
    verdict = summary_lines(analysis, outcome)[-1]
    click.echo(verdict, err=analysis.verdict == "refused")


def _shown(value: object, status: object) -> str:
    if not isinstance(status, str):  # no stored value before
        return "—"
    if status != "ok":
        return status
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- suivi loads ------------------------------------------------------------------------------


@click.group()
def loads() -> None:
    """Historique des chargements : liste, détail, annulation."""


@loads.command("list")
@click.option("--partner", help="Seulement les chargements de ce partenaire.")
@click.option("--limit", type=int, default=50, show_default=True, help="Nombre de chargements.")
@click.option("--json", "as_json", is_flag=True, help="Liste en JSON.")
def list_command(partner: str | None, limit: int, as_json: bool) -> None:
    """Liste les derniers chargements avec leurs effets."""
    engine = engine_for(load_settings())
    with Session(engine) as session:
        summaries = list_loads(session, partner_code=partner, limit=limit)
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in summaries], ensure_ascii=False))
        return
    if not summaries:
        click.echo("Aucun chargement. Chargez un fichier avec « suivi load FICHIER ».")
    for s in summaries:
        when = s.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(
            f"{s.id}\t{when}\t{s.status}\t{s.partner_code or '—'}\t{s.filename}\t"
            f"{s.created} créées, {s.updated} modifiées, {s.unchanged} inchangées, "
            f"{s.withdrawn} retirées, {s.rejected} rejetées"
        )


@loads.command("show")
@click.argument("load_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Détail en JSON.")
def show_command(load_id: int, as_json: bool) -> None:
    """Détail d'un chargement : fichier, effets, anomalies et valeurs modifiées."""
    engine = engine_for(load_settings())
    with Session(engine) as session:
        summary = get_load(session, load_id)
        if summary is None:
            raise click.UsageError(f"chargement n°{load_id} introuvable")
        issues = load_issues(session, load_id)
        effects = load_effects(session, load_id, limit=CHANGES_SHOWN)
    if as_json:
        payload = summary.as_dict() | {"issues": [issue.as_dict() for issue in issues]}
        click.echo(json.dumps(payload, ensure_ascii=False, default=str))
        return
    click.echo(f"Chargement n°{summary.id} : {summary.filename} ({summary.status})")
    click.echo(f"  par {summary.username or '—'}, partenaire {summary.partner_code or '—'}")
    click.echo(f"  le {summary.created_at:%Y-%m-%d %H:%M}, sha256 {summary.sha256}")
    if summary.rollback_of:
        click.echo(f"  annulation du chargement n°{summary.rollback_of}")
    click.echo(
        f"  {summary.rows_read} lignes lues : {summary.created} créées, {summary.updated} "
        f"modifiées, {summary.unchanged} inchangées, {summary.withdrawn} retirées, "
        f"{summary.rejected} rejetées, {summary.warnings} avertissements"
    )
    for issue in issues[:ISSUES_SHOWN]:
        where = f"ligne {issue.line}" if issue.line else "fichier"
        click.echo(f"  {where} [{issue.code}] {issue.message}")
    if len(issues) > ISSUES_SHOWN:
        click.echo(f"  … et {len(issues) - ISSUES_SHOWN} autres anomalies (--json).")
    for row in effects.itertuples(index=False):
        click.echo(
            f"  {row.action} {row.indicator} {row.territory} {row.period} {row.value_type} : "
            f"{_shown(row.old_value, row.old_status)} -> {_shown(row.value, row.status)}"
        )


@loads.command("rollback")
@click.argument("load_id", type=int)
def rollback_command(load_id: int) -> None:
    """Annule un chargement : chaque valeur qu'il a écrite retrouve sa valeur précédente.

    Refusé si un chargement plus récent a modifié les mêmes valeurs (annulez-le d'abord).
    """
    settings = load_settings()
    engine = engine_for(settings)
    catalogue = deployed_catalogue(settings)
    try:
        with _progress() as progress, Session(engine) as session, session.begin():
            outcome = rollback_load(
                session, load_id, catalogue=catalogue, username=cli_username(), progress=progress
            )
            record_event(
                session,
                "rollback",
                username=cli_username(),
                load_id=load_id,
                rollback_load_id=outcome.load_id,
            )
    except RollbackRefused as error:
        click.echo(f"Erreur : {error}", err=True)
        raise SystemExit(1) from None
    click.echo(outcome.summary())


# --- suivi profiles ---------------------------------------------------------------------------


@click.group()
def profiles() -> None:
    """Profils d'import : comment lire les fichiers propres à chaque partenaire."""


@profiles.command("list")
@click.option("--partner", help="Seulement les profils de ce partenaire.")
def profiles_list(partner: str | None) -> None:
    """Liste les profils d'import."""
    engine = engine_for(load_settings())
    with Session(engine) as session:
        found = list_profiles(session, partner)
    if not found:
        click.echo("Aucun profil. Enregistrez-en un avec « suivi profiles save PROFIL.json ».")
    for stored in found:
        recognised = "reconnu par son en-tête" if stored.header_signature else "sur demande"
        click.echo(
            f"{stored.id}\t{stored.partner_code or '—'}\t{stored.name}\t{recognised}\t"
            f"{len(stored.profile.values)} colonnes de valeurs"
        )


@profiles.command("show")
@click.argument("name")
@click.option("--partner", help="Partenaire du profil (si plusieurs portent ce nom).")
def profiles_show(name: str, partner: str | None) -> None:
    """Affiche le document JSON d'un profil (nom ou numéro)."""
    engine = engine_for(load_settings())
    with Session(engine) as session:
        stored = _profile(session, name, partner)
    assert stored is not None
    click.echo(json.dumps(stored.document, ensure_ascii=False, indent=2))


@profiles.command("save")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partner", help="Partenaire propriétaire du profil.")
@click.option("--name", help="Nom du profil (défaut : la clé « name » du document).")
@click.option(
    "--header-from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fichier exemple : son en-tête fera reconnaître le profil automatiquement.",
)
def profiles_save(
    file: Path, partner: str | None, name: str | None, header_from: Path | None
) -> None:
    """Enregistre (ou remplace) un profil d'import décrit par un document JSON (voir README)."""
    try:
        document = json.loads(file.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise click.UsageError(f"{file.name} : JSON illisible ({error})") from None
    settings = load_settings()
    header = None
    if header_from is not None:
        preview = preview_upload(
            UploadedFile.from_path(header_from, settings.max_upload_mb * MEGABYTE),
            max_bytes=settings.max_upload_mb * MEGABYTE,
            sheet=document.get("sheet") if isinstance(document, dict) else None,
            header_line=int(document.get("header_line", 1)) if isinstance(document, dict) else 1,
        )
        if preview.issue is not None:
            raise click.UsageError(f"{header_from.name} : {preview.issue.message}")
        header = list(preview.columns)
    engine = engine_for(settings)
    with Session(engine) as session, session.begin():
        _check_partner(session, partner or _document_partner(document))
        try:
            stored = save_profile(session, document, name=name, partner_code=partner, header=header)
        except ProfileError as error:
            raise click.UsageError(str(error)) from None
    click.echo(
        f"Profil « {stored.name} » (partenaire {stored.partner_code or '—'}) enregistré "
        f"sous le n°{stored.id}."
    )
    for warning in _unknown_codes(stored, deployed_catalogue(settings)):
        click.echo(f"Attention : {warning}", err=True)


def _document_partner(document: object) -> str | None:
    partner = document.get("partner") if isinstance(document, dict) else None
    return str(partner) if partner else None


def _unknown_codes(stored: StoredProfile, catalogue: Catalogue) -> list[str]:
    profile = stored.profile
    codes = {value.indicator for value in profile.values if value.indicator}
    if profile.indicator is not None:
        codes |= {c.indicator for c in profile.indicator.map.values() if c.indicator}
        if profile.indicator.value:
            codes.add(profile.indicator.value)
    return [
        f"{code} n'est pas un indicateur du catalogue : ses valeurs seront rejetées"
        for code in sorted(codes - set(catalogue.indicators))
    ]


@profiles.command("delete")
@click.argument("profile_id", type=int)
def profiles_delete(profile_id: int) -> None:
    """Supprime un profil d'import (les chargements passés gardent leur trace)."""
    engine = engine_for(load_settings())
    with Session(engine) as session, session.begin():
        if not delete_profile(session, profile_id):
            raise click.UsageError(f"profil n°{profile_id} introuvable")
    click.echo(f"Profil n°{profile_id} supprimé.")
