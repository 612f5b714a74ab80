"""Line numbers for the values of a TOML document, which :mod:`tomllib` does not give.

:func:`scan_positions` walks text that ``tomllib`` has already accepted and records, for every key
path (``("indicator", 3, "target", 0, "value")``), the line where it is written: table headers,
``key =`` lines, keys of inline tables and elements of arrays. Errors then point at the exact line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

PathPart = str | int
KeyPath = tuple[PathPart, ...]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class Positions:
    """Where each key path of one document is written."""

    lines: Mapping[KeyPath, int]
    # Keys written twice, with the line of the second one: tomllib refuses such a file without
    # saying where, so the loader reports this line instead.
    duplicates: tuple[tuple[KeyPath, int], ...] = ()

    def line(self, path: KeyPath) -> int:
        """Line of ``path``, or of its closest written ancestor (line 1 at worst)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def scan_positions(text: str) -> Positions:
    scanner = _Scanner(text)
    # IndexError only comes from text tomllib would refuse: keep the positions found so far.
    with contextlib.suppress(IndexError):
        scanner.document()
    return Positions(scanner.lines, tuple(scanner.duplicates))


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        self.duplicates: list[tuple[KeyPath, int]] = []
        self.table: KeyPath = ()
        self.array_index: dict[KeyPath, int] = {}  # last index of every array of tables

    # --- low-level helpers ----------------------------------------------------------------------

    def peek(self, size: int = 1) -> str:
        return self.text[self.pos : self.pos + size]

    def advance(self, size: int = 1) -> None:
        if self.pos >= len(self.text):
            raise IndexError("fin du texte")  # never loop at the end of a truncated document
        self.line += self.text.count("\n", self.pos, self.pos + size)
        self.pos += size

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces, tabs and comments, and newlines too when asked."""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.advance((len(self.text) if end < 0 else end) - self.pos)
            else:
                return

    def record(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    # --- grammar --------------------------------------------------------------------------------

    def document(self) -> None:
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.peek(2) == "[[":
                self.header(array=True)
            elif self.peek() == "[":
                self.header(array=False)
            else:
                self.key_value(self.table)

    def header(self, array: bool) -> None:
        line = self.line
        self.advance(2 if array else 1)
        keys = self.key()
        self.advance(2 if array else 1)
        path = (*self.resolve(keys[:-1]), keys[-1])
        if array:
            index = self.array_index.get(path, -1) + 1
            self.array_index[path] = index
            self.record(path, line)
            path = (*path, index)
        self.record(path, line)
        self.table = path

    def resolve(self, keys: tuple[str, ...]) -> KeyPath:
        """Insert the current index after each component that names an array of tables."""
        path: KeyPath = ()
        for key in keys:
            path = (*path, key)
            if path in self.array_index:
                path = (*path, self.array_index[path])
        return path

    def key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            char = self.peek()
            if char in "\"'":
                start = self.pos
                self.string()
                parts.append(self.text[start + 1 : self.pos - 1])
            else:
                start = self.pos
                while self.pos < len(self.text) and self.text[self.pos] in _BARE_KEY_CHARS:
                    self.advance()
                parts.append(self.text[start : self.pos])
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.advance()

    def key_value(self, table: KeyPath) -> None:
        line = self.line
        path = (*table, *self.key())
        if path in self.lines:
            self.duplicates.append((path, line))
        for end in range(len(table) + 1, len(path) + 1):  # dotted keys define their parents too
            self.record(path[:end], line)
        self.skip_blank(newlines=False)
        self.advance()  # "="
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: KeyPath) -> None:
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.advance()

    def array(self, path: KeyPath) -> None:
        self.advance()
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "]":
                self.advance()
                return
            self.record((*path, index), self.line)
            self.value((*path, index))
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.advance()
                index += 1
            elif self.peek() != "]":
                raise IndexError("tableau mal formé")

    def inline_table(self, path: KeyPath) -> None:
        self.advance()
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "}":
                self.advance()
                return
            self.key_value(path)
            self.skip_blank(newlines=True)
            if self.peek() == ",":
                self.advance()
            elif self.peek() != "}":
                raise IndexError("table en ligne mal formée")

    def string(self) -> None:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            self.advance(3)
            # Up to two extra quotes may close a multi-line string (``""""`` ends with a quote).
            while self.peek(3) != quote * 3 or self.peek(4) == quote * 4:
                self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
            self.advance(3)
            return
        self.advance()
        while self.peek() != quote:
            self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
        self.advance()
