"""Search by name or code: folding, tiers, ranking, contexts (mini referential)."""

from __future__ import annotations

import pytest

from indicators.territories import Referential, SearchIndex, build_search_index, fold, search

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def index(mini: Referential) -> SearchIndex:
    return build_search_index(mini)


def codes(index: SearchIndex, query: str, limit: int = 10) -> list[str]:
    return [result.code for result in search(index, query, limit)]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Saint-Étienne-du-Rouvray", "st etienne du rouvray"),
        ("Sainte-Foy-lès-Lyon", "ste foy les lyon"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("  CC de la Plaine de l’Ain ", "cc de la plaine de l ain"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_exact_code_comes_first(index: SearchIndex) -> None:
    results = search(index, "01001")
    assert results[0].code == "COM:01001"
    assert results[0].match == "code"


def test_a_code_that_is_two_territories_gives_both_largest_first(index: SearchIndex) -> None:
    assert codes(index, "84")[:3] == ["REG:84", "DEP:84", "COM:84007"]


def test_codes_are_resolved_like_uploads(index: SearchIndex) -> None:
    assert codes(index, "01340", 1) == ["COM:01015"]  # absorbed code
    assert codes(index, "D01", 1) == ["DEP:01"]
    assert codes(index, "ZA", 1) == ["DEP:971"]
    assert codes(index, "COM:75056") == ["COM:75056"]
    assert codes(index, "2a", 1) == ["DEP:2A"]


def test_code_prefix_lists_the_communes_below(index: SearchIndex) -> None:
    results = search(index, "0100")
    assert [r.code for r in results] == ["COM:01004", "COM:01001"]
    assert {r.match for r in results} == {"code-prefix"}


@pytest.mark.parametrize("query", ["AMBERIEU", "ambérieu", "Amberieu-en", "amberieu en bugey"])
def test_accents_case_and_hyphens_do_not_matter(index: SearchIndex, query: str) -> None:
    assert codes(index, query, 1) == ["COM:01004"]


@pytest.mark.parametrize("query", ["st denis", "saint denis", "Saint-Denis", "ST-DENIS"])
def test_saint_and_st_meet(index: SearchIndex, query: str) -> None:
    assert codes(index, query, 1) == ["COM:97411"]


def test_tiers_exact_name_then_prefix_then_word_then_contains(index: SearchIndex) -> None:
    results = search(index, "avignon")
    assert [(r.code, r.match) for r in results] == [
        ("COM:84007", "name"),
        ("EPCI:248400251", "word-prefix"),
        ("COM:30351", "word-prefix"),
    ]
    assert [r.match for r in search(index, "bugey")] == ["word-prefix", "word-prefix"]
    assert [(r.name, r.match) for r in search(index, "ssan")] == [("Ouessant", "contains")]


def test_larger_population_first_among_equals(index: SearchIndex) -> None:
    names = [r.name for r in search(index, "a") if r.match == "name-prefix"]
    assert names == [
        "Auvergne-Rhône-Alpes",  # 8.1 M
        "Ain",  # 658 k
        "Ariège",  # 155 k
        "Avignon",  # 91 k
        "Ajaccio",  # 74 k
        "Ambérieu-en-Bugey",  # 15 k
        "Arboys en Bugey",  # 655
    ]


def test_arrondissements_lead_to_their_commune_after_other_territories(
    index: SearchIndex,
) -> None:
    results = search(index, "paris")
    assert [(r.code, r.level) for r in results[:4]] == [
        ("DEP:75", "DEP"),
        ("COM:75056", "COM"),
        ("COM:75056", "ARM"),
        ("COM:75056", "ARM"),
    ]
    assert results[2].local_code == "75115"  # the larger arrondissement first


def test_contexts_and_labels_are_french(index: SearchIndex) -> None:
    by_code = {r.code: r for r in search(index, "bourg")}
    commune = by_code["COM:01053"]
    assert (commune.level_label, commune.context) == ("Commune", "Commune · Ain (01)")
    assert commune.label == "Bourg-en-Bresse (01053)"
    epci = by_code["EPCI:200071751"]
    assert (epci.level_label, epci.context) == ("EPCI", "Communauté d'agglomération · Ain (01)")
    assert search(index, "vaucluse")[0].context == "Département · Provence-Alpes-Côte d'Azur"
    assert search(index, "corse")[0].context == "Région"
    assert search(index, "france")[0].context == "France entière"
    arrondissement = search(index, "75101")[0]
    assert arrondissement.context == "Arrondissement municipal · Paris (75056)"


def test_levels_filter_and_limit(index: SearchIndex) -> None:
    assert codes(index, "a", 2) == ["REG:84", "DEP:01"]
    only = search(index, "a", 50, levels={"DEP"})
    assert only and {r.level for r in only} == {"DEP"}


@pytest.mark.parametrize("query", ["", "   ", "-", "xyzzy"])
def test_nothing_to_find_gives_nothing(index: SearchIndex, query: str) -> None:
    assert search(index, query) == []


def test_a_space_less_query_finds_spaced_names(index: SearchIndex) -> None:
    assert codes(index, "labergement", 1) == ["COM:01001"]
