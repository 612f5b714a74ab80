"""What pages and routes read: the catalogue, the referential and the values, cached.

Static things (catalogue, referential, search index, geometry) load once per process. Values are
memoized in the shared cache with the data version in the key: every load bumps it, so every
worker and host sees new data at once, and nothing stale needs deleting.
"""

from __future__ import annotations

from functools import cache as process_cache
from pathlib import Path

import numpy as np
import pandas as pd
from flask import g, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from dashboard.cache import by_data_version
from dashboard.context import app_context, db_session
from indicators.catalogue import Catalogue, load_catalogue
from indicators.catalogue.edits import catalogue_edits, edits_stamp
from indicators.precompute import map_values, periods_available, series, series_of_many
from indicators.store.models import DataVersion
from indicators.territories.referential import Referential, load_referential
from indicators.territories.search import SearchIndex, build_search_index


def catalogue() -> Catalogue:
    """The app's catalogue: the files of its settings' ``catalogue_dir`` (``SUIVI_CATALOGUE_DIR``)
    with the definitions saved on the administration pages laid over them (issue #14); the
    environment's files outside an application context.

    Each process keeps the catalogue of the latest edits it has seen. The edits' stamp is read
    from the database once per request: a definition saved by one worker is seen by every worker
    and host at their next request. A database that cannot be read leaves the files alone."""
    if not has_app_context():
        return _catalogue(None)
    known: Catalogue | None = g.get("suivi_catalogue")
    if known is None:
        known = g.suivi_catalogue = _catalogue_in_service()
    return known


def _catalogue_in_service() -> Catalogue:
    settings = app_context().settings
    key = (settings.effective_database_url, settings.catalogue_dir)
    try:
        with db_session() as session:
            stamp = edits_stamp(session)
            latest = _IN_SERVICE.get(key)
            if latest is not None and latest[0] == stamp:
                return latest[1]
            if stamp == (0, 0):
                found = _catalogue(settings.catalogue_dir)
            else:
                found = load_catalogue(settings.catalogue_dir, catalogue_edits(session))
    except SQLAlchemyError:
        return _catalogue(settings.catalogue_dir)
    _IN_SERVICE[key] = (stamp, found)
    return found


def forget_catalogue() -> None:
    """After saving an edit: the rest of this request reads the catalogue again."""
    g.pop("suivi_catalogue", None)


# (database, catalogue directory) -> (edits stamp, catalogue): the latest one of each app
_IN_SERVICE: dict[tuple[str, Path | None], tuple[tuple[int, int], Catalogue]] = {}


@process_cache
def _catalogue(directory: Path | None) -> Catalogue:
    return load_catalogue(directory)


def referential() -> Referential:
    return _referential(str(app_context().settings.reference_dir))


@process_cache
def _referential(directory: str) -> Referential:
    from pathlib import Path

    return load_referential(Path(directory))


def search_index() -> SearchIndex:
    return _search_index(str(app_context().settings.reference_dir))


@process_cache
def _search_index(directory: str) -> SearchIndex:
    return build_search_index(_referential(directory))


def data_version() -> int:
    with db_session() as session:
        return int(session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0)


def unusable_as_missing(values: pd.DataFrame) -> pd.DataFrame:
    """A value stored as NaN or an infinity is no value: its row becomes ``missing`` (issue #11),
    so no chart, sentence or file shows "nan" or "inf"."""
    numbers = pd.to_numeric(values["value"], errors="coerce").astype(float)
    broken = (values["status"] == "ok") & ~np.isfinite(numbers)
    if not broken.any():
        return values
    values = values.copy()
    values.loc[broken, "status"] = "missing"
    values.loc[broken, "value"] = np.nan
    return values


@by_data_version
def values_for_map(
    indicator: str, period: str, level: str, within: str | None = None
) -> pd.DataFrame:
    """Values of every territory of ``level`` (``within`` a département for communes)."""
    with db_session() as session:
        return unusable_as_missing(map_values(session, indicator, period, level, within))


@by_data_version
def values_over_time(indicator: str, territory: str) -> pd.DataFrame:
    with db_session() as session:
        return unusable_as_missing(series(session, indicator, territory))


@by_data_version
def values_over_time_of_many(indicator: str, territories: tuple[str, ...]) -> pd.DataFrame:
    """Values over time of several territories (a tuple: the cache key must be hashable)."""
    with db_session() as session:
        return unusable_as_missing(series_of_many(session, indicator, list(territories)))


@by_data_version
def periods_of(indicator: str) -> list[str]:
    with db_session() as session:
        return periods_available(session, indicator)


def typology_of(territory: str) -> str | None:
    from indicators.territories.typology import typology_of as classify

    try:
        return classify(referential(), territory)
    except KeyError:
        return None
