"""Data twins of empty charts (issue #11): a chart with nothing to draw still downloads, as CSV
and XLSX, with its headers and no rows — on the test demo, for territories it holds no value
for (l'Ain, outside Corse and Martinique)."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pytest

from dashboard.datasets import MAP_COLUMNS, SERIES_COLUMNS
from dashboard.figures import empty_reason
from dashboard.pages.indicateur.datasets import DISTRIBUTION_COLUMNS, RANKING_COLUMNS

pytestmark = pytest.mark.integration

CHART_PARTS = [("graph", "figure"), ("summary", "children"), ("csv", "href"), ("xlsx", "href")]
EMPTY_TWINS = [
    ("serie", "indicateur=LOG_PARC_PRIVE&territoire=DEP:01", SERIES_COLUMNS),
    ("serie", "indicateur=MOB_SERVICES_SOLIDAIRES&territoire=DEP:02", SERIES_COLUMNS),
    (
        "indicateur-distribution",
        "indicateur=ECO_GES_HABITANT&periode=2023&niveau=COM&dans=DEP:01",
        DISTRIBUTION_COLUMNS,
    ),
    (
        "indicateur-classement",
        "indicateur=ACC_FS_SATISFACTION&periode=1990&niveau=DEP",
        RANKING_COLUMNS,
    ),
]


def with_unit(columns: list[str]) -> list[str]:
    """A file about one indicator says its unit, in a column after ``valeur`` (issue #16)."""
    at = columns.index("valeur") + 1 if "valeur" in columns else len(columns)
    return [*columns[:at], "unite", *columns[at:]]


@pytest.mark.parametrize(("dataset", "query", "columns"), EMPTY_TWINS)
def test_an_empty_chart_downloads_its_headers_and_no_rows(
    client: Any, dataset: str, query: str, columns: list[str]
) -> None:
    columns = with_unit(columns)
    csv = client.get(f"/export/{dataset}.csv?{query}")
    assert csv.status_code == 200, csv.get_data(as_text=True)
    assert csv.headers["Content-Disposition"].startswith("attachment;")
    text = csv.data.decode("utf-8-sig")
    assert text.split("\r\n") == [";".join(columns), ""]
    frame = pd.read_csv(io.StringIO(text), sep=";")
    assert list(frame.columns) == columns and frame.empty
    xlsx = client.get(f"/export/{dataset}.xlsx?{query}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    sheet = pd.read_excel(io.BytesIO(xlsx.data))
    assert list(sheet.columns) == columns and sheet.empty


def test_a_map_of_territories_without_values_lists_them_as_missing(client: Any) -> None:
    """The map's twin is never empty: every territory of the area, with its gap."""
    query = "indicateur=LOG_PARC_PRIVE&periode=2024&niveau=COM&dans=DEP:01"
    response = client.get(f"/export/carte.csv?{query}")
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", encoding="utf-8-sig")
    assert list(frame.columns) == with_unit(MAP_COLUMNS)
    assert len(frame) > 300 and set(frame["statut"]) == {"missing"}


def test_a_territory_outside_the_indicator_levels_says_so(callbacks: Any) -> None:
    """A link to a commune with an indicator published from the EPCI up shows why another
    indicator is displayed, instead of switching silently."""
    result = callbacks.call(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [
            ("_pages_location", "pathname", "/territoire/COM:2A004"),
            ("_pages_location", "search", "?indicateur=ECO_GES_HABITANT"),
        ],
    )
    page = json.dumps(result["_pages_content"]["children"], ensure_ascii=False)
    assert "n'est pas publié pour les communes (Ajaccio)" in page
    assert "il l'est pour les intercommunalités, départements, régions" in page


def test_an_empty_territory_trend_says_whose_values_are_missing(callbacks: Any) -> None:
    result = callbacks.call(
        [
            ("territoire-trend-graph", "figure"),
            ("territoire-trend-summary", "children"),
            ("territoire-trend-csv", "href"),
            ("territoire-trend-xlsx", "href"),
            ("territoire-trend-title", "children"),
        ],
        [
            ("territoire-indicateur", "value", "LOG_PARC_PRIVE"),
            ("territoire-code", "data", "DEP:01"),
        ],
    )
    figure = result["territoire-trend-graph"]["figure"]
    assert figure["data"] == []
    assert empty_reason(figure) == "Ain : aucune valeur transmise."
    assert result["territoire-trend-summary"]["children"].endswith("aucune valeur transmise.")
    assert result["territoire-trend-csv"]["href"].startswith("/export/serie.csv?")


def test_empty_ranking_and_histogram_say_where_nothing_was_sent(callbacks: Any) -> None:
    outputs = [
        ("indicateur-carte-graph", "figure"),
        ("indicateur-carte-summary", "children"),
        ("indicateur-carte-legend", "children"),
        ("indicateur-carte-csv", "href"),
        ("indicateur-carte-xlsx", "href"),
        ("indicateur-carte-title", "children"),
        *[
            (f"indicateur-{name}-{part}", prop)
            for name in ("classement", "distribution")
            for part, prop in CHART_PARTS
        ],
    ]
    result = callbacks.call(
        outputs,
        [
            ("indicateur-code", "data", "LOG_PARC_PRIVE"),
            ("indicateur-periode", "value", "2024"),
            ("indicateur-niveau", "value", "COM"),
            ("indicateur-dans", "value", "DEP:01"),
            ("indicateur-surligne", "data", None),
        ],
    )
    for name in ("classement", "distribution"):
        figure = result[f"indicateur-{name}-graph"]["figure"]
        assert empty_reason(figure) == "Ain, 2024 : aucune valeur transmise pour les communes."
        assert "/export/indicateur-" in result[f"indicateur-{name}-csv"]["href"]
