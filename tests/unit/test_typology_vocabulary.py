"""The territory types' words: the whole vocabulary, in one module, read by every page (issue #16).

"< 20 000 hab." in a table, "territoires de moins de 20 000 hab." after "Médiane des", "de moins de
20 000 habitants" in a sentence: three forms of one class, all held in
``indicators/territories/typology.py``. A page writing its own copy would drift from the others,
so the second test looks for one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from indicators.catalogue import TerritoryType
from indicators.evaluation.reading import SCOPE_LABELS, SCOPE_PHRASES
from indicators.territories import (
    TYPOLOGY_CLASSES,
    TYPOLOGY_LABELS,
    TYPOLOGY_NAMES,
    TYPOLOGY_WORDS,
)

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
HOME = "indicators/territories/typology.py"
# Modules allowed to write a bound themselves, and why.
ALLOWED = {
    HOME: "the vocabulary itself",
    # the layer contract keeps catalogue and territories apart; test_the_catalogue_says_the_same
    # holds its labels equal to the typology's words
    "indicators/catalogue/model.py": "TerritoryType.label",
    # prose stored with the invented demo sets, saying how they were drawn (not a type's name)
    "indicators/demo/design.py": "TEST_SET_RULE",
    "indicators/demo/programmes.py": "RULES",
}
# A threshold written as a type's bound: "moins de 20 000", "20 000 à 100 000", "> 100 000".
SPACE = r"[\s\u202f\u00a0]"
BOUND = re.compile(rf"(moins de|plus de|[<>]|de){SPACE}?(20|100){SPACE}000|20{SPACE}000 (à|–)")


def test_the_whole_vocabulary() -> None:
    assert [
        (kind, TYPOLOGY_LABELS[kind], TYPOLOGY_NAMES[kind], TYPOLOGY_WORDS[kind])
        for kind in TYPOLOGY_CLASSES
    ] == [
        (
            "moins_20k",
            "< 20 000 hab.",
            "territoires de moins de 20 000 hab.",
            "de moins de 20 000 habitants",
        ),
        (
            "20k_100k",
            "20 000 – 100 000 hab.",
            "territoires de 20 000 à 100 000 hab.",
            "de 20 000 à 100 000 habitants",
        ),
        (
            "plus_100k",
            "> 100 000 hab.",
            "territoires de plus de 100 000 hab.",
            "de plus de 100 000 habitants",
        ),
    ]


def test_the_catalogue_says_the_same() -> None:
    for kind in TerritoryType:
        assert TYPOLOGY_WORDS[kind.value].endswith(kind.label), kind  # type: ignore[index]


def test_the_evaluation_readings_use_it() -> None:
    for kind in TYPOLOGY_CLASSES:
        assert SCOPE_LABELS[kind] == TYPOLOGY_LABELS[kind]
        assert SCOPE_PHRASES[kind] == f"Dans les territoires test {TYPOLOGY_WORDS[kind]}"


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, docstrings left out (they may quote an example)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_page_writes_its_own_copy() -> None:
    strays = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for folder in ("dashboard", "indicators")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in ALLOWED
        for line, text in _literals(path)
        if BOUND.search(text)
    ]
    assert strays == []


def test_the_search_finds_a_copy() -> None:
    # the pattern above must catch each form, or the previous test proves nothing
    for forms in (TYPOLOGY_LABELS, TYPOLOGY_NAMES, TYPOLOGY_WORDS):
        for text in forms.values():
            assert BOUND.search(text), text
