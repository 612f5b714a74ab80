"""The pieces a town's chief of staff relies on (issue #16), without a browser or a database: the
highlighted town in the ranking and on the map, the address of an indicator's sheet around a
town, a chart's caption for its image, and the sentences of "Mes programmes"."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.figures import empty_figure, with_caption
from dashboard.figures.choropleth import HIGHLIGHT_LINE, choropleth_figure
from dashboard.pages.indicateur.datasets import RANKING_SIZE, ranking_rows
from dashboard.pages.indicateur.figures import HIGHLIGHT_OUTLINE, ranking_figure
from dashboard.pages.territoire.datasets import DEPARTEMENT, MEMBERS, SAME_TYPE
from dashboard.pages.territoire.texts import (
    COUNTED_CARD,
    FLAT_ZERO_MEDIAN,
    SUM_NOT_COMPARED,
    comparison_summary,
    missing_comparisons,
    section_note,
)
from dashboard.url_state import indicator_sheet_address
from indicators.catalogue import Level
from indicators.territories.referential import Territory

pytestmark = pytest.mark.unit


def _map_table(count: int) -> pd.DataFrame:
    codes = [f"COM:29{n:03d}" for n in range(1, count + 1)]
    return pd.DataFrame(
        {
            "code": codes,
            "code_officiel": [c.removeprefix("COM:") for c in codes],
            "nom": [f"Commune {n}" for n in range(1, count + 1)],
            "valeur": [float(count - n) for n in range(count)],  # the first is the highest
            "statut": "ok",
            "statut_libelle": "valeur",
            "territoires_renseignes": 1,
            "territoires_attendus": 1,
            "origine": "chargement",
            "zone": "metropole",
        }
    )


def test_the_highlighted_town_keeps_its_row_and_rank_in_a_long_ranking() -> None:
    table = _map_table(100)
    plain = ranking_rows(table)
    assert len(plain) == 2 * RANKING_SIZE and "COM:29050" not in set(plain["code"])
    ranked = ranking_rows(table, highlight="COM:29050")
    assert len(ranked) == 2 * RANKING_SIZE + 1
    row = ranked[ranked["code"] == "COM:29050"].iloc[0]
    assert row["rang"] == 50
    assert list(ranked["rang"]) == sorted(ranked["rang"])  # still highest first
    # a town already on show, or not reporting, adds nothing
    assert len(ranking_rows(table, highlight="COM:29001")) == 2 * RANKING_SIZE
    assert len(ranking_rows(table, highlight="COM:99999")) == 2 * RANKING_SIZE


def test_the_ranking_names_the_highlighted_town_between_two_gaps() -> None:
    ranked = ranking_rows(_map_table(100), highlight="COM:29050")
    bar = ranking_figure(ranked, 100, "%", highlight="COM:29050")["data"][0]
    position = bar["customdata"].index("COM:29050")
    assert bar["y"][position] == "<b>► Commune 50</b>"
    assert bar["y"][position - 1].startswith("… ") and bar["y"][position + 1].startswith("… ")
    widths = bar["marker"]["line"]["width"]
    assert widths[position] == HIGHLIGHT_OUTLINE[1]
    assert sorted(widths)[-2] < HIGHLIGHT_OUTLINE[1]  # one bar only stands out
    assert "50e sur 100" in bar["hovertext"][position]


def test_the_map_outlines_the_highlighted_town_on_top() -> None:
    table = _map_table(5)
    plain = choropleth_figure(table, [], "/geo/x.json", "%")
    marked = choropleth_figure(table, [], "/geo/x.json", "%", highlight="COM:29003")
    assert len(marked["data"]) == len(plain["data"]) + 1
    top = marked["data"][-1]
    assert top["locations"] == ["29003"] and top["marker"]["line"] == HIGHLIGHT_LINE
    unknown = choropleth_figure(table, [], "/geo/x.json", "%", highlight="COM:01001")
    assert len(unknown["data"]) == len(plain["data"])


def _indicator(levels: tuple[Level, ...]):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    return SimpleNamespace(code="LOG_TAUX_VACANCE", levels=levels)


def test_the_sheet_opens_on_the_towns_departement_with_the_town_highlighted() -> None:
    town = Territory("COM:29105", Level.COM, "29105", "Landerneau", 16_000, departement="29")
    address = indicator_sheet_address(_indicator((Level.COM, Level.DEP)), town)  # type: ignore[arg-type]
    assert address == ("/indicateur/LOG_TAUX_VACANCE?niveau=COM&dans=DEP%3A29&surligne=COM%3A29105")
    # an indicator not published for communes: its plain page, nothing half-set
    assert (
        indicator_sheet_address(_indicator((Level.EPCI, Level.DEP)), town)  # type: ignore[arg-type]
        == "/indicateur/LOG_TAUX_VACANCE"
    )
    departement = Territory("DEP:29", Level.DEP, "29", "Finistère", 900_000, region="53")
    assert indicator_sheet_address(_indicator((Level.DEP,)), departement).endswith(  # type: ignore[arg-type]
        "?niveau=DEP&dans=REG%3A53&surligne=DEP%3A29"
    )


def test_a_caption_rides_in_the_layout_without_touching_the_original() -> None:
    figure = empty_figure("Rien")
    captioned = with_caption(figure, "Taux — Bastia", "Source : INSEE — 2024")
    assert captioned["layout"]["meta"] == {
        "titre": "Taux — Bastia",
        "source": "Source : INSEE — 2024",
    }
    assert "meta" not in figure["layout"]  # a cached figure is not changed under its readers
    assert captioned["layout"]["annotations"] == figure["layout"]["annotations"]


def test_missing_comparisons_are_said_not_drawn_as_zeros() -> None:
    assert (
        missing_comparisons({"", MEMBERS, DEPARTEMENT, SAME_TYPE}, [MEMBERS, SAME_TYPE], False)
        is None
    )
    sentence = missing_comparisons({""}, [MEMBERS, DEPARTEMENT, SAME_TYPE], False)
    assert sentence is not None and sentence.startswith("Comparaisons absentes : ")
    assert "aucun autre membre" in sentence and "département" in sentence
    counted = missing_comparisons({"", MEMBERS, SAME_TYPE}, [MEMBERS, SAME_TYPE], True)
    assert counted == COUNTED_CARD  # short: the why is in the programme's note


def test_the_programme_note_says_once_why_for_every_card_concerned() -> None:
    assert section_note([], []) is None
    note = section_note(["Logements vacants", "Subventions"], ["Subventions"])
    assert note is not None
    assert note.count(SUM_NOT_COMPARED) == 1
    assert "les indicateurs de comptage « Logements vacants » et « Subventions »" in note
    assert f"Pour « Subventions », {FLAT_ZERO_MEDIAN[0].lower()}{FLAT_ZERO_MEDIAN[1:]}" in note
    one = section_note(["Logements vacants"], [])
    assert one is not None and one.startswith("Pour l'indicateur de comptage « Logements")


def test_the_mini_chart_says_its_values_in_words() -> None:
    assert comparison_summary("Bastia", "Taux", "%", None, None, {}) == (
        "Taux : aucune valeur transmise pour Bastia."
    )
    text = comparison_summary("Bastia", "Taux", "%", "2024", 2.0, {"Haute-Corse": 3.5})
    assert text == "Taux, 2024 : Bastia 2,0\u202f% ; Haute-Corse 3,5\u202f%."


def test_small_charts_name_their_periods_briefly() -> None:
    from dashboard.formatting import format_period_short

    assert [
        format_period_short(p) for p in ("2024", "2025-S1", "2025-T3", "2025-Q2", "2025-07")
    ] == [
        "2024",
        "S1 2025",
        "T3 2025",
        "T2 2025",
        "07/2025",
    ]
