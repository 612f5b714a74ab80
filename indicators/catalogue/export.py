"""The catalogue in service written back as files (``suivi catalogue export``, issue #14).

Each file of the source directory is copied as written (comments included), with the table of
every edited definition replaced where it stands; new partners and measures are appended to their
file, new indicators go to :data:`ADDED_INDICATORS`. The result is a catalogue directory that
``suivi catalogue check`` accepts and that loads to the same definitions.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from indicators.catalogue.loader import INDICATOR_FILES
from indicators.catalogue.tables import TableEdit, render_table

# "zz": read after the other files, as new definitions come after the files' tables
ADDED_INDICATORS: Final = "indicators-zz-ajouts-en-ligne.toml"
_FILE_KINDS: Final = {
    "partners.toml": "partner",
    "themes.toml": "theme",
    "programmes.toml": "programme",
    "measures.toml": "measure",
}
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")


class ExportError(ValueError):
    """The target directory cannot receive the export (French message)."""


def export_catalogue(source: Path, edits: Sequence[TableEdit], out: Path) -> list[Path]:
    """Write ``source``'s files with ``edits`` applied into ``out`` (empty or new); return the
    files written."""
    if out.exists() and any(out.iterdir()):
        raise ExportError(
            f"le dossier {out} n'est pas vide : choisissez un dossier nouveau ou vide"
        )
    out.mkdir(parents=True, exist_ok=True)
    pending = {(edit.kind, edit.code): edit for edit in edits}
    written: list[Path] = []
    names = [*_FILE_KINDS, *sorted(p.name for p in source.glob(INDICATOR_FILES))]
    for name in names:
        path = source / name
        if not path.is_file():
            continue
        kind = _FILE_KINDS.get(name, "indicator")
        text = _replace_tables(path.read_text(encoding="utf-8"), kind, pending)
        if name in _FILE_KINDS:
            text = _append(text, kind, pending)
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    added = [edit for key, edit in pending.items() if key[0] == "indicator"]
    if added:
        target = out / ADDED_INDICATORS
        header = "# Indicateurs créés sur les pages d'administration du catalogue.\n\n"
        target.write_text(header + _tables(added), encoding="utf-8")
        written.append(target)
    return written


def _replace_tables(text: str, kind: str, pending: dict[tuple[str, str], TableEdit]) -> str:
    """``text`` with each ``[[kind]]`` table that has a pending edit replaced by it."""
    items = tomllib.loads(text).get(kind, [])
    codes = [str(item.get("code")) for item in items if isinstance(item, dict)]
    if not any((kind, code) in pending for code in codes):
        return text
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _header_name(line) == kind]
    if len(starts) != len(codes):  # tables written inline: write the file again, without comments
        tables = [
            pending.pop((kind, code)).table if (kind, code) in pending else item
            for code, item in zip(codes, items, strict=True)
        ]
        return "\n".join(render_table(kind, table) for table in tables)
    result: list[str] = []
    cursor = 0
    for start, code in zip(starts, codes, strict=True):
        edit = pending.pop((kind, code), None)
        if edit is None:
            continue
        end = _table_end(lines, start, kind)
        result += lines[cursor:start]
        result.append(render_table(kind, edit.table))
        cursor = end
    result += lines[cursor:]
    return "".join(result)


def _header_name(line: str) -> str | None:
    match = _HEADER.match(line)
    return match.group(1) if match else None


def _table_end(lines: list[str], start: int, kind: str) -> int:
    """The line after the table starting at ``start``: up to the next table that is not one of
    its sub-tables, leaving the comments and blank lines just before that one in place."""
    end = start + 1
    while end < len(lines):
        name = _header_name(lines[end])
        if name is not None and name != kind + "." and not name.startswith(kind + "."):
            break
        end += 1
    while end > start + 1 and (
        not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
    ):
        end -= 1
    return end


def _append(text: str, kind: str, pending: dict[tuple[str, str], TableEdit]) -> str:
    added = [edit for key, edit in pending.items() if key[0] == kind]
    if not added:
        return text
    for edit in added:
        pending.pop((edit.kind, edit.code))
    header = "# Ajoutés sur les pages d'administration du catalogue.\n\n"
    return text.rstrip("\n") + "\n\n" + header + _tables(added)


def _tables(edits: Sequence[TableEdit]) -> str:
    return "\n".join(render_table(edit.kind, edit.table) for edit in edits)
