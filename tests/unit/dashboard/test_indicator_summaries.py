"""The French sentence of every chart of the indicator page and of the catalogue."""

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from dashboard.pages.catalogue.datasets import filter_indicators
from dashboard.pages.catalogue.texts import catalogue_summary
from dashboard.pages.indicateur.datasets import histogram_bins
from dashboard.pages.indicateur.texts import (
    agree,
    coverage_summary,
    distribution_summary,
    lineage_summary,
    ranking_summary,
    trend_summary,
)
from dashboard.summaries import total_coverage

pytestmark = pytest.mark.unit
NNBSP = "\u202f"


def _ranking(values: list[tuple[str, float]], ranks: list[int] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rang": ranks or list(range(1, len(values) + 1)),
            "code": [f"REG:{i}" for i in range(len(values))],
            "code_officiel": [str(i) for i in range(len(values))],
            "nom": [name for name, _ in values],
            "valeur": [value for _, value in values],
        }
    )


def test_agree_gives_feminine_plurals_for_communes_and_regions() -> None:
    assert agree("renseignés", "communes") == "renseignées"
    assert agree("plus élevés", "régions") == "plus élevées"
    assert agree("renseignés", "départements") == "renseignés"


def test_ranking_summary_names_both_ends_and_the_desired_direction() -> None:
    table = _ranking([("Corse", 13.2), ("Bretagne", 9.7), ("Martinique", 6.9)])
    sentence = ranking_summary(table, 3, "%", "2025", "régions", "down")
    assert sentence == (
        f"2025, les 3 régions renseignées : de 13,2{NNBSP}% (Corse) à 6,9{NNBSP}% (Martinique) "
        "; une valeur basse est favorable."
    )


def test_ranking_summary_says_when_only_both_ends_are_drawn() -> None:
    table = _ranking([("A", 5.0), ("B", 4.0), ("C", 2.0), ("D", 1.0)], [1, 2, 9, 10])
    sentence = ranking_summary(table, 10, "nombre", "2025-T2", "départements", "up")
    assert sentence.startswith(
        "2e trimestre 2025, les 2 plus élevés et les 2 plus faibles des 10 départements "
        "renseignés : de 5 (A) à 1 (D)"
    )


def test_ranking_summary_counts_a_highlighted_middle_row_in_neither_end() -> None:
    rows = [("A", 9.0), ("B", 8.0), ("Quimper", 5.0), ("Y", 2.0), ("Z", 1.0)]
    sentence = ranking_summary(
        _ranking(rows, [1, 2, 168, 256, 257]), 257, "%", "2024", "communes", "down"
    )
    assert sentence.startswith(
        "2024, les 2 plus élevées et les 2 plus faibles des 257 communes renseignées"
    ), sentence


def test_ranking_summary_without_values() -> None:
    assert ranking_summary(_ranking([]), 0, "%", "2025", "communes", "up") == (
        "2025 : aucune valeur à classer pour les communes."
    )


def test_distribution_summary_gives_quartiles_fullest_class_and_france() -> None:
    values = pd.Series([1.0, 2.0, 2.2, 2.4, 3.0, 7.0])
    table = histogram_bins(values).assign(nature="classe", libelle="", valeur=np.nan)
    france = pd.DataFrame([{"nature": "France", "libelle": "France entière", "valeur": 2.5}])
    sentence = distribution_summary(
        pd.concat([table, france], ignore_index=True), values, "%", "2025", "communes"
    )
    assert sentence.startswith("2025 : la moitié des 6 communes renseignées se situe entre 2,0")
    assert "(médiane 2,3" in sentence
    assert "la classe la plus fournie va de 2,0" in sentence
    assert sentence.endswith(f"; France entière : 2,5{NNBSP}%.")


def test_distribution_summary_without_values() -> None:
    empty = histogram_bins(pd.Series([], dtype=float)).assign(nature="classe")
    assert distribution_summary(empty, pd.Series([], dtype=float), "%", "2025", "EPCI") == (
        "2025 : aucune valeur pour les EPCI."
    )


