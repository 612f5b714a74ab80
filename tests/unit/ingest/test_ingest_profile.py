"""Profile documents: what a valid one becomes, and every problem of an invalid one at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.ingest import ProfileError, header_signature, parse_profile

pytestmark = pytest.mark.unit

UPLOADS = Path(__file__).resolve().parents[2] / "fixtures" / "uploads"


def test_fixture_profile() -> None:
    document = json.loads((UPLOADS / "partner_layout.profile.json").read_text(encoding="utf-8"))
    profile = parse_profile(document)
    assert profile.name == "recensement-milliers"
    assert (profile.territory_column, profile.territory_level) == ("Code commune", "COM")
    assert profile.period is not None and profile.period.format == "year2"
    assert [v.indicator for v in profile.values] == ["MOB_ACTIFS", "MOB_ACTIFS_VOITURE"]
    assert profile.scale == 1000 and "-9999" in profile.tokens.missing
    assert profile.columns_used() == [
        "Code commune",
        "Année",
        "Nb actifs (milliers)",
        "Nb actifs voiture (milliers)",
    ]


def test_indicator_values_map_to_codes_and_value_types() -> None:
    profile = parse_profile(
        {
            "territory": {"column": "dep"},
            "period": {"value": "2024"},
            "indicator": {
                "column": "id",
                "map": {
                    "tx-gs": "baro_gs",
                    "tx-gs-cible": {"indicator": "BARO_GS", "value_type": "Objectif"},
                    "autre": None,
                },
                "others": "ignore",
            },
            "values": [{"column": "v"}],
        }
    )
    assert profile.indicator is not None
    mapping = profile.indicator.map
    assert mapping["tx-gs"].indicator == "BARO_GS"
    assert mapping["tx-gs-cible"].value_type == "cible"
    assert mapping["autre"].indicator is None
    assert profile.indicator.others == "ignore"


def test_every_problem_is_listed() -> None:
    with pytest.raises(ProfileError) as raised:
        parse_profile(
            {
                "territory": {"level": "CANTON"},
                "period": {"column": "annee", "value": "2024", "format": "siecle"},
                "values": [{"column": "v", "constant": 1, "empty": "zero", "value_type": "x"}],
                "combine": "average",
                "colour": "bleu",
            }
        )
    problems = "\n".join(raised.value.problems)
    for expected in (
        "territory.column : valeur obligatoire",
        "niveau inconnu « CANTON »",
        "period : « column » ou « value », pas les deux",
        "period.format : « siecle » inconnu",
        "values[0] : « column » ou « constant », l'un des deux exactement",
        "values[0].empty",
        "values[0].value_type : type de valeur inconnu « x »",
        "values[0] : aucun indicateur",
        "combine : « average » inconnu : error",
        "clé inconnue « colour »",
    ):
        assert expected in problems, expected
    assert str(raised.value).startswith("Profil d'import invalide : ")


def test_not_an_object() -> None:
    with pytest.raises(ProfileError, match="objet JSON attendu"):
        parse_profile(["territory"])


def test_header_signature_ignores_case_and_spaces_but_not_order() -> None:
    assert header_signature(["Code ", "Année"]) == header_signature(["code", "ANNÉE"])
    assert header_signature(["a", "b"]) != header_signature(["b", "a"])
