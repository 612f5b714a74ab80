"""The two layouts every partner may use without a profile, recognised by their column names.

- **long** (canonical): ``indicateur``, ``territoire``, ``periode``, ``valeur`` and optionally
  ``type_valeur``, ``statut``, ``commentaire`` (English names ``indicator``, ``territory``,
  ``period``, ``value``, ``value_type``, ``status``, ``comment`` too; case, accents and
  ``_``/spaces do not matter);
- **wide**: ``territoire``, ``periode`` (and optionally ``type_valeur``) plus one column per
  indicator, named by its catalogue code.

Each is turned into a :class:`~indicators.ingest.profile.Profile`, so the same engine reads them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Final, Literal

from indicators.catalogue import Catalogue
from indicators.ingest.issues import Issue
from indicators.ingest.profile import IndicatorSpec, PeriodSpec, Profile, ValueSpec, ValueTypeSpec
from indicators.issue_codes import IssueCode
from indicators.territories.folding import fold_identifier

Layout = Literal["long", "wide", "profile"]

ALIASES: Final = {
    "indicator": ("indicateur", "indicator", "codeindicateur", "indicatorcode"),
    "territory": ("territoire", "territory", "codeterritoire", "territorycode"),
    "period": ("periode", "period"),
    "value": ("valeur", "value"),
    "value_type": ("typevaleur", "valuetype", "typedevaleur"),
    "status": ("statut", "status"),
    "comment": ("commentaire", "comment", "commentaires", "comments"),
}
_CODE_LIKE: Final = re.compile(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+")


@dataclass(frozen=True)
class DetectedLayout:
    layout: Layout
    profile: Profile
    issues: tuple[Issue, ...] = ()


def find_columns(columns: Sequence[str]) -> dict[str, str]:
    """Role -> column name, for the roles of the canonical layout present in ``columns``."""
    folded = {fold_identifier(column): column for column in reversed(columns)}
    found: dict[str, str] = {}
    for role, names in ALIASES.items():
        for name in names:
            if name in folded:
                found[role] = folded[name]
                break
    return found


def detect_layout(columns: Sequence[str], catalogue: Catalogue) -> DetectedLayout | None:
    """The long or wide layout the columns follow, or ``None`` (then a profile is needed)."""
    roles = find_columns(columns)
    if "territory" not in roles or "period" not in roles:
        return None
    value_type = ValueTypeSpec(column=roles["value_type"]) if "value_type" in roles else None
    if "indicator" in roles and "value" in roles:
        profile = Profile(
            territory_column=roles["territory"],
            period=PeriodSpec(column=roles["period"]),
            indicator=IndicatorSpec(column=roles["indicator"]),
            value_type=value_type,
            values=(ValueSpec(column=roles["value"]),),
            status_column=roles.get("status"),
            comment_column=roles.get("comment"),
            name="format long",
        )
        return DetectedLayout("long", profile)
    used = set(roles.values())
    codes = {code.upper(): code for code in catalogue.indicators}
    values: list[ValueSpec] = []
    issues: list[Issue] = []
    for column in columns:
        if column in used:
            continue
        code = codes.get(column.strip().upper())
        if code is not None:
            values.append(ValueSpec(column=column, indicator=code))
        elif _CODE_LIKE.fullmatch(column.strip().upper()):
            issues.append(unknown_indicator_column(column, codes))
    if not values:
        return None
    profile = Profile(
        territory_column=roles["territory"],
        period=PeriodSpec(column=roles["period"]),
        value_type=value_type,
        values=tuple(values),
        name="format large",
    )
    return DetectedLayout("wide", profile, tuple(issues))


def unknown_indicator_column(column: str, codes: dict[str, str]) -> Issue:
    close = get_close_matches(column.strip().upper(), list(codes), n=1, cutoff=0.75)
    hint = f" ; vouliez-vous dire {codes[close[0]]} ?" if close else ""
    return Issue(
        1,
        column,
        IssueCode.UNKNOWN_INDICATOR,
        column,
        f"Colonne « {column} » : aucun indicateur de ce code dans le catalogue{hint} ; "
        "colonne ignorée",
    )
