"""The issue codes: the whole vocabulary, so that adding or renaming a code is a visible decision.

The values are stored with each load, exported in the "lignes à corriger" and ``suivi load
--json``: they never change. The titles are what a person reads instead of the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from indicators.issue_codes import HINTS, TITLES, IssueCode, issue_title

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
# the code rules name how a territory code was read (their own vocabulary, tested by their
# docstring); a few rule names equal the issue code they lead to
RULE_MODULES = {"indicators/territories/code_rules.py"}


def test_the_whole_vocabulary() -> None:
    assert [(code.name, code.value, code.label) for code in IssueCode] == [
        ("UNSUPPORTED_FORMAT", "unsupported-format", "Format de fichier non pris en charge"),
        ("FILE_TOO_LARGE", "file-too-large", "Fichier trop volumineux"),
        ("EMPTY_FILE", "empty-file", "Fichier vide"),
        ("UNREADABLE_FILE", "unreadable-file", "Fichier illisible"),
        ("TOO_MANY_COLUMNS", "too-many-columns", "Trop de colonnes"),
        ("LINE_TOO_LONG", "line-too-long", "Ligne trop longue"),
        ("XLSX_TOO_LARGE", "xlsx-too-large", "Classeur trop grand"),
        ("UNKNOWN_SHEET", "unknown-sheet", "Feuille introuvable"),
        ("MISSING_HEADER", "missing-header", "En-tête absent"),
        ("MISSING_COLUMN", "missing-column", "Colonne manquante"),
        ("UNKNOWN_LAYOUT", "unknown-layout", "Colonnes non reconnues"),
        ("NO_VALUES", "no-values", "Aucune valeur à charger"),
        ("PARTIAL_REPLACE_REFUSED", "partial-replace-refused", "Remplacement partiel refusé"),
        ("OTHER_PARTNER_PROFILE", "other-partner-profile", "Profil d'un autre partenaire"),
        ("ISSUES_TRUNCATED", "issues-truncated", "Anomalies tronquées"),
        ("UNKNOWN_INDICATOR", "unknown-indicator", "Indicateur inconnu"),
        ("DERIVED_INDICATOR", "derived-indicator", "Indicateur calculé"),
        ("OTHER_PARTNER_INDICATOR", "other-partner-indicator", "Indicateur d'un autre partenaire"),
        ("INVALID_VALUE", "invalid-value", "Valeur non numérique"),
        ("INVALID_VALUE_TYPE", "invalid-value-type", "Type de valeur inconnu"),
        ("INVALID_STATUS", "invalid-status", "Statut inconnu"),
        ("VALUE_IGNORED", "value-ignored", "Valeur ignorée"),
        ("OUT_OF_RANGE", "out-of-range", "Valeur hors de l'intervalle admis"),
        ("DUPLICATE_KEY", "duplicate-key", "Clé en double"),
        ("INVALID_PERIOD", "invalid-period", "Période illisible"),
        ("WRONG_PERIODICITY", "wrong-periodicity", "Période d'un autre type"),
        ("PERIOD_READ_AS", "period-read-as", "Période lue dans une autre écriture"),
        ("EMPTY_TERRITORY", "empty-territory", "Territoire absent"),
        ("DUMMY_ROW", "dummy-row", "Ligne fictive"),
        ("UNKNOWN_TERRITORY", "unknown-territory", "Territoire inconnu"),
        ("AMBIGUOUS_TERRITORY", "ambiguous-territory", "Territoire ambigu"),
        ("OUTSIDE_REFERENTIAL", "outside-referential", "Territoire hors du référentiel"),
        ("WRONG_LEVEL", "wrong-level", "Territoire d'un autre niveau"),
        ("LEVEL_NOT_ALLOWED", "level-not-allowed", "Niveau non publié pour cet indicateur"),
        ("LEVEL_INFERRED", "level-inferred", "Niveau déduit du fichier"),
        ("MAPPED_ARRONDISSEMENT", "mapped-arrondissement", "Arrondissement compté dans sa commune"),
        ("MAPPED_OLD_CODE", "mapped-old-code", "Ancien code de commune"),
        ("MAPPED_CORSICAN_CODE", "mapped-corsican-code", "Ancien code corse"),
        ("NO_CODE_COLUMN", "no-code-column", "Colonne des codes introuvable"),
        ("EMPTY_CODE", "empty-code", "Code absent"),
        ("MAPPED_CODE", "mapped-code", "Code remplacé"),
        ("NORMALISED_CODE", "normalised-code", "Code réécrit"),
        ("DUPLICATE_MEMBER", "duplicate-member", "Territoire en double"),
        ("INVALID_DATE", "invalid-date", "Date illisible"),
        ("INVALID_DATE_RANGE", "invalid-date-range", "Dates inversées"),
        ("MISSING_IDENTIFIER", "missing-identifier", "Identifiant absent"),
        ("INVALID_IDENTIFIER", "invalid-identifier", "Identifiant invalide"),
        ("CONFLICTING_ROWS", "conflicting-rows", "Lignes contradictoires"),
        ("KNOWN_INDICATOR", "known-indicator", "Indicateur déjà au catalogue"),
        ("MISSING_LABEL", "missing-label", "Libellé absent"),
        ("UNKNOWN_UNIT", "unknown-unit", "Unité inconnue"),
        ("GUESSED_UNIT", "guessed-unit", "Unité devinée"),
        ("UNKNOWN_PERIODICITY", "unknown-periodicity", "Périodicité inconnue"),
        ("UNKNOWN_DIRECTION", "unknown-direction", "Sens d'évolution inconnu"),
        ("MISSING_PRODUCER", "missing-producer", "Producteur absent"),
        ("INVALID_PRODUCER", "invalid-producer", "Producteur invalide"),
        ("NEW_PARTNER", "new-partner", "Nouveau partenaire"),
        ("NO_MEASURE", "no-measure", "Aucune mesure"),
        ("UNKNOWN_THEME", "unknown-theme", "Thème inconnu"),
        ("UNKNOWN_LEVEL", "unknown-level", "Niveau inconnu"),
        ("UNKNOWN_MEASURE", "unknown-measure", "Mesure inconnue"),
        ("UNKNOWN_PROGRAMME", "unknown-programme", "Programme inconnu"),
        ("DEFAULTS", "defaults", "Valeurs par défaut appliquées"),
    ]


def test_every_code_has_a_french_title_and_hints_name_known_codes() -> None:
    assert set(TITLES) == set(IssueCode)
    assert set(HINTS) <= set(IssueCode)
    assert all(
        title and title[0].isupper() and not title.endswith(".") for title in TITLES.values()
    )
    assert all(hint.endswith(".") for hint in HINTS.values())
    assert IssueCode.DUPLICATE_KEY.hint.startswith("Gardez une seule ligne")
    assert IssueCode.NO_VALUES.hint == ""


def test_codes_read_back_keep_their_value_and_find_their_title() -> None:
    assert IssueCode.DUPLICATE_KEY == "duplicate-key" and f"{IssueCode.DUPLICATE_KEY}" == (
        "duplicate-key"
    )
    assert issue_title("unknown-territory") == "Territoire inconnu"
    assert issue_title("a-code-of-an-older-version") == "a-code-of-an-older-version"


def _bare_codes(path: Path) -> list[str]:
    """String constants of ``path`` equal to an issue code, outside docstrings and dict keys."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    keys = {
        id(key) for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys
    }  # rule name -> issue code maps
    values = {code.value for code in IssueCode}
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return [
        f"{shown}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and node.value in values
        and id(node) not in docstrings
        and id(node) not in keys
    ]


def test_no_bare_issue_code_comes_back() -> None:
    found = [
        hit
        for package in ("indicators", "dashboard")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.name != "issue_codes.py" and str(path.relative_to(ROOT)) not in RULE_MODULES
        for hit in _bare_codes(path)
    ]
    assert found == [], "use IssueCode members, not bare strings:\n" + "\n".join(found)


def test_the_scan_finds_a_bare_code(tmp_path: Path) -> None:
    sample = ROOT / "indicators" / "ingest" / "keys.py"
    text = sample.read_text(encoding="utf-8").replace("IssueCode.DUPLICATE_KEY", '"duplicate-key"')
    assert text != sample.read_text(encoding="utf-8")
    copy = tmp_path / "keys.py"
    copy.write_text(text, encoding="utf-8")
    assert [hit.split(": ", 1)[1] for hit in _bare_codes(copy)] == ["'duplicate-key'"]
