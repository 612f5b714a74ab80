"""Import profiles in the database: create or edit, list, fetch, delete, and find the profile of a
file by its header (a file whose columns match a saved profile's is read through it unasked).

A profile belongs to a partner (or to nobody: shared); its name is unique per partner. The header
signature is a hash of the column names, trimmed and case-folded, in order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from indicators.ingest.profile import Profile, ProfileError, parse_profile
from indicators.store.models import ImportProfile, Load, utcnow


class ProfileNotFound(LookupError):
    """No profile answers to the name (or several do); the message says which, in French."""


@dataclass(frozen=True)
class StoredProfile:
    id: int
    partner_code: str | None
    name: str
    header_signature: str | None
    profile: Profile
    document: Mapping[str, Any]
    updated_at: datetime | None = None


class ProfileNotAllowed(PermissionError):
    """A déposant edits only its own partner's profiles; the message says so in French."""


def check_profile_scope(profile_partner: str | None, partner_scope: str | None) -> None:
    if partner_scope and profile_partner != partner_scope:
        owner = f"du partenaire {profile_partner}" if profile_partner else "partagé"
        raise ProfileNotAllowed(
            f"Ce profil est {owner} : vous ne modifiez que les profils de {partner_scope}"
        )


def header_signature(columns: Sequence[str]) -> str:
    text = "\x1f".join(column.strip().casefold() for column in columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored(row: ImportProfile) -> StoredProfile:
    document = dict(row.mapping)
    profile = parse_profile(document)
    return StoredProfile(
        id=row.id,
        partner_code=row.partner_code,
        name=row.name,
        header_signature=row.header_signature,
        profile=profile,
        document=document,
        updated_at=row.updated_at,
    )


def save_profile(
    session: Session,
    document: Mapping[str, Any],
    *,
    name: str | None = None,
    partner_code: str | None = None,
    header: Sequence[str] | None = None,
    partner_scope: str | None = None,
) -> StoredProfile:
    """Create the profile, or replace the one of the same partner and name (editing).

    ``partner_scope``: the person edits for that partner only (a déposant): a profile of
    another partner, or a shared one, raises :class:`ProfileNotAllowed` (issue #12).

    ``name``, ``partner_code`` and ``header`` (the columns of a sample file) override the
    document's own ``name``, ``partner`` and ``header``. Raises
    :class:`~indicators.ingest.profile.ProfileError` if the document is invalid.
    """
    merged = dict(document)
    if name:
        merged["name"] = name
    if partner_code:
        merged["partner"] = partner_code
    if header is not None:
        merged["header"] = [str(column) for column in header]
    profile = parse_profile(merged)
    if not profile.name:
        raise ProfileError(["name : nom du profil obligatoire"])
    check_profile_scope(profile.partner, partner_scope)
    signature = header_signature(profile.header) if profile.header else None
    row = session.scalar(
        select(ImportProfile).where(
            ImportProfile.name == profile.name, _partner_is(profile.partner)
        )
    )
    if row is None:
        row = ImportProfile(partner_code=profile.partner, name=profile.name, mapping=merged)
        session.add(row)
    row.mapping = merged
    row.header_signature = signature
    row.updated_at = utcnow()
    session.flush()
    return _stored(row)


def _partner_is(partner_code: str | None) -> Any:
    if partner_code is None:
        return ImportProfile.partner_code.is_(None)
    return ImportProfile.partner_code == partner_code


def list_profiles(session: Session, partner_code: str | None = None) -> list[StoredProfile]:
    query = select(ImportProfile).order_by(ImportProfile.partner_code, ImportProfile.name)
    if partner_code is not None:
        query = query.where(ImportProfile.partner_code == partner_code)
    return [_stored(row) for row in session.scalars(query)]


def get_profile(
    session: Session, name_or_id: str | int, partner_code: str | None = None
) -> StoredProfile:
    """The profile of that id, or of that name (for that partner, when several have it)."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        row = session.get(ImportProfile, int(name_or_id))
        if row is None:
            raise ProfileNotFound(f"Profil n°{name_or_id} introuvable")
        return _stored(row)
    query = select(ImportProfile).where(ImportProfile.name == name_or_id)
    if partner_code is not None:
        query = query.where(ImportProfile.partner_code == partner_code)
    rows = list(session.scalars(query))
    if not rows:
        owner = f" du partenaire {partner_code}" if partner_code else ""
        raise ProfileNotFound(
            f"Profil « {name_or_id} »{owner} introuvable (« suivi profiles list » les liste)"
        )
    if len(rows) > 1:
        owners = ", ".join(sorted(row.partner_code or "aucun" for row in rows))
        raise ProfileNotFound(
            f"Plusieurs profils « {name_or_id} » (partenaires : {owners}) : précisez le partenaire"
        )
    return _stored(rows[0])


def delete_profile(session: Session, profile_id: int, *, partner_scope: str | None = None) -> bool:
    """Delete a profile; the loads it read keep its name in their details."""
    row = session.get(ImportProfile, profile_id)
    if row is None:
        return False
    check_profile_scope(row.partner_code, partner_scope)
    session.execute(update(Load).where(Load.profile_id == profile_id).values(profile_id=None))
    session.delete(row)
    session.flush()
    return True


def find_profile_for_header(
    session: Session,
    columns: Sequence[str],
    partner_code: str | None = None,
    *,
    own_or_shared: bool = False,
) -> StoredProfile | None:
    """The profile saved for exactly these columns: the partner's own first, then any other
    (most recently edited first); ``own_or_shared``: never another partner's."""
    rows = list(
        session.scalars(
            select(ImportProfile)
            .where(ImportProfile.header_signature == header_signature(columns))
            .order_by(ImportProfile.updated_at.desc())
        )
    )
    if not rows:
        return None
    own = [row for row in rows if partner_code is not None and row.partner_code == partner_code]
    if own_or_shared:
        rows = [row for row in rows if row.partner_code is None]
    candidates = own or rows
    return _stored(candidates[0]) if candidates else None
