import pandas as pd
import pytest

from indicators.compute import hierarchy_membership, prepare_membership

pytestmark = pytest.mark.unit


def test_hierarchy_membership_builds_typed_groups_from_commune_rows() -> None:
    communes = pd.DataFrame(
        {
            "code": ["COM:01001", "COM:01004", "COM:29083"],
            "departement": ["01", "DEP:01", "29"],  # local or already typed
            "region": ["84", "84", "53"],
            "epci": ["200069193", "240100883", None],  # Île-de-Sein belongs to no EPCI
            "typology": ["moins_20k", "moins_20k", ""],
        }
    )
    result = hierarchy_membership(communes)
    assert list(result.columns) == ["group", "territory"]
    assert set(map(tuple, result.to_numpy())) == {
        ("FR", "COM:01001"), ("FR", "COM:01004"), ("FR", "COM:29083"),
        ("DEP:01", "COM:01001"), ("DEP:01", "COM:01004"), ("DEP:29", "COM:29083"),
        ("REG:84", "COM:01001"), ("REG:84", "COM:01004"), ("REG:53", "COM:29083"),
        ("EPCI:200069193", "COM:01001"), ("EPCI:240100883", "COM:01004"),
        ("TYPE:moins_20k", "COM:01001"), ("TYPE:moins_20k", "COM:01004"),
    }  # fmt: skip
    assert len(result) == 13
    assert list(result["group"]) == sorted(result["group"])


def test_hierarchy_membership_requires_its_columns() -> None:
    with pytest.raises(ValueError, match="typology"):
        hierarchy_membership(
            pd.DataFrame({"code": [], "departement": [], "region": [], "epci": []})
        )


def test_prepare_membership_deduplicates_pairs_and_sorts_groups() -> None:
    frame = pd.DataFrame(
        {
            "group": ["GRP:pvd", "DEP:01", "GRP:pvd", "DEP:01", "DEP:01"],
            "territory": ["COM:b", "COM:a", "COM:b", "COM:b", "COM:a"],
        }
    )
    prepared = prepare_membership(frame)
    assert list(prepared.groups) == ["DEP:01", "GRP:pvd"]
    assert list(prepared.sizes) == [2, 1]
    pairs = {
        (prepared.groups[g], prepared.territories[t])
        for g, t in zip(prepared.group_position, prepared.territory_position, strict=True)
    }
    assert pairs == {("DEP:01", "COM:a"), ("DEP:01", "COM:b"), ("GRP:pvd", "COM:b")}


def test_prepare_membership_refuses_empty_cells() -> None:
    with pytest.raises(ValueError, match="vide"):
        prepare_membership(pd.DataFrame({"group": ["G", None], "territory": ["COM:a", "COM:b"]}))
