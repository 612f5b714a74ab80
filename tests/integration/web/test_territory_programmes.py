"""« Mes programmes » and the highlighted town on the web test session's demo (Corse and
Martinique), views called without HTTP and the callbacks and exports through it (issue #16)."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pytest

from dashboard.figures import empty_reason

pytestmark = pytest.mark.integration

TOWN = "COM:2B033"  # Bastia: Action cœur de ville, France Services, Territoires d'industrie
RATE = "LOG_TAUX_VACANCE"  # an ACV rate, published for communes
COUNT = "LOG_VACANTS_LONGUE_DUREE"  # an ACV count


@pytest.fixture
def app_context(dash_app: Any):  # type: ignore[no-untyped-def]
    with dash_app.server.app_context():
        yield


def _text(component: Any) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda c: c.to_plotly_json())


def _plain(component: Any) -> str:
    """The component's JSON with its French letters as they are, for ``in`` tests."""
    return json.dumps(
        component.to_plotly_json(), default=lambda c: c.to_plotly_json(), ensure_ascii=False
    )


def test_a_town_sees_each_of_its_programmes_with_their_indicators(app_context: None) -> None:
    from dashboard.pages.territoire.views import programmes_view

    sections = programmes_view(TOWN)
    links = [section.children[0].children.href for section in sections]
    assert links == ["/programmes/ACV", "/programmes/FS", "/programmes/TI"]
    acv = sections[0]
    cards = acv.children[2].children
    assert len(cards) >= 5  # the ACV indicators published for communes, side by side
    names = [card.children[0].children for card in cards]
    assert "Taux de vacance de longue durée du parc privé" in names
    rate = cards[names.index("Taux de vacance de longue durée du parc privé")]
    figure = rate.children[1].figure
    series = [trace["name"] for trace in figure["data"]]
    assert series[0] == "Bastia"
    assert "Médiane des autres membres" in series and "Haute-Corse" in series
    assert any(name.startswith("Médiane, même type (20 000 – 100 000 hab.)") for name in series)
    assert figure["layout"]["meta"]["titre"].endswith("— Bastia")
    assert figure["layout"]["meta"]["source"].startswith("Source : ")
    for card in (c for section in sections for c in section.children[2].children):
        axis = card.children[1].figure["layout"].get("xaxis", {})
        assert len(axis.get("tickvals", [])) <= 6  # monthly series: no pile of labels
    sheet = rate.children[-1].children[0].href
    assert sheet == f"/indicateur/{RATE}?niveau=COM&dans=DEP%3A2B&surligne=COM%3A2B033"


def test_the_members_median_is_the_median_of_the_other_members(app_context: None) -> None:
    from dashboard import readers
    from dashboard.pages.territoire.datasets import other_members, programme_comparison_dataset

    table = programme_comparison_dataset("ACV", RATE, TOWN)
    members = other_members("ACV", TOWN)
    assert TOWN not in members and len(members) > 100
    period = str(table["periode"].iloc[-1])
    values = [
        float(v.loc[(v["period"] == period) & (v["status"] == "ok"), "value"].iloc[0])
        for code in members
        if not (v := readers.values_over_time(RATE, code)).empty
        and ((v["period"] == period) & (v["status"] == "ok")).any()
    ]
    row = table[(table["comparaison"] == "membres") & (table["periode"] == period)].iloc[0]
    assert row["valeur"] == pytest.approx(float(pd.Series(values).median()))
    assert row["territoires"] == len(values)


def test_a_count_is_not_set_beside_its_departements_total_and_says_why(
    app_context: None,
) -> None:
    from dashboard.pages.territoire.datasets import programme_comparison_dataset
    from dashboard.pages.territoire.views import programmes_view

    table = programme_comparison_dataset("ACV", COUNT, TOWN)
    assert "departement" not in set(table["comparaison"])
    assert {"", "membres", "type"} <= set(table["comparaison"])
    page = _plain(programmes_view(TOWN)[0])
    assert "de comptage" in page and page.count("le total du département") == 1


