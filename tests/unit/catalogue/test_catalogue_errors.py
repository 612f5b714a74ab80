"""Broken catalogue files: each error says ``file:line: message`` with the exact line, in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.catalogue import (
    CatalogueError,
    CatalogueValidationError,
    load_catalogue,
    validate_catalogue,
)

pytestmark = pytest.mark.unit

IND = "indicators-test.toml"


def messages(directory: Path) -> list[str]:
    return [str(error) for error in validate_catalogue(directory)]


def test_minimal_catalogue_is_valid(catalogue_dir: Path) -> None:
    assert validate_catalogue(catalogue_dir) == []
    catalogue = load_catalogue(catalogue_dir)
    assert list(catalogue.indicators) == ["TST_NUM", "TST_DEN", "TST_TAUX"]


def test_error_prints_as_file_line_message() -> None:
    error = CatalogueError(Path("cat/partners.toml"), 7, "champ obligatoire manquant : « name »")
    assert str(error) == "cat/partners.toml:7: champ obligatoire manquant : « name »"


def test_unknown_key_suggests_the_closest_one(edit, find_line, catalogue_dir) -> None:
    path, line = edit(IND, 'periodicity = "annual"', 'periodicty = "annual"')
    header = find_line(IND, "[[indicator]]", 1)
    assert messages(catalogue_dir) == [
        f"{path}:{header}: champ obligatoire manquant : « periodicity »",
        f"{path}:{line}: clé inconnue « periodicty » (vouliez-vous dire « periodicity » ?)",
    ]


def test_unknown_key_in_inline_table(edit, catalogue_dir) -> None:
    path, line = edit(IND, "range = { min = 0 }", "range = { mini = 0 }")
    assert messages(catalogue_dir) == [
        f"{path}:{line}: clé inconnue « mini » (vouliez-vous dire « min » ?)"
    ]


def test_missing_field_points_at_the_table_header(edit, find_line, catalogue_dir) -> None:
    path, _ = edit(IND, 'label = "Demandes reçues"\n', "")
    header = find_line(IND, "[[indicator]]", 2)
    assert messages(catalogue_dir) == [f"{path}:{header}: champ obligatoire manquant : « label »"]


def test_bad_enum_lists_the_allowed_values(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'direction = "neutral"', 'direction = "neutre"')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: valeur « neutre » invalide pour « direction » : "
        "attendu up, down ou neutral (vouliez-vous dire « neutral » ?)"
    ]


def test_bad_enum_inside_a_list(edit, catalogue_dir) -> None:
    path, line = edit("measures.toml", '"20k_100k"]', '"20k-100k"]')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: valeur « 20k-100k » invalide pour « territory_types » : attendu "
        "moins_20k, 20k_100k ou plus_100k (vouliez-vous dire « 20k_100k » ?)"
    ]


def test_unknown_partner_reference(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'partner = "INSEE"', 'partner = "INSE"')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: partenaire inconnu « INSE » (vouliez-vous dire « INSEE » ?)"
    ]


def test_unknown_measure_on_its_own_line_in_a_multiline_list(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'measures = ["M1"]', 'measures = [\n  "M1",\n  "M7",\n]')
    assert messages(catalogue_dir) == [f"{path}:{line + 2}: mesure inconnue « M7 »"]


def test_formula_cycle(edit, catalogue_dir) -> None:
    edit(IND, 'kind = "base"', 'kind = "derived"\nformula = "TST_TAUX * 2"')
    path = catalogue_dir / IND
    line = path.read_text().splitlines().index('formula = "TST_TAUX * 2"') + 1
    assert messages(catalogue_dir) == [
        f"{path}:{line}: cycle entre indicateurs : TST_NUM → TST_TAUX → TST_NUM"
    ]


def test_formula_refers_to_itself(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'formula = "TST_NUM / TST_DEN"', 'formula = "TST_TAUX / TST_DEN"')
    assert f"{path}:{line}: cycle entre indicateurs : TST_TAUX → TST_TAUX" in messages(
        catalogue_dir
    )


def test_bad_period(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'period = "2026"', 'period = "2026-S3"')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: période invalide « 2026-S3 » : semestre 3 invalide : attendu de 1 à 2"
    ]


def test_bad_period_in_inline_table(edit, catalogue_dir) -> None:
    path, line = edit(IND, '{ period = "2024", values', '{ period = "24", values')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: période invalide « 24 » : formats acceptés 2025, 2025-S1, 2025-T3 "
        "ou 2025-07"
    ]


def test_period_finer_than_periodicity(edit, catalogue_dir) -> None:
    path, line = edit(IND, '{ period = "2025", value = 70 }', '{ period = "2025-07", value = 70 }')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: période « 2025-07 » (mois) plus fine que la périodicité annuelle "
        "de l'indicateur"
    ]


def test_milestones_must_follow_the_desired_direction(edit, find_line, catalogue_dir) -> None:
    path, _ = edit(IND, '{ period = "2025", value = 70 }', '{ period = "2025", value = 85 }')
    target_value = find_line(IND, "value = 80")
    assert messages(catalogue_dir) == [
        f"{path}:{target_value}: sens souhaité « hausse » : les valeurs doivent être croissantes "
        "(jalon 2025 = 85, cible 2026 = 80)"
    ]


def test_milestone_worse_than_baseline(edit, catalogue_dir) -> None:
    path, line = edit(IND, '{ period = "2025", value = 70 }', '{ period = "2025", value = 55 }')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: sens souhaité « hausse » : les valeurs doivent être croissantes "
        "(valeur de référence = 60, jalon 2025 = 55)"
    ]


def test_milestone_after_the_target(edit, catalogue_dir) -> None:
    path, line = edit(IND, '{ period = "2025", value = 70 }', '{ period = "2027", value = 70 }')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: le jalon 2027 doit précéder l'échéance de la cible (2026)"
    ]


def test_target_out_of_valid_range(edit, catalogue_dir) -> None:
    path, line = edit(IND, "value = 80", "value = 180")
    assert messages(catalogue_dir) == [
        f"{path}:{line}: valeur 180 hors de l'intervalle valide [0 ; 100]"
    ]


def test_neutral_indicator_cannot_have_targets(edit, catalogue_dir) -> None:
    path, _ = edit(
        IND, 'direction = "up"\nkind = "derived"', 'direction = "neutral"\nkind = "derived"'
    )
    header = path.read_text().splitlines().index("[[indicator.target]]") + 1
    assert messages(catalogue_dir) == [
        f"{path}:{header}: un indicateur sans sens souhaité (neutral) ne peut pas avoir de cible"
    ]


def test_cumulative_target_needs_an_additive_indicator(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'period = "2026"\n', 'period = "2026"\ncumulative = true\n')
    assert messages(catalogue_dir) == [
        f"{path}:{line + 1}: une cible cumulée n'a de sens que pour un indicateur additif (sum)"
    ]


def test_target_scope_at_an_unpublished_level(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'scope = "moins_20k"', 'scope = "DEP:2A"')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: l'indicateur n'est pas publié au niveau DEP (portée « DEP:2A »)"
    ]


def test_empty_valid_range(edit, catalogue_dir) -> None:
    path, line = edit(IND, "range = { min = 0, max = 100 }", "range = { min = 100, max = 0 }")
    assert messages(catalogue_dir) == [
        f"{path}:{line}: intervalle valide vide : min (100) doit être inférieur à max (0)"
    ]


def test_refused_formula_gives_the_column(edit, catalogue_dir) -> None:
    path, line = edit(IND, '"TST_NUM / TST_DEN"', "\"TST_NUM / __import__('os')\"")
    assert messages(catalogue_dir) == [
        f"{path}:{line}: formule invalide, colonne 11 : fonction non autorisée « __import__ » "
        "(autorisées : abs, coalesce, exp, log, log10, max, min, round, sqrt)"
    ]


def test_unknown_formula_variable(edit, catalogue_dir) -> None:
    path, line = edit(IND, '"TST_NUM / TST_DEN"', '"TST_NUM / TST_DN"')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: formule : indicateur inconnu « TST_DN » (vouliez-vous dire « TST_DEN » ?)"
    ]


def test_base_indicator_has_no_formula(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'kind = "base"\n', 'kind = "base"\nformula = "TST_DEN * 2"\n')
    assert messages(catalogue_dir) == [
        f'{path}:{line + 1}: un indicateur de base (kind = "base") n\'a pas de formule'
    ]


def test_ratio_operand_must_be_additive(edit, find_line, catalogue_dir) -> None:
    path, _ = edit(
        IND,
        'direction = "neutral"\nkind = "base"\naggregation = "sum"',
        'direction = "neutral"\nkind = "base"\naggregation = "max"',
    )
    line = find_line(IND, 'denominator = "TST_DEN"')
    assert messages(catalogue_dir) == [
        f'{path}:{line}: « TST_DEN » doit être additif (aggregation = "sum") '
        "pour servir de dénominateur"
    ]


def test_operand_with_another_periodicity(edit, catalogue_dir) -> None:
    edit(IND, 'periodicity = "annual"', 'periodicity = "quarter"')
    path = catalogue_dir / IND
    lines = path.read_text().splitlines()
    formula, numerator = (
        lines.index('formula = "TST_NUM / TST_DEN"') + 1,
        lines.index('numerator = "TST_NUM"') + 1,
    )
    message = (
        "« TST_NUM » a une périodicité trimestrielle, différente de celle de TST_TAUX (annuelle)"
    )
    assert messages(catalogue_dir) == [
        f"{path}:{formula}: {message}",
        f"{path}:{numerator}: {message}",
    ]


def test_ratio_needs_its_operands(edit, catalogue_dir) -> None:
    path, _ = edit(IND, 'numerator = "TST_NUM"\n', "")
    header = path.read_text().splitlines().index('code = "TST_TAUX"')  # line before is the header
    assert messages(catalogue_dir) == [
        f"{path}:{header}: champ obligatoire manquant : « numerator »"
    ]


def test_unknown_unit_and_wrong_factor(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'unit = "%"', 'unit = "%"\nfactor = 1000')
    assert messages(catalogue_dir) == [
        f"{path}:{line + 1}: le facteur de l'unité « % » est 100, pas 1000"
    ]
    path, line = edit(IND, 'unit = "%"\nfactor = 1000', 'unit = "pourcent"')
    assert messages(catalogue_dir)[0].startswith(f"{path}:{line}: unité inconnue « pourcent »")


def test_duplicate_code_names_the_first_definition(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'code = "TST_DEN"', 'code = "TST_NUM"')
    errors = messages(catalogue_dir)
    first = f"{IND}:2"  # the line of the first ``code = "TST_NUM"``
    assert f"{path}:{line}: indicateur « TST_NUM » défini deux fois (déjà en {first})" in errors


def test_duplicate_key_is_located(edit, catalogue_dir) -> None:
    path, line = edit(IND, 'unit = "nombre"\n', 'unit = "nombre"\nunit = "nombre"\n')
    assert messages(catalogue_dir) == [
        f"{path}:{line + 1}: syntaxe TOML invalide : clé « indicator.unit » déjà définie plus haut"
    ]


def test_toml_syntax_error_without_cascade(edit, catalogue_dir) -> None:
    path, line = edit("measures.toml", 'code = "M1"', "code = M1")
    # The indicators refer to M1, but its file could not be read: no second error for them.
    assert messages(catalogue_dir) == [
        f"{path}:{line}: syntaxe TOML invalide, colonne 8 : "
        "valeur invalide (un texte s'écrit entre guillemets)"
    ]


def test_broken_table_does_not_cascade_into_references(edit, catalogue_dir) -> None:
    path, line = edit("measures.toml", "start_date = 2025-01-01", 'start_date = "janvier 2025"')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: « start_date » doit être une date (AAAA-MM-JJ)"
    ]


def test_headline_indicator_must_serve_the_measure(edit, catalogue_dir) -> None:
    path, line = edit("programmes.toml", '["TST_TAUX"]', '["TST_NUM"]')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: l'indicateur phare « TST_NUM » ne déclare pas le programme FS "
        "dans ses « programmes »"
    ]


def test_set_slug_shared_by_a_measure_and_a_programme(edit, catalogue_dir) -> None:
    path, line = edit("programmes.toml", 'membership_set = "prog-fs"', 'membership_set = "test-m1"')
    assert messages(catalogue_dir) == [
        f"{path}:{line}: l'ensemble « test-m1 » est déjà celui de M1"
    ]


def test_unknown_top_level_table(edit, catalogue_dir) -> None:
    path, line = edit("partners.toml", "[[partner]]", "[[partners]]")
    assert line == 1
    assert messages(catalogue_dir) == [
        f"{path}:1: aucune table [[partner]] dans ce fichier",
        f"{path}:1: clé inconnue « partners » : ce fichier ne contient que des [[partner]] "
        "(vouliez-vous dire « partner » ?)",
    ]


def test_missing_files(tmp_path: Path) -> None:
    errors = messages(tmp_path)
    assert f"{tmp_path / 'partners.toml'}:1: fichier introuvable" in errors
    assert f"{tmp_path / 'indicators-*.toml'}:1: aucun fichier d'indicateurs trouvé" in errors


def test_load_catalogue_raises_with_every_error(edit, catalogue_dir) -> None:
    edit(IND, 'partner = "INSEE"', 'partner = "INSE"')
    edit("partners.toml", 'kind = "service_statistique"', 'kind = "statistique"')
    with pytest.raises(CatalogueValidationError) as raised:
        load_catalogue(catalogue_dir)
    assert len(raised.value.errors) == 2
    assert "catalogue invalide (2 erreurs)" in str(raised.value)


def test_milestone_out_of_valid_range(edit, catalogue_dir) -> None:
    path, line = edit(IND, '{ period = "2025", value = 70 }', '{ period = "2025", value = -5 }')
    assert f"{path}:{line}: valeur -5 hors de l'intervalle valide [0 ; 100]" in messages(
        catalogue_dir
    )
