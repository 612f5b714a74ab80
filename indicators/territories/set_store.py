"""Named territory sets in the database: programme members, test and comparison territories.

Loading a list replaces the set's members by the list (the file is the whole list): the report says
who joined, who left and who stayed. Sets never exclude each other: a commune may be in many.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from indicators.store.models import Membership, Territory, TerritorySet, utcnow

SET_KINDS = ("programme", "mesure_test", "mesure_temoin", "groupe")


@dataclass(frozen=True)
class Member:
    territory: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class SetReport:
    slug: str
    added: int
    removed: int
    updated: int
    unchanged: int
    unknown: tuple[str, ...]

    def summary(self) -> str:
        text = (
            f"Ensemble « {self.slug} » : {self.added} membres ajoutés, {self.removed} retirés, "
            f"{self.updated} aux dates modifiées, {self.unchanged} inchangés."
        )
        if self.unknown:
            text += f" {len(self.unknown)} codes absents de la base ignorés."
        return text


def replace_set_members(
    session: Session,
    slug: str,
    members: Iterable[Member],
    *,
    name: str | None = None,
    kind: str = "groupe",
    description: str | None = None,
    source: str | None = None,
) -> SetReport:
    """Create the set if needed and make its members exactly ``members`` (deduplicated)."""
    if kind not in SET_KINDS:
        raise ValueError(f"type d'ensemble inconnu : {kind} (attendu : {', '.join(SET_KINDS)})")
    territory_set = session.scalar(select(TerritorySet).where(TerritorySet.slug == slug))
    if territory_set is None:
        territory_set = TerritorySet(slug=slug, name=name or slug, kind=kind)
        session.add(territory_set)
        session.flush()
    else:
        territory_set.name = name or territory_set.name
        territory_set.kind = kind
    territory_set.description = description or territory_set.description
    territory_set.source = source or territory_set.source
    territory_set.updated_at = utcnow()

    # One membership per territory: a list names each member once (rows of the same territory
    # are merged upstream into the union of their periods).
    wanted = {m.territory: m for m in members}
    known = set(session.scalars(select(Territory.code).where(Territory.code.in_(set(wanted)))))
    unknown = tuple(sorted(set(wanted) - known))
    wanted = {code: m for code, m in wanted.items() if code in known}

    existing = {
        row.territory_code: row
        for row in session.scalars(select(Membership).where(Membership.set_id == territory_set.id))
    }
    removed = [row.id for code, row in existing.items() if code not in wanted]
    if removed:
        session.execute(delete(Membership).where(Membership.id.in_(removed)))
    added = updated = 0
    for code, member in wanted.items():
        row = existing.get(code)
        if row is None:
            session.add(
                Membership(
                    set_id=territory_set.id,
                    territory_code=code,
                    start_date=member.start,
                    end_date=member.end,
                )
            )
            added += 1
        elif (row.start_date, row.end_date) != (member.start, member.end):
            row.start_date, row.end_date = member.start, member.end
            updated += 1
    return SetReport(slug, added, len(removed), updated, len(wanted) - added - updated, unknown)


def set_members(session: Session, slug: str, on: date | None = None) -> list[str]:
    """Territory codes in the set, optionally only those active on a date."""
    query = (
        select(Membership.territory_code)
        .join(TerritorySet, TerritorySet.id == Membership.set_id)
        .where(TerritorySet.slug == slug)
    )
    if on is not None:
        query = query.where(
            (Membership.start_date.is_(None) | (Membership.start_date <= on))
            & (Membership.end_date.is_(None) | (Membership.end_date >= on))
        )
    return sorted(set(session.scalars(query)))


@dataclass(frozen=True)
class SetMembershipInfo:
    slug: str
    name: str
    kind: str
    start: date | None
    end: date | None


def sets_of(session: Session, territory_code: str) -> list[SetMembershipInfo]:
    """Every named set the territory belongs to, programmes first."""
    rows = session.execute(
        select(
            TerritorySet.slug,
            TerritorySet.name,
            TerritorySet.kind,
            Membership.start_date,
            Membership.end_date,
        )
        .join(TerritorySet, TerritorySet.id == Membership.set_id)
        .where(Membership.territory_code == territory_code)
    ).all()
    infos = [SetMembershipInfo(*row) for row in rows]
    return sorted(infos, key=lambda info: (SET_KINDS.index(info.kind), info.slug))


@dataclass(frozen=True)
class SetProvenance:
    slug: str
    description: str | None
    source: str | None


def set_provenance(session: Session, slug: str) -> SetProvenance | None:
    """What the set's list is and where it came from (``None`` for an unknown set)."""
    row = session.execute(
        select(TerritorySet.description, TerritorySet.source).where(TerritorySet.slug == slug)
    ).first()
    return None if row is None else SetProvenance(slug, row.description, row.source)
