"""The pure parts of ``/administration/catalogue``: a form's values become the table a catalogue
file would hold, and each error of the check lands under the field it is about."""

from __future__ import annotations

import pytest

from dashboard.pages.administration_catalogue import fields, saving, views
from dashboard.pages.administration_catalogue.targets import FormError, parse_targets, targets_text
from indicators.catalogue import load_catalogue, read_catalogue
from indicators.catalogue.tables import TableEdit

pytestmark = pytest.mark.unit

FORM = {
    "code": "ditp_delai",
    "label": " Délai de traitement ",
    "description": "Délai moyen.",
    "theme": "vivre-ou-on-a-choisi",
    "partner": "INSEE",
    "unit": "jours",
    "factor": None,
    "direction": "down",
    "kind": "base",
    "formula": "",
    "aggregation": "weighted_mean",
    "numerator": "",
    "denominator": "",
    "weight": "population",
    "periodicity": "annual",
    "publication_lag_months": 6,
    "levels": ["DEP", "FR"],
    "chain_level": "outcome",
    "last_mile": ["oui"],
    "measures": ["M1"],
    "programmes": [],
    "range_min": 0,
    "range_max": None,
    "source": "Source",
    "licence": "Licence Ouverte 2.0",
}


def test_form_values_become_a_file_table_that_loads() -> None:
    table = saving.form_table("indicator", FORM, None)
    assert table["code"] == "DITP_DELAI" and table["label"] == "Délai de traitement"
    assert table["range"] == {"min": 0} and table["last_mile"] is True
    assert "formula" not in table and "programmes" not in table and "factor" not in table
    # the keys in the files' order
    assert list(table)[:4] == ["code", "label", "description", "theme"]
    catalogue, errors = read_catalogue(None, [TableEdit("indicator", "DITP_DELAI", table)])
    assert errors == []
    assert catalogue.indicators["DITP_DELAI"].last_mile


def test_a_form_keeps_what_it_does_not_show() -> None:
    catalogue = load_catalogue()
    code = next(c for c, i in catalogue.indicators.items() if i.targets and i.baseline)
    current = views.current_table("indicator", code, catalogue)
    assert current is not None
    shown = {f.key for f in fields.fields("indicator", catalogue)}
    values = {key: value for key, value in views._form_values(current).items() if key in shown}
    table = saving.form_table("indicator", values, current)
    assert table["target"] == current["target"] and table["baseline"] == current["baseline"]
    assert table == current  # the form as it opens saves the same definition


def test_each_error_lands_under_its_field() -> None:
    form = FORM | {"publication_lag_months": 6.5, "range_max": -1, "licence": ""}
    table = saving.form_table("indicator", form, None)
    edit = TableEdit("indicator", "DITP_DELAI", table)
    _, errors = read_catalogue(None, [edit])
    keys = [f.error_key for f in fields.fields("indicator", load_catalogue()) if f.error_key]
    by_key, general = saving.split_errors(edit, errors, keys)
    assert by_key["publication_lag_months"] == [
        "« publication_lag_months » doit être un nombre entier"
    ]
    assert by_key["licence"] == ["champ obligatoire manquant : « licence »"]
    assert by_key["range"] == ["intervalle valide vide : min (0) doit être inférieur à max (-1)"]
    assert general == []


def test_targets_are_written_one_a_line_and_read_back() -> None:
    text = "moins_20k ; 2026 ; 80 ; jalons 2025=70 2025-T4=75,5 ; cumulée\nall;2027;12,5"
    targets = parse_targets(text)
    assert targets == [
        {
            "scope": "moins_20k",
            "value": 80.0,
            "period": "2026",
            "milestones": [
                {"period": "2025", "value": 70.0},
                {"period": "2025-T4", "value": 75.5},
            ],
            "cumulative": True,
        },
        {"scope": "all", "value": 12.5, "period": "2027"},
    ]
    assert parse_targets(targets_text(targets)) == targets


def test_a_target_line_that_cannot_be_read_says_which_and_why() -> None:
    with pytest.raises(FormError, match="ligne 2 des cibles : valeur « beaucoup » illisible"):
        parse_targets("all ; 2026 ; 80\nall ; 2027 ; beaucoup")
    with pytest.raises(FormError, match="ligne 1 des cibles : attendu « portée ; période"):
        parse_targets("all 2026 80")


def test_a_target_the_catalogue_refuses_shows_under_the_targets() -> None:
    form = FORM | {"target": "tout ; 2026 ; 5"}
    edit = TableEdit("indicator", "DITP_DELAI", saving.form_table("indicator", form, None))
    _, errors = read_catalogue(None, [edit])
    by_key, general = saving.split_errors(edit, errors, ["target", "code"])
    assert len(by_key["target"]) == 1 and by_key["target"][0].startswith("portée « tout » invalide")
    assert general == []


def test_each_list_says_its_count_and_that_it_scrolls_when_long() -> None:
    """Issue #16: the lists were cut mid-line with no hint that they scroll."""
    from dashboard.pages.administration_catalogue.texts import SCROLLS_AFTER, list_count

    catalogue = load_catalogue()
    sections = views.listing(catalogue).children
    counts = [section.children[2] for section in sections]
    assert all(count.className.startswith("catadmin-count") for count in counts)
    indicators = len(catalogue.indicators)
    assert indicators > SCROLLS_AFTER
    assert counts[2].children == f"{indicators} indicateurs — la liste défile"
    lists = [section.children[3] for section in sections]
    assert all(ul.className == "catadmin-list" and ul.tabIndex == "0" for ul in lists)
    assert list_count("partner", 1) == "1 partenaire"
    assert list_count("measure", 3) == "3 mesures"
