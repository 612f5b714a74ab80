"""The real programme lists in ``../shared/samples`` read against the real referential.

Skipped when either is absent. The measured rates are written in the release note."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from indicators.territories import Referential, SetFile, read_set_file

pytestmark = pytest.mark.unit


def read(samples_dir: Path, name: str, referential: Referential) -> SetFile:
    path = samples_dir / name
    if not path.is_file():
        pytest.skip(f"échantillon absent : {path}")
    return read_set_file(path, referential)


def issue_counts(result: SetFile) -> Counter[str]:
    return Counter(issue.code for issue in result.issues)


def test_france_services(samples_dir: Path, real: Referential) -> None:
    result = read(samples_dir, "05_anct_france_services_20240801.csv", real)
    counts = result.counts
    assert (result.code_column, result.delimiter, result.encoding) == ("insee_com", ",", "utf-8")
    assert counts.rows_read == 2845
    assert counts.match_rate >= 0.99
    # 29 sites are filed under a Paris/Lyon/Marseille arrondissement, a few under merged communes
    issues = issue_counts(result)
    assert issues["mapped-arrondissement"] == 29
    assert issues["mapped-old-code"] >= 1
    assert issues["outside-referential"] == 2  # Saint-Martin, 97801
    assert issues["duplicate-member"] == counts.duplicates > 200  # communes with several sites
    assert len(result.members) == counts.matched + counts.mapped - counts.duplicates
    saint_martin = [i for i in result.issues if i.code == "outside-referential"]
    assert [(i.line, i.value) for i in saint_martin] == [(1322, "97801"), (1323, "97801")]
    assert "Saint-Martin" in saint_martin[0].message
    # line numbers are the file's, though some records span several lines
    paris15 = next(i for i in result.issues if i.value == "75115")
    assert paris15.line == 411
    assert {"COM:75056", "COM:69123", "COM:13055"} <= result.codes


def test_petites_villes_de_demain(samples_dir: Path, real: Referential) -> None:
    result = read(samples_dir, "06_anct_pvd_communes_2021_redacted.csv", real)
    counts = result.counts
    assert counts.rows_read == 1607
    assert counts.match_rate >= 0.99
    assert [(i.line, i.code, i.value) for i in result.issues if i.severity == "error"] == [
        (1516, "dummy-row", "999999")
    ]
    assert result.start_column == "date_signature"
    assert not [i for i in result.issues if i.code == "invalid-date"]  # "01/2021" is a month


def test_action_coeur_de_ville(samples_dir: Path, real: Referential) -> None:
    result = read(samples_dir, "07_anct_action_coeur_de_ville_communes.json", real)
    assert result.format == "geojson"
    assert result.code_column == "insee_com"
    assert result.counts.rows_read == 244
    assert result.counts.match_rate >= 0.99
    assert {"COM:80001", "COM:01004", "COM:2A004"} <= result.codes  # numbers and strings
    assert not [i for i in result.issues if i.severity == "error"]
