"""Write the referential into the database: territories with their hierarchy and typology, and the
aliases (absorbed commune codes, municipal arrondissements) that uploads resolve through.

Idempotent: a second run with the same files changes nothing and costs a comparison only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from indicators.store.models import Territory as TerritoryRow
from indicators.store.models import TerritoryAlias
from indicators.territories.referential import Referential, typed_code
from indicators.territories.typology import typology_frame

STORED_LEVELS = ("FR", "REG", "DEP", "EPCI", "COM")
_COLUMNS = (
    "level",
    "name",
    "population",
    "typology",
    "commune_code",
    "epci_code",
    "departement_code",
    "region_code",
)


@dataclass(frozen=True)
class SyncReport:
    created: int
    updated: int
    unchanged: int
    aliases: int

    def summary(self) -> str:
        return (
            f"Référentiel : {self.created} territoires créés, {self.updated} mis à jour, "
            f"{self.unchanged} inchangés ; {self.aliases} anciens codes et arrondissements."
        )


def territory_rows(referential: Referential) -> list[dict[str, Any]]:
    typology = typology_frame(referential).set_index("code")["typology"].to_dict()
    rows = []
    for territory in referential.territories.values():
        if territory.level not in STORED_LEVELS:
            continue
        rows.append(
            {
                "code": territory.code,
                "level": territory.level,
                "name": territory.name,
                "population": territory.population,
                "typology": typology.get(territory.code),
                "commune_code": None,
                "epci_code": _typed("EPCI", territory.epci) if territory.level == "COM" else None,
                "departement_code": _typed("DEP", territory.departement),
                "region_code": _typed("REG", territory.region),
            }
        )
    return rows


def alias_rows(referential: Referential) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for territory in referential.territories.values():
        if territory.level == "ARM" and territory.commune:
            rows[territory.local_code] = {
                "alias": territory.local_code,
                "territory_code": typed_code("COM", territory.commune),
                "kind": "arrondissement",
                "name": territory.name,
            }
    for old in referential.old_codes.values():
        # A commune split between several current communes cannot be aliased to one of them:
        # codes.py reports it as ambiguous instead.
        target = typed_code("COM", old.new_codes[0])
        if len(old.new_codes) == 1 and target in referential.territories:
            rows[old.old_code] = {
                "alias": old.old_code,
                "territory_code": target,
                "kind": "ancienne_commune",
                "name": old.old_name or None,
            }
    return list(rows.values())


def sync_referential(session: Session, referential: Referential) -> SyncReport:
    """Insert new territories, update changed ones, and replace the alias table."""
    wanted = {row["code"]: row for row in territory_rows(referential)}
    existing = {
        row.code: {column: getattr(row, column) for column in _COLUMNS}
        for row in session.execute(select(TerritoryRow.code, *_column_attributes())).all()
    }
    to_insert = [row for code, row in wanted.items() if code not in existing]
    to_update = [
        row
        for code, row in wanted.items()
        if code in existing and any(existing[code][c] != row[c] for c in _COLUMNS)
    ]
    if to_insert:
        session.execute(insert(TerritoryRow), to_insert)
    if to_update:
        session.execute(update(TerritoryRow), to_update)
    aliases = alias_rows(referential)
    session.execute(delete(TerritoryAlias))
    if aliases:
        session.execute(insert(TerritoryAlias), aliases)
    return SyncReport(
        created=len(to_insert),
        updated=len(to_update),
        unchanged=len(wanted) - len(to_insert) - len(to_update),
        aliases=len(aliases),
    )


def _column_attributes() -> Iterable[Any]:
    return [getattr(TerritoryRow, column) for column in _COLUMNS]


def _typed(level: str, local: str | None) -> str | None:
    return f"{level}:{local}" if local else None
