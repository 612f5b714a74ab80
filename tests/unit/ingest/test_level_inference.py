"""A territory column's level inferred from all its codes (issue #14): one warning for the file
instead of one ``ambiguous-territory`` error per line, on real-world unpadded département codes."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from indicators.catalogue import Catalogue, Level
from indicators.ingest import Analysis, UploadedFile, analyse, parse_profile
from indicators.territories import Referential, infer_level, load_referential, normalise_code
from indicators.territories.level_inference import settle

pytestmark = pytest.mark.unit

Analyse = Callable[..., Analysis]


@pytest.fixture(scope="module")
def referential() -> Referential:
    return load_referential()  # the real COG: 101 départements, 18 régions


def _unpadded_departements(referential: Referential) -> list[str]:
    """``1``…``95``, ``2A``, ``2B``, ``971``…``976``: how a spreadsheet writes them."""
    codes = [t.local_code for t in referential.territories.values() if t.level == "DEP"]
    return sorted((code.lstrip("0") for code in codes), key=lambda c: (len(c), c))


def test_unpadded_departements_are_inferred_as_departements(referential: Referential) -> None:
    codes = _unpadded_departements(referential)
    assert len(codes) == 101 and "1" in codes and "2A" in codes and "971" in codes
    inference = infer_level(codes * 3, referential)  # repeated rows count once
    assert inference.level == "DEP" and inference.counted == 101
    assert inference.ambiguous == 18  # 1 2 3 4 6 11 24 … 94 are région codes too
    assert inference.only["DEP"] == 83 and inference.fitting["REG"] == 18
    assert inference.message == (
        "Les 101 codes peuvent être des départements, dont 83 ne peuvent être que cela : "
        "colonne lue comme départements"
    )


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (  # 01 and 02 are régions too: one code alone decides
            ["01", "02", "29"],
            "Les 3 codes peuvent être des départements, dont 1 ne peut être que cela : "
            "colonne lue comme départements",
        ),
        (["2A", "29"], "Les 2 codes sont des départements"),
        (["2A"], "Le code est un département"),
        (["84"], "Le code peut être un département ou une région : précisez le niveau"),
        (
            ["11", "84"],
            "Les 2 codes peuvent tous être des départements ou des régions : précisez le niveau",
        ),
    ],
)
def test_the_level_sentence_reads_right_in_every_case(
    referential: Referential, codes: list[str], message: str
) -> None:
    assert infer_level(codes, referential).message == message


def test_regions_alone_stay_undecided(referential: Referential) -> None:
    inference = infer_level(["11", "24", "84", "93", "94"], referential)
    assert inference.level is None and inference.ambiguous == 5
    assert "départements ou des régions" in inference.message


def test_mixed_levels_infer_nothing(referential: Referential) -> None:
    inference = infer_level(["2A", "R84", "1", "", "FR"], referential)
    assert inference.level is None and inference.counted == 3
    assert inference.message.startswith("Niveaux mêlés (1 départements, 1 régions)")


def test_communes_need_no_settling(referential: Referential) -> None:
    inference = infer_level(["01001", "75056", "2A004"], referential)
    assert inference.level == "COM" and not inference.settles_ambiguity


def _long_file(codes: list[str]) -> bytes:
    """The long layout as the issue's user had it: ``;``, decimal commas, Windows-1252."""
    lines = ["indicateur;territoire;période;valeur"]
    lines += [f"ACC_RENONCEMENT;{code};2024;{3 + n / 10:.1f}".replace(".", ",") for n, code in
              enumerate(codes)]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_long_file_of_unpadded_codes_loads_with_one_warning(
    catalogue: Catalogue, referential: Referential
) -> None:
    codes = _unpadded_departements(referential)
    analysis = analyse(
        UploadedFile("renoncement.csv", _long_file(codes)),
        catalogue=catalogue,
        referential=referential,
    )
    assert [(i.line, i.column, i.code, i.severity) for i in analysis.issues] == [
        (None, "territoire", "level-inferred", "warning")
    ]
    assert "dont 83 ne peuvent être que cela" in analysis.issues[0].message
    assert analysis.verdict == "valid" and len(analysis.validated.values) == 101
    territories = set(analysis.validated.values["territory"])
    assert {"DEP:01", "DEP:06", "DEP:84", "DEP:2A", "DEP:971"} <= territories
    assert not any(code.startswith("REG:") for code in territories)


