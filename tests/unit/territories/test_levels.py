"""The levels' French words: the whole table, so that changing a word is a visible decision."""

import pytest

from dashboard.summaries import LEVEL_PLURALS
from indicators.territories.code_resolution import LEVEL_NOUNS
from indicators.territories.levels import (
    FEMININE_LEVELS,
    LEVEL_WORDS,
    MAP_LEVEL_CHOICES,
    MAP_LEVELS,
    of_the,
)
from indicators.territories.referential import LEVEL_LABELS

pytestmark = pytest.mark.unit


def test_the_table_of_levels() -> None:
    assert [
        (w.code, w.noun, w.title, w.plural, w.of_the, w.feminine) for w in LEVEL_WORDS.values()
    ] == [
        ("FR", "France", "France", "France", "de la France", True),
        ("REG", "région", "Région", "régions", "des régions", True),
        ("DEP", "département", "Département", "départements", "des départements", False),
        ("EPCI", "EPCI", "EPCI", "intercommunalités", "des intercommunalités", True),
        ("COM", "commune", "Commune", "communes", "des communes", True),
        (
            "ARM",
            "arrondissement municipal",
            "Arrondissement municipal",
            "arrondissements municipaux",
            "des arrondissements municipaux",
            False,
        ),
    ]


def test_what_the_pages_and_the_core_derive_from_it() -> None:
    assert MAP_LEVELS == ("REG", "DEP", "EPCI", "COM")
    assert dict(MAP_LEVEL_CHOICES) == {
        "REG": "Régions",
        "DEP": "Départements",
        "EPCI": "Intercommunalités",
        "COM": "Communes d'un département",
    }
    assert {"REG", "EPCI", "COM"} == FEMININE_LEVELS
    assert dict(LEVEL_PLURALS) == {
        "REG": "régions",
        "DEP": "départements",
        "EPCI": "intercommunalités",
        "COM": "communes",
    }
    assert dict(LEVEL_NOUNS) == {
        "COM": "commune",
        "EPCI": "EPCI",
        "DEP": "département",
        "REG": "région",
        "FR": "France",
    }
    assert LEVEL_LABELS["ARM"] == "Arrondissement municipal" and LEVEL_LABELS["FR"] == "France"
    assert of_the(("FR",)) == {"FR": "de la France"}
