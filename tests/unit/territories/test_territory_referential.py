"""Loading the referential and walking its hierarchy (mini fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.territories import (
    Referential,
    ReferentialError,
    default_reference_dir,
    load_referential,
    split_typed_code,
    typed_code,
)

pytestmark = pytest.mark.unit

MINI = Path(__file__).resolve().parents[2] / "fixtures" / "reference_mini"


def test_codes_stay_strings_with_their_leading_zeros(mini: Referential) -> None:
    ain = mini.territory("DEP:01")
    assert (ain.local_code, ain.name, ain.region) == ("01", "Ain", "84")
    assert mini.territory("REG:01").name == "Guadeloupe"
    assert mini.territory("COM:01001").population == 859
    assert "COM:2A004" in mini


def test_every_level_is_indexed(mini: Referential) -> None:
    assert len(mini.codes("REG")) == 11
    assert len(mini.codes("DEP")) == 15
    assert len(mini.codes("EPCI")) == 11
    assert len(mini.codes("COM")) == 15
    assert len(mini.codes("ARM")) == 4
    assert mini.codes("FR") == ("FR",)


def test_parents_of_a_commune_run_up_to_france(mini: Referential) -> None:
    assert mini.parents("COM:01001") == ("EPCI:200069193", "DEP:01", "REG:84", "FR")


def test_parents_of_a_commune_outside_any_epci(mini: Referential) -> None:
    assert mini.parents("COM:29155") == ("DEP:29", "REG:53", "FR")


def test_parents_of_an_arrondissement_start_with_its_commune(mini: Referential) -> None:
    assert mini.parents("ARM:75101") == ("COM:75056", "EPCI:200054781", "DEP:75", "REG:11", "FR")


def test_parents_of_an_epci_are_those_of_its_seat(mini: Referential) -> None:
    assert mini.parents("EPCI:248400251") == ("DEP:84", "REG:93", "FR")


@pytest.mark.parametrize(
    ("code", "parents"),
    [("DEP:2A", ("REG:94", "FR")), ("REG:84", ("FR",)), ("FR", ())],
)
def test_parents_of_upper_levels(mini: Referential, code: str, parents: tuple[str, ...]) -> None:
    assert mini.parents(code) == parents


def test_children_default_to_the_next_level(mini: Referential) -> None:
    assert set(mini.children("REG:94")) == {"DEP:2A", "DEP:2B"}
    assert set(mini.children("EPCI:200069193")) == {"COM:01001", "COM:01015"}
    assert mini.children("COM:75056") == ("ARM:75101", "ARM:75115")
    assert len(mini.children("FR")) == 11


def test_children_of_a_departement_are_its_epci_largest_first(mini: Referential) -> None:
    assert mini.children("DEP:01") == ("EPCI:200071751", "EPCI:240100883", "EPCI:200069193")


def test_an_epci_straddling_departements_is_a_child_of_each(mini: Referential) -> None:
    assert mini.children("DEP:30") == ("EPCI:248400251",)
    assert mini.children("DEP:84") == ("EPCI:248400251",)


def test_children_at_a_given_level_reach_communes_without_epci(mini: Referential) -> None:
    assert mini.children("DEP:29", "COM") == ("COM:29155",)
    assert mini.children("DEP:29") == ()
    assert set(mini.children("REG:84", "COM")) == {
        "COM:01001",
        "COM:01004",
        "COM:01015",
        "COM:01053",
        "COM:69123",
    }


def test_name_and_population(mini: Referential) -> None:
    assert mini.name("COM:75056") == "Paris"
    assert mini.population("EPCI:248400251") == 190000
    regions = mini.tables["regions"]["population"].astype(int).sum()
    assert mini.population("FR") == regions


def test_unknown_code_raises_a_french_key_error(mini: Referential) -> None:
    assert mini.get("COM:99999") is None
    with pytest.raises(KeyError, match="territoire inconnu"):
        mini.territory("COM:99999")


def test_old_codes_are_grouped_by_old_code(mini: Referential) -> None:
    assert mini.old_codes["01340"].new_codes == ("01015",)
    assert mini.old_codes["01340"].old_name == "Saint-Bois"
    assert mini.old_codes["01998"].new_codes == ("01004", "01053")


def test_typed_codes_round_trip() -> None:
    assert typed_code("DEP", "2A") == "DEP:2A"
    assert typed_code("FR", "") == "FR"
    assert split_typed_code("EPCI:200054781") == ("EPCI", "200054781")
    assert split_typed_code("FR") == ("FR", "")
    with pytest.raises(KeyError):
        split_typed_code("XYZ:1")


def test_default_reference_dir_is_the_repository_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUIVI_REFERENCE_DIR", raising=False)
    repo = Path(__file__).resolve().parents[3]
    assert default_reference_dir() == repo / "data" / "reference"


def test_default_reference_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUIVI_REFERENCE_DIR", str(tmp_path))
    assert default_reference_dir() == tmp_path


def test_a_missing_file_is_reported_in_french(tmp_path: Path) -> None:
    with pytest.raises(ReferentialError, match="fichier du référentiel absent"):
        load_referential(tmp_path)


def test_a_missing_column_is_reported_in_french(tmp_path: Path) -> None:
    for path in MINI.glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "regions.csv").write_text("code,name\n84,Auvergne-Rhône-Alpes\n", encoding="utf-8")
    with pytest.raises(ReferentialError, match=r"regions\.csv : colonnes manquantes population"):
        load_referential(tmp_path)
