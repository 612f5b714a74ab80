"""``suivi evaluation …``: frozen reports of a measure's evaluation, their verification and the
registry of evaluation designs.

``report`` writes a self-contained HTML file (and a PDF with ``--pdf`` when Chromium is
installed); ``verify`` recomputes a report's figures from its measure, design and data version
and says whether they are identical (exit 0) or not (exit 1).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from sqlalchemy.orm import Session

from dashboard.cli.identity import cli_username
from dashboard.reports import (
    PdfUnavailable,
    evaluation_report_html,
    html_to_pdf,
    read_metadata,
    report_metadata,
)
from indicators.catalogue.edits import deployed_catalogue
from indicators.config import load_settings
from indicators.evaluation import evaluate_measure, list_designs, load_design_by_id
from indicators.evaluation.freeze import design_to_freeze
from indicators.store import current_data_version, engine_for
from indicators.territories.referential import load_referential


@click.group()
def evaluation() -> None:
    """Évaluation des mesures : rapports figés et plans d'évaluation."""


@evaluation.command("report")
@click.argument("measure")
@click.option(
    "--design-version",
    type=int,
    default=None,
    help="Version du plan d'évaluation (par défaut la dernière ; la proposition automatique "
    "est enregistrée comme version 1 si la mesure n'en a aucune).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier HTML à écrire (par défaut evaluation-MESURE-vDONNEES.html).",
)
@click.option("--pdf", is_flag=True, help="Écrire aussi le PDF à côté (Chromium requis).")
def report(measure: str, design_version: int | None, output: Path | None, pdf: bool) -> None:
    """Écrire le rapport figé de l'évaluation d'une mesure (HTML autonome)."""
    settings = load_settings()
    catalogue = deployed_catalogue(settings)
    engine = engine_for(settings)
    with Session(engine) as session, session.begin():
        try:
            design = design_to_freeze(
                session, catalogue, measure, design_version, author=cli_username()
            )
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        evaluated = evaluate_measure(session, catalogue, measure, design)
    html = evaluation_report_html(
        evaluated, load_referential(settings.reference_dir), settings.reference_dir, datetime.now()
    )
    target = output or Path(f"evaluation-{measure}-v{evaluated.data_version}.html")
    target.write_text(html, encoding="utf-8")
    click.echo(
        f"Rapport écrit : {target} (plan version {design.version}, données version "
        f"{evaluated.data_version}, {len(html) // 1024} Ko)"
    )
    if pdf:
        try:
            target.with_suffix(".pdf").write_bytes(html_to_pdf(html))
        except PdfUnavailable as error:
            click.echo(f"Erreur : {error}", err=True)
            raise SystemExit(1) from None
        click.echo(f"PDF écrit : {target.with_suffix('.pdf')}")


@evaluation.command("verify")
@click.argument("report_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify(report_file: Path) -> None:
    """Recalculer un rapport figé et dire si ses chiffres sont identiques (code 0) ou non (1)."""
    try:
        claimed = read_metadata(report_file.read_text(encoding="utf-8", errors="replace"))
    except ValueError as error:
        raise click.UsageError(f"{report_file} : {error}") from None
    settings = load_settings()
    engine = engine_for(settings)
    with Session(engine) as session:
        version = current_data_version(session)
        design = (
            load_design_by_id(session, int(claimed["design_id"]))
            if claimed.get("design_id") is not None
            else None
        )
        if design is None:
            click.echo("Différent : le plan d'évaluation du rapport n'existe pas dans cette base.")
            raise SystemExit(1)
        evaluated = evaluate_measure(
            session,
            deployed_catalogue(settings),
            str(claimed["measure"]),
            design,
            int(claimed["seed"]),
        )
    found = report_metadata(evaluated, datetime.now())
    same_inputs = found.inputs_sha256 == claimed["inputs_sha256"]
    same_results = found.results_sha256 == claimed["results_sha256"]
    if same_inputs and same_results:
        click.echo(
            f"Identique : mêmes données et mêmes chiffres que le rapport (mesure "
            f"{claimed['measure']}, plan version {design.version}, données version {version})."
        )
        return
    reason = (
        f"les données ont changé (rapport : version {claimed['data_version']}, base : {version})"
        if not same_inputs
        else "mêmes données, mais les chiffres diffèrent (méthode ou logiciel modifié)"
    )
    click.echo(f"Différent : {reason}.")
    raise SystemExit(1)


@evaluation.command("designs")
@click.argument("measure", required=False)
def designs(measure: str | None) -> None:
    """Lister les plans d'évaluation enregistrés (toutes les mesures ou une seule)."""
    engine = engine_for(load_settings())
    with Session(engine) as session:
        frame = list_designs(session, measure)
    if frame.empty:
        click.echo("Aucun plan d'évaluation enregistré.")
        return
    for row in frame.itertuples(index=False):
        created = row.created_at.strftime("%Y-%m-%d %H:%M") if row.created_at else "?"
        click.echo(
            f"{row.measure} v{row.version}  {created}  {row.author or '—'}  "
            f"{row.n_test} test / {row.n_comparison} témoins  données v{row.data_version}"
            + (f"  « {row.comment} »" if row.comment else "")
        )
