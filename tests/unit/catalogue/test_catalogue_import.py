"""An indicator-metadata table turned into catalogue files (issue #14): what is mapped, what is
guessed and what is reported line by line, in French."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from indicators.catalogue import load_catalogue, validate_catalogue
from indicators.ingest import UploadedFile
from indicators.ingest.catalogue_cells import ImportDefaults
from indicators.ingest.catalogue_files import indicators_file_name, write_catalogue_import
from indicators.ingest.catalogue_import import import_indicator_table
from indicators.ingest.catalogue_words import (
    indicator_code,
    map_direction,
    map_periodicity,
    map_unit,
    partner_code,
)
from indicators.ingest.reading import read_source

pytestmark = pytest.mark.unit

# the columns a results barometer publishes, in French, one row per indicator
TABLE = """identifiant;libellé;unité;périodicité;sens;description;producteur
tx-gs-rep;Part des classes de GS en éducation prioritaire dédoublées;% des classes;annuelle;hausse;Classes dédoublées;DITP
nb-maisons-sante;Maisons de santé ouvertes;maisons de santé;trimestrielle;à la hausse;MSP ouvertes;Direction générale de l'offre de soins
delai-traitement;Délai de traitement;mois de traitement;annuelle;baisse;Délai moyen;DITP
ACC_FS_NOMBRE;Doublon;nombre;semestrielle;hausse;x;ANCT
bornes;Bornes de recharge;bornes de recharge;hebdomadaire;hausse;Bornes;Insee
"""  # noqa: E501


def _read(data: bytes, name: str = "meta.csv"):  # type: ignore[no-untyped-def]
    return read_source(UploadedFile(name, data), max_bytes=10_000_000)


def test_units_periodicities_directions_and_codes() -> None:
    assert map_unit("%") == ("%", "")
    assert map_unit("% des classes")[0] == "%"
    assert map_unit("kilomètres")[0] == "km"
    assert map_unit("entreprises industrielles") == (
        "nombre",
        "unité « entreprises industrielles » lue comme un nombre (entreprises industrielles)",
    )
    assert map_unit("mois de traitement")[0] is None
    assert map_unit("heures de patrouille sur douze mois *")[0] is None
    assert map_unit("")[0] is None
    assert map_periodicity("Trimestrielle").value == "quarter"  # type: ignore[union-attr]
    assert map_periodicity("yearly").value == "annual"  # type: ignore[union-attr]
    assert map_periodicity("hebdomadaire") is None
    assert (map_direction("À la hausse"), map_direction("lower"), map_direction("?")) == (
        "up",
        "down",
        None,
    )
    assert indicator_code("tx-classes-cp-ce1-rep") == "TX_CLASSES_CP_CE1_REP"
    assert indicator_code("5g", "BARO_") == "BARO_5G"
    assert indicator_code("123-x") == "I_123_X"
    assert partner_code("DITP") == "DITP"
    assert partner_code("Direction interministérielle de la transformation publique") == "DITP"
    assert indicators_file_name("Baromètre résultats.xlsx") == (
        "indicators-barometre-resultats.toml"
    )


def test_each_line_is_mapped_or_reported() -> None:
    catalogue = load_catalogue()
    result = import_indicator_table(
        _read(TABLE.encode()), catalogue, ImportDefaults(programmes=("FS",))
    )
    assert [table["code"] for table in result.indicators] == ["TX_GS_REP", "NB_MAISONS_SANTE"]
    gs, msp = result.indicators
    assert (gs["unit"], gs["direction"], gs["periodicity"], gs["partner"]) == (
        "%",
        "up",
        "annual",
        "DITP",
    )
    assert gs["range"] == {"min": 0, "max": 100} and gs["aggregation"] == "none"
    assert (msp["unit"], msp["aggregation"], msp["periodicity"]) == ("nombre", "sum", "quarter")
    assert msp["partner"] == "DGOS" and msp["programmes"] == ["FS"]
    assert [p["code"] for p in result.partners] == ["DITP", "DGOS"]
    assert result.partners[1]["kind"] == "direction_centrale"
    errors = [(i.line, i.column, i.code) for i in result.issues if i.is_error]
    assert errors == [
        (4, "unité", "unknown-unit"),
        (5, "identifiant", "known-indicator"),
        (6, "périodicité", "unknown-periodicity"),
    ]
    warnings = {(i.line, i.code) for i in result.issues if not i.is_error}
    assert {(2, "new-partner"), (3, "new-partner"), (2, "guessed-unit")} <= warnings
    assert result.skipped == 3
    by_line = {(i.line, i.code): i.message for i in result.issues}
    assert "« mois de traitement »" in by_line[(4, "unknown-unit")]
    assert "INSEE" not in {p["code"] for p in result.partners}  # "Insee" is a known partner


def test_written_catalogue_validates(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    result = import_indicator_table(
        _read(TABLE.encode()), catalogue, ImportDefaults(measures=("M1",))
    )
    out = tmp_path / "catalogue"
    written = write_catalogue_import(
        result, Path(load_catalogue.__code__.co_filename).parent, out, "indicators-meta.toml", "x"
    )
    assert {path.name for path in written} == {"partners.toml", "indicators-meta.toml"}
    assert validate_catalogue(out) == []
    loaded = load_catalogue(out)
    assert loaded.partners["DITP"].name == "DITP"
    assert loaded.indicators["TX_GS_REP"].measures == ("M1",)
    assert len(loaded.indicators) == len(catalogue.indicators) + 2


def test_english_headers_in_a_workbook() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [
        ["Indicator ID", "Indicator name", "Unit", "Frequency", "Polarity", "Producer"],
        ["broadband-5g", "5G coverage", "%", "quarterly", "higher is better", "ARCEP"],
    ]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_indicator_table(
        _read(buffer.getvalue(), "meta.xlsx"), load_catalogue(), ImportDefaults(programmes=("FS",))
    )
    (table,) = result.indicators
    assert (table["code"], table["direction"], table["periodicity"], table["partner"]) == (
        "BROADBAND_5G",
        "up",
        "quarter",
        "ARCEP",
    )
    assert result.partners == ()


def test_missing_columns_are_one_file_issue() -> None:
    result = import_indicator_table(_read(b"a;b\n1;2\n"), load_catalogue())
    assert [(i.line, i.code) for i in result.issues] == [(None, "missing-column")]
    assert "identifiant, libellé, unité" in result.issues[0].message


def test_the_barometer_file_itself(samples_dir: Path, tmp_path: Path) -> None:
    """Etalab's barometer by département: one row per indicator and département, merged."""
    path = samples_dir / "01_etalab_barometre_synthese_departemental.csv"
    table = read_source(UploadedFile.from_path(path), max_bytes=50_000_000)
    catalogue = load_catalogue()
    result = import_indicator_table(
        table, catalogue, ImportDefaults(partner="DITP", measures=("M1",), prefix="BARO_")
    )
    assert len(result.indicators) == 49  # of 53: four units are durations or rates
    assert {i.code for i in result.issues if i.is_error} == {"unknown-unit"}
    assert result.partners == ({"code": "DITP", "name": "DITP", "kind": "operateur"},)
    out = tmp_path / "baro"
    write_catalogue_import(
        result, Path(load_catalogue.__code__.co_filename).parent, out, "indicators-baro.toml", "x"
    )
    assert validate_catalogue(out) == []
