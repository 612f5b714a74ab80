"""The territory levels and their French words: one table, every label derived from it (issue #13).

Before, seven dictionaries spelled the same words in seven places. The words stay the same; a test
(``tests/unit/territories/test_levels.py``) lists the table, so a change is a visible decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class LevelWords:
    """How the interface names one level."""

    code: str
    noun: str  # « une région »
    title: str  # « Région » (a label on its own)
    plural: str  # « les régions »
    of_the: str  # « la valeur des régions »
    feminine: bool  # « renseignées » or « renseignés »


LEVEL_WORDS: Final[Mapping[str, LevelWords]] = MappingProxyType(
    {
        words.code: words
        for words in (
            LevelWords("FR", "France", "France", "France", "de la France", True),
            LevelWords("REG", "région", "Région", "régions", "des régions", True),
            LevelWords(
                "DEP", "département", "Département", "départements", "des départements", False
            ),
            LevelWords("EPCI", "EPCI", "EPCI", "intercommunalités", "des intercommunalités", True),
            LevelWords("COM", "commune", "Commune", "communes", "des communes", True),
            LevelWords(
                "ARM",
                "arrondissement municipal",
                "Arrondissement municipal",
                "arrondissements municipaux",
                "des arrondissements municipaux",
                False,
            ),
        )
    }
)
MAP_LEVELS: Final = ("REG", "DEP", "EPCI", "COM")  # the levels a map can show, coarsest first


def nouns(codes: tuple[str, ...]) -> Mapping[str, str]:
    """``{"REG": "région", …}`` for ``codes``, in their order."""
    return MappingProxyType({code: LEVEL_WORDS[code].noun for code in codes})


def plurals(codes: tuple[str, ...]) -> Mapping[str, str]:
    """``{"REG": "régions", …}`` for ``codes``, in their order."""
    return MappingProxyType({code: LEVEL_WORDS[code].plural for code in codes})


def titles(codes: tuple[str, ...]) -> Mapping[str, str]:
    """``{"REG": "Région", …}`` for ``codes``, in their order."""
    return MappingProxyType({code: LEVEL_WORDS[code].title for code in codes})


def of_the(codes: tuple[str, ...]) -> Mapping[str, str]:
    """``{"REG": "des régions", …}`` for ``codes``, in their order."""
    return MappingProxyType({code: LEVEL_WORDS[code].of_the for code in codes})


# The choices of a map's level picker: communes are shown one département at a time
MAP_LEVEL_CHOICES: Final[Mapping[str, str]] = MappingProxyType(
    {code: LEVEL_WORDS[code].plural.capitalize() for code in MAP_LEVELS}
    | {"COM": "Communes d'un département"}
)
FEMININE_LEVELS: Final = frozenset(code for code in MAP_LEVELS if LEVEL_WORDS[code].feminine)
