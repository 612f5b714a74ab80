"""Territory codes of a file, through the one normaliser of :mod:`indicators.territories.codes`.

Each distinct value is normalised once (a million rows name a few thousand territories). A code
that reads as two levels (``84``: département or région) is settled by the indicator when only one
of the readings is a level the indicator is published at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.ingest.issues import Issue, issues_where
from indicators.ingest.text_columns import TextColumn
from indicators.issue_codes import IssueCode
from indicators.territories import CodeResolution, Referential, normaliser_for
from indicators.territories.level_inference import infer_level_of_resolutions

MAPPED_CODES: Final[Mapping[str, IssueCode]] = {
    "arrondissement": IssueCode.MAPPED_ARRONDISSEMENT,
    "old-commune-code": IssueCode.MAPPED_OLD_CODE,
    "corsica-20": IssueCode.MAPPED_CORSICAN_CODE,
}
FAILED_CODES: Final[Mapping[str, IssueCode]] = {
    "missing": IssueCode.EMPTY_TERRITORY,
    "placeholder": IssueCode.DUMMY_ROW,
    "outside-referential": IssueCode.OUTSIDE_REFERENTIAL,
    "level-mismatch": IssueCode.WRONG_LEVEL,
}
LEVEL_ORDER: Final = ("COM", "EPCI", "DEP", "REG", "FR")
LEVEL_NAMES: Final[Mapping[str, str]] = {
    "COM": "commune",
    "EPCI": "EPCI",
    "DEP": "département",
    "REG": "région",
    "FR": "France",
    "GRP": "groupe",
}


def level_of(code: str) -> str:
    """``COM:01001`` -> ``COM``; ``FR`` -> ``FR``."""
    return code.partition(":")[0]


@dataclass(frozen=True)
class TerritoryColumn:
    """The resolution of each distinct value, and for each row the index of its value."""

    text: TextColumn
    resolutions: tuple[CodeResolution, ...]
    by_value: Mapping[str, CodeResolution]
    inferred_level: str | None = None  # the level every code of the column fits (issue #14)


def resolve_territories(
    column: TextColumn, referential: Referential, level: str | None
) -> TerritoryColumn:
    normaliser = normaliser_for(referential)
    resolutions = tuple(normaliser.normalise(str(value), level) for value in column.uniques)
    by_value = {str(value): r for value, r in zip(column.uniques, resolutions, strict=True)}
    return TerritoryColumn(column, resolutions, by_value)


def settle_by_file_level(column: TerritoryColumn, name: str) -> tuple[TerritoryColumn, list[Issue]]:
    """The column with the level all its codes fit, and one warning for the file (issue #14:
    ``1``…``95``, ``2A``, ``971`` are départements as a whole, not 18 codes each an error of
    ``1`` = département or région). A column of mixed levels is left as it is.

    :func:`check_territories` reads an ambiguous code at that level unless the row's indicator
    settles it otherwise (a région-only indicator's ``84`` stays the région)."""
    inference = infer_level_of_resolutions(column.resolutions)
    if not inference.settles_ambiguity or inference.level is None:
        return column, []
    warning = Issue(
        None, name, IssueCode.LEVEL_INFERRED, inference.level, inference.message, "warning"
    )
    return replace(column, inferred_level=inference.level), [warning]


def _per_value(values: list[object]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


# what goes wrong with a value, as small integers so that rows compare fast
_FAILURES: Final[tuple[IssueCode | None, ...]] = (
    None,
    *FAILED_CODES.values(),
    IssueCode.UNKNOWN_TERRITORY,
    IssueCode.AMBIGUOUS_TERRITORY,
)
_MAPPINGS: Final[tuple[IssueCode | None, ...]] = (None, *MAPPED_CODES.values())


def _level_index(code: str | None) -> int:
    """Position of the code's level in :data:`LEVEL_ORDER`; -1 for a group or no code."""
    level = level_of(code) if code else ""
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else -1


def _failure_kind(resolution: CodeResolution) -> int:
    if resolution.status == "ambiguous":
        return _FAILURES.index(IssueCode.AMBIGUOUS_TERRITORY)
    if resolution.code is not None:
        return 0
    return _FAILURES.index(FAILED_CODES.get(resolution.rule, IssueCode.UNKNOWN_TERRITORY))


def _mapping_kind(resolution: CodeResolution) -> int:
    if resolution.status != "mapped":
        return 0
    code = MAPPED_CODES.get(resolution.rule)
    return _MAPPINGS.index(code) if code else 0


def check_territories(
    column: TerritoryColumn,
    rows: npt.NDArray[np.intp],
    indicators: npt.NDArray[np.object_],
    allowed: Mapping[str, frozenset[str]],
    lines: npt.NDArray[np.int64],
    name: str,
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_], list[Issue]]:
    """Typed codes of ``rows`` (``None`` when rejected), the error mask and the issues.

    ``indicators`` gives each row's indicator code (``None`` when unknown: no level check) and
    ``allowed`` the levels each indicator is published at; ``lines`` are those of ``rows``.
    """
    resolutions = column.resolutions
    positions = column.text.codes[rows]
    raw = column.text.uniques[positions]
    codes = _per_value([r.code for r in resolutions])[positions]
    levels = np.array([_level_index(r.code) for r in resolutions], dtype=np.int64)[positions]
    failures = np.array([_failure_kind(r) for r in resolutions], dtype=np.int64)[positions]
    mappings = np.array([_mapping_kind(r) for r in resolutions], dtype=np.int64)[positions]
    by_value = column.by_value

    ambiguous = _FAILURES.index(IssueCode.AMBIGUOUS_TERRITORY)
    for index in np.flatnonzero(failures == ambiguous):
        candidates = by_value[str(raw[index])].candidates
        published = allowed.get(str(indicators[index]), frozenset())
        fitting = [code for code in candidates if level_of(code) in published]
        if len(fitting) != 1 and column.inferred_level is not None:
            inferred = column.inferred_level
            fitting = [code for code in fitting or candidates if level_of(code) == inferred]
        if len(fitting) == 1:  # the indicator's levels, else the file's level, settle it
            codes[index], failures[index] = fitting[0], 0
            levels[index] = _level_index(fitting[0])
    issues: list[Issue] = []
    for kind, code in enumerate(_FAILURES):
        if code is None:
            continue
        mask = failures == kind
        issues += issues_where(mask, lines, name, code, raw, lambda v: _failure(by_value[v]))
    for kind, code in enumerate(_MAPPINGS):
        if code is None:
            continue
        mask = mappings == kind
        issues += issues_where(
            mask, lines, name, code, raw, lambda v: by_value[v].message, "warning"
        )
    errors = failures != 0
    wrong = _levels_not_allowed(indicators, levels, allowed) & ~errors
    for index in np.flatnonzero(wrong):
        indicator = str(indicators[index])
        level = LEVEL_ORDER[levels[index]] if levels[index] >= 0 else level_of(str(codes[index]))
        admitted = ", ".join(LEVEL_NAMES[lv] for lv in LEVEL_ORDER if lv in allowed[indicator])
        issues.append(
            Issue(
                int(lines[index]),
                name,
                IssueCode.LEVEL_NOT_ALLOWED,
                str(raw[index]),
                f"{indicator} n'est pas publié au niveau {LEVEL_NAMES.get(level, level)} "
                f"({codes[index]}) : niveaux admis {admitted}",
            )
        )
    errors |= wrong
    codes[errors] = None
    return codes, errors, issues


def _levels_not_allowed(
    indicators: npt.NDArray[np.object_],
    levels: npt.NDArray[np.int64],
    allowed: Mapping[str, frozenset[str]],
) -> npt.NDArray[np.bool_]:
    """Rows whose level the indicator is not published at, by a table lookup per row."""
    found, names = pd.factorize(indicators, use_na_sentinel=True)
    table = np.zeros((len(names) + 1, len(LEVEL_ORDER) + 1), dtype=bool)
    for row, name in enumerate(names):
        for column, level in enumerate(LEVEL_ORDER):
            table[row, column] = level in allowed.get(str(name), frozenset())
    table[-1, :] = True  # no indicator (already rejected): nothing to say
    permitted = table[np.where(found < 0, len(names), found), np.where(levels < 0, -1, levels)]
    return ~permitted


def _failure(resolution: CodeResolution) -> str:
    message = resolution.message or "Territoire inconnu"
    if resolution.suggestion:
        message += f" (suggestion : {resolution.suggestion})"
    return message
