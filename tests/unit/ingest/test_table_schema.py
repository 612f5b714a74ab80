"""The long format as a Frictionless Table Schema (issue #14): the committed file is the demo
catalogue's, and the ``frictionless`` library finds in the upload fixtures the errors the ingest
finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indicators.catalogue import DEFAULT_DIRECTORY, load_catalogue
from indicators.ingest.period_formats import read_period
from indicators.ingest.table_schema import PERIOD_PATTERN, TERRITORY_PATTERN, long_format_schema

frictionless = pytest.importorskip("frictionless")

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
UPLOADS = ROOT / "tests" / "fixtures" / "uploads"
COMMITTED = ROOT / "data" / "schemas" / "valeurs.json"


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    return frictionless.Schema.from_descriptor(long_format_schema(load_catalogue()))


def _errors(schema, name: str) -> list[tuple[str, int | None, str | None]]:  # type: ignore[no-untyped-def]
    resource = frictionless.Resource(path=name, basepath=str(UPLOADS), schema=schema)
    report = resource.validate()
    return [
        (error.type, getattr(error, "row_number", None), getattr(error, "field_name", None))
        for error in report.tasks[0].errors
    ]


def test_committed_schema_is_the_demo_catalogue_s() -> None:
    """``suivi catalogue schema > data/schemas/valeurs.json`` after a catalogue change."""
    built = long_format_schema(load_catalogue(DEFAULT_DIRECTORY))
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == built
    metadata = frictionless.Schema.validate_descriptor(built)
    assert metadata.valid, metadata.flatten(["note"])


def test_fields_and_indicators() -> None:
    catalogue = load_catalogue()
    built = long_format_schema(catalogue)
    names = [field["name"] for field in built["fields"]]
    assert names == [
        "indicateur", "territoire", "periode", "valeur", "type_valeur", "statut", "commentaire",
    ]  # fmt: skip
    indicators = built["fields"][0]["constraints"]["enum"]
    assert "MOB_ACTIFS" in indicators and "MOB_PART_VOITURE" not in indicators  # derived
    assert built["fields"][4]["constraints"]["enum"] == ["valeur", "reference", "cible"]
    assert {"NA", "na", "-9999", "s", "so"} <= set(built["missingValues"])


@pytest.mark.parametrize(
    "text", ["2025", "2025-S1", "2025-T3", "2025-07", "T3 2025", "2025Q3", "S1 2025", "07/2025"]
)
def test_every_period_the_pattern_admits_is_read(text: str) -> None:
    assert re.fullmatch(PERIOD_PATTERN, text)
    read_period(text, "auto")


@pytest.mark.parametrize("text", ["2025-13", "T5 2025", "2025-S3", "25", "juillet"])
def test_the_period_pattern_refuses(text: str) -> None:
    assert not re.fullmatch(PERIOD_PATTERN, text)


def test_territory_forms() -> None:
    for code in ("01001", "2A004", "1", "2A", "971", "84", "200054781", "COM:75056", "DEP:2A",
                 "D01", "R84", "FR"):  # fmt: skip
        assert re.fullmatch(TERRITORY_PATTERN, code), code
    for code in ("GRP:pvd", "Paris", "", "01 001"):
        assert not re.fullmatch(TERRITORY_PATTERN, code), code


def test_clean_fixtures_are_valid(schema) -> None:  # type: ignore[no-untyped-def]
    # BOM, ";", CRLF, a decimal comma, a typed code, a quarter written T2 2025
    assert _errors(schema, "long_bom_semicolon_crlf.csv") == []
    assert _errors(schema, "values_baselines_targets.csv") == []


def test_frictionless_finds_what_the_ingest_finds(schema) -> None:  # type: ignore[no-untyped-def]
    # errors.csv: unknown indicator (line 2), "beaucoup" (8), a derived indicator (12); the
    # other errors need the referential or the catalogue's levels, beyond a Table Schema
    assert _errors(schema, "errors.csv") == [
        ("constraint-error", 2, "indicateur"),
        ("type-error", 8, "valeur"),
        ("constraint-error", 12, "indicateur"),
    ]
    assert _errors(schema, "statuses_long.csv") == [("constraint-error", 6, "statut")]
    # a quoted comment on two lines: the third record is "abc"
    assert _errors(schema, "long_comma_multiline.csv") == [("type-error", 3, "valeur")]


def test_a_missing_required_column_is_reported(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sans_territoire.csv").write_text("indicateur;periode;valeur\nMOB_ACTIFS;2024;3\n")
    resource = frictionless.Resource(
        path="sans_territoire.csv", basepath=str(tmp_path), schema=schema
    )
    assert [e.type for e in resource.validate().tasks[0].errors] == ["missing-label"]
