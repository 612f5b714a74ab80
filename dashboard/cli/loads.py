"""``suivi loads …``: the history of loads, one load's detail, and undoing a load."""

from __future__ import annotations

import json

import click
from sqlalchemy.orm import Session

from dashboard.cli.identity import cli_username
from dashboard.cli.ingest_common import (
    CHANGES_SHOWN,
    ISSUES_SHOWN,
    progress_bars,
)
from indicators.accounts import record_event
from indicators.catalogue.edits import deployed_catalogue
from indicators.config import load_settings
from indicators.french import stored_value_text
from indicators.ingest import (
    RollbackRefused,
    get_load,
    list_loads,
    load_effects,
    load_issues,
    rollback_load,
)
from indicators.store import engine_for


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
            f"{stored_value_text(row.old_value, row.old_status)} -> "
            f"{stored_value_text(row.value, row.status)}"
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
        with progress_bars() as progress, Session(engine) as session, session.begin():
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
