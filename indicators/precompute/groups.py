"""The territory sets every value is aggregated over, read from the database once per refresh.

Group codes: the hierarchy (``EPCI:…``, ``DEP:…``, ``REG:…``, ``FR``), the action plan's typology
classes (``TYPE:moins_20k``…), every named set (``GRP:<slug>``: programme members, test and
comparison territories) and each set's members of one class (``GRP:<slug>:<class>``). A territory
is a member only of groups above its own level, so that coverage counts the territories an
indicator of that level should be reported for.

A set of communes also reaches the EPCIs they belong to: an indicator published only by EPCI
(on-demand transport trips, say) is then aggregated over the EPCIs of a measure's test communes,
as the evaluation does, instead of giving the set no value at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.compute import GroupMembership, hierarchy_membership, prepare_membership
from indicators.store.frames import read_frame
from indicators.store.models import Membership, Territory, TerritorySet


@dataclass
class GroupIndex:
    """Membership frames by the level of their member territories, prepared once per refresh."""

    territories: pd.DataFrame
    memberships: dict[str, pd.DataFrame]
    _prepared: dict[str, GroupMembership] = field(default_factory=dict)

    def for_level(self, level: str) -> GroupMembership | None:
        if level not in self._prepared:
            frame = self.memberships.get(level)
            if frame is None or frame.empty:
                return None
            self._prepared[level] = prepare_membership(frame)
        return self._prepared[level]

    @property
    def populations(self) -> pd.Series:
        frame = self.territories.dropna(subset=["population"])
        return frame.set_index("code")["population"].astype("int64")


def load_group_index(session: Session) -> GroupIndex:
    territories = read_frame(
        session,
        select(
            Territory.code,
            Territory.level,
            Territory.population,
            Territory.typology,
            Territory.epci_code,
            Territory.departement_code,
            Territory.region_code,
        ),
        ["code", "level", "population", "typology", "epci", "departement", "region"],
    )
    sets = read_frame(
        session,
        select(TerritorySet.slug, Membership.territory_code).join(
            TerritorySet, TerritorySet.id == Membership.set_id
        ),
        ["slug", "territory"],
    )
    memberships: dict[str, list[pd.DataFrame]] = {}
    communes = territories[territories["level"] == "COM"]
    if not communes.empty:
        hierarchy = communes[["code", "departement", "region", "epci", "typology"]].fillna("")
        memberships.setdefault("COM", []).append(hierarchy_membership(hierarchy))
    for level, parents in (("EPCI", ("region",)), ("DEP", ("region",)), ("REG", ())):
        rows = territories[territories["level"] == level]
        frames = [pd.DataFrame({"group": "FR", "territory": rows["code"]})]
        for parent in parents:
            linked = rows[rows[parent].notna()]
            frames.append(pd.DataFrame({"group": linked[parent], "territory": linked["code"]}))
        if level == "EPCI":
            typed = rows[rows["typology"].notna()]
            frames.append(
                pd.DataFrame({"group": "TYPE:" + typed["typology"], "territory": typed["code"]})
            )
        memberships.setdefault(level, []).extend(frames)
    if not sets.empty:
        indexed = territories.set_index("code")
        sets = sets.assign(
            level=sets["territory"].map(indexed["level"]),
            typology=sets["territory"].map(indexed["typology"]),
            group="GRP:" + sets["slug"],
        )
        # each set is also split by typology class (``GRP:test-m1:moins_20k``): the overview and
        # the evaluation read a measure's test territories of one type without scanning values
        reached = pd.concat([sets, _epcis_of_communes(sets, indexed)], ignore_index=True)
        typed = reached.dropna(subset=["typology"])
        typed = typed.assign(group=typed["group"] + ":" + typed["typology"])
        # an EPCI reached by communes of two classes belongs to both classes' groups, once each
        sets = reached.drop_duplicates(["group", "territory"])
        typed = typed.drop_duplicates(["group", "territory"])
        for frame in (sets, typed):
            for set_level, rows in frame.groupby("level"):
                memberships.setdefault(str(set_level), []).append(rows[["group", "territory"]])
    return GroupIndex(
        territories=territories,
        memberships={
            level: pd.concat(frames, ignore_index=True) for level, frames in memberships.items()
        },
    )


def _epcis_of_communes(sets: pd.DataFrame, indexed: pd.DataFrame) -> pd.DataFrame:
    """The EPCI of each commune member, as a member of the same set at the EPCI level (with
    the commune's class: ``GRP:test-m3:moins_20k`` reaches the EPCIs of its small communes)."""
    communes = sets[sets["level"] == "COM"]
    epci = communes["territory"].map(indexed["epci"])
    found = communes.assign(territory=epci, level="EPCI")[epci.notna()]
    return found[["slug", "territory", "level", "typology", "group"]]