def _trend() -> pd.DataFrame:
    rows = [
        ("France", "FR", "2022", 11.0, "valeur"),
        ("France", "FR", "2025", 11.9, "valeur"),
        ("Territoires de moins de 20 000 hab.", "TYPE:moins_20k", "2025", 12.8, "valeur"),
        ("Territoires de plus de 100 000 hab.", "TYPE:plus_100k", "2025", 11.1, "valeur"),
        ("Cible — territoires de moins de 20 000 hab.", "moins_20k", "2026", 10.0, "cible"),
    ]
    return pd.DataFrame(
        {
            "serie": [r[0] for r in rows],
            "code": [r[1] for r in rows],
            "periode": [r[2] for r in rows],
            "valeur": [r[3] for r in rows],
            "statut": "ok",
            "nature": [r[4] for r in rows],
        }
    )


def test_trend_summary_tells_france_the_classes_and_the_targets() -> None:
    sentence = trend_summary(_trend(), "Part sans médecin", "%")
    assert sentence == (
        f"Part sans médecin — France : 11,9{NNBSP}% (2025), en hausse depuis 2022 "
        f"(11,0{NNBSP}%) ; en 2025, valeur la plus haute pour les territoires de moins de "
        f"20 000 hab. (12,8{NNBSP}%), la plus basse pour les territoires de plus de 100 000 hab. "
        f"(11,1{NNBSP}%) ; cibles : 10,0{NNBSP}% en 2026 (territoires de moins de 20 000 hab.)."
    )


def test_a_target_for_every_territory_is_named_in_one_pair_of_brackets() -> None:
    trend = _trend()
    trend.loc[trend["nature"] == "cible", "serie"] = "Cible (chaque territoire)"
    sentence = trend_summary(trend, "Part sans médecin", "%")
    assert sentence.endswith(f"cibles : 10,0{NNBSP}% en 2026 (chaque territoire)."), sentence


def test_trend_summary_says_what_the_france_total_sums() -> None:
    trend = _trend().assign(territoires_renseignes=[18, 11, 5, 3, None])
    trend = trend.assign(territoires_attendus=[18, 18, 9, 4, None])
    sentence = trend_summary(trend, "Demandes", "nombre", "sum", "REG")
    assert (
        "Total France : somme des 11 régions sur 18 qui ont transmis une valeur en 2025" in sentence
    )
    # without the definition's aggregation, the sentence is the one of a plain series
    assert "Total France" not in trend_summary(trend, "Demandes", "nombre")


def test_total_coverage_words_every_aggregation_and_the_complete_case() -> None:
    assert total_coverage("France", "sum", 11, 18, "REG") == (
        "Total France : somme des 11 régions sur 18 qui ont transmis une valeur"
    )
    assert total_coverage("France", "sum", 101, 101, "DEP") == (
        "Total France : somme des 101 départements, qui ont tous transmis une valeur"
    )
    assert total_coverage("Corse", "weighted_mean", 300, 360, "COM") == (
        "Valeur Corse : moyenne pondérée des 300 communes sur 360 qui ont transmis une valeur"
    )
    # an uploaded value (1 of 1) or a non-aggregable indicator rests on nothing to state
    assert total_coverage("France", "sum", 1, 1, "FR") == ""
    assert total_coverage("France", "none", 3, 18, "REG") == ""


def test_trend_summary_without_values_or_targets() -> None:
    empty = _trend().iloc[0:0]
    assert trend_summary(empty, "X", "%") == (
        "X : aucune valeur nationale ni par taille de territoire."
    )
    only_france = _trend().iloc[:2]
    assert trend_summary(only_france, "X", "%").endswith("pas de cible nationale ni par taille.")


