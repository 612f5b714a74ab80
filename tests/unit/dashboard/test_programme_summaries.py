"""The French sentence that goes with each chart of the programme pages."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.pages.programmes.texts import (
    at_period,
    chain_summary,
    members_history_summary,
    members_map_summary,
    percent,
    progress_summary,
    since_period,
    trend_summary,
)

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 24)


def test_at_period_picks_the_french_preposition() -> None:
    assert at_period("2026") == "en 2026"
    assert at_period("2026-S1") == "au 1er semestre 2026"
    assert at_period("2025-T3") == "au 3e trimestre 2025"
    assert at_period("2025-07") == "en juillet 2025"


def test_since_period() -> None:
    assert since_period("2024") == "2024"
    assert since_period("2022-S1") == "le 1er semestre 2022"


def test_percent_is_rounded_and_never_minus_zero() -> None:
    assert percent(41.6) == "42\u202f%"
    assert percent(-0.3) == "0\u202f%"
    assert percent(None) == "—" and percent(np.nan) == "—"


def test_members_history_summary() -> None:
    table = pd.DataFrame(
        {
            "periode": ["2018", "2019", "2020"],
            "membres": [58, 58, 79],
            "entrees": [58, 0, 21],
            "sorties": [0, 0, 0],
        }
    )
    assert members_history_summary(table, "intercommunalités", TODAY) == (
        "79 intercommunalités membres au 24/11/2026 ; 79 entrées depuis 2018 et aucune sortie ; "
        "le plus d'entrées : 2018 (58)."
    )
    undated = table.assign(entrees=0)
    assert members_history_summary(undated, "communes", TODAY).endswith(
        "leurs dates d'entrée ne sont pas connues."
    )
    assert "Aucune des communes" in members_history_summary(table.iloc[:0], "communes", TODAY)


def test_members_map_summary_for_france_and_for_one_departement() -> None:
    departements = pd.DataFrame({"nom": ["Ain", "Aisne", "Allier"], "membres": [3, 0, 5]})
    assert members_map_summary(departements, "communes", None) == (
        "8 communes membres dans 2 départements sur 3 ; le plus : Allier (5)."
    )
    communes = pd.DataFrame(
        {
            "code": ["COM:1", "COM:2", "COM:3"],
            "nom": ["Ajaccio", "Alata", "Albitreccia"],
            "membre": ["oui", "non", "oui"],
            "code_membre": ["COM:1", "", "COM:3"],
            "territoire_membre": ["Ajaccio", "", "Albitreccia"],
        }
    )
    assert members_map_summary(communes, "communes", "Corse-du-Sud") == (
        "Corse-du-Sud : 2 communes sur 3 dans le programme (Ajaccio, Albitreccia)."
    )
    via_epci = communes.assign(
        code_membre=["EPCI:9", "", "EPCI:9"],
        territoire_membre=["CA du Pays Ajaccien", "", "CA du Pays Ajaccien"],
    )
    assert members_map_summary(via_epci, "intercommunalités", "Corse-du-Sud") == (
        "Corse-du-Sud : 1 intercommunalité membre (CA du Pays Ajaccien), soit 2 communes sur 3."
    )


def test_progress_summary_names_the_latest_target() -> None:
    table = pd.DataFrame(
        {
            "libelle": ["Taux A", "Taux B", "Taux C"],
            "portee": ["ensemble des membres"] * 3,
            "periode": ["2026-S1", "2025", "2025"],
            "progression": [-17.4, 40.0, 120.0],
            "progression_attendue": [75.0, 60.0, 50.0],
            "statut": ["late", "late", "achieved"],
        }
    )
    assert progress_summary(table) == (
        "3 cibles suivies : 1 atteinte, 2 en retard ; la plus en retard : Taux A "
        "(ensemble des membres), -17\u202f% du chemin au 1er semestre 2026 pour 75\u202f% du "
        "temps écoulé."
    )
    assert "Aucun indicateur de ce programme n'a de cible" in progress_summary(table.iloc[:0])


def test_chain_summary_counts_steps_and_directions() -> None:
    table = pd.DataFrame(
        {
            "niveau_chaine": ["input", "input", "output", "impact"],
            "indicateur": ["A", "A", "B", "C"],
            "valeur": [1.0, 2.0, 5.0, np.nan],
        }
    )
    assert chain_summary(table) == (
        "3 indicateurs (1 indicateur de moyens, 1 indicateur de réalisation, 1 indicateur "
        "d'impact) ; 2 ont des valeurs pour les membres, 1 en hausse et 0 en baisse sur la "
        "période."
    )
    assert chain_summary(table.iloc[:0]) == "Aucun indicateur n'est rattaché à ce programme."


def test_trend_summary_reads_the_members_line_and_the_targets() -> None:
    table = pd.DataFrame(
        {
            "serie": ["Membres du programme"] * 2 + ["France entière", "Cible", "Cible"],
            "code": ["GRP:prog-acv", "GRP:prog-acv", "FR", "all", "all"],
            "periode": ["2024", "2025", "2025", "2026", "2027"],
            "valeur": [14.0, 13.5, 11.0, 12.5, 12.0],
            "statut": ["ok"] * 5,
            "nature": ["valeur"] * 3 + ["cible"] * 2,
        }
    )
    assert trend_summary(table, "Taux de vacance", "%") == (
        "Taux de vacance, membres du programme : 13,5\u202f% en 2025, en baisse depuis 2024 "
        "(14,0\u202f%) ; cible : 12,0\u202f% en 2027."
    )
    missing = table.assign(statut="missing")
    assert "aucune valeur pour les membres" in trend_summary(missing, "Taux", "%")
