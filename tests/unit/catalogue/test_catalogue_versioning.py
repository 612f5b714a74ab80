"""Definition hashes: stable across key order and layout, different when the meaning changes."""

from __future__ import annotations

import json

import pytest

from indicators.catalogue import definition_hash, definition_to_dict, load_catalogue

pytestmark = pytest.mark.unit


@pytest.fixture
def hash_with(make_catalogue):
    def compute(old: str = "", new: str = "") -> str:
        return definition_hash(load_catalogue(make_catalogue(old, new)).indicators["TST_TAUX"])

    return compute


def test_hash_is_a_stable_sha256(hash_with) -> None:
    digest = hash_with()
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert hash_with() == digest


def test_hash_ignores_key_order_and_formula_layout(hash_with) -> None:
    reference = hash_with()
    reordered = hash_with(
        'unit = "%"\ndirection = "up"\nkind = "derived"',
        'kind = "derived"\ndirection = "up"\nunit = "%"',
    )
    relaid = hash_with('"TST_NUM / TST_DEN"', '"(TST_NUM)/TST_DEN"')
    float_target = hash_with("value = 80", "value = 80.0")
    listed_differently = hash_with(
        'levels = ["COM", "EPCI", "FR"]\nchain_level = "outcome"',
        'levels = ["FR", "COM", "EPCI"]\nchain_level = "outcome"',
    )
    assert reordered == relaid == float_target == listed_differently == reference


def test_hash_changes_with_the_definition(hash_with) -> None:
    reference = hash_with()
    assert hash_with('"TST_NUM / TST_DEN"', '"TST_NUM / (TST_DEN + TST_NUM)"') != reference
    assert hash_with("value = 80", "value = 85") != reference
    assert hash_with('label = "Taux de résolution"', 'label = "Taux"') != reference


def test_definition_dict_is_plain_json(make_catalogue) -> None:
    indicator = load_catalogue(make_catalogue()).indicators["TST_TAUX"]
    definition = definition_to_dict(indicator)
    assert json.loads(json.dumps(definition)) == definition
    assert definition["formula"] == "TST_NUM / TST_DEN"
    assert definition["levels"] == ["COM", "EPCI", "FR"]
    assert definition["targets"][0]["milestones"] == [{"period": "2025", "value": 70.0}]
    assert definition["baseline"] == {"period": "2024", "values": {"all": 60.0}}
