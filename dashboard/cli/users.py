"""``suivi users …`` and ``suivi audit``: accounts and the audit log, from the server's shell.

Whoever runs these commands has the server's database: they act as an administrator, and every
change is written to the audit log under their system name (``cli:<user>``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from dashboard.cli.identity import cli_username
from indicators.accounts import (
    ROLES,
    AccountError,
    create_user,
    generate_password,
    list_events,
    list_users,
    record_event,
    set_active,
    set_partner,
    set_password,
    set_role,
)
from indicators.config import load_settings
from indicators.store import make_engine


@contextmanager
def _transaction() -> Iterator[Session]:
    engine = make_engine(load_settings().effective_database_url)
    try:
        with Session(engine) as session, session.begin():
            yield session
    except AccountError as error:
        raise click.UsageError(str(error)) from None
    finally:
        engine.dispose()


def _audit(session: Session, action: str, username: str, **details: object) -> None:
    record_event(session, action, username=cli_username(), target=username, **details)


@click.group()
def users() -> None:
    """Comptes : création, rôles, partenaires, mots de passe (voir « Sécurité » du README)."""


@users.command("add")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(ROLES), required=True, help="Rôle du compte (voir le README)."
)
@click.option("--partner", help="Partenaire du compte (obligatoire pour un déposant).")
@click.option("--name", "display_name", help="Nom affiché.")
@click.option("--email", help="Adresse électronique (relie une connexion OIDC à ce compte).")
@click.option(
    "--password",
    envvar="SUIVI_NEW_PASSWORD",
    help="Mot de passe (12 caractères au moins ; défaut : tiré au hasard et affiché une fois). "
    "Préférez la variable SUIVI_NEW_PASSWORD à l'option, visible dans la liste des processus.",
)
@click.option("--oidc-only", is_flag=True, help="Sans mot de passe : connexion OIDC seulement.")
def add_user(
    username: str,
    role: str,
    partner: str | None,
    display_name: str | None,
    email: str | None,
    password: str | None,
    oidc_only: bool,
) -> None:
    """Crée un compte ; affiche le mot de passe tiré au hasard s'il n'est pas donné."""
    generated = None if password or oidc_only else generate_password()
    with _transaction() as session:
        account = create_user(
            session,
            username,
            role=role,
            partner_code=partner,
            password=None if oidc_only else (password or generated),
            display_name=display_name,
            email=email,
        )
        _audit(session, "user-created", account.username, role=role, partner=partner)
    click.echo(f"Compte « {account.username} » créé ({account.role}).")
    if generated:
        click.echo(f"Mot de passe : {generated}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Liste en JSON.")
def list_accounts(as_json: bool) -> None:
    """Liste les comptes : identifiant, rôle, partenaire, actif, dernière connexion."""
    with _transaction() as session:
        accounts = list_users(session)
    if as_json:
        click.echo(json.dumps([a.as_dict() for a in accounts], ensure_ascii=False, indent=2))
        return
    if not accounts:
        click.echo("Aucun compte : « suivi users add NOM --role administrateur » en crée un.")
    for a in accounts:
        last = f"{a.last_sign_in_at:%Y-%m-%d %H:%M}" if a.last_sign_in_at else "jamais connecté"
        state = "actif" if a.active else "désactivé"
        click.echo(f"{a.username}  {a.role}  {a.partner_code or '—'}  {state}  {last}")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Réactive le compte au lieu de le désactiver.")
def disable_user(username: str, enable: bool) -> None:
    """Désactive un compte (sa session se termine à sa requête suivante)."""
    with _transaction() as session:
        set_active(session, username, enable)
        _audit(session, "user-changed", username, active=enable)
    click.echo(f"Compte « {username} » {'réactivé' if enable else 'désactivé'}.")


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
def set_user_role(username: str, role: str) -> None:
    """Change le rôle d'un compte."""
    with _transaction() as session:
        set_role(session, username, role)
        _audit(session, "user-changed", username, role=role)
    click.echo(f"Compte « {username} » : rôle {role}.")


@users.command("set-partner")
@click.argument("username")
@click.argument("partner", required=False)
def set_user_partner(username: str, partner: str | None) -> None:
    """Rattache un compte à un partenaire (sans PARTNER : le détache)."""
    with _transaction() as session:
        set_partner(session, username, partner)
        _audit(session, "user-changed", username, partner=partner)
    click.echo(f"Compte « {username} » : partenaire {partner or 'aucun'}.")


@users.command("reset-password")
@click.argument("username")
@click.option(
    "--password",
    envvar="SUIVI_NEW_PASSWORD",
    help="Nouveau mot de passe (défaut : tiré au hasard et affiché une fois).",
)
def reset_password(username: str, password: str | None) -> None:
    """Remplace le mot de passe d'un compte."""
    new = password or generate_password()
    with _transaction() as session:
        set_password(session, username, new)
        _audit(session, "password-changed", username)
    click.echo(f"Mot de passe de « {username} » remplacé.")
    if not password:
        click.echo(f"Mot de passe : {new}")


@click.command()
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--action", help="Seulement cette action (ex. sign-in-failed, load, rollback).")
@click.option("--json", "as_json", is_flag=True, help="Journal en JSON.")
def audit(limit: int, action: str | None, as_json: bool) -> None:
    """Journal d'audit, du plus récent au plus ancien : qui, quoi, quand, d'où."""
    with _transaction() as session:
        events = list_events(session, limit=limit, action=action)
    if as_json:
        click.echo(json.dumps([e.as_dict() for e in events], ensure_ascii=False, indent=2))
        return
    for e in events:
        details = json.dumps(e.details, ensure_ascii=False) if e.details else ""
        click.echo(
            f"{e.at:%Y-%m-%d %H:%M:%S}  {e.username or '—'}  {e.label}  {e.ip or '—'}  {details}"
        )
