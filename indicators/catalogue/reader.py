"""Typed, forgiving access to one raw TOML table: each bad field becomes a located French error.

A :class:`Record` never raises on bad content; it reports through :class:`Issues` and returns
``None``, so that one run lists every error of every file, each on its own line.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from indicators.catalogue.errors import CatalogueError
from indicators.catalogue.positions import KeyPath, Positions
from indicators.periods import Period, PeriodError, parse_period

E = TypeVar("E", bound=StrEnum)


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """`` (vouliez-vous dire « x » ?)`` for the closest candidate, or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""


def french_list(words: Iterable[str]) -> str:
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} ou {items[-1]}"


@dataclass
class Issues:
    """Every error found so far, across files."""

    errors: list[CatalogueError] = field(default_factory=list)

    def add(self, file: Path, line: int, message: str) -> None:
        self.errors.append(CatalogueError(file, line, message))


@dataclass(frozen=True)
class Source:
    """One catalogue file: where it is and where each of its keys is written."""

    file: Path
    positions: Positions

    def line(self, path: KeyPath) -> int:
        return self.positions.line(path)


class Record:
    """One TOML table (``[[indicator]]``, an inline table…) read field by field."""

    def __init__(
        self, source: Source, path: KeyPath, data: Mapping[str, Any], issues: Issues
    ) -> None:
        self.source = source
        self.path = path
        self.data = data
        self.issues = issues
        self.error_count = 0

    # --- positions and errors -------------------------------------------------------------------

    def line(self, *keys: str | int) -> int:
        return self.source.line((*self.path, *keys))

    def error(self, message: str, *keys: str | int) -> None:
        self.error_count += 1
        self.issues.add(self.source.file, self.line(*keys), message)

    def check_keys(self, allowed: Collection[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(f"clé inconnue « {key} »{suggestion(key, allowed)}", key)

    # --- scalar fields --------------------------------------------------------------------------

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                self.error(f"champ obligatoire manquant : « {key} »")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(f"« {key} » doit être un texte non vide", key)
            return None
        return value.strip()

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(f"« {key} » doit valoir true ou false", key)
            return default
        return value

    def integer(self, key: str, minimum: int, maximum: int) -> int | None:
        value = self._get(key, required=True)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"« {key} » doit être un nombre entier", key)
            return None
        if not minimum <= value <= maximum:
            self.error(f"« {key} » doit être compris entre {minimum} et {maximum}", key)
            return None
        return value

    def number(self, key: str, *, required: bool = True) -> float | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"« {key} » doit être un nombre", key)
            return None
        return float(value)

    def enum(self, key: str, enum: type[E], *, required: bool = True) -> E | None:
        value = self._get(key, required)
        return None if value is None else self._enum_value(key, value, enum, (key,))

    def _enum_value(self, key: str, value: Any, enum: type[E], keys: KeyPath) -> E | None:
        allowed = [member.value for member in enum]
        if isinstance(value, str) and value in allowed:
            return enum(value)
        hint = suggestion(value, allowed) if isinstance(value, str) else ""
        self.error(
            f"valeur « {value} » invalide pour « {key} » : attendu {french_list(allowed)}{hint}",
            *keys,
        )
        return None

    def period(self, key: str, *, required: bool = True) -> Period | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # ``period = 2025`` is a natural way to write a year
        if not isinstance(value, str):
            self.error(f"« {key} » doit être une période écrite entre guillemets", key)
            return None
        try:
            return parse_period(value)
        except PeriodError as error:
            self.error(str(error), key)
            return None

    def date(self, key: str) -> date | None:
        value = self._get(key, required=True)
        if value is None:
            return None
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        if not isinstance(value, date) or hasattr(value, "hour"):
            self.error(f"« {key} » doit être une date (AAAA-MM-JJ)", key)
            return None
        return value

    # --- lists and tables -----------------------------------------------------------------------

    def text_list(self, key: str, *, required: bool = True) -> tuple[str, ...] | None:
        value = self._get(key, required)
        if value is None:
            return None if required else ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.error(f"« {key} » doit être une liste de textes", key)
            return None
        for index, item in enumerate(value):
            if item in value[:index]:
                self.error(f"« {item} » figure deux fois dans « {key} »", key, index)
        return tuple(dict.fromkeys(value))

    def enum_list(self, key: str, enum: type[E]) -> tuple[E, ...] | None:
        items = self.text_list(key)
        if items is None:
            return None
        if not items:
            self.error(f"« {key} » ne doit pas être vide", key)
            return None
        members = [self._enum_value(key, item, enum, (key, i)) for i, item in enumerate(items)]
        return tuple(m for m in members if m is not None) if all(members) else None

    def table(self, key: str, *, required: bool = True) -> Record | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(f"« {key} » doit être une table", key)
            return None
        return Record(self.source, (*self.path, key), value, self.issues)

    def tables(self, key: str) -> list[Record]:
        """An optional array of tables (``[[indicator.target]]`` or a list of inline tables)."""
        value = self._get(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(f"« {key} » doit être une liste de tables", key)
            return []
        return [
            Record(self.source, (*self.path, key, i), v, self.issues) for i, v in enumerate(value)
        ]
