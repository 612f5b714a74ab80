"""Callbacks with more than one output name them (issue #13): a dict of ``Output``s, so that a
misplaced element in one branch cannot shift every output after it."""

from __future__ import annotations

import ast
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[3] / "dashboard"


def positional_outputs(source: str) -> list[str]:
    """Functions decorated by ``@callback(...)`` with two or more outputs given by position
    (as separate arguments or a list), by name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            func = decorator.func
            if getattr(func, "id", getattr(func, "attr", "")) != "callback":
                continue
            arguments = [
                *decorator.args,
                *(k.value for k in decorator.keywords if k.arg == "output"),
            ]
            outputs = 0
            for argument in arguments:
                items = argument.elts if isinstance(argument, ast.List) else [argument]
                outputs += sum(
                    isinstance(item, ast.Call) and getattr(item.func, "id", "") == "Output"
                    for item in items
                )
            if outputs > 1:
                found.append(node.name)
    return found


def test_the_scan_finds_positional_outputs() -> None:
    source = (
        "@callback(Output('a', 'children'), Output('b', 'children'), Input('c', 'value'))\n"
        "def two(c): return 1, 2\n"
        "@callback(output=[Output('a', 'children'), Output('b', 'children')], inputs=[])\n"
        "def listed(): return 1, 2\n"
        "@callback(output={'a': Output('a', 'children'), 'b': Output('b', 'children')})\n"
        "def named(): return {'a': 1, 'b': 2}\n"
        "@callback(Output('a', 'children'), Input('c', 'value'))\n"
        "def single(c): return 1\n"
    )
    assert positional_outputs(source) == ["two", "listed"]


def test_no_callback_returns_positional_outputs() -> None:
    offenders = {
        str(path.relative_to(DASHBOARD)): names
        for path in sorted(DASHBOARD.rglob("*.py"))
        if (names := positional_outputs(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