def test_wide_file_of_unpadded_codes(catalogue: Catalogue, referential: Referential) -> None:
    codes = _unpadded_departements(referential)
    text = "territoire,periode,ACC_RENONCEMENT,LOG_TAUX_EFFORT\n" + "".join(
        f"{code},2024,3,20\n" for code in codes
    )
    analysis = analyse(
        UploadedFile("large.csv", text.encode()), catalogue=catalogue, referential=referential
    )
    assert analysis.layout == "wide"
    assert [i.code for i in analysis.issues] == ["level-inferred"]
    assert len(analysis.validated.values) == 202


def test_profile_file_without_level(catalogue: Catalogue, referential: Referential) -> None:
    profile = parse_profile(
        {
            "territory": {"column": "dep"},
            "period": {"value": "2024"},
            "indicator": {"value": "ACC_RENONCEMENT"},
            "values": [{"column": "taux"}],
        }
    )
    codes = _unpadded_departements(referential)
    text = "dep;taux\n" + "".join(f"{code};4\n" for code in codes)
    analysis = analyse(
        UploadedFile("p.csv", text.encode()),
        catalogue=catalogue,
        referential=referential,
        profile=profile,
    )
    assert [i.code for i in analysis.issues] == ["level-inferred"]
    assert analysis.counts["rejected"] == 0


def test_a_file_of_mixed_levels_keeps_one_error_per_line(
    catalogue: Catalogue, referential: Referential
) -> None:
    text = (
        "indicateur;territoire;periode;valeur\n"
        "ACC_RENONCEMENT;2A;2024;3\nACC_RENONCEMENT;R84;2024;3\n"
        "ACC_RENONCEMENT;1;2024;3\nACC_RENONCEMENT;84;2024;3\n"
    )
    analysis = analyse(
        UploadedFile("m.csv", text.encode()), catalogue=catalogue, referential=referential
    )
    assert [(i.line, i.code) for i in analysis.issues] == [
        (4, "ambiguous-territory"),
        (5, "ambiguous-territory"),
    ]


def test_the_barometer_departement_column_reads_as_departements(
    samples_dir: Path, referential: Referential
) -> None:
    """The government's results barometer by département: padded codes, but ``01``…``06`` are
    région codes of the overseas too."""
    path = samples_dir / "01_etalab_barometre_synthese_departemental.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        column = [row["code_departement"] for row in csv.DictReader(handle)]
    inference = infer_level(column, referential)
    assert inference.level == "DEP" and inference.counted == 101
    assert inference.ambiguous == 18
    assert json.dumps(inference.message, ensure_ascii=False).count("départements") == 2


def test_an_indicator_s_own_levels_win_over_the_file_s(
    catalogue: Catalogue, referential: Referential
) -> None:
    """A file of départements that also holds a région-only indicator: its ``84`` is the région
    (the indicator settles it), the other indicator's ``84`` is Vaucluse (the file does)."""
    regional = replace(
        catalogue.indicators["ACC_RENONCEMENT"], code="ACC_REGIONAL", levels=(Level.REG, Level.FR)
    )
    both = replace(
        catalogue, indicators=MappingProxyType({**catalogue.indicators, regional.code: regional})
    )
    codes = _unpadded_departements(referential)
    text = "indicateur;territoire;periode;valeur\n" + "".join(
        f"ACC_RENONCEMENT;{code};2024;3\n" for code in codes
    )
    text += "ACC_REGIONAL;84;2024;4\n"
    analysis = analyse(
        UploadedFile("r.csv", text.encode()), catalogue=both, referential=referential
    )
    assert [i.code for i in analysis.issues] == ["level-inferred"]
    values = analysis.validated.values
    assert set(values.loc[values["indicator"] == "ACC_REGIONAL", "territory"]) == {"REG:84"}
    assert "DEP:84" in set(values.loc[values["indicator"] == "ACC_RENONCEMENT", "territory"])


def test_settle_reads_an_ambiguous_code_at_a_level(referential: Referential) -> None:
    ambiguous = normalise_code("1", referential)
    assert ambiguous.status == "ambiguous"
    assert settle(ambiguous, "DEP").code == "DEP:01"
    assert settle(ambiguous, "COM") is ambiguous
