"""Find, parse and validate the catalogue files, then build the :class:`Catalogue`.

Layout of a catalogue directory (flat, so that the files ship as package data):
``partners.toml``, ``themes.toml``, ``programmes.toml``, ``measures.toml`` and one or more
``indicators-*.toml``. Every problem is collected as a :class:`CatalogueError`
(``file:line: message``) rather than raised one at a time, so ``suivi catalogue check`` shows them
all at once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from indicators.catalogue.definitions import read_indicator
from indicators.catalogue.errors import CatalogueError, CatalogueValidationError
from indicators.catalogue.model import Catalogue, Indicator, Theme
from indicators.catalogue.positions import scan_positions
from indicators.catalogue.reader import Issues, Record, Source, suggestion
from indicators.catalogue.records import read_measure, read_partner, read_programme, read_theme
from indicators.catalogue.references import Located, Tables, check_references
from indicators.catalogue.tables import TableEdit, render_table
from indicators.config import load_settings

DEFAULT_DIRECTORY = Path(__file__).parent
INDICATOR_FILES = "indicators-*.toml"

T = TypeVar("T")


@dataclass(frozen=True)
class _FileKind:
    """What one kind of file holds: its array-of-tables key and a French name for messages."""

    key: str
    name: str


PARTNERS = _FileKind("partner", "partenaire")
THEMES = _FileKind("theme", "thème")
PROGRAMMES = _FileKind("programme", "programme")
MEASURES = _FileKind("measure", "mesure")
INDICATORS = _FileKind("indicator", "indicateur")


def catalogue_directory() -> Path:
    """The deployment's catalogue: ``SUIVI_CATALOGUE_DIR`` when set (issue #14), else the demo
    catalogue shipped next to this module."""
    configured = load_settings().catalogue_dir
    return DEFAULT_DIRECTORY if configured is None else configured


def load_catalogue(directory: Path | None = None, edits: Sequence[TableEdit] = ()) -> Catalogue:
    """Load the catalogue (``directory``, else :func:`catalogue_directory`, with ``edits`` laid
    over its files); raise if anything does not validate."""
    catalogue, errors = read_catalogue(directory, edits)
    if errors:
        raise CatalogueValidationError(errors)
    return catalogue


def validate_catalogue(
    directory: Path | None = None, edits: Sequence[TableEdit] = ()
) -> list[CatalogueError]:
    """Every error of the catalogue, sorted by file and line; empty when it is valid."""
    return read_catalogue(directory, edits)[1]


def read_catalogue(
    directory: Path | None = None, edits: Sequence[TableEdit] = ()
) -> tuple[Catalogue, list[CatalogueError]]:
    """The catalogue built from what could be read, and every error found on the way.

    ``edits`` (definitions saved from the administration pages) replace the file's table of the
    same kind and code where it stands, or come after the files' tables of their kind: they are
    read and checked exactly as if a file held them."""
    root = catalogue_directory() if directory is None else directory
    run = _Run(root, Issues(), edits)
    if not root.is_dir():
        run.issues.add(root, 1, "dossier du catalogue introuvable (réglage SUIVI_CATALOGUE_DIR)")
        empty: MappingProxyType[str, Any] = MappingProxyType({})
        return Catalogue(empty, empty, empty, empty, empty), list(run.issues.errors)
    partners = run.collect(root / "partners.toml", PARTNERS, read_partner)
    partners.update(run.collect_added(PARTNERS, read_partner))
    themes = run.collect(root / "themes.toml", THEMES, read_theme)
    programmes = run.collect(root / "programmes.toml", PROGRAMMES, read_programme)
    measures = run.collect(root / "measures.toml", MEASURES, read_measure)
    measures.update(run.collect_added(MEASURES, read_measure))
    indicator_files = sorted(root.glob(INDICATOR_FILES))
    if not indicator_files:
        run.issues.add(root / INDICATOR_FILES, 1, "aucun fichier d'indicateurs trouvé")
    indicators: dict[str, Located[Indicator]] = {}
    for path in indicator_files:
        indicators.update(run.collect(path, INDICATORS, read_indicator))
    indicators.update(run.collect_added(INDICATORS, read_indicator))
    tables = Tables(
        partners,
        themes,
        programmes,
        measures,
        indicators,
        broken=frozenset(run.broken),
        unreadable=frozenset(run.unreadable),
    )
    check_references(tables)
    catalogue = Catalogue(
        partners=_values(partners),
        themes=MappingProxyType(
            {t.value.code: t.value for t in sorted(themes.values(), key=lambda t: t.value.order)}
        ),
        programmes=_values(programmes),
        measures=_values(measures),
        indicators=_values(_by_theme(indicators, themes)),
    )
    errors = sorted(set(run.issues.errors), key=lambda e: (str(e.file), e.line, e.message))
    return catalogue, errors


def _by_theme(
    indicators: dict[str, Located[Indicator]], themes: dict[str, Located[Theme]]
) -> dict[str, Located[Indicator]]:
    """Indicators in the order of their theme (the workshops), then in file order."""
    rank = {code: theme.value.order for code, theme in themes.items()}
    ordered = sorted(indicators.items(), key=lambda item: rank.get(item[1].value.theme, 99))
    return dict(ordered)


def _values(located: dict[str, Located[T]]) -> MappingProxyType[str, T]:
    return MappingProxyType({code: item.value for code, item in located.items()})


class _Run:
    """State of one read: the issues found and, per kind, where each code was first defined."""

    def __init__(self, root: Path, issues: Issues, edits: Sequence[TableEdit] = ()) -> None:
        self.root = root
        self.issues = issues
        self.edits = {(edit.kind, edit.code): edit for edit in edits}
        self.edits_read: set[tuple[str, str]] = set()
        self.first_seen: dict[str, tuple[Path, int]] = {}
        self.broken: set[str] = set()  # "kind:code" of tables that could not be read
        self.unreadable: set[str] = set()  # kinds with a file that could not be parsed

    def collect(
        self, path: Path, kind: _FileKind, read: Callable[[Record], T | None]
    ) -> dict[str, Located[T]]:
        found: dict[str, Located[T]] = {}
        parsed = self.parse(path)
        if parsed is None:
            self.unreadable.add(kind.key)
            return found
        source, data = parsed
        for key in data:
            if key != kind.key:
                hint = suggestion(key, [kind.key])
                message = f"clé inconnue « {key} » : ce fichier ne contient que des [[{kind.key}]]"
                self.issues.add(path, source.line((key,)), message + hint)
        items = data.get(kind.key)
        if items is None:
            self.issues.add(path, 1, f"aucune table [[{kind.key}]] dans ce fichier")
            self.unreadable.add(kind.key)
            return found
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            line = source.line((kind.key,))
            self.issues.add(path, line, f"« {kind.key} » doit s'écrire [[{kind.key}]]")
            self.unreadable.add(kind.key)
            return found
        for index, item in enumerate(items):
            edit = self.edits.get((kind.key, item.get("code")))  # type: ignore[arg-type]
            if edit is not None and (kind.key, edit.code) not in self.edits_read:
                self.edits_read.add((kind.key, edit.code))
                self.read_edit(edit, kind, read, found)
                continue
            record = Record(source, (kind.key, index), item, self.issues)
            self.read_record(record, kind, read, found)
        return found

    def collect_added(
        self, kind: _FileKind, read: Callable[[Record], T | None]
    ) -> dict[str, Located[T]]:
        """The edits of ``kind`` that no file table was replaced by: new definitions."""
        found: dict[str, Located[T]] = {}
        for key, edit in self.edits.items():
            if key[0] == kind.key and key not in self.edits_read:
                self.edits_read.add(key)
                self.read_edit(edit, kind, read, found)
        return found

    def read_edit(
        self,
        edit: TableEdit,
        kind: _FileKind,
        read: Callable[[Record], T | None],
        found: dict[str, Located[T]],
    ) -> None:
        text = render_table(kind.key, edit.table)
        data = tomllib.loads(text)
        source = Source(edit.source, scan_positions(text))
        record = Record(source, (kind.key, 0), data[kind.key][0], self.issues)
        self.read_record(record, kind, read, found)

    def read_record(
        self,
        record: Record,
        kind: _FileKind,
        read: Callable[[Record], T | None],
        found: dict[str, Located[T]],
    ) -> None:
        if self.is_duplicate(record, kind):
            return
        value = read(record)
        code = record.data.get("code")
        if value is not None:
            found[code] = Located(value, record)  # type: ignore[index]
        elif isinstance(code, str):
            self.broken.add(f"{kind.key}:{code}")

    def is_duplicate(self, record: Record, kind: _FileKind) -> bool:
        code = record.data.get("code")
        if not isinstance(code, str):
            return False
        key = f"{kind.key}:{code}"
        if key in self.first_seen:
            file, line = self.first_seen[key]
            where = f"{_relative(file, self.root)}:{line}"
            record.error(f"{kind.name} « {code} » défini deux fois (déjà en {where})", "code")
            return True
        self.first_seen[key] = (record.source.file, record.line("code"))
        return False

    def parse(self, path: Path) -> tuple[Source, dict[str, Any]] | None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.issues.add(path, 1, "fichier introuvable")
            return None
        except UnicodeDecodeError:
            self.issues.add(path, 1, "fichier illisible : il doit être encodé en UTF-8")
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.issues.add(path, *_toml_error(str(error), text))
            return None
        return Source(path, scan_positions(text)), data


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


_TOML_POSITION = re.compile(
    r"^(?P<message>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$"
)
# tomllib speaks English; the frequent messages get a French wording, the others are quoted.
_TOML_MESSAGES = {
    "Cannot overwrite a value": "clé déjà définie plus haut",
    "Cannot declare": "table déjà déclarée plus haut",
    "Expected '=' after a key in a key/value pair": "« = » attendu après la clé",
    "Invalid value": "valeur invalide (un texte s'écrit entre guillemets)",
    "Invalid statement": "ligne invalide",
    "Unclosed array": "liste non fermée (« ] » manquant)",
    "Unterminated string": "texte non fermé (guillemet manquant)",
    "Illegal character": "caractère interdit dans un texte",
    "Expected newline or end of document": "fin de ligne attendue après la valeur",
}


def _toml_error(error: str, text: str) -> tuple[int, str]:
    match = _TOML_POSITION.match(error)
    english = match["message"] if match else error
    line = int(match["line"]) if match and match["line"] else text.count("\n") + 1
    column = f", colonne {match['column']}" if match and match["column"] else ""
    duplicates = scan_positions(text).duplicates if english.startswith("Cannot overwrite") else ()
    if duplicates:
        key_path, line = duplicates[0]
        name = ".".join(str(part) for part in key_path if isinstance(part, str))
        return line, f"syntaxe TOML invalide : clé « {name} » déjà définie plus haut"
    for prefix, french in _TOML_MESSAGES.items():
        if english.startswith(prefix):
            return line, f"syntaxe TOML invalide{column} : {french}"
    return line, f"syntaxe TOML invalide{column} ({english})"
