"""The level of a territory column as a whole, inferred from all its distinct codes (issue #14).

A code alone may read as two levels (``1``: département 01 or région 01), but a column rarely
mixes them: a file whose 101 distinct codes only all fit départements is a file of départements.
:func:`infer_level` says which level every code of a column fits, with counts and a French
sentence for the person ("Les 101 codes peuvent être des départements, dont 83 ne peuvent être
que cela : colonne lue comme départements"). The ingest uses it when the profile names no level;
the import assistant can call it on a column to fill in its level guess.

Only codes with a reading at a level count: empty cells, unknown codes, the France total (``FR``)
and named groups neither vote nor prevent a guess. Values that fit no common level (a commune
next to a département, ``R84`` next to ``2A``) leave the column mixed: no level is inferred, and
each ambiguous line keeps its own error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, cast

from .code_resolution import CodeResolution
from .codes import normaliser_for
from .referential import Level, Referential

INFERRED_LEVELS: Final = ("COM", "EPCI", "DEP", "REG")
PLURALS: Final[Mapping[str, str]] = {
    "COM": "communes",
    "EPCI": "EPCI",
    "DEP": "départements",
    "REG": "régions",
}
SINGULARS: Final[Mapping[str, str]] = {
    "COM": "une commune",
    "EPCI": "un EPCI",
    "DEP": "un département",
    "REG": "une région",
}


@dataclass(frozen=True)
class LevelInference:
    """What the distinct codes of a column say about its level.

    ``level``: the one level every counted code fits (``None``: none or several); ``counted``:
    distinct codes with a reading at some level; ``fitting[L]``: those with a reading at ``L``;
    ``only[L]``: those that can only be ``L``; ``ambiguous``: those with several readings.
    """

    level: str | None
    counted: int
    ambiguous: int
    fitting: Mapping[str, int] = field(default_factory=dict)
    only: Mapping[str, int] = field(default_factory=dict)
    message: str = ""

    @property
    def settles_ambiguity(self) -> bool:
        """A level was inferred and it decides codes that alone were ambiguous."""
        return self.level is not None and self.ambiguous > 0


def readings(resolution: CodeResolution) -> frozenset[str]:
    """The levels a resolved or ambiguous code may stand for (FR and groups excluded)."""
    codes = (resolution.code,) if resolution.code is not None else resolution.candidates
    return frozenset(
        level for code in codes for level in (code.partition(":")[0],) if level in INFERRED_LEVELS
    )


def infer_level_of_resolutions(resolutions: Sequence[CodeResolution]) -> LevelInference:
    """The inference over resolutions of *distinct* values (each value counts once)."""
    read = [found for found in (readings(r) for r in resolutions) if found]
    counted = len(read)
    fitting = {level: sum(level in found for found in read) for level in INFERRED_LEVELS}
    only = {level: sum(found == {level} for found in read) for level in INFERRED_LEVELS}
    ambiguous = sum(len(found) > 1 for found in read)
    fits = [level for level in INFERRED_LEVELS if counted and fitting[level] == counted]
    level = fits[0] if len(fits) == 1 else None
    return LevelInference(
        level, counted, ambiguous, fitting, only, _sentence(level, fits, counted, ambiguous, only)
    )


def infer_level(values: Iterable[object], referential: Referential) -> LevelInference:
    """The level the distinct ``values`` of a column all fit, read without a level hint."""
    normaliser = normaliser_for(referential)
    distinct = dict.fromkeys(str(value).strip() for value in values if value is not None)
    return infer_level_of_resolutions([normaliser.normalise(value) for value in distinct])


def settle(resolution: CodeResolution, level: str) -> CodeResolution:
    """An ambiguous code read at the inferred ``level`` (unchanged if it has no such reading)."""
    if resolution.status != "ambiguous":
        return resolution
    for code in resolution.candidates:
        if code.partition(":")[0] == level:
            return CodeResolution(code, "ok", "file-level", level=cast(Level, level))
    return resolution


def _sentence(
    level: str | None, fits: list[str], counted: int, ambiguous: int, only: Mapping[str, int]
) -> str:
    if not counted:
        return ""
    if level is not None:
        noun = PLURALS[level]
        if counted == 1:
            return f"Le code est {SINGULARS[level]}"
        if not ambiguous:
            return f"Les {counted} codes sont des {noun}"
        sure = only[level]
        if not sure:  # each code has another reading, but no other level fits them all
            why = "seul niveau commun à tous"
        elif sure == 1:
            why = "dont 1 ne peut être que cela"
        else:
            why = f"dont {sure} ne peuvent être que cela"
        return f"Les {counted} codes peuvent être des {noun}, {why} : colonne lue comme {noun}"
    if fits:
        if counted == 1:
            either = " ou ".join(SINGULARS[lv] for lv in fits)
            return f"Le code peut être {either} : précisez le niveau"
        nouns = " ou des ".join(PLURALS[lv] for lv in fits)
        return f"Les {counted} codes peuvent tous être des {nouns} : précisez le niveau"
    present = [f"{only[lv]} {PLURALS[lv]}" for lv in INFERRED_LEVELS if only[lv]]
    mixed = ", ".join(present) if present else "des codes de niveaux différents"
    return f"Niveaux mêlés ({mixed}) : aucun niveau commun à tous les codes"
