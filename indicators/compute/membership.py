"""Territory sets: who belongs to which group, deduplicated once, and the hierarchy groups.

A group is any set of territories an aggregate is computed over: a département, an EPCI, France,
a typology class, a programme's members, the test or comparison territories of a measure.
Memberships are non-exclusive; a (group, territory) pair listed twice counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from .observations import check_columns

MEMBERSHIP_COLUMNS: Final = ("group", "territory")
HIERARCHY_COLUMNS: Final = ("code", "departement", "region", "epci", "typology")
FRANCE: Final = "FR"

# Group prefix of each column of the commune table.
_PREFIXES: Final = (
    ("departement", "DEP"),
    ("region", "REG"),
    ("epci", "EPCI"),
    ("typology", "TYPE"),
)

IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class GroupMembership:
    """Distinct (group, territory) pairs, sorted by group, as positions into ``groups`` and
    ``territories``.

    Build it with :func:`prepare_membership`, once, and pass it to every ``aggregate`` call
    of a refresh: it saves hashing the membership strings for each indicator.
    """

    groups: pd.Index  # sorted
    territories: pd.Index
    group_position: IntArray  # non-decreasing
    territory_position: IntArray
    group_starts: IntArray  # index of the first pair of each group

    @property
    def sizes(self) -> IntArray:
        """Number of distinct members of each group (the ``n`` of the coverage)."""
        return np.diff(np.append(self.group_starts, len(self.group_position)))


def prepare_membership(membership: pd.DataFrame) -> GroupMembership:
    """Deduplicate a membership frame (columns ``group``, ``territory``)."""
    check_columns(membership, MEMBERSHIP_COLUMNS, "appartenances")
    group_codes, groups = pd.factorize(membership["group"].to_numpy(dtype=object))
    territory_codes, territories = pd.factorize(membership["territory"].to_numpy(dtype=object))
    if (group_codes < 0).any() or (territory_codes < 0).any():
        raise ValueError("appartenances : groupe ou territoire vide")
    order = np.argsort(groups.astype(str))  # sort the few groups, not the many rows
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    pairs = np.sort(rank[group_codes].astype(np.int64) * len(territories) + territory_codes)
    pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])[: len(pairs)]]  # np.unique: slower
    group_position, territory_position = np.divmod(pairs, max(len(territories), 1))
    changes = np.flatnonzero(np.diff(group_position)) + 1
    return GroupMembership(
        groups=pd.Index(np.asarray(groups, dtype=object)[order], dtype=object),
        territories=pd.Index(territories, dtype=object),
        group_position=group_position.astype(np.intp),
        territory_position=territory_position.astype(np.intp),
        group_starts=np.concatenate([[0], changes]).astype(np.intp)[: len(groups)],
    )


def hierarchy_membership(territories: pd.DataFrame) -> pd.DataFrame:
    """Groups of each commune row: ``DEP:xx``, ``REG:xx``, ``EPCI:xxx``, ``FR``, ``TYPE:class``.

    ``territories`` has the columns ``code`` (the commune's code, copied as is into
    ``territory``), ``departement``, ``region``, ``epci`` and ``typology``; their values may be
    local (``01``) or already typed (``DEP:01``). An empty cell (a commune outside any EPCI, or
    without a class) gives no membership for that column.
    """
    check_columns(territories, HIERARCHY_COLUMNS, "territoires")
    codes = territories["code"].astype(object)
    frames = [pd.DataFrame({"group": FRANCE, "territory": codes.to_numpy()}, dtype=object)]
    for column, prefix in _PREFIXES:
        # a few hundred distinct values for 35,000 communes: type each once, then spread
        positions, distinct = pd.factorize(territories[column].astype(object))
        text = pd.Series(distinct, dtype=object).astype(str).str.strip()
        typed = text.where(text.str.startswith(f"{prefix}:"), f"{prefix}:" + text)
        usable = np.append((text != "").to_numpy(), False)  # position -1: an empty cell
        present = usable[positions]
        groups = typed.to_numpy(dtype=object)[positions[present]]
        frame = pd.DataFrame({"group": groups, "territory": codes[present].to_numpy()})
        frames.append(frame.astype(object))
    result = pd.concat(frames, ignore_index=True).drop_duplicates()
    return result.sort_values(["group", "territory"], ignore_index=True)
