"""Counts agree in French (« 1 atteinte », « 3 atteintes »), never « atteinte(s) » (issue #16)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.pages.accueil.views import measure_cards_view
from indicators.french import agree, plural

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
ELSEWHERE: tuple[str, ...] = ()  # every user-facing string agrees, the import page's too
BRACKETED_PLURAL = re.compile(r"\w\(s\)")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def _bracketed(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and BRACKETED_PLURAL.search(node.value)
    ]


def test_no_user_facing_string_writes_a_bracketed_plural() -> None:
    files = [
        path
        for folder in ("dashboard", "indicators")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not str(path.relative_to(ROOT)).startswith(ELSEWHERE)
    ]
    assert len(files) > 50
    found = [line for path in files for line in _bracketed(path)]
    assert found == []


def test_plural_agrees_with_zero_one_and_many() -> None:
    assert plural(0, "erreur") == "0 erreur"
    assert plural(1, "atteinte") == "1 atteinte"
    assert plural(3, "atteinte") == "3 atteintes"
    assert plural(1200, "valeur rétablie", "valeurs rétablies") == "1\u202f200 valeurs rétablies"
    assert agree(2, "écartée", "écartées") == "écartées" and agree(1, "écartée") == "écartée"


def test_the_home_page_sentence_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd

    from dashboard.pages.accueil import views

    cards = pd.DataFrame({"statut": ["achieved", "achieved", "late"]})
    monkeypatch.setattr(views, "measure_cards_dataset", lambda typology, year: cards)
    monkeypatch.setattr(views, "measure_card", lambda row, typology, year: row["statut"])
    _, summary = measure_cards_view.__wrapped__("tous", 2026)
    assert "2 atteintes, 0 en bonne voie, 1 en retard" in summary
