"""Rows of ``suivi catalogue list``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from indicators.catalogue import (
    LIST_COLUMNS,
    catalogue_rows,
    definition_hash,
    load_catalogue,
    render_catalogue_list,
)

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
    assert [d["code"] for d in as_json] == [row["code"] for row in catalogue_rows(catalogue)]
    with pytest.raises(ValueError, match="format inconnu « xml »"):
        render_catalogue_list(catalogue, "xml")


def test_json_gives_the_whole_definition() -> None:
    """Issue #14: not a summary but everything a version stores, and the version hash."""
    catalogue = load_catalogue()
    definitions = json.loads(render_catalogue_list(catalogue, "json"))
    by_code = {d["code"]: d for d in definitions}
    ratio = by_code["MOB_PART_VOITURE"]
    assert ratio["kind"] == "derived" and "MOB_ACTIFS_VOITURE" in ratio["formula"]
    assert ratio["aggregation"] == "ratio" and ratio["numerator"] == "MOB_ACTIFS_VOITURE"
    for definition in definitions:
        assert {
            "direction", "chain_level", "last_mile", "aggregation", "formula", "targets",
            "periodicity", "levels", "unit", "partner", "measures", "programmes", "range",
            "source", "licence", "version", "labels", "baseline", "description",
        } <= set(definition)  # fmt: skip
        indicator = catalogue.indicators[definition["code"]]
        assert definition["version"] == definition_hash(indicator)
        assert definition["direction"] == indicator.direction.value
        assert definition["last_mile"] is indicator.last_mile
        assert definition["labels"]["chain_level"] == indicator.chain_level.label
    with_targets = [d for d in definitions if d["targets"]]
    assert with_targets, "the demo catalogue has targets"
    assert {"scope", "value", "period", "cumulative", "milestones"} == set(
        with_targets[0]["targets"][0]
    )
