"""The definitions saved from the administration pages, kept in the database (issue #14).

Where the edits live: in the ``catalogue_edit`` table, never in the files, so that every gunicorn
worker and every host sees the same catalogue at once and a deployment's files stay as written.
The catalogue in service is the files of ``SUIVI_CATALOGUE_DIR`` with the latest edit of each
(kind, code) laid over them (:func:`catalogue_in_service`); ``suivi catalogue export`` writes it
back as files. Saving an edit (``indicators.precompute.catalogue_edit``) adds a row: the earlier
rows stay, as the definition's dated history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from indicators.catalogue.loader import load_catalogue
from indicators.catalogue.model import Catalogue
from indicators.catalogue.tables import TableEdit
from indicators.config import Settings
from indicators.store import engine_for
from indicators.store.models import CatalogueEdit


@dataclass(frozen=True)
class SavedEdit:
    """One row of an edit's history."""

    id: int
    kind: str
    code: str
    table: dict[str, Any]
    username: str | None
    created_at: datetime


def catalogue_edits(session: Session) -> list[TableEdit]:
    """The edit in force of each (kind, code), in the order they were first saved."""
    latest: dict[tuple[str, str], TableEdit] = {}
    for row in session.scalars(select(CatalogueEdit).order_by(CatalogueEdit.id)):
        key = (row.kind, row.code)
        latest[key] = TableEdit(row.kind, row.code, dict(row.definition))  # keeps its place
    return list(latest.values())


def edits_stamp(session: Session) -> tuple[int, int]:
    """Changes with every saved edit (count and last id): what a catalogue cache is keyed by."""
    count, last = session.execute(
        select(func.count(CatalogueEdit.id), func.max(CatalogueEdit.id))
    ).one()
    return int(count or 0), int(last or 0)


def edit_history(session: Session, kind: str, code: str) -> list[SavedEdit]:
    """Every saved version of one definition, the oldest first."""
    rows = session.scalars(
        select(CatalogueEdit)
        .where(CatalogueEdit.kind == kind, CatalogueEdit.code == code)
        .order_by(CatalogueEdit.id)
    )
    return [
        SavedEdit(row.id, row.kind, row.code, dict(row.definition), row.username, row.created_at)
        for row in rows
    ]


def catalogue_in_service(
    engine: Engine | None, directory: Path | None = None
) -> tuple[Catalogue, list[TableEdit]]:
    """The files (``directory``, else ``SUIVI_CATALOGUE_DIR``) with the database's edits laid
    over them, and those edits; raises ``CatalogueValidationError`` like ``load_catalogue``."""
    edits = stored_edits(engine) if engine is not None else []
    return load_catalogue(directory, edits), edits


def stored_edits(engine: Engine) -> list[TableEdit]:
    """The edits in ``engine``'s database; none when it has no ``catalogue_edit`` table yet (a
    database not initialised, or older than the administration pages)."""
    with Session(engine) as session:
        if not inspect(session.connection()).has_table(CatalogueEdit.__tablename__):
            return []
        return catalogue_edits(session)


def settings_engine(settings: Settings) -> Engine | None:
    """The engine of ``settings``' database when there is one to read, without creating it: a
    SQLite file that does not exist yet has no edits."""
    url = settings.effective_database_url
    if url.startswith("sqlite") and not _sqlite_file_exists(url):
        return None
    try:
        engine = engine_for(settings)
        with engine.connect():
            return engine
    except SQLAlchemyError:
        return None


def _sqlite_file_exists(url: str) -> bool:
    path = url.split("///", 1)[1] if "///" in url else ""
    return bool(path) and path != ":memory:" and Path(path).expanduser().is_file()


def deployed_catalogue(settings: Settings) -> Catalogue:
    """The catalogue a command works with: ``settings``' files and its database's edits."""
    engine = settings_engine(settings)
    try:
        return catalogue_in_service(engine, settings.catalogue_dir)[0]
    finally:
        if engine is not None:
            engine.dispose()