def test_a_comparison_without_values_is_said_not_drawn(app_context: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No member reports: no line at zero, a sentence instead; nothing raises."""
    from dashboard import readers
    from dashboard.pages.territoire.views import programmes_view

    def nothing(indicator: str, territories: tuple[str, ...]) -> pd.DataFrame:
        return pd.DataFrame(columns=["territory", "period", "value", "status", "reported"])

    monkeypatch.setattr(readers, "values_over_time_of_many", nothing)
    section = programmes_view(TOWN)[0]
    for card in section.children[2].children:
        figure = card.children[1].figure
        names = [trace["name"] for trace in figure["data"]]
        assert "Médiane des autres membres" not in names
        assert all(trace["y"] for trace in figure["data"])  # no empty line standing for zero
    assert "aucun autre membre du programme n'a transmis de valeur" in _text(section)


def test_territories_without_programmes_and_larger_ones(app_context: None) -> None:
    from dashboard.pages.territoire.views import programmes_view

    epci = programmes_view("EPCI:200066918")
    assert epci[0].children == "Ce territoire n'est membre d'aucun programme enregistré."
    departement = _text(programmes_view("DEP:2B")[0])
    assert "/programmes/ACV" in departement and "1 territoire membre" in departement
    france = _text(programmes_view("FR")[0])
    assert "/programmes/PVD" in france


def test_the_programmes_callback_answers_through_http(callbacks: Any) -> None:
    result = callbacks.call(
        [("territoire-programmes", "children")], [("territoire-code", "data", TOWN)]
    )
    body = json.dumps(result, ensure_ascii=False)
    assert "/programmes/TI" in body and "Fiche de l'indicateur" in body
    link = callbacks.call(
        [("territoire-fiche", "href")],
        [("territoire-indicateur", "value", RATE), ("territoire-code", "data", TOWN)],
    )
    assert link["territoire-fiche"]["href"].endswith("surligne=COM%3A2B033")


def test_the_indicator_sheet_keeps_the_town_in_its_ranking(callbacks: Any) -> None:
    from tests.integration.web.test_indicator_pages import PLACE_OUTPUTS

    period = "2024"
    result = callbacks.call(
        PLACE_OUTPUTS,
        [
            ("indicateur-code", "data", COUNT),
            ("indicateur-periode", "value", period),
            ("indicateur-niveau", "value", "COM"),
            ("indicateur-dans", "value", "DEP:2B"),
            ("indicateur-surligne", "data", "COM:2A004"),  # Ajaccio: not in Haute-Corse
        ],
    )
    assert "Ajaccio" not in json.dumps(result["indicateur-classement-graph"], ensure_ascii=False)
    # a town ranked in the left-out middle (a Haute-Corse commune of middling value)
    ranking = pd.read_csv(
        io.BytesIO(
            callbacks.client.get(
                f"/export/carte.csv?indicateur={COUNT}&periode={period}&niveau=COM&dans=DEP:2B"
            ).data
        ),
        sep=";",
        encoding="utf-8-sig",
        decimal=",",
    )
    ranked = ranking[ranking["statut"] == "ok"].sort_values("valeur", ascending=False)
    middle = ranked.iloc[len(ranked) // 2]
    result = callbacks.call(
        PLACE_OUTPUTS,
        [
            ("indicateur-code", "data", COUNT),
            ("indicateur-periode", "value", period),
            ("indicateur-niveau", "value", "COM"),
            ("indicateur-dans", "value", "DEP:2B"),
            ("indicateur-surligne", "data", middle["code"]),
        ],
    )
    bar = result["indicateur-classement-graph"]["figure"]["data"][0]
    assert f"<b>► {middle['nom']}</b>" in bar["y"]
    summary = result["indicateur-classement-summary"]["children"]
    assert f"{middle['nom']} : " in summary and " sur " in summary
    assert "surligne=" in result["indicateur-classement-csv"]["href"]
    outlined = result["indicateur-carte-graph"]["figure"]["data"][-1]
    assert outlined["customdata"] == [middle["code"]]


def test_communes_open_on_the_highlighted_towns_departement(callbacks: Any) -> None:
    from tests.integration.web.test_indicator_pages import AREA_OUTPUTS

    result = callbacks.call(
        AREA_OUTPUTS,
        [("indicateur-niveau", "value", "COM")],
        [
            ("indicateur-dans", "value", ""),
            ("indicateur-code", "data", RATE),
            ("indicateur-periode", "value", None),
            ("indicateur-surligne", "data", "COM:97209"),  # Fort-de-France
        ],
    )
    assert result["indicateur-dans"]["value"] == "DEP:972"


def test_the_comparison_downloads_rounded_with_its_unit(client: Any) -> None:
    response = client.get(
        f"/export/territoire-programme.csv?programme=ACV&indicateur={RATE}&territoire={TOWN}"
    )
    assert response.status_code == 200
    frame = pd.read_csv(
        io.BytesIO(response.data), sep=";", decimal=",", encoding="utf-8-sig", dtype=str
    )
    assert list(frame.columns[:5]) == ["serie", "code", "periode", "valeur", "unite"]
    assert set(frame["unite"]) == {"%"}
    decimals = frame["valeur"].str.partition(",")[2].str.len()
    assert decimals.max() <= 2 and decimals.max() > 0
    assert (
        client.get(
            "/export/territoire-programme.csv?programme=XYZ&indicateur=LOG_TAUX_VACANCE&territoire=FR"
        ).status_code
        == 404
    )


def test_every_map_export_is_rounded_and_says_its_unit(client: Any) -> None:
    response = client.get(
        f"/export/carte.csv?indicateur={RATE}&periode=2024&niveau=COM&dans=DEP:2B"
    )
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", encoding="utf-8-sig", dtype=str)
    assert frame.columns[list(frame.columns).index("valeur") + 1] == "unite"
    reported = frame["valeur"].dropna()
    assert len(reported) > 10
    assert reported.str.partition(",")[2].str.len().max() <= 2


def test_an_empty_mini_chart_says_why(app_context: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dashboard import readers
    from dashboard.pages.territoire.views import programmes_view

    empty = pd.DataFrame(
        columns=["territory", "period", "value", "status", "reported", "expected", "source"]
    )
    monkeypatch.setattr(
        readers, "values_over_time", lambda indicator, territory: empty.drop(columns="territory")
    )
    monkeypatch.setattr(readers, "values_over_time_of_many", lambda indicator, territories: empty)
    card = programmes_view(TOWN)[0].children[2].children[0]
    assert empty_reason(card.children[1].figure) == "Bastia : aucune valeur transmise."


SMALL_TOWN = "COM:2A041"  # Bonifacio, 3 344 inhabitants: a territory of less than 20 000
ZERO_MEDIAN = "ACC_FS_NOMBRE"  # France services: most small towns have none, the median is 0


def test_a_flat_zero_type_median_is_said_not_drawn(app_context: None) -> None:
    """Issue #16: "the only comparison is a national median of its type, which is a flat zero
    line for some indicators". Not drawn; the summary says why; the export keeps it."""
    from dashboard.datasets import territory_series_dataset
    from dashboard.pages.territoire.texts import FLAT_ZERO_MEDIAN
    from dashboard.pages.territoire.views import trend_view

    table = territory_series_dataset(ZERO_MEDIAN, SMALL_TOWN)
    median = table[(table["code"] == "MED:moins_20k") & (table["statut"] == "ok")]
    assert len(median) >= 4 and (median["valeur"] == 0).all()  # the case exists in the demo

    view = trend_view(ZERO_MEDIAN, SMALL_TOWN)
    names = [trace["name"] for trace in view["figure"]["data"]]
    assert "Bonifacio" in names
    assert not [n for n in names if n.startswith("Médiane")]
    assert FLAT_ZERO_MEDIAN in _summary(view)
    # the export keeps the median: the chart leaves it out, the data do not
    assert "MED:moins_20k" in set(table["code"])

    # a median with a value other than 0 stays drawn, without the sentence
    rate = trend_view(RATE, TOWN)
    assert any(trace["name"].startswith("Médiane") for trace in rate["figure"]["data"])
    assert FLAT_ZERO_MEDIAN not in _summary(rate)


def _summary(view: dict[str, Any]) -> str:
    summary = view["summary"]
    return summary if isinstance(summary, str) else _text(summary)


def test_mini_charts_leave_out_a_flat_zero_type_median_and_say_it_once(
    app_context: None,
) -> None:
    """Issue #16: the mini-charts drew a type median at 0 every period as a flat zero line, and
    the counting notice was repeated on every card. Same rule as the single chart; the why is
    said once, under each programme's cards."""
    from dashboard.pages.territoire.texts import FLAT_ZERO_MEDIAN, SUM_NOT_COMPARED
    from dashboard.pages.territoire.views import programmes_view

    flat_seen = False
    for section in programmes_view(SMALL_TOWN):
        cards = section.children[2].children
        assert all(SUM_NOT_COMPARED not in _plain(card) for card in cards)
        note = _plain(section.children[3]) if len(section.children) > 3 else ""
        counting = [c for c in cards if "Comptage : sans le département" in _plain(c)]
        assert (SUM_NOT_COMPARED in note) == bool(counting)
        assert _plain(section).count(SUM_NOT_COMPARED) <= 1
        for card in cards:
            figure = card.children[1].figure
            lines = {trace["name"]: trace["y"] for trace in figure["data"]}
            for name, values in lines.items():
                if name.startswith("Médiane, même type"):
                    assert any(v not in (0, None) for v in values), name
            if "Médiane du même type à 0" in _plain(card):
                flat_seen = True
                assert card.children[0].children in note
                assert FLAT_ZERO_MEDIAN[1:] in note
    assert flat_seen  # the demo has the case (counts most small towns do not report)
