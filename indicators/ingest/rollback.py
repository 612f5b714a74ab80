"""Undo a load: every value it set goes back exactly to what it was before (value, status,
comment and the load that had set it); a value it created disappears.

A rollback is itself a load (``rollback_of`` names the undone one), recorded and historised like
any other, so that nothing is lost: the undone values stay in the history table.

Policy when a later load changed some of the same values: **refuse**, naming the later loads.
Undoing them first (latest first) then undoing this one restores the earlier state exactly;
restoring over a later load would silently discard its values. A rollback cannot be undone by
rolling it back: load the file again.

Rare and administrative, a rollback may scan the history and observation tables rather than
burden every load's writes with one more index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.french import agree, plural
from indicators.ingest.commit import HISTORY_COLUMNS, HISTORY_TABLE, OBSERVATION_TABLE
from indicators.ingest.diff import OBSERVATION_COLUMNS
from indicators.ingest.keys import KEY
from indicators.ingest.progress import ProgressCallback, report
from indicators.ingest.writes import (
    bound_datetime,
    bulk_insert,
    delete_by_id_sql,
    execute_many,
    rows_of,
    update_by_id_sql,
)
from indicators.precompute import DataWrite, write_data
from indicators.store.models import Load, Observation, ObservationHistory, utcnow

ROLLBACK_STATUS: Final = "rolled_back"


class RollbackRefused(ValueError):
    """The load cannot be undone; the message says why and what to do, in French."""


@dataclass(frozen=True)
class RollbackOutcome:
    load_id: int  # the rollback's own load
    rolled_back: int
    restored: int
    deleted: int
    data_version: int

    def summary(self) -> str:
        return (
            f"Chargement n°{self.rolled_back} annulé (annulation enregistrée comme chargement "
            f"n°{self.load_id}) : {plural(self.restored, 'valeur rétablie', 'valeurs rétablies')}, "
            f"{self.deleted} {agree(self.deleted, 'supprimée', 'supprimées')}."
        )


_CURRENT = ["id", *KEY, "value", "status", "comment", "load_id"]


def _frame(session: Session, query: object, columns: list[str]) -> pd.DataFrame:
    rows = [tuple(row) for row in session.execute(query)]  # type: ignore[call-overload]
    return pd.DataFrame.from_records(rows, columns=columns)


def rollback_load(
    session: Session,
    load_id: int,
    *,
    catalogue: Catalogue,
    username: str | None = None,
    progress: ProgressCallback | None = None,
    partner_scope: str | None = None,
) -> RollbackOutcome:
    """Undo load ``load_id`` inside the caller's transaction, through the one write path
    (:func:`indicators.precompute.write_data`); raise :class:`RollbackRefused`.

    ``partner_scope``: the person acts for that partner only (a déposant, issue #12): a load of
    another partner, or one that wrote another partner's indicators, is refused."""

    def write(change: DataWrite) -> tuple[int, int, int]:
        return _undo(change, load_id, username, progress, catalogue, partner_scope)

    written = write_data(session, catalogue, write)
    undo_id, restored, deleted = written.result
    report(progress, "rollback", 3, 3)
    return RollbackOutcome(undo_id, load_id, restored, deleted, written.data_version)


def _undo(
    change: DataWrite,
    load_id: int,
    username: str | None,
    progress: ProgressCallback | None,
    catalogue: Catalogue,
    partner_scope: str | None,
) -> tuple[int, int, int]:
    session = change.session
    load = session.get(Load, load_id)
    _check_can_undo(load, load_id)
    assert load is not None
    if partner_scope and load.partner_code != partner_scope:
        raise RollbackRefused(
            f"Le chargement n°{load_id} n'est pas un chargement de {partner_scope} : "
            "vous n'annulez que les chargements de votre partenaire"
        )
    report(progress, "rollback", 0, 3)
    previous = _frame(
        session,
        select(
            ObservationHistory.indicator_code,
            ObservationHistory.territory_code,
            ObservationHistory.period,
            ObservationHistory.value_type,
            ObservationHistory.old_value,
            ObservationHistory.old_status,
            ObservationHistory.old_comment,
            ObservationHistory.old_load_id,
        ).where(ObservationHistory.new_load_id == load_id),
        [*KEY, "old_value", "old_status", "old_comment", "old_load_id"],
    )
    owned = _frame(
        session, select(*OBSERVATION_COLUMNS).where(Observation.load_id == load_id), _CURRENT
    )
    if partner_scope:
        _check_partner_indicators(catalogue, set(owned["indicator"]), partner_scope, load_id)
    _check_no_later_load(session, load_id)
    report(progress, "rollback", 1, 3)

    restored = previous.merge(owned, on=KEY, how="inner")
    created_keys = owned.merge(previous[KEY], on=KEY, how="left", indicator=True)
    created = created_keys[created_keys["_merge"] == "left_only"].drop(columns="_merge")

    now = utcnow()
    undo = Load(
        filename=f"annulation du chargement n°{load_id}"[:300],
        sha256=load.sha256,
        raw_path=load.raw_path,
        username=username,
        partner_code=load.partner_code,
        profile_id=load.profile_id,
        status="committed",
        created_at=now,
        committed_at=now,
        rows_read=0,
        updated=len(restored),
        withdrawn=0,
        rollback_of=load_id,
        details={"restored": len(restored), "deleted": len(created)},
    )
    session.add(undo)
    session.flush()
    load.status = ROLLBACK_STATUS
    connection = session.connection()
    stamp = bound_datetime(connection, OBSERVATION_TABLE, "updated_at", now)
    # the history keeps what is undone: the values this load had set, and that they were its own
    undone = pd.concat([restored, created], ignore_index=True).assign(
        old_value=lambda f: f["value"],
        old_status=lambda f: f["status"],
        old_comment=lambda f: f["comment"],
        old_load_id=load_id,
        new_load_id=undo.id,
        changed_at=stamp,
    )
    if not undone.empty:
        columns = list(HISTORY_COLUMNS.values())
        bulk_insert(connection, HISTORY_TABLE.name, columns, rows_of(undone, list(HISTORY_COLUMNS)))
    if not restored.empty:
        back = restored[["id", *KEY]].merge(previous, on=KEY).assign(updated_at=stamp)
        targets = ["value", "status", "comment", "load_id", "updated_at"]
        back = back.rename(
            columns={
                "old_value": "value",
                "old_status": "status",
                "old_comment": "comment",
                "old_load_id": "load_id",
            }
        )
        sql = update_by_id_sql(connection, OBSERVATION_TABLE, targets)
        execute_many(connection, sql, rows_of(back, [*targets, "id"]))
    if not created.empty:
        execute_many(
            connection, delete_by_id_sql(connection, OBSERVATION_TABLE), rows_of(created, ["id"])
        )
    report(progress, "rollback", 2, 3)
    affected = pd.concat([restored[KEY], created[KEY]], ignore_index=True)
    affected = affected[affected["value_type"] == "valeur"]
    changed: dict[str, set[str]] = {}
    for indicator, period in zip(affected["indicator"], affected["period"], strict=True):
        changed.setdefault(str(indicator), set()).add(str(period))
    change.changed(changed)
    return undo.id, len(restored), len(created)


def _check_partner_indicators(
    catalogue: Catalogue, codes: set[str], partner: str, load_id: int
) -> None:
    indicators = catalogue.indicators
    foreign = sorted(c for c in codes if c in indicators and indicators[c].partner != partner)
    if foreign:
        raise RollbackRefused(
            f"Le chargement n°{load_id} a écrit des indicateurs d'autres partenaires "
            f"({', '.join(foreign)}) : seul un administrateur peut l'annuler"
        )


def _check_can_undo(load: Load | None, load_id: int) -> None:
    if load is None:
        raise RollbackRefused(f"Chargement n°{load_id} introuvable")
    if load.status == ROLLBACK_STATUS:
        raise RollbackRefused(f"Chargement n°{load_id} déjà annulé")
    if load.rollback_of is not None:
        raise RollbackRefused(
            f"Le chargement n°{load_id} est l'annulation du n°{load.rollback_of} : une "
            "annulation ne s'annule pas ; rechargez le fichier d'origine"
        )
    if load.status != "committed":
        raise RollbackRefused(
            f"Le chargement n°{load_id} ({load.status}) n'a écrit aucune valeur : rien à annuler"
        )


def _check_no_later_load(session: Session, load_id: int) -> None:
    """Refuse when a value this load set now carries another load's mark."""
    later = session.execute(
        select(Observation.load_id)
        .join(
            ObservationHistory,
            and_(
                ObservationHistory.indicator_code == Observation.indicator_code,
                ObservationHistory.territory_code == Observation.territory_code,
                ObservationHistory.period == Observation.period,
                ObservationHistory.value_type == Observation.value_type,
            ),
        )
        .where(
            ObservationHistory.old_load_id == load_id,
            ObservationHistory.new_load_id != load_id,
            Observation.load_id != load_id,
        )
        .distinct()
    ).scalars()
    changed_since = sorted({int(found) for found in later if found is not None})
    if changed_since:
        names = ", ".join(f"n°{found}" for found in changed_since)
        raise RollbackRefused(
            f"Annulation du chargement n°{load_id} refusée : des valeurs qu'il a écrites ont été "
            f"modifiées depuis par les chargements {names} ; annulez d'abord ceux-ci, du plus "
            "récent au plus ancien"
        )
