"""Definitions edited outside the files (issue #14): laid over the files, checked by the same
rules and messages as ``suivi catalogue check``, and exported back as files that check accepts."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from indicators.catalogue import (
    DEFAULT_DIRECTORY,
    definition_hash,
    load_catalogue,
    read_catalogue,
    validate_catalogue,
)
from indicators.catalogue.export import ADDED_INDICATORS, ExportError, export_catalogue
from indicators.catalogue.tables import (
    TableEdit,
    indicator_table,
    measure_table,
    partner_table,
    render_table,
)

pytestmark = pytest.mark.unit

DITP = TableEdit(
    "partner",
    "DITP",
    {
        "code": "DITP",
        "name": "Direction interministérielle de la transformation publique",
        "kind": "direction_centrale",
    },
)


def ditp_indicator(**changes: object) -> TableEdit:
    table: dict[str, object] = {
        "code": "DITP_DELAI",
        "label": "Délai de traitement des démarches",
        "description": "Délai moyen de traitement des démarches en ligne.",
        "theme": "vivre-ou-on-a-choisi",
        "unit": "jours",
        "direction": "down",
        "kind": "base",
        "aggregation": "weighted_mean",
        "weight": "population",
        "periodicity": "annual",
        "publication_lag_months": 6,
        "levels": ["DEP", "REG", "FR"],
        "chain_level": "outcome",
        "measures": ["M1"],
        "partner": "DITP",
        "range": {"min": 0},
        "source": "Baromètre des résultats de l'action publique",
        "licence": "Licence Ouverte 2.0",
    }
    table.update(changes)
    return TableEdit("indicator", str(table["code"]), table)


def test_every_shipped_definition_reads_back_from_its_table() -> None:
    """The table a form starts from is the definition: read again, nothing changes."""
    catalogue = load_catalogue()
    edits = [TableEdit("indicator", c, indicator_table(i)) for c, i in catalogue.indicators.items()]
    edits += [TableEdit("partner", c, partner_table(p)) for c, p in catalogue.partners.items()]
    edits += [TableEdit("measure", c, measure_table(m)) for c, m in catalogue.measures.items()]
    again, errors = read_catalogue(None, edits)
    assert errors == []
    assert list(again.indicators) == list(catalogue.indicators)  # replaced where they stand
    for code, indicator in catalogue.indicators.items():
        assert definition_hash(again.indicators[code]) == definition_hash(indicator), code
    assert again.partners == catalogue.partners
    assert again.measures == catalogue.measures


def test_new_partner_and_indicator_are_laid_over_the_files() -> None:
    catalogue, errors = read_catalogue(None, [DITP, ditp_indicator()])
    assert errors == []
    assert catalogue.partners["DITP"].name.startswith("Direction interministérielle")
    assert catalogue.indicators["DITP_DELAI"].partner == "DITP"
    assert "DITP" not in load_catalogue().partners  # the files are untouched


def test_an_edit_gets_the_same_messages_as_a_file() -> None:
    broken = ditp_indicator(unit="jour", publication_lag_months="six")
    errors = validate_catalogue(None, [DITP, broken])
    messages = [error.message for error in errors]
    assert "« publication_lag_months » doit être un nombre entier" in messages
    assert messages[0].startswith("unité inconnue « jour » (vouliez-vous dire « jours » ?)")
    unknown = validate_catalogue(None, [DITP, ditp_indicator(partner="DITPP")])
    assert [e.message for e in unknown] == [
        "partenaire inconnu « DITPP » (vouliez-vous dire « DITP » ?)"
    ]
    # said of the edit, on the line of its key in the table as a file would hold it
    lines = render_table("indicator", broken.table).splitlines()
    unit_error = next(e for e in errors if e.message.startswith("unité inconnue"))
    assert str(unit_error.file) == "[modifié en ligne] indicateur DITP_DELAI"
    assert lines[unit_error.line - 1].startswith("unit = ")


def test_an_edit_that_breaks_another_definition_is_refused() -> None:
    """The measure M1 names its headline indicator; an edit of it that drops M1 breaks M1."""
    catalogue = load_catalogue()
    headline = catalogue.measures["M1"].headline_indicator
    table = indicator_table(catalogue.indicators[headline])
    table["measures"] = [m for m in table["measures"] if m != "M1"] or ["M2"]
    errors = validate_catalogue(None, [TableEdit("indicator", headline, table)])
    assert [e.message for e in errors] == [
        f"l'indicateur phare « {headline} » ne déclare pas la mesure M1 dans ses « measures »"
    ]
    assert errors[0].file.name == "measures.toml"


def test_export_writes_files_that_check_accepts_and_load_the_same(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    partner = partner_table(catalogue.partners["INSEE"]) | {"website": "https://www.insee.fr"}
    measure = measure_table(catalogue.measures["M2"]) | {"label": "Mesure deux, renommée"}
    code = next(c for c, i in catalogue.indicators.items() if i.targets)
    indicator = indicator_table(catalogue.indicators[code]) | {"publication_lag_months": 11}
    edits = [
        DITP,
        TableEdit("partner", "INSEE", partner),
        TableEdit("measure", "M2", measure),
        TableEdit("indicator", code, indicator),
        ditp_indicator(),
    ]
    expected, errors = read_catalogue(None, edits)
    assert errors == []

    out = tmp_path / "export"
    written = export_catalogue(DEFAULT_DIRECTORY, edits, out)

    assert out / ADDED_INDICATORS in written
    assert validate_catalogue(out) == []
    exported = load_catalogue(out)
    assert list(exported.indicators) == list(expected.indicators)
    for key, indicator in expected.indicators.items():
        assert definition_hash(exported.indicators[key]) == definition_hash(indicator), key
    assert exported.partners == expected.partners
    assert exported.measures == expected.measures
    assert exported.programmes == expected.programmes
    # the comments of the files stay; an edited table is replaced where it stands
    source_text = (DEFAULT_DIRECTORY / "partners.toml").read_text(encoding="utf-8")
    text = (out / "partners.toml").read_text(encoding="utf-8")
    comments = [line for line in source_text.splitlines() if line.startswith("#")]
    assert comments and all(line in text for line in comments)
    codes = [p["code"] for p in tomllib.loads(text)["partner"]]
    assert codes == [*load_catalogue().partners, "DITP"]
    assert text.count('code = "INSEE"') == 1 and "https://www.insee.fr" in text


def test_export_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "partners.toml").write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match="n'est pas vide"):
        export_catalogue(DEFAULT_DIRECTORY, [DITP], tmp_path)
