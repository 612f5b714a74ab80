"""The mapping assistant of ``/import`` (issue #14) without HTTP: its guesses on a producer's own
file, the profile document its choices make (the one ``suivi profiles save`` reads), and the live
preview of the normalised rows with the dry-run counts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dashboard.pages.importer import assistant_preview, assistant_reading, assistant_views
from dashboard.pages.importer.assistant_choices import (
    SKIP,
    choices_from_document,
    detect_period_format,
    guess_choices,
    level_sentence,
    profile_document,
)
from indicators.catalogue import Catalogue, load_catalogue
from indicators.ingest import UploadedFile, parse_profile
from indicators.territories import Referential, load_referential

pytestmark = pytest.mark.unit

# a producer's own shape: unpadded département codes, decimal commas, Windows-1252
PRODUCER_CSV = (
    "annee;code_dep;libelle;nb_structures;population\n"
    "2019;1;Ain;12;656955,0\n"
    "2019;2A;Corse-du-Sud;4;158507,0\n"
    "2019;971;Guadeloupe;7;384239,0\n"
    "2019;75;Paris;s;2165423,0\n"
    "2019;13;Bouches-du-Rhône;;2043110,0\n"
)
ANCT = ["CON_DEMARCHES_PARTICIPATIVES", "ACC_FS_CREDITS"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def referential() -> Referential:
    return load_referential()


def producer_upload(text: str = PRODUCER_CSV, name: str = "structures.csv") -> UploadedFile:
    return UploadedFile(name, text.encode("cp1252"))


def choices_for(catalogue: Catalogue, referential: Referential, **changes: Any) -> dict[str, Any]:
    table = assistant_reading.read_table(producer_upload(), 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    choices["indicator"] = "CON_DEMARCHES_PARTICIPATIVES"
    choices["values"]["population"]["indicator"] = SKIP
    choices.update(changes)
    return choices


def test_guesses_the_roles_of_a_never_seen_producer_file(
    catalogue: Catalogue, referential: Referential
) -> None:
    table = assistant_reading.read_table(producer_upload(), 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    assert choices["territory_column"] == "code_dep"
    assert choices["territory_level"] == "DEP"  # "1" alone could be région 01
    assert choices["period_column"] == "annee" and choices["period_format"] == "year"
    assert choices["indicator_mode"] == "fixe"
    # numbers are value columns, the label is not read
    assert choices["values"]["nb_structures"]["indicator"] == ""
    # a second number column would make every row a duplicate of the first: left out
    assert choices["values"]["population"]["indicator"] == SKIP
    assert choices["values"]["libelle"]["indicator"] == SKIP
    assert choices["values"]["code_dep"]["indicator"] == SKIP
    sentence = level_sentence(table.frame, "code_dep", referential)
    assert "Les 5 codes peuvent être des départements, dont 3 ne peuvent être que cela" in sentence


def test_a_year_column_is_not_taken_for_territories_when_one_code_is_unknown(
    catalogue: Catalogue, referential: Referential
) -> None:
    # « 2019 » reads as a commune code too; the département column has one unknown code
    text = PRODUCER_CSV.replace("2019;13;", "2019;ZZ;")
    table = assistant_reading.read_table(producer_upload(text), 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    assert choices["territory_column"] == "code_dep"
    assert choices["period_column"] == "annee"


def test_a_column_named_by_an_indicator_code_is_read_as_that_indicator(
    catalogue: Catalogue, referential: Referential
) -> None:
    text = "Territoire;Période;con_demarches_participatives\n2A;2019;3\n"
    table = assistant_reading.read_table(producer_upload(text, "large.csv"), 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    assert choices["indicator_mode"] == "colonnes"
    assert choices["values"]["con_demarches_participatives"]["indicator"] == (
        "CON_DEMARCHES_PARTICIPATIVES"
    )


@pytest.mark.parametrize(
    "headers",
    [
        # codes, one of them another partner's: its indicator is left for the person to pick
        ("ACC_FS_CREDITS", "MOB_ACTIFS"),
        # the indicators' names as the catalogue writes them
        (
            "Subventions de fonctionnement versées aux structures France Services",
            "ACC_FS_NOMBRE_LIEUX",
        ),
    ],
)
def test_a_wide_file_of_indicator_columns_gets_one_indicator_per_column(
    catalogue: Catalogue, referential: Referential, headers: tuple[str, str]
) -> None:
    text = f"code_dep;annee;{headers[0]};{headers[1]}\n2A;2019;3;4\n13;2019;5;6\n"
    table = assistant_reading.read_table(producer_upload(text, "large.csv"), 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    assert choices["indicator_mode"] == "colonnes"
    picked = [choices["values"][header]["indicator"] for header in headers]
    # no « file's indicator » in this mode: the other column waits for its indicator
    assert picked[0] == "ACC_FS_CREDITS" and picked[1] == SKIP


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2019", "2020"], "year"),
        (["T1 2024", "T3 2024"], "quarter"),
        (["2024-07", "07/2024"], "month"),
        (["31/07/2024", "01/01/2025"], "date"),
        (["Ain", "Paris"], None),
        ([], None),
    ],
)
def test_detects_the_period_format(values: list[str], expected: str | None) -> None:
    assert detect_period_format(values) == expected


def test_the_document_is_one_the_cli_saves(catalogue: Catalogue, referential: Referential) -> None:
    choices = choices_for(catalogue, referential, scale="0,5", combine="last", secret="s, secret")
    document, problems = profile_document(
        choices, ["annee", "code_dep", "libelle", "nb_structures", "population"]
    )
    assert problems == [] and document is not None
    json.dumps(document)  # a JSON document, as ``suivi profiles save`` reads it
    profile = parse_profile(document)
    assert profile.territory_column == "code_dep" and profile.territory_level == "DEP"
    assert profile.indicator is not None and profile.indicator.value == (
        "CON_DEMARCHES_PARTICIPATIVES"
    )
    assert [v.column for v in profile.values] == ["nb_structures"]
    assert profile.scale == 0.5 and profile.combine == "last"
    assert "SECRET" in profile.tokens.secret and "" in profile.tokens.missing
    # and back: the assistant opened on the saved profile shows the same choices
    again = choices_from_document(
        document, ["annee", "code_dep", "libelle", "nb_structures", "population"]
    )
    assert profile_document(again, list(again["values"]))[0] == document


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"territory_column": None}, "Choisissez la colonne des territoires."),
        ({"indicator": None}, "Choisissez l'indicateur du fichier."),
        ({"scale": "beaucoup"}, "L'échelle doit être un nombre"),
        ({"period_column": "nb_structures"}, "ne peut pas être à la fois"),
        ({"indicator_mode": "colonnes"}, "Choisissez l'indicateur de la colonne « nb_structures »"),
    ],
)
def test_invalid_choices_say_what_to_fix(
    catalogue: Catalogue, referential: Referential, changes: dict[str, Any], message: str
) -> None:
    choices = choices_for(catalogue, referential, **changes)
    document, problems = profile_document(choices, list(choices["values"]))
    assert document is None and any(message in problem for problem in problems)


def test_the_preview_shows_the_normalised_rows_and_the_counts(
    catalogue: Catalogue, referential: Referential
) -> None:
    choices = choices_for(catalogue, referential)
    shown = assistant_preview.assistant_preview(
        producer_upload(), choices, catalogue=catalogue, referential=referential
    )
    text = json.dumps(shown["apercu"], default=lambda c: c.to_plotly_json())
    assert "DEP:01" in text and "DEP:2A" in text and "DEP:971" in text
    assert "Valeurs valides" in text and "Lignes lues" in text
    words = _texts(shown["apercu"])
    assert words[words.index("Lignes lues") + 1] == "5"
    assert words[words.index("Valeurs valides") + 1] == "5"  # secret and missing are values
    assert "départements" in shown["niveau"]
    # a choice changed: the level forced to régions rejects the départements
    regions = assistant_preview.assistant_preview(
        producer_upload(),
        {**choices, "territory_level": "REG"},
        catalogue=catalogue,
        referential=referential,
    )
    words = _texts(regions["apercu"])
    assert int(words[words.index("Valeurs rejetées") + 1]) >= 3


def test_the_preview_of_invalid_choices_says_why(
    catalogue: Catalogue, referential: Referential
) -> None:
    shown = assistant_preview.assistant_preview(
        producer_upload(),
        choices_for(catalogue, referential, indicator=None),
        catalogue=catalogue,
        referential=referential,
    )
    assert "Choisissez l'indicateur du fichier." in _texts(shown["apercu"])


def test_an_empty_file_and_an_empty_column_do_not_break_the_assistant(
    catalogue: Catalogue, referential: Referential
) -> None:
    empty = producer_upload("annee;code_dep;nb_structures\n", "vide.csv")
    table = assistant_reading.read_table(empty, 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    assert choices["territory_column"] is None  # nothing to guess from, nothing invented
    shown = assistant_preview.assistant_preview(
        empty, choices, catalogue=catalogue, referential=referential
    )
    assert "Le fichier n'a aucune ligne de données." in _texts(shown["apercu"])
    blank = producer_upload("annee;code_dep;vide;nb\n2019;1;;3\n2019;2A;;4\n", "blanc.csv")
    table = assistant_reading.read_table(blank, 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    assert choices["values"]["vide"]["indicator"] == SKIP
    assert choices["values"]["nb"]["indicator"] == ""


def test_the_preview_reads_only_its_sample_of_a_large_file(
    catalogue: Catalogue, referential: Referential
) -> None:
    rows = "".join(f"2019;{n % 95 + 1};x;{n};1\n" for n in range(5000))
    upload = producer_upload("annee;code_dep;libelle;nb_structures;population\n" + rows, "g.csv")
    choices = choices_for(catalogue, referential)
    shown = assistant_preview.assistant_preview(
        upload, choices, catalogue=catalogue, referential=referential
    )
    words = _texts(shown["apercu"])
    assert words[words.index("Lignes lues") + 1] == "2\u202f000"
    assert any("5\u202f000 en tout" in word for word in words)


def _texts(component: Any) -> list[str]:
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [text for child in component for text in _texts(child)]
    if component is None or isinstance(component, int | float):
        return [] if component is None else [str(component)]
    return _texts(getattr(component, "children", None))


def test_of_a_large_csv_only_the_head_is_read(
    catalogue: Catalogue, referential: Referential, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assistant_reading, "HEAD_BYTES", 4000)
    rows = "".join(f"2019;{n % 95 + 1};x;{n};1\n" for n in range(5000))
    upload = producer_upload("annee;code_dep;libelle;nb_structures;population\n" + rows, "t.csv")
    table = assistant_reading.read_table(upload, 10**7)
    assert 100 < len(table) < 400 and table.columns[0] == "annee"
    assert table.frame["nb_structures"].iloc[-1].isdigit()  # no row cut in the middle
    shown = assistant_preview.assistant_preview(
        upload, choices_for(catalogue, referential), catalogue=catalogue, referential=referential
    )
    words = _texts(shown["apercu"])
    assert words[words.index("Lignes lues") + 1] == str(len(table))
    assert any("« Vérifier » contrôle le fichier entier" in word for word in words)


def test_values_of_an_indicator_column_map_to_indicators(
    catalogue: Catalogue, referential: Referential
) -> None:
    text = "indicateur;code;annee;nombre\nparticipation;2A;2019;3\nautre;2B;2019;1\n"
    upload = producer_upload(text, "mesures.csv")
    table = assistant_reading.read_table(upload, 10**6)
    choices = guess_choices(table.frame, catalogue, referential, ANCT)
    assert choices["indicator_mode"] == "colonne" and choices["indicator_column"] == "indicateur"
    assert choices["indicator_map"] == {"participation": "", "autre": ""}
    assert choices["territory_column"] == "code" and choices["period_column"] == "annee"
    unmapped = profile_document(choices, table.columns)
    assert "Associez au moins une valeur" in " ".join(unmapped[1])
    choices["indicator_map"]["participation"] = "CON_DEMARCHES_PARTICIPATIVES"
    document, problems = profile_document(choices, table.columns)
    assert problems == [] and document is not None
    assert document["indicator"] == {
        "column": "indicateur",
        "map": {"participation": "CON_DEMARCHES_PARTICIPATIVES"},
        "others": "ignore",  # a value left unmapped is not read
    }
    shown = assistant_preview.assistant_preview(
        upload, choices, catalogue=catalogue, referential=referential
    )
    words = _texts(shown["apercu"])
    assert words[words.index("Valeurs valides") + 1] == "1"
    assert words[words.index("Valeurs rejetées") + 1] == "0"


def test_switching_to_one_indicator_per_column_drops_the_file_indicator() -> None:
    options = [{"label": "Crédits", "value": "ACC_FS_CREDITS"}]
    shown = assistant_views.mode_outputs("colonnes", ["", SKIP, "ACC_FS_CREDITS"], options)
    # a column read as « the file's indicator » is no longer read; a named one stays
    assert shown["codes"] == [SKIP, SKIP, "ACC_FS_CREDITS"]
    assert [o["value"] for o in shown["options"][0]] == [SKIP, "ACC_FS_CREDITS"]
    assert len(shown["options"]) == 3 and shown["fixed"] is True
    back = assistant_views.mode_outputs("fixe", ["", SKIP], options)
    assert back["codes"] == ["", SKIP] and back["options"][0][1]["value"] == ""
    assert back["fixed"] is False


def test_the_preview_groups_the_rejected_values_under_a_caption_with_their_lines(
    catalogue: Catalogue, referential: Referential
) -> None:
    text = (
        "annee;code_dep;libelle;nb_structures;population\n"
        "2019;1;Ain;beaucoup;1\n"  # line 2
        "2019;2A;Corse-du-Sud;beaucoup;1\n"
        "2019;13;Bouches-du-Rhône;4;1\n"
        "2019;971;Guadeloupe;beaucoup;1\n"  # line 5
        "2019;ZZ;Nulle part;3;1\n"
    )
    shown = assistant_preview.assistant_preview(
        producer_upload(text, "r.csv"),
        choices_for(catalogue, referential),
        catalogue=catalogue,
        referential=referential,
    )
    words = _texts(shown["apercu"])
    assert words.count("Valeurs rejetées") == 2  # the count, then the caption of the list
    grouped = [w for w in words if w.startswith("ligne")]
    assert len(grouped) == 2, words  # the three « beaucoup » in one line, then ZZ
    assert grouped[0].startswith("lignes 2, 3 et 5 : ") and "beaucoup" in grouped[0]
    assert grouped[1].startswith("ligne 6 : ") and "ZZ" in grouped[1]
