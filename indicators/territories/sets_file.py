"""Read a membership list for a named territory set: programme members, test territories, …

A list is a CSV file (any usual separator and encoding, see :mod:`.tabular`) or a GeoJSON file of
points whose properties hold the code. :func:`read_set_file`

1. finds the code column: a column named like ``insee_com``, ``code_insee``, ``codgeo``… (names by
   level in :data:`CODE_COLUMN_NAMES`), else the column whose first values normalise best;
2. finds optional start and end date columns (``date_debut``/``date_fin``, ``start``/``end``…);
3. normalises every code through :mod:`.codes` (commune level unless told otherwise);
4. returns the members, deduplicated (a commune hosting three France Services sites is one
   member, whose period is the union of its rows' periods), and every problem as an issue value:
   (line as seen in the file, column, stable code, value, French message, severity).

Nothing raises on bad data: an unreadable file is one ``unreadable-file`` issue. Issue codes:

==========================  ========  ==========================================================
code                        severity  meaning
==========================  ========  ==========================================================
``empty-code``              error     empty cell or ``NA``: row ignored
``unknown-territory``       error     code of no current territory: row ignored
``dummy-row``               error     filler code such as ``999999``: row ignored
``outside-referential``     error     Saint-Martin, Polynésie… (not in the referential): ignored
``ambiguous-territory``     error     code with several readings: row ignored
``wrong-level``             error     a valid code of another level than the list's
``mapped-arrondissement``   warning   arrondissement counted in its commune
``mapped-old-code``         warning   absorbed commune counted in today's commune
``mapped-corsican-code``    warning   pre-1976 Corsican 20xxx code
``duplicate-member``        warning   the territory is already a member: rows merged
``invalid-date``            warning   unreadable date: the member is kept without it
``invalid-date-range``      warning   end before start: the member is kept as written
``normalised-code``         info      code completed or translated (lost zero, ZA…)
``unreadable-file``         error     not a CSV or JSON file this reader understands
``empty-file``              error     nothing to read
``no-code-column``          error     no column holds territory codes
==========================  ========  ==========================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal

from indicators.issue_codes import IssueCode

from .codes import CodeResolution, hint_level, resolve_many
from .dates import Bound, DateError, parse_date
from .folding import fold_identifier
from .referential import Referential
from .tabular import Row, Table, TableError, read_table, without_header

Severity = Literal["error", "warning", "info"]

# folded names (see fold_identifier), best first
CODE_COLUMN_NAMES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "COM": (
            "inseecom", "codeinsee", "codgeo", "codecommune", "codecom", "depcom", "codegeo",
            "insee", "com", "inseecommune", "communeinsee", "codeinseecommune", "cog", "commune",
            "code",
        ),
        "EPCI": ("sirenepci", "codeepci", "epci", "siren", "sirengroupement", "codesiren", "code"),
        "DEP": ("inseedep", "codedep", "codedepartement", "dep", "departement", "numdep", "code"),
        "REG": ("inseereg", "codereg", "coderegion", "reg", "region", "code"),
        "FR": ("code",),
    }
)  # fmt: skip
START_COLUMN_NAMES: Final = (
    "datedebut", "debut", "start", "startdate", "datestart", "dateentree", "entree",
    "datesignature", "since",
)  # fmt: skip
END_COLUMN_NAMES: Final = ("datefin", "fin", "end", "enddate", "dateend", "datesortie", "sortie")
_SAMPLE: Final = 200

_MAPPED_ISSUES: Final[Mapping[str, IssueCode]] = MappingProxyType(
    {
        "arrondissement": IssueCode.MAPPED_ARRONDISSEMENT,
        "old-commune-code": IssueCode.MAPPED_OLD_CODE,
        "corsica-20": IssueCode.MAPPED_CORSICAN_CODE,
    }
)
_FAILED_ISSUES: Final[Mapping[str, IssueCode]] = MappingProxyType(
    {
        "missing": IssueCode.EMPTY_CODE,
        "placeholder": IssueCode.DUMMY_ROW,
        "outside-referential": IssueCode.OUTSIDE_REFERENTIAL,
        "level-mismatch": IssueCode.WRONG_LEVEL,
    }
)


@dataclass(frozen=True, slots=True)
class SetIssue:
    """One problem, where a person finds it: ``line`` 1 is the header (``None``: whole file)."""

    line: int | None
    column: str | None
    code: str
    value: str
    message: str
    severity: Severity = "error"


@dataclass(frozen=True, slots=True)
class SetMember:
    """A territory of the set; ``line`` is its first row, ``lines`` every row that named it."""

    code: str
    start: date | None
    end: date | None
    line: int
    lines: tuple[int, ...]
    value: str


@dataclass(frozen=True, slots=True)
class SetCounts:
    """Rows read = matched + mapped + unknown + empty; duplicates are among matched + mapped."""

    rows_read: int = 0
    matched: int = 0
    mapped: int = 0
    unknown: int = 0
    empty: int = 0
    duplicates: int = 0

    @property
    def match_rate(self) -> float:
        """Share of rows that name a territory (as written or mapped)."""
        return (self.matched + self.mapped) / self.rows_read if self.rows_read else 0.0


@dataclass(frozen=True)
class SetFile:
    """What a list file holds and what went wrong, for a dry run or a load."""

    members: tuple[SetMember, ...]
    issues: tuple[SetIssue, ...]
    counts: SetCounts
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    code_column: str | None = None
    start_column: str | None = None
    end_column: str | None = None
    level: str = "COM"
    columns: tuple[str, ...] = field(default=())

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(member.code for member in self.members)

    @property
    def readable(self) -> bool:
        """False when the file as a whole could not be used (no member can come out of it)."""
        return not any(issue.line is None and issue.severity == "error" for issue in self.issues)

    def issue_tuples(self) -> list[tuple[int | None, str | None, str]]:
        """``(line, column, code)`` of each issue, handy in tests and summaries."""
        return [(issue.line, issue.column, issue.code) for issue in self.issues]


def read_set_file(
    source: Path | bytes,
    referential: Referential,
    *,
    level: str = "COM",
    filename: str | None = None,
    code_column: str | None = None,
    start_column: str | None = None,
    end_column: str | None = None,
) -> SetFile:
    """Read a membership list from a path or from uploaded bytes (``filename`` tells the format).

    ``level`` is the level of the codes (``"COM"`` by default); column names given explicitly
    override the detection.
    """
    hint = hint_level(level) or "COM"
    if isinstance(source, Path):
        filename = filename or source.name
        try:
            data = source.read_bytes()
        except OSError as error:
            return _file_failure(
                IssueCode.UNREADABLE_FILE, f"Fichier illisible : {error.strerror}", hint
            )
    else:
        data = source
    try:
        table = read_table(data, filename)
    except TableError as error:
        code = IssueCode.EMPTY_FILE if not data.strip() else IssueCode.UNREADABLE_FILE
        return _file_failure(code, str(error), hint)
    return read_set_table(table, referential, hint, code_column, start_column, end_column)


def read_set_table(
    table: Table,
    referential: Referential,
    level: str = "COM",
    code_column: str | None = None,
    start_column: str | None = None,
    end_column: str | None = None,
) -> SetFile:
    """:func:`read_set_file` on a table already read (the ingest may have read it its own way)."""
    hint = hint_level(level) or "COM"
    if code_column is None:
        table, code_column = _detect_code_column(table, referential, hint)
    if code_column is None or code_column not in table.columns:
        wanted = f"« {code_column} » absente" if code_column else "aucune colonne de codes"
        message = (
            f"Colonne des codes introuvable ({wanted}) ; colonnes du fichier : "
            f"{', '.join(table.columns) or 'aucune'}"
        )
        return _file_failure(IssueCode.NO_CODE_COLUMN, message, hint, table)
    start_column = start_column or _find_column(table.columns, START_COLUMN_NAMES)
    end_column = end_column or _find_column(table.columns, END_COLUMN_NAMES)
    builder = _MembersBuilder(referential)
    resolutions = resolve_many(
        (row.values.get(code_column) for row in table.rows), referential, hint
    )
    for row, resolution in zip(table.rows, resolutions, strict=True):
        builder.add(row, code_column, resolution, start_column, end_column)
    return SetFile(
        members=tuple(builder.members.values()),
        issues=tuple(builder.issues),
        counts=builder.counts(len(table.rows)),
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        code_column=code_column,
        start_column=start_column,
        end_column=end_column,
        level=hint,
        columns=table.columns,
    )


class _MembersBuilder:
    def __init__(self, referential: Referential) -> None:
        self.referential = referential
        self.members: dict[str, SetMember] = {}
        self.issues: list[SetIssue] = []
        self.tally = {"matched": 0, "mapped": 0, "unknown": 0, "empty": 0, "duplicates": 0}

    def counts(self, rows_read: int) -> SetCounts:
        return SetCounts(rows_read=rows_read, **self.tally)

    def issue(
        self,
        row: Row,
        column: str | None,
        code: IssueCode,
        value: str,
        message: str,
        severity: Severity,
    ) -> None:
        self.issues.append(SetIssue(row.line, column, code, value, message, severity))

    def add(
        self,
        row: Row,
        column: str,
        resolution: CodeResolution,
        start_column: str | None,
        end_column: str | None,
    ) -> None:
        value = _shown(row.values.get(column))
        if resolution.code is None or resolution.status not in ("ok", "mapped"):
            self._reject(row, column, value, resolution)
            return
        if resolution.status == "mapped":
            self.tally["mapped"] += 1
            code = _MAPPED_ISSUES.get(resolution.rule, IssueCode.MAPPED_CODE)
            self.issue(row, column, code, value, resolution.message, "warning")
        else:
            self.tally["matched"] += 1
            if resolution.message:
                self.issue(
                    row, column, IssueCode.NORMALISED_CODE, value, resolution.message, "info"
                )
        start = self._date(row, start_column, "start")
        end = self._date(row, end_column, "end")
        if start and end and end < start:
            self.issue(
                row,
                end_column,
                IssueCode.INVALID_DATE_RANGE,
                _shown(row.values.get(end_column or "")),
                f"Fin ({end:%d/%m/%Y}) antérieure au début ({start:%d/%m/%Y})",
                "warning",
            )
        self._merge(row, column, value, resolution.code, start, end)

    def _reject(self, row: Row, column: str, value: str, resolution: CodeResolution) -> None:
        if resolution.rule == "missing":
            self.tally["empty"] += 1
        else:
            self.tally["unknown"] += 1
        if resolution.status == "ambiguous":
            code = IssueCode.AMBIGUOUS_TERRITORY
        else:
            code = _FAILED_ISSUES.get(resolution.rule, IssueCode.UNKNOWN_TERRITORY)
        message = resolution.message
        if resolution.suggestion:
            message += f" (suggestion : {resolution.suggestion})"
        self.issue(row, column, code, value, f"{message} ; ligne ignorée", "error")

    def _date(self, row: Row, column: str | None, bound: Bound) -> date | None:
        if column is None:
            return None
        raw = row.values.get(column)
        try:
            return parse_date(raw, bound)
        except DateError as error:
            self.issue(row, column, IssueCode.INVALID_DATE, _shown(raw), str(error), "warning")
            return None

    def _merge(
        self, row: Row, column: str, value: str, code: str, start: date | None, end: date | None
    ) -> None:
        known = self.members.get(code)
        if known is None:
            self.members[code] = SetMember(code, start, end, row.line, (row.line,), value)
            return
        self.tally["duplicates"] += 1
        name = self.referential.territories[code].name if code in self.referential else code
        self.issue(
            row,
            column,
            IssueCode.DUPLICATE_MEMBER,
            value,
            f"{name} ({code.partition(':')[2] or code}) figure déjà ligne {known.line} : "
            "lignes fusionnées en un membre",
            "warning",
        )
        # the member's period is the union of its rows' periods; no date = unbounded
        self.members[code] = SetMember(
            code,
            None if known.start is None or start is None else min(known.start, start),
            None if known.end is None or end is None else max(known.end, end),
            known.line,
            (*known.lines, row.line),
            known.value,
        )


def _shown(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _find_column(columns: Sequence[str], names: Sequence[str]) -> str | None:
    folded = {fold_identifier(column): column for column in reversed(columns)}
    for name in names:
        if name in folded:
            return folded[name]
    return None


def _detect_code_column(
    table: Table, referential: Referential, level: str
) -> tuple[Table, str | None]:
    """The code column by name, else by values; a header made of codes means no header."""
    by_name = _find_column(table.columns, CODE_COLUMN_NAMES[level])
    if by_name is not None and _share_resolved(table, by_name, referential, level) > 0:
        return table, by_name
    if table.format == "csv" and table.has_header:
        header_codes = resolve_many(table.columns, referential, level)
        if any(resolution.resolved for resolution in header_codes):
            table = without_header(table)
    best: tuple[float, str] | None = None
    for column in table.columns:
        share = _share_resolved(table, column, referential, level)
        if share >= 0.5 and (best is None or share > best[0]):
            best = (share, column)
    if best is not None:
        return table, best[1]
    return table, by_name


def _share_resolved(table: Table, column: str, referential: Referential, level: str) -> float:
    values = [row.values.get(column) for row in table.rows[:_SAMPLE]]
    values = [value for value in values if value not in (None, "")]
    if not values:
        return 0.0
    resolved = sum(r.resolved for r in resolve_many(values, referential, level))
    return resolved / len(values)


def _file_failure(code: IssueCode, message: str, level: str, table: Table | None = None) -> SetFile:
    return SetFile(
        members=(),
        issues=(SetIssue(None, None, code, "", message, "error"),),
        counts=SetCounts(rows_read=len(table.rows) if table else 0),
        format=table.format if table else None,
        encoding=table.encoding if table else None,
        delimiter=table.delimiter if table else None,
        level=level,
        columns=table.columns if table else (),
    )
