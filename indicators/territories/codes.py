"""One normalisation of territory codes, reused by every upload.

:func:`normalise_code` turns what a partner wrote (text, number, empty cell) into a typed code
(``COM:75056``, ``EPCI:200054781``, ``DEP:2A``, ``REG:84``, ``FR``, ``GRP:<slug>``) and says how.
Before the rules, a value is *cleaned*: numbers become their digits (``75056.0`` -> ``75056``,
``1.0`` -> ``1``; the leading zeros a spreadsheet dropped are restored by the rules below),
spaces between digit groups and surrounding quotes are dropped, letters are upper-cased.

The rules are then tried in order, the first that answers decides: the table, with each rule's
name, what it reads and the status it gives, is in :mod:`.code_rules`.

``level`` is the level the caller expects (``"COM"``, ``"EPCI"``, ``"DEP"``, ``"REG"``, ``"FR"``)
or ``None`` to infer it. Without a level, a code that reads as two territories is *ambiguous*
and both readings are listed: the normaliser never guesses silently. "mapped" means the row now
counts for another territory than the one written, always with a French message to show; "ok"
may carry an informative message too (a restored zero, a ZA code).

Hot path: current codes written canonically (``"75056"``, ``"COM:75056"``, ``"200054781"``) are
answered by one dict lookup before any rule; :func:`normalise_codes` normalises each distinct
value once.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from .code_resolution import (
    HINT_LEVELS,
    LEVEL_NOUNS,
    CleanValue,
    CodeResolution,
    HintLevel,
    Rule,
    unknown_resolution,
)
from .code_rules import RULES
from .referential import Level, Referential, Territory, typed_code

# --- cleaning ---------------------------------------------------------------------------------

_SPACED_DIGITS: Final = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+")
_FLOAT_TEXT: Final = re.compile(r"(\d+)[.,]0+")
_TRIMMED: Final = " \t\r\n\u00a0\u202f\"'’"


def clean_value(raw: object, level: HintLevel | None = None) -> CleanValue:
    """Text of a raw cell; numbers lose their decimal part (their lost zeros are the rules' job)."""
    text, numeric = _clean(raw)
    return CleanValue(text, text.upper(), numeric, level)


def _clean(raw: object) -> tuple[str, bool]:
    if raw is None or raw is pd.NA or raw is pd.NaT:
        return "", False
    if isinstance(raw, bool):
        return str(raw), False
    if isinstance(raw, int | np.integer):
        return str(int(raw)), True
    if isinstance(raw, float | np.floating):
        value = float(raw)
        if math.isnan(value):
            return "", False
        return (str(int(value)), True) if value.is_integer() else (repr(value), True)
    # quotes and a leading apostrophe are how spreadsheets keep a code as text
    text = str(raw).strip(_TRIMMED)
    if _SPACED_DIGITS.fullmatch(text):
        return re.sub(r"\D", "", text), False
    float_text = _FLOAT_TEXT.fullmatch(text)
    if float_text:
        return float_text.group(1), True
    return text, False


# --- the normaliser ---------------------------------------------------------------------------


class CodeNormaliser:
    """The rules bound to one referential, with the fast-path table of canonical codes."""

    def __init__(self, referential: Referential, rules: Sequence[Rule] | None = None) -> None:
        self.referential = referential
        self.rules: tuple[Rule, ...] = tuple(RULES if rules is None else rules)
        self._fast = self._fast_table()

    def normalise(self, raw: object, level: str | None = None) -> CodeResolution:
        hint = hint_level(level)
        key = _fast_key(raw)
        if key is not None:
            known = self._fast.get(key)
            if known is not None and (hint is None or known.level == hint):
                return known
        return self.apply_rules(clean_value(raw, hint))

    def apply_rules(self, value: CleanValue) -> CodeResolution:
        for rule in self.rules:
            resolution = rule.apply(self, value)
            if resolution is not None:
                return resolution
        return unknown_resolution(value)

    def get(self, level: Level, local: str) -> Territory | None:
        return self.referential.territories.get(typed_code(level, local))

    def describe(self, code: str) -> str:
        """``"commune 75056 (Paris)"``, for messages."""
        territory = self.referential.territories.get(code)
        if territory is None:
            return code
        if territory.level == "FR":
            return "France entière"
        noun = LEVEL_NOUNS.get(territory.level, "arrondissement")
        return f"{noun} {territory.local_code} ({territory.name})"

    def _fast_table(self) -> dict[str, CodeResolution]:
        # must answer exactly what the rules would: tests compare both on every fixture code
        fast: dict[str, CodeResolution] = {}
        territories = self.referential.territories.values()
        regions = {t.local_code for t in territories if t.level == "REG"}
        local_rules: dict[Level, str] = {"COM": "commune", "EPCI": "epci", "DEP": "departement"}
        for territory in territories:
            level = territory.level
            rule = local_rules.get(level)
            if rule and territory.local_code not in regions:
                fast[territory.local_code] = CodeResolution(territory.code, "ok", rule, level=level)
            if level in ("COM", "EPCI", "DEP", "REG"):
                fast[territory.code] = CodeResolution(
                    territory.code, "ok", "typed-code", level=level
                )
        fast["FR"] = CodeResolution("FR", "ok", "france", level="FR")
        return fast


def _fast_key(raw: object) -> str | None:
    """The text a value is looked up by in the fast table; whole numbers count as their digits,
    since the rules read ``75056`` and ``75056.0`` exactly as ``"75056"``."""
    if type(raw) is str:
        return raw
    if type(raw) is int:
        return str(raw)
    if type(raw) is float and raw.is_integer():
        return str(int(raw))
    return None


def hint_level(level: str | None) -> HintLevel | None:
    """Validate a level hint; a wrong one is a programming error, not a data issue."""
    if level is None:
        return None
    upper = level.upper()
    for hint in HINT_LEVELS:
        if hint == upper:
            return hint
    raise ValueError(f"niveau inconnu : {level!r} (attendu : {', '.join(HINT_LEVELS)} ou None)")


# --- public entry points ----------------------------------------------------------------------

_NORMALISERS: weakref.WeakKeyDictionary[Referential, CodeNormaliser] = weakref.WeakKeyDictionary()


def normaliser_for(referential: Referential) -> CodeNormaliser:
    """The normaliser of a referential, built once (its fast-path table is ~70 k entries)."""
    normaliser = _NORMALISERS.get(referential)
    if normaliser is None:
        normaliser = _NORMALISERS[referential] = CodeNormaliser(referential)
    return normaliser


def normalise_code(
    raw: object, referential: Referential, level: str | None = None
) -> CodeResolution:
    """Normalise one value; ``level`` is the level expected (``"COM"``…) or ``None`` to infer."""
    return normaliser_for(referential).normalise(raw, level)


RESOLUTION_COLUMNS: Final = ("code", "status", "rule", "message", "suggestion")


def normalise_codes(
    values: pd.Series | Sequence[object] | Iterable[object],
    referential: Referential,
    level: str | None = None,
) -> pd.DataFrame:
    """Normalise many values, each distinct value once; one row per input, same index.

    Columns: :data:`RESOLUTION_COLUMNS`, of object dtype (``None`` where a field is absent).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    normaliser = normaliser_for(referential)
    positions, uniques = pd.factorize(series.astype(object), use_na_sentinel=False)
    resolutions = [normaliser.normalise(value, level) for value in uniques]
    return pd.DataFrame(
        {
            name: _as_objects([getattr(r, name) for r in resolutions])[positions]
            for name in RESOLUTION_COLUMNS
        },
        index=series.index,
        dtype=object,
    )


def _as_objects(values: list[object]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def resolve_many(
    values: Iterable[object], referential: Referential, level: str | None = None
) -> list[CodeResolution]:
    """The :class:`CodeResolution` of each value, each distinct value normalised once."""
    normaliser = normaliser_for(referential)
    cache: dict[tuple[type, object], CodeResolution] = {}
    resolutions: list[CodeResolution] = []
    for value in values:
        try:
            key = (type(value), value)
            found = cache.get(key)
            if found is None:
                found = cache[key] = normaliser.normalise(value, level)
        except TypeError:  # an unhashable cell (a list from JSON): no caching, still an answer
            found = normaliser.normalise(value, level)
        resolutions.append(found)
    return resolutions


__all__ = [
    "HINT_LEVELS",
    "RESOLUTION_COLUMNS",
    "RULES",
    "CleanValue",
    "CodeNormaliser",
    "CodeResolution",
    "HintLevel",
    "Rule",
    "clean_value",
    "hint_level",
    "normalise_code",
    "normalise_codes",
    "normaliser_for",
    "resolve_many",
]
