"""Rows of ``suivi catalogue list``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from indicators.catalogue import LIST_COLUMNS, catalogue_rows, load_catalogue, render_catalogue_list

pytestmark = pytest.mark.unit


def test_rows_have_the_list_columns() -> None:
    catalogue = load_catalogue()
    rows = catalogue_rows(catalogue)
    assert len(rows) == len(catalogue.indicators)
    assert all(tuple(row) == LIST_COLUMNS for row in rows)
    row = next(r for r in rows if r["code"] == "ACC_FS_TEMPS_ACCES")
    assert row == {
        "code": "ACC_FS_TEMPS_ACCES",
        "label": "Temps d'accès à l'espace France Services le plus proche",
        "unit": "minutes",
        "periodicity": "annual",
        "levels": ["COM", "EPCI", "DEP", "REG", "FR"],
        "measures": ["M1"],
        "programmes": ["FS"],
        "partner": "ANCT",
    }


def test_csv_and_json() -> None:
    catalogue = load_catalogue()
    parsed = list(csv.DictReader(io.StringIO(render_catalogue_list(catalogue, "csv"))))
    assert len(parsed) == len(catalogue.indicators)
    assert parsed[0]["levels"] == "COM|EPCI|DEP|REG|FR"
    as_json = json.loads(render_catalogue_list(catalogue, "json"))
    assert as_json == catalogue_rows(catalogue)
    with pytest.raises(ValueError, match="format inconnu « xml »"):
        render_catalogue_list(catalogue, "xml")
