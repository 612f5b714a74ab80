"""An indicator-metadata table turned into catalogue files (``suivi catalogue import``, issue #14).

National results barometers publish one row per indicator: identifier, name, unit, periodicity,
direction, description, producer (or, like Etalab's barometer, one row per indicator and
territory: rows of one identifier are merged). :func:`import_indicator_table` reads such a
table, already parsed by the upload reader (CSV or XLSX, French or English headers, see
:data:`COLUMN_ALIASES`), and proposes ``[[indicator]]`` tables; a producer that is not a partner
becomes a new ``[[partner]]`` entry rather than an error. Everything it could not map or had to
guess is an :class:`~indicators.ingest.issues.Issue` of the line it comes from, in French: an
``error`` leaves the line out, a ``warning`` says what was assumed.

``catalogue_words`` maps the published words (units, periodicities, directions, codes),
``catalogue_cells`` reads each cell of a row against the catalogue;
``catalogue_files.write_catalogue_import`` writes the result as a catalogue directory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from indicators.catalogue import Catalogue
from indicators.catalogue.records import CODE_PATTERNS
from indicators.ingest.catalogue_cells import CellReader, ImportDefaults
from indicators.ingest.catalogue_words import (
    find_metadata_columns,
    indicator_code,
    map_unit,
)
from indicators.ingest.issues import Issue
from indicators.ingest.source import SourceTable
from indicators.issue_codes import IssueCode

# units whose values add up over territories (durations and shares do not)
_ADDITIVE_UNITS: Final = frozenset({"nombre", "€", "k€", "km", "ha"})


@dataclass(frozen=True)
class CatalogueImport:
    """The proposed tables and what could not be mapped, line by line."""

    indicators: tuple[dict[str, Any], ...]
    partners: tuple[dict[str, Any], ...]
    issues: tuple[Issue, ...]
    rows_read: int
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return len({i.line for i in self.issues if i.is_error and i.line is not None})


class _Importer(CellReader):
    def __init__(
        self, table: SourceTable, catalogue: Catalogue, defaults: ImportDefaults, replaced: set[str]
    ) -> None:
        super().__init__(find_metadata_columns(table.columns), catalogue, defaults)
        self.table = table
        self.replaced = replaced  # codes of the file being rewritten: not "already there"
        self.indicators: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, int] = {}

    def run(self) -> CatalogueImport:
        missing = [role for role in ("code", "label", "unit") if role not in self.columns]
        if missing:
            names = {"code": "identifiant", "label": "libellé", "unit": "unité"}
            wanted = ", ".join(names[m] for m in missing)
            self.note(
                None,
                None,
                IssueCode.MISSING_COLUMN,
                "",
                f"Colonnes introuvables : {wanted} ; colonnes "
                f"lues : {', '.join(self.table.columns)}",
                "error",
            )
            return self.result()
        self.file_notes()
        frame = self.table.frame
        for index, line in enumerate(self.table.lines.tolist()):
            row = {
                column: str(frame.iat[index, position])
                for position, column in enumerate(self.table.columns)
            }
            self.row(int(line), row)
        return self.result()

    def result(self) -> CatalogueImport:
        return CatalogueImport(
            tuple(self.indicators.values()),
            tuple(self.partners.values()),
            tuple(self.issues),
            len(self.table),
            dict(self.columns),
        )

    def file_notes(self) -> None:
        d = self.defaults
        assumed = []
        if "periodicity" not in self.columns:
            assumed.append(f"périodicité {d.periodicity.label}")
        if "direction" not in self.columns:
            assumed.append("sens neutre")
        if "levels" not in self.columns:
            assumed.append("niveaux " + ", ".join(level.label for level in d.levels))
        if "description" not in self.columns:
            assumed.append("description = libellé")
        assumed.append(f"maillon « {d.chain_level} » de la chaîne de résultats, à vérifier")
        self.note(
            None, None, IssueCode.DEFAULTS, "", "Sans colonne pour le dire : " + " ; ".join(assumed)
        )

    def row(self, line: int, row: Mapping[str, str]) -> None:
        identifier = self.cell(row, "code")
        if not identifier:
            self.note(
                line,
                "code",
                IssueCode.MISSING_IDENTIFIER,
                "",
                "Identifiant absent : ligne ignorée",
                "error",
            )
            return
        code = indicator_code(identifier, self.defaults.prefix)
        if code in self.seen:  # one row per indicator and territory: the first one describes it
            first = self.indicators.get(code)
            if first is not None and first["label"] != (self.cell(row, "label") or first["label"]):
                self.note(
                    line,
                    "label",
                    IssueCode.CONFLICTING_ROWS,
                    identifier,
                    f"Identifiant « {identifier} » déjà décrit ligne {self.seen[code]} avec "
                    "un autre libellé : la première description est gardée",
                    once=True,
                )
            return
        self.seen[code] = line
        if not CODE_PATTERNS["indicator"].match(code):
            self.note(
                line,
                "code",
                IssueCode.INVALID_IDENTIFIER,
                identifier,
                f"Identifiant « {identifier} » inutilisable comme code (« {code} ») : ligne "
                "ignorée",
                "error",
            )
            return
        if code in self.catalogue.indicators and code not in self.replaced:
            self.note(
                line,
                "code",
                IssueCode.KNOWN_INDICATOR,
                identifier,
                f"{code} est déjà au catalogue : ligne ignorée (modifiez sa définition dans "
                "son fichier)",
                "error",
            )
            return
        label = self.cell(row, "label")
        if not label:
            self.note(
                line,
                "label",
                IssueCode.MISSING_LABEL,
                "",
                "Libellé absent : ligne ignorée",
                "error",
            )
            return
        unit_text = self.cell(row, "unit")
        unit, unit_note = map_unit(unit_text)
        if unit is None:
            self.note(line, "unit", IssueCode.UNKNOWN_UNIT, unit_text, unit_note, "error")
            return
        if unit_note:
            self.note(line, "unit", IssueCode.GUESSED_UNIT, unit_text, unit_note, once=True)
        periodicity = self.periodicity(line, row)
        partner = self.partner(line, row)
        links = self.links(line, row)
        if periodicity is None or partner is None or links is None:
            return
        measures, programmes = links
        levels = self.levels(line, row)
        table: dict[str, Any] = {
            "code": code,
            "label": label,
            "description": self.cell(row, "description") or label,
            "theme": self.theme(line, row),
            "unit": unit,
            "direction": self.direction(line, row),
            "kind": "base",
            "aggregation": "sum" if unit in _ADDITIVE_UNITS else "none",
            "periodicity": periodicity.value,
            "publication_lag_months": 0,
            "levels": [level.value for level in levels],
            "chain_level": self.defaults.chain_level,
            "last_mile": False,
            "measures": measures,
            "programmes": programmes,
            "partner": partner,
            "range": {"min": 0, "max": 100} if unit == "%" else {"min": 0},
            "source": self.cell(row, "source") or self.partner_name(partner),
            "licence": self.cell(row, "licence") or self.defaults.licence,
        }
        self.indicators[code] = table


def import_indicator_table(
    table: SourceTable,
    catalogue: Catalogue,
    defaults: ImportDefaults | None = None,
    replaced: frozenset[str] = frozenset(),
) -> CatalogueImport:
    """The ``[[indicator]]`` and new ``[[partner]]`` tables proposed for ``table``'s rows.

    ``catalogue`` is the one the indicators join (its partners, measures, themes); ``replaced``
    lists codes of an earlier import of the same table, which may be written again.
    """
    return _Importer(table, catalogue, defaults or ImportDefaults(), set(replaced)).run()
