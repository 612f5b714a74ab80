"""The action plan's typology: bounds, communes, EPCI by ville-centre."""

from __future__ import annotations

import pytest

from indicators.territories import (
    TYPOLOGY_LABELS,
    Referential,
    typology_frame,
    typology_of,
    typology_of_population,
    ville_centre,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, "moins_20k"),
        (19_999, "moins_20k"),
        (20_000, "20k_100k"),
        (99_999, "20k_100k"),
        (100_000, "20k_100k"),
        (100_001, "plus_100k"),
        (2_113_705, "plus_100k"),
    ],
)
def test_bounds_follow_the_plan_wording(population: int, expected: str) -> None:
    assert typology_of_population(population) == expected


def test_labels_are_french() -> None:
    assert TYPOLOGY_LABELS == {
        "moins_20k": "< 20 000 hab.",
        "20k_100k": "20 000 – 100 000 hab.",
        "plus_100k": "> 100 000 hab.",
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("COM:01001", "moins_20k"),
        ("COM:01053", "20k_100k"),
        ("COM:75056", "plus_100k"),
        ("ARM:75101", "plus_100k"),  # an arrondissement is classed as its commune
        ("DEP:01", None),
        ("REG:84", None),
        ("FR", None),
    ],
)
def test_communes_are_classed_by_legal_population(
    mini: Referential, code: str, expected: str | None
) -> None:
    assert typology_of(mini, code) == expected


def test_an_epci_is_classed_by_its_ville_centre_not_its_total(mini: Referential) -> None:
    # Grand Avignon: 190 000 inhabitants in all, Avignon 91 143: a medium town
    assert mini.population("EPCI:248400251") == 190_000
    assert ville_centre(mini, "EPCI:248400251") == "COM:84007"
    assert typology_of(mini, "EPCI:248400251") == "20k_100k"
    # CC de la Dombes: 41 000 inhabitants in villages: rural
    assert typology_of(mini, "EPCI:200069193") == "moins_20k"
    assert typology_of(mini, "EPCI:200054781") == "plus_100k"


def test_typology_frame_agrees_with_typology_of(mini: Referential) -> None:
    frame = typology_frame(mini)
    assert set(frame["level"]) == {"COM", "EPCI"}
    for row in frame.itertuples():
        assert row.typology == typology_of(mini, str(row.code)), row.code
    centres = frame.set_index("code")["ville_centre"]
    assert centres["EPCI:248400251"] == "COM:84007"