def _coverage(rates: list[float], secret: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "periode": [str(2022 + i) for i in range(len(rates))],
            "renseignes": [int(r * 10) for r in rates],
            "secret": [0] * (len(rates) - 1) + [secret] if rates else [],
            "sans_objet": 0,
            "manquants": [1000 - int(r * 10) for r in rates],
            "attendus": 1000,
            "taux_couverture": rates,
        }
    )


def test_coverage_summary_gives_the_last_period_and_the_range() -> None:
    sentence = coverage_summary(_coverage([50.0, 80.0, 70.0], secret=3), "communes")
    assert sentence == (
        "2024 : 700 communes renseignées sur 1 000 attendues (70,0 %) ; sur 3 périodes, "
        "la couverture va de 50,0 % (2022) à 80,0 % (2023) ; 3 communes sous secret statistique."
    ).replace("1 000", f"1{NNBSP}000")


def test_coverage_summary_when_stable_or_absent() -> None:
    assert "couverture stable sur 2 périodes" in coverage_summary(_coverage([9.5, 9.5]), "EPCI")
    assert coverage_summary(_coverage([]).iloc[0:0], "communes").startswith("Aucune valeur")


def test_lineage_summary_counts_loads_people_and_versions() -> None:
    loads = pd.DataFrame(
        {
            "indicateur": ["A", "B"],
            "niveau": ["commune", "commune"],
            "chargement": pd.array([1, 2], dtype="Int64"),
            "fichier": ["a.csv", "b.csv"],
            "utilisateur": ["alice", "bob"],
            "partenaire": ["CNAM", "—"],
            "date": [datetime(2026, 1, 2, 9, 30), datetime(2026, 3, 4, 10, 0)],
            "valeurs": [100, 50],
        }
    )
    computed = pd.DataFrame(
        {
            "version": pd.array([1, 2], dtype="Int64"),
            "en_vigueur_depuis": [datetime(2025, 1, 1), datetime(2026, 1, 1)],
            "niveau": ["France", "région"],
            "valeurs": [1, 18],
            "calcule_le": [datetime(2026, 3, 4), datetime(2026, 3, 4)],
        }
    )
    assert lineage_summary(loads, computed, "2025") == (
        "2025 : 150 valeurs chargées par 2 chargements (alice, bob), le dernier le 04/03/2026 "
        "à 10:00 ; 19 valeurs calculées avec la version 1, 2 de la définition."
    )
    assert lineage_summary(loads.iloc[0:0], computed.iloc[0:0], "2025") == (
        "2025 : aucune valeur chargée."
    )


def test_catalogue_summary() -> None:
    assert catalogue_summary(44, 44, []) == "44 indicateurs au catalogue."
    assert catalogue_summary(1, 44, ["« santé »"]) == (
        "1 indicateur sur 44 correspond à : « santé »."
    )
    assert catalogue_summary(0, 44, ["mesure M1", "thème « X »"]) == (
        "Aucun indicateur ne correspond à : mesure M1, thème « X »."
    )


def test_catalogue_search_ignores_accents_case_and_needs_every_word() -> None:
    plain = {i.code for i in filter_indicators("medecin")}
    accented = {i.code for i in filter_indicators("MÉDECIN")}
    assert plain == accented and "SAN_TAUX_SANS_MT" in plain
    assert {i.code for i in filter_indicators("médecin traitant")} <= plain
    assert [i.code for i in filter_indicators("san_taux")] == ["SAN_TAUX_SANS_MT"]
    assert filter_indicators("zzz introuvable") == []


def test_catalogue_filters_combine() -> None:
    m5 = filter_indicators(measure="M5")
    assert m5 and all("M5" in i.measures for i in m5)
    impacts = filter_indicators(measure="M5", chain="impact")
    assert impacts and all(i.chain_level.value == "impact" for i in impacts)
    assert set(impacts) < set(m5)
    anct = filter_indicators(partner="ANCT", programme="FS", theme="vivre-ou-on-a-choisi")
    assert anct and all(i.partner == "ANCT" and "FS" in i.programmes for i in anct)
