"""``suivi demo``: fill the database with deterministic demonstration data and demo accounts."""

from __future__ import annotations

import os
from pathlib import Path

import click
from sqlalchemy.orm import Session

from dashboard.cli.identity import cli_username
from indicators.accounts import (
    create_user,
    find_user,
    generate_password,
    record_event,
    set_active,
    set_password,
)
from indicators.config import Settings, load_settings
from indicators.store import engine_for, upgrade_database
from indicators.territories.programme_lists import load_programme_lists

# username -> (role, partner, display name): an uploader of two partners, an evaluator, an admin
DEMO_ACCOUNTS: dict[str, tuple[str, str | None, str]] = {
    "depot-anct": ("deposant", "ANCT", "Déposant de l'ANCT (démonstration)"),
    "depot-insee": ("deposant", "INSEE", "Déposant de l'INSEE (démonstration)"),
    "evaluation": ("evaluateur", None, "Évaluatrice (démonstration)"),
    "admin": ("administrateur", None, "Administrateur (démonstration)"),
}
ACCOUNTS_FILE = "demo-accounts.txt"
HEADER = (
    "# Comptes de démonstration, mots de passe tirés au hasard au premier lancement.\n"
    "# Pour une démonstration locale seulement : jamais en production.\n"
    "# identifiant  rôle  partenaire  mot de passe\n"
)


def _read_passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    passwords = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4 and not line.startswith("#"):
            passwords[parts[0]] = parts[3]
    return passwords


def ensure_demo_accounts(settings: Settings) -> tuple[Path, list[str]]:
    """Create the demo accounts (or put back their passwords); their passwords are generated
    once into ``$SUIVI_VAR_DIR/demo-accounts.txt`` (mode 600). Returns the file and its lines."""
    path = settings.var_dir / ACCOUNTS_FILE
    passwords = _read_passwords(path)
    passwords = {name: passwords.get(name) or generate_password() for name in DEMO_ACCOUNTS}
    engine = engine_for(settings)
    with Session(engine) as session, session.begin():
        for username, (role, partner, label) in DEMO_ACCOUNTS.items():
            if find_user(session, username) is None:
                create_user(
                    session,
                    username,
                    role=role,
                    partner_code=partner,
                    password=passwords[username],
                    display_name=label,
                )
                record_event(
                    session, "user-created", username=cli_username(), target=username, demo=True
                )
            else:
                set_password(session, username, passwords[username])
                set_active(session, username, True)
    engine.dispose()
    lines = [
        f"{username}  {role}  {partner or '-'}  {passwords[username]}"
        for username, (role, partner, _label) in DEMO_ACCOUNTS.items()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(HEADER + "\n".join(lines) + "\n")
    path.chmod(0o600)  # an older file keeps its mode otherwise
    return path, lines


@click.command()
@click.option("--seed", type=int, default=42, show_default=True, help="Graine du générateur.")
@click.option(
    "--accounts-only",
    is_flag=True,
    help="Crée seulement les comptes de démonstration (sans toucher aux données) et les affiche.",
)
def demo(seed: int, accounts_only: bool) -> None:
    """Remplace les données par un jeu de démonstration reproductible et crée les comptes de
    démonstration (mots de passe dans $SUIVI_VAR_DIR/demo-accounts.txt)."""
    settings = load_settings()
    engine = engine_for(settings)
    upgrade_database(engine)
    if not accounts_only:
        from indicators.demo import build_demo  # heavy: only when asked

        official = load_programme_lists(settings.reference_dir)
        report = build_demo(engine, seed=seed, official=official)
        click.echo(report.summary())
    engine.dispose()
    path, lines = ensure_demo_accounts(settings)
    click.echo(f"Comptes de démonstration ({path}) : identifiant, rôle, partenaire, mot de passe")
    for line in lines:
        click.echo(f"  {line}")
