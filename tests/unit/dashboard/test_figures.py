"""Figure builders and French formatting, without a browser."""

import json

import numpy as np
import pandas as pd
import pytest

from dashboard.figures.choropleth import choropleth_figure
from dashboard.figures.classes import DIVERGING, SEQUENTIAL, class_index, quantile_classes
from dashboard.formatting import format_period, format_value
from dashboard.summaries import map_summary

pytestmark = pytest.mark.unit


def _table(rows: list[tuple[str, str, float | None, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": [f"DEP:{r[0]}" for r in rows],
            "code_officiel": [r[0] for r in rows],
            "nom": [r[1] for r in rows],
            "valeur": [np.nan if r[2] is None else r[2] for r in rows],
            "statut": [r[3] for r in rows],
            "statut_libelle": [r[3] for r in rows],
            "territoires_renseignes": 1,
            "territoires_attendus": 1,
            "origine": "chargement",
            "zone": [r[4] for r in rows],
        }
    )


TABLE = _table(
    [
        ("01", "Ain", 10.0, "ok", "metropole"),
        ("02", "Aisne", 20.0, "ok", "metropole"),
        ("03", "Allier", 30.0, "ok", "metropole"),
        ("04", "Alpes", 40.0, "ok", "metropole"),
        ("05", "Hautes-Alpes", None, "secret", "metropole"),
        ("971", "Guadeloupe", 50.0, "ok", "Guadeloupe"),
        ("976", "Mayotte", None, "missing", "Mayotte"),
    ]
)


def test_a_sequential_quantity_gets_one_hue_from_light_to_dark_whatever_its_direction() -> None:
    up = quantile_classes(TABLE["valeur"], "up", "%", count=4)
    down = quantile_classes(TABLE["valeur"], "down", "%", count=4)
    assert [c.lower for c in up] == [10.0, 20.0, 30.0, 40.0]
    assert up[-1].upper == 50.0
    assert [c.colour for c in up] == [c.colour for c in down]
    assert up[0].colour == SEQUENTIAL[0] and up[-1].colour == SEQUENTIAL[-1]
    assert not {c.colour for c in up} & {DIVERGING[0], DIVERGING[-1]}
    assert up[0].label == "10,0\u202f% – 20,0\u202f%"


def test_a_quantity_around_0_gets_a_diverging_palette_centred_on_0() -> None:
    values = pd.Series([-12.0, -5.0, -1.0, 2.0, 4.0, 30.0])
    up = quantile_classes(values, "up", "nombre", count=4, centre=0.0)
    down = quantile_classes(values, "down", "nombre", count=4, centre=0.0)
    # 0 is a class edge: no class holds both closings and openings
    assert 0.0 in [c.upper for c in up]
    below = [c.colour for c in up if c.upper <= 0]
    above = [c.colour for c in up if c.lower >= 0]
    assert set(below) <= set(DIVERGING[:3]) and set(above) <= set(DIVERGING[4:])
    # the direction picks the side: more openings are better (purple), unless "down"
    assert up[-1].colour in DIVERGING[4:] and down[-1].colour in DIVERGING[:3]


def test_class_index_puts_bounds_in_the_lower_class_and_keeps_nan() -> None:
    classes = quantile_classes(TABLE["valeur"], "up", "%", count=4)
    index = class_index(pd.Series([10.0, 20.0, 20.5, 50.0, np.nan]), classes)
    assert index.tolist()[:4] == [0, 0, 1, 3]
    assert np.isnan(index.iloc[4])


def test_identical_values_make_one_class() -> None:
    classes = quantile_classes(pd.Series([5.0, 5.0, 5.0]), "neutral", "nombre")
    assert len(classes) == 1


def test_choropleth_sends_geometry_by_url_with_overseas_insets() -> None:
    classes = quantile_classes(TABLE["valeur"], "up", "%")
    figure = choropleth_figure(TABLE, classes, "/geo/departements.geojson", "%")
    assert {trace["geojson"] for trace in figure["data"]} == {"/geo/departements.geojson"}
    assert {trace["geo"] for trace in figure["data"]} == {"geo", "geo2", "geo3"}
    assert figure["layout"]["geo"]["domain"]["x"] == [0.0, 0.84]
    names = [a["text"] for a in figure["layout"]["annotations"]]
    assert names == ["Guadeloupe", "Mayotte"]
    statuses = {trace["name"] for trace in figure["data"]}
    assert statuses == {"Valeurs", "secret", "missing"}
    # a figure is a small JSON document: the polygons are not in it
    assert len(json.dumps(figure)) < 10_000


def test_map_summary_in_french() -> None:
    sentence = map_summary(TABLE, "Taux d'équipement", "%", "2025-T3", "DEP")
    assert sentence == (
        "Taux d'équipement, 3e trimestre 2025 : de 10,0\u202f% (Ain) à 50,0\u202f% "
        "(Guadeloupe), médiane 30,0\u202f% ; 5 départements renseignés sur 7, "
        "1 sous secret statistique."
    )


@pytest.mark.parametrize(
    ("period", "text"),
    [
        ("2025", "2025"),
        ("2025-S1", "1er semestre 2025"),
        ("2024-T4", "4e trimestre 2024"),
        ("2026-07", "juillet 2026"),
    ],
)
def test_periods_read_in_french(period: str, text: str) -> None:
    assert format_period(period) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234.0, "nombre", "1\u202f234"),
        (12.345, "%", "12,3\u202f%"),
        (1500.4, "€", "1\u202f500\u202f€"),
        (8.25, "minutes", "8,2 minutes"),
        (None, "%", "—"),
    ],
)
def test_values_read_in_french(value: float | None, unit: str, text: str) -> None:
    assert format_value(value, unit) == text
