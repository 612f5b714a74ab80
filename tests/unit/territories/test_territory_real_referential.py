"""The real referential (``data/reference``, built by ``make reference``): consistency, codes,
typology, search speed. Skipped, with the reason, until it is built."""

from __future__ import annotations

import statistics
import time

import pytest

from indicators.territories import (
    Referential,
    SearchIndex,
    build_search_index,
    normalise_code,
    normalise_codes,
    search,
    typology_frame,
)

pytestmark = pytest.mark.unit

DEPARTEMENTS = (
    {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {str(n) for n in range(971, 977)}
) - {"975"}


def test_table_sizes(real: Referential) -> None:
    assert len(real.codes("REG")) == 18
    assert set(real.tables["departements"]["code"]) == DEPARTEMENTS
    assert 34_000 <= len(real.codes("COM")) <= 36_000
    assert 1_200 <= len(real.codes("EPCI")) <= 1_300
    assert len(real.codes("ARM")) == 45
    assert len(real.old_codes) >= 4_000


def test_every_link_points_to_a_known_territory(real: Referential) -> None:
    for code in real.codes("COM"):
        for parent in real.parents(code):
            assert parent in real, (code, parent)
    for old in real.old_codes.values():
        assert all(f"COM:{new}" in real for new in old.new_codes), old
    without_epci = [c for c in real.codes("COM") if real.territory(c).epci is None]
    assert len(without_epci) < 10  # a few islands (Yeu, Bréhat, Sein, Ouessant)


def test_paris_lyon_marseille_arrondissements(real: Referential) -> None:
    assert len(real.children("COM:75056")) == 20
    assert len(real.children("COM:69123")) == 9
    assert len(real.children("COM:13055")) == 16


def test_population_adds_up_to_france(real: Referential) -> None:
    communes = sum(real.territory(c).population or 0 for c in real.codes("COM"))
    assert real.population("FR") == pytest.approx(communes, rel=0.001)
    assert 66_000_000 < communes < 70_000_000


@pytest.mark.parametrize(
    ("raw", "level", "code", "status"),
    [
        ("75056", None, "COM:75056", "ok"),
        ("1", "DEP", "DEP:01", "ok"),
        ("2a", None, "DEP:2A", "ok"),
        ("ZA", None, "DEP:971", "ok"),
        ("R84", None, "REG:84", "ok"),
        (1001, "COM", "COM:01001", "ok"),
        ("75101", None, "COM:75056", "mapped"),
        ("69381", None, "COM:69123", "mapped"),
        ("13201", None, "COM:13055", "mapped"),
        ("93059", None, "COM:93066", "mapped"),  # Pierrefitte-sur-Seine -> Saint-Denis
        ("200054781", None, "EPCI:200054781", "ok"),
        ("84", None, None, "ambiguous"),
        ("978", None, None, "unknown"),
        ("97801", None, None, "unknown"),
    ],
)
def test_normalisation_on_the_real_referential(
    real: Referential, raw: object, level: str | None, code: str | None, status: str
) -> None:
    resolution = normalise_code(raw, real, level)
    assert (resolution.code, resolution.status) == (code, status)


def test_every_code_of_the_referential_normalises_to_itself(real: Referential) -> None:
    communes = real.tables["communes"]["code"]
    frame = normalise_codes(communes, real, "COM")
    assert (frame["code"] == "COM:" + communes).all()
    epci = real.tables["epci"]["code"]
    assert (normalise_codes(epci, real)["code"] == "EPCI:" + epci).all()
    for old, target in real.old_codes.items():
        assert normalise_code(old, real, "COM").code == f"COM:{target.new_codes[0]}", old


def test_typology_on_real_populations(real: Referential) -> None:
    frame = typology_frame(real)
    communes = frame[frame["level"] == "COM"]["typology"].value_counts()
    assert 35 <= communes["plus_100k"] <= 50  # France has about 42 cities over 100 000
    assert 350 <= communes["20k_100k"] <= 500
    typology = frame.set_index("code")["typology"]
    assert typology["EPCI:200054781"] == "plus_100k"  # Métropole du Grand Paris


QUERIES = [
    ("paris", "COM:75056"),
    ("saint-etienne", "COM:42218"),
    ("st etienne", "COM:42218"),
    ("marseille", "COM:13055"),
    ("lyon", "COM:69123"),
    ("bourg en bresse", "COM:01053"),
    ("l'hay les roses", "COM:94038"),
    ("nantes metropole", "EPCI:244400404"),
    ("2A", "DEP:2A"),
    ("75056", "COM:75056"),
    ("finistere", "DEP:29"),
    ("bretagne", "REG:53"),
]


@pytest.fixture(scope="module")
def real_index(real: Referential) -> SearchIndex:
    return build_search_index(real)


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_search_finds_the_obvious_territory_in_the_first_two(
    real_index: SearchIndex, query: str, expected: str
) -> None:
    assert expected in [r.code for r in search(real_index, query, 2)]


def test_search_is_fast_on_the_full_referential(real_index: SearchIndex) -> None:
    index = real_index
    queries = [q for q, _ in QUERIES] + ["a", "e", "ie", "sur mer", "xyz", "cc du", "montp", "9"]
    timings = []
    for query in queries * 5:
        started = time.perf_counter()
        search(index, query)
        timings.append(time.perf_counter() - started)
    p95 = statistics.quantiles(timings, n=20)[-1]
    assert p95 < 0.020, f"p95 {p95 * 1000:.1f} ms"
