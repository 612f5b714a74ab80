"""``suivi profiles …``: the import profiles that read partners' own layouts (list, show, save,
delete)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy.orm import Session

from dashboard.cli.ingest_common import (
    check_partner,
    named_profile,
)
from indicators.catalogue import Catalogue
from indicators.catalogue.edits import deployed_catalogue
from indicators.config import load_settings
from indicators.ingest import (
    MEGABYTE,
    ProfileError,
    StoredProfile,
    UploadedFile,
    delete_profile,
    list_profiles,
    preview_upload,
    save_profile,
)
from indicators.store import engine_for


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
        stored = named_profile(session, name, partner)
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
        check_partner(session, partner or _document_partner(document))
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
