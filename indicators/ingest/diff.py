"""Compare the valid values of a file with the stored ones: what would be created, changed (old
-> new), left unchanged, and — when the file replaces its scope — withdrawn.

Only reads. The stored values are fetched per indicator for the periods the file holds (the
``ix_observation_map`` index), and for its territories only when they are few.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.ingest.keys import KEY
from indicators.store.database import current_data_version
from indicators.store.frames import fetch_rows
from indicators.store.models import Observation

Action = Literal["created", "updated", "unchanged", "withdrawn"]
STORED = ["id", *KEY, "old_value", "old_status", "old_comment", "old_load_id"]
# a stored observation as both the comparison and the rollback read it (id, key, value, status,
# comment, load)
OBSERVATION_COLUMNS: Final = (
    Observation.id,
    Observation.indicator_code,
    Observation.territory_code,
    Observation.period,
    Observation.value_type,
    Observation.value,
    Observation.status,
    Observation.comment,
    Observation.load_id,
)
_IN_LIMIT: Final = 500  # SQL parameters per IN list, far below every database's limit


@dataclass(frozen=True)
class Changes:
    """``rows``: one row per value of the file (``action``: created, updated or unchanged), then
    one per stored value withdrawn; with the stored state (``old_*``, ``id``) beside the new.
    ``data_version``: the version the comparison was made against."""

    rows: pd.DataFrame
    data_version: int

    @cached_property
    def _counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.rows["action"].value_counts().items()}

    def count(self, action: Action) -> int:
        return self._counts.get(action, 0)

    @property
    def writes(self) -> pd.DataFrame:
        return self.rows[self.rows["action"] != "unchanged"]

    def stored_after(self) -> pd.DataFrame:
        """Each value of the file, and each one withdrawn, as it is stored once the load is
        written: an unchanged value keeps the stored number (equal to 1e-12, not to the bit)."""
        rows = self.rows
        unchanged = (rows["action"] == "unchanged").to_numpy()
        new, old = rows["value"].to_numpy(dtype=float), rows["old_value"].to_numpy(dtype=float)
        return rows[[*KEY, "status"]].assign(value=np.where(unchanged, old, new))

    def changed_keys(self) -> dict[str, set[str]]:
        """Indicator -> periods whose values (not baselines or targets) change."""
        writes = self.writes
        pairs = writes.loc[writes["value_type"] == "valeur", ["indicator", "period"]]
        keys: dict[str, set[str]] = {}
        for indicator, period in pairs.drop_duplicates().itertuples(index=False):
            keys.setdefault(str(indicator), set()).add(str(period))
        return keys


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _IN_LIMIT):
        yield values[start : start + _IN_LIMIT]


def stored_values(session: Session, values: pd.DataFrame) -> pd.DataFrame:
    """Stored rows of the indicators × periods (× territories, when few) of ``values``."""
    territories = values["territory"].unique()
    by_territory = len(territories) <= _IN_LIMIT
    rows: list[tuple[object, ...]] = []
    for indicator, periods in values.groupby("indicator")["period"]:
        for chunk in _chunks(sorted(periods.unique())):
            query = select(*OBSERVATION_COLUMNS).where(
                Observation.indicator_code == indicator, Observation.period.in_(chunk)
            )
            if by_territory:
                query = query.where(Observation.territory_code.in_(territories.tolist()))
            rows += fetch_rows(session, query)  # the driver's tuples: no Row per value
    stored = pd.DataFrame.from_records(rows, columns=STORED)
    return stored.astype({"old_value": "float64"})


def compare(
    session: Session, values: pd.DataFrame, *, has_comments: bool, replace_scope: bool
) -> Changes:
    version = current_data_version(session)
    stored = stored_values(session, values) if not values.empty else pd.DataFrame(columns=STORED)
    # values of an indicator × period with nothing stored are new: no need to match them
    held = _with_stored_pair(values, stored)
    fresh = values[~held].assign(
        id=np.nan, old_value=np.nan, old_status=None, old_comment=None, old_load_id=np.nan,
        action="created",
    )  # fmt: skip
    merged = values[held].merge(stored, on=KEY, how="left", validate="one_to_one")
    exists = merged["id"].notna().to_numpy()
    if not has_comments:  # a file without comments keeps the stored ones
        merged["comment"] = merged["old_comment"].where(exists, None)
        fresh["comment"] = None
    new, old = merged["value"].to_numpy(float), merged["old_value"].to_numpy(float)
    same_value = (np.isnan(new) & np.isnan(old)) | np.isclose(new, old, rtol=1e-12, atol=0.0)
    same = (
        exists
        & same_value
        & (merged["status"].to_numpy() == merged["old_status"].to_numpy())
        & _same_text(merged["comment"], merged["old_comment"])
    )
    merged["action"] = np.select([~exists, same], ["created", "unchanged"], "updated")
    parts = [part for part in (merged, fresh) if not part.empty]
    if replace_scope and not values.empty:
        parts.append(_withdrawn(values, stored))
    rows = pd.concat(parts, ignore_index=True) if parts else merged
    return Changes(rows, version)


def _with_stored_pair(values: pd.DataFrame, stored: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Rows whose indicator × period has at least one stored value (a table lookup per row)."""
    if stored.empty or values.empty:
        return np.zeros(len(values), dtype=bool)
    indicator_codes, indicators = pd.factorize(values["indicator"])
    period_codes, periods = pd.factorize(values["period"])
    table = np.zeros((len(indicators), len(periods)), dtype=bool)
    pairs = stored[["indicator", "period"]].drop_duplicates()
    for indicator, period in zip(pairs["indicator"], pairs["period"], strict=True):
        table[indicators.get_loc(indicator), periods.get_loc(period)] = True
    return np.asarray(table[indicator_codes, period_codes])


def _same_text(new: pd.Series, old: pd.Series) -> np.ndarray:  # type: ignore[type-arg]
    left = new.fillna("").astype(str).to_numpy()
    right = old.fillna("").astype(str).to_numpy()
    return np.asarray(left == right)


def _withdrawn(values: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Stored values of the file's indicator × territory × period × value type scope that the
    file no longer holds; those already withdrawn stay as they are."""
    in_scope = (
        stored["indicator"].isin(set(values["indicator"]))
        & stored["territory"].isin(set(values["territory"]))
        & stored["period"].isin(set(values["period"]))
        & stored["value_type"].isin(set(values["value_type"]))
        & (stored["old_status"] != "withdrawn")
    )
    candidates = stored[in_scope]
    held = pd.MultiIndex.from_frame(values[KEY])
    gone = candidates[~pd.MultiIndex.from_frame(candidates[KEY]).isin(held)]
    return gone.assign(
        value=np.nan, status="withdrawn", comment=gone["old_comment"], line=None, column=None,
        action="withdrawn",
    )  # fmt: skip
