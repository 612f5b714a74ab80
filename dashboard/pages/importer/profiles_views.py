"""The import profiles on ``/import``: listed, edited (the assistant opens on one), duplicated and
deleted, within the person's partner (the staff see every one). The partner scope is checked by
the core (:func:`~indicators.ingest.profile_store.check_profile_scope`); these views only show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from indicators.ingest import (
    ProfileNotAllowed,
    ProfileNotFound,
    StoredProfile,
    delete_profile,
    get_profile,
    list_profiles,
    save_profile,
)
from indicators.ingest.profile_store import check_profile_scope


def visible_profiles(session: Any, scope: str | None) -> list[StoredProfile]:
    """A déposant's partner's profiles only; every profile for the staff."""
    if scope is None:
        return list_profiles(session)
    return list_profiles(session, scope)


def scoped_profile(session: Any, profile_id: int, scope: str | None) -> StoredProfile:
    """The profile, if the person may see it (else :class:`ProfileNotFound`, the same answer
    as for a profile that does not exist: another partner's are not even named)."""
    stored = get_profile(session, int(profile_id))
    try:
        check_profile_scope(stored.partner_code, scope)
    except ProfileNotAllowed:
        raise ProfileNotFound(f"Profil n°{profile_id} introuvable") from None
    return stored


def _button(label: str, kind: str, profile: StoredProfile, style: str) -> html.Button:
    return html.Button(
        label,
        id={"type": kind, "profil": profile.id},
        className=f"btn btn-sm {style}",
        n_clicks=0,
        title=f"{label} le profil « {profile.name} »",
    )


def profiles_table(profiles: Sequence[StoredProfile]) -> Any:
    if not profiles:
        return html.P(
            "Aucun profil d'import : déposez un fichier de forme nouvelle et décrivez-le.",
            className="assistant-note",
        )
    rows = [
        html.Tr(
            [
                html.Th(profile.name, scope="row"),
                html.Td(profile.partner_code or "Tous"),
                html.Td(", ".join(profile.profile.header) or "—", className="profile-header"),
                html.Td(
                    profile.updated_at.strftime("%d/%m/%Y %H:%M") if profile.updated_at else "—"
                ),
                html.Td(
                    [
                        _button("Modifier", "profil-modifier", profile, "btn-outline-primary"),
                        _button("Dupliquer", "profil-dupliquer", profile, "btn-outline-secondary"),
                        _button("Supprimer", "profil-supprimer", profile, "btn-outline-danger"),
                    ],
                    className="profile-actions",
                ),
            ]
        )
        for profile in profiles
    ]
    return html.Table(
        [
            html.Caption("Profils d'import"),
            html.Thead(
                html.Tr(
                    [
                        html.Th(label, scope="col")
                        for label in ("Nom", "Partenaire", "En-tête reconnu", "Modifié", "Actions")
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table import-table profiles-table",
    )


def copy_name(name: str, taken: set[str]) -> str:
    """``barometre (copie)``, ``barometre (copie 2)``… a name the partner does not use yet."""
    candidate, number = f"{name} (copie)", 2
    while candidate in taken:
        candidate, number = f"{name} (copie {number})", number + 1
    return candidate


def duplicate(session: Any, profile_id: int, scope: str | None) -> StoredProfile:
    """A copy of the profile, same partner, without the header (two profiles may not claim the
    same header: the copy is for a variant of the file, given its own header when edited)."""
    stored = scoped_profile(session, profile_id, scope)
    taken = {p.name for p in list_profiles(session) if p.partner_code == stored.partner_code}
    document = {key: value for key, value in stored.document.items() if key != "header"}
    return save_profile(
        session,
        document,
        name=copy_name(stored.name, taken),
        partner_code=stored.partner_code,
        header=[],
        partner_scope=scope,
    )


def delete(session: Any, profile_id: int, scope: str | None) -> str:
    """Delete the profile; the French confirmation."""
    stored = scoped_profile(session, profile_id, scope)
    delete_profile(session, stored.id, partner_scope=scope)
    return f"Profil « {stored.name} » supprimé."
