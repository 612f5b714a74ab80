"""Save a partner, measure or indicator definition from the administration pages (issue #14).

The edit is checked with the catalogue it would make — the files with every edit in force and this
one laid over them — by the loader that ``suivi catalogue check`` runs, so the same rules give the
same French messages; with any error nothing is stored. Saved, in one transaction through the one
write path (:func:`write_data`): the edit is added to ``catalogue_edit`` (never rewriting an older
row), the definitions are synced as ``suivi init`` does (a changed indicator gets a new dated
version; values computed later name it), the values computed from a changed indicator are
computed again, and the data version moves so that every worker's caches see the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.catalogue import CatalogueError, read_catalogue
from indicators.catalogue.edits import catalogue_edits, edits_stamp
from indicators.catalogue.model import Catalogue
from indicators.catalogue.store_sync import sync_catalogue
from indicators.catalogue.tables import TableEdit
from indicators.catalogue.versioning import definition_hash
from indicators.precompute.write import DataWrite, observed_periods, write_data
from indicators.store.models import CatalogueEdit
from indicators.store.models import Indicator as IndicatorRow

UNCHANGED: Final = "Rien n'a changé : la définition enregistrée est déjà celle-ci."
RACED: Final = (
    "Le catalogue a été modifié par quelqu'un d'autre pendant l'enregistrement : rien n'a été "
    "enregistré, vérifiez et enregistrez de nouveau."
)


@dataclass(frozen=True)
class EditOutcome:
    """What saving did: the errors (nothing stored), or the version it made."""

    edit: TableEdit
    errors: list[CatalogueError] = field(default_factory=list)
    refused: str | None = None  # nothing stored, for a reason that is not a rule of the catalogue
    created: bool = False  # a new definition (else a change of one)
    version: int | None = None  # an indicator's new definition version

    @property
    def saved(self) -> bool:
        return not self.errors and self.refused is None


def check_edit(
    session: Session, edit: TableEdit, directory: Path | None = None
) -> tuple[Catalogue, list[CatalogueError]]:
    """The catalogue ``edit`` would make, and its errors (``suivi catalogue check``'s)."""
    edits = [e for e in catalogue_edits(session) if (e.kind, e.code) != (edit.kind, edit.code)]
    return read_catalogue(directory, [*edits, edit])


def save_edit(
    session: Session, edit: TableEdit, username: str | None, directory: Path | None = None
) -> EditOutcome:
    """Check ``edit``, then store it and sync it, in the caller's transaction if one is open."""
    stamp = edits_stamp(session)
    current, _ = read_catalogue(directory, catalogue_edits(session))
    catalogue, errors = check_edit(session, edit, directory)
    if errors:
        return EditOutcome(edit, errors=errors)
    created = edit.code not in _definitions(current, edit.kind)
    if not created and _same(current, catalogue, edit):
        return EditOutcome(edit, refused=UNCHANGED)

    def write(change: DataWrite) -> int | None:
        if edits_stamp(change.session) != stamp:
            raise _EditedMeanwhile  # another edit came in since the check: nothing written
        change.session.add(
            CatalogueEdit(
                kind=edit.kind, code=edit.code, definition=dict(edit.table), username=username
            )
        )
        report = sync_catalogue(change.session, catalogue)
        if edit.kind == "indicator" and edit.code in report.versioned:
            codes = {edit.code, *catalogue.indicators[edit.code].dependencies}
            change.changed(observed_periods(change.session, codes))
            return change.session.scalar(
                select(IndicatorRow.current_version).where(IndicatorRow.code == edit.code)
            )
        change.changed({})  # names shown on the pages: a new data version, nothing to compute
        return None

    try:
        version = write_data(session, catalogue, write).result
    except _EditedMeanwhile:
        return EditOutcome(edit, refused=RACED)
    return EditOutcome(edit, created=created, version=version)


class _EditedMeanwhile(Exception):
    """Raised under the write lock when the edits changed since the check."""


def _definitions(catalogue: Catalogue, kind: str) -> dict[str, object]:
    return dict(getattr(catalogue, f"{kind}s"))


def _same(current: Catalogue, edited: Catalogue, edit: TableEdit) -> bool:
    before = _definitions(current, edit.kind).get(edit.code)
    after = _definitions(edited, edit.kind).get(edit.code)
    if edit.kind == "indicator":
        return definition_hash(before) == definition_hash(after)  # type: ignore[arg-type]
    return before == after
