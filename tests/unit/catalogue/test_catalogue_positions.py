"""Line numbers recovered from TOML text, including the tricky corners of the syntax."""

from __future__ import annotations

import tomllib

import pytest

from indicators.catalogue import DEFAULT_DIRECTORY
from indicators.catalogue.positions import scan_positions

pytestmark = pytest.mark.unit

TEXT = '''\
# a comment with [[fake]] = 1
title = "x" # trailing
[[indicator]]
code = "A"
description = """
[[not_a_header]]
key = "not a key" \\""" still inside
"""
range = { min = 0, max = 100 }
measures = [
  "M1", # comment
  "M2",
]
[indicator.baseline]
period = "2024"
[[indicator.target]]
milestones = [
  { period = "2026", value = 1 },
  { period = "2027", value = 2 },
]
[[indicator]]
code = 'B'
literal = \'\'\'a
b\'\'\'
a.b.c = 1
"quoted key" = 2
[[indicator.target]]
scope = "y"
'''


def test_positions() -> None:
    tomllib.loads(TEXT)  # the sample itself is valid TOML
    positions = scan_positions(TEXT)
    expected = {
        ("title",): 2,
        ("indicator", 0): 3,
        ("indicator", 0, "code"): 4,
        ("indicator", 0, "description"): 5,
        ("indicator", 0, "range", "max"): 9,
        ("indicator", 0, "measures", 1): 12,
        ("indicator", 0, "baseline"): 14,
        ("indicator", 0, "baseline", "period"): 15,
        ("indicator", 0, "target", 0, "milestones", 1, "value"): 19,
        ("indicator", 1): 21,
        ("indicator", 1, "code"): 22,
        ("indicator", 1, "a", "b", "c"): 25,
        ("indicator", 1, "quoted key"): 26,
        ("indicator", 1, "target", 0, "scope"): 28,
    }
    assert {path: positions.line(path) for path in expected} == expected
    assert ("not_a_header",) not in positions.lines
    assert positions.line(("indicator", 1, "unknown")) == 21  # falls back to the table


def test_duplicates_are_found() -> None:
    positions = scan_positions("[[t]]\na = 1\nb = 2\na = 3\n")
    assert positions.duplicates == ((("t", 0, "a"), 4),)


def test_truncated_text_does_not_hang() -> None:
    positions = scan_positions('a = 1\nb = "unterminated\nc = [1, 2')
    assert positions.line(("a",)) == 1


@pytest.mark.parametrize("path", sorted(DEFAULT_DIRECTORY.glob("*.toml")), ids=lambda p: p.name)
def test_every_key_of_the_shipped_files_is_on_its_line(path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    positions = scan_positions(text)
    data = tomllib.loads(text)
    checked = 0
    for key_path, line in positions.lines.items():
        last = key_path[-1]
        if isinstance(last, str):
            assert last in lines[line - 1], (key_path, line)
            checked += 1
    # every table of the file was seen, with its own header line
    for key, tables in data.items():
        for index in range(len(tables)):
            assert lines[positions.line((key, index)) - 1] == f"[[{key}]]"
    assert checked > 10
