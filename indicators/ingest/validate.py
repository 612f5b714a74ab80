"""Apply a profile to a table and check every value: the rows that can be loaded, and an issue
for everything else (unknown indicator or territory, level, period, number, range, duplicate).

A profile's ``values`` entries are *blocks*: one value column (or constant) read for every row.
Each block is checked in bulk — each distinct territory, indicator or period once — then the
blocks are put together and checked for keys given twice. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from indicators.catalogue import Catalogue
from indicators.ingest.issues import Issue, issue_sort_key
from indicators.ingest.keys import combined, empty_values, without_duplicates
from indicators.ingest.profile import Profile
from indicators.ingest.source import SourceTable
from indicators.ingest.value_block import BlockContext, ValueBlock
from indicators.issue_codes import IssueCode
from indicators.territories import Referential

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Validated:
    """The values that passed every check (``VALUE_COLUMNS``) and the issues of the rest.

    ``rejected`` counts values (one row of a wide file holds several), ``ignored`` the values a
    profile skips on purpose (an unmapped indicator with ``others: ignore``, an empty cell with
    ``empty: skip``). ``has_comments``: the file has a comment column, so its comments replace
    the stored ones (otherwise stored comments are kept).
    """

    values: pd.DataFrame
    issues: tuple[Issue, ...]
    rows_read: int
    rejected: int = 0
    ignored: int = 0
    has_comments: bool = False
    rejected_lines: frozenset[int] = field(default=frozenset())

    @property
    def errors(self) -> int:
        return sum(issue.is_error for issue in self.issues)


def missing_columns(table: SourceTable, profile: Profile) -> list[Issue]:
    present = set(table.columns)
    return [
        Issue(
            1,
            name,
            IssueCode.MISSING_COLUMN,
            name,
            f"Colonne « {name} » attendue par le profil « {profile.name or 'sans nom'} » "
            f"absente du fichier ; colonnes lues : {', '.join(table.columns)}",
        )
        for name in profile.columns_used()
        if name not in present
    ]


def validate_table(
    table: SourceTable,
    profile: Profile,
    catalogue: Catalogue,
    referential: Referential,
    progress: Progress | None = None,
) -> Validated:
    """Check every value of ``table`` read through ``profile``."""
    absent = missing_columns(table, profile)
    if absent:
        return Validated(empty_values(), tuple(absent), len(table))
    context = BlockContext(table, profile, catalogue, referential)
    blocks: list[pd.DataFrame] = []
    issues: list[Issue] = list(context.file_issues)
    rejected = ignored = 0
    rejected_lines: set[int] = set()
    if progress:
        progress(0, len(profile.values))
    for number, spec in enumerate(profile.values, start=1):
        block = ValueBlock(context, spec)
        blocks.append(block.values)
        issues += block.issues
        rejected += block.rejected
        ignored += block.ignored
        rejected_lines.update(block.rejected_lines)
        if progress:
            progress(number, len(profile.values))
    values = pd.concat(blocks, ignore_index=True) if blocks else empty_values()
    if profile.combine != "error":
        values = combined(values, profile.combine)
    else:
        values, duplicates = without_duplicates(values)
        issues += duplicates
        rejected += len(duplicates)
        rejected_lines.update(issue.line for issue in duplicates if issue.line)
    unique = list(dict.fromkeys(issues))  # a bad territory is one issue per line, not per block
    unique.sort(key=issue_sort_key)
    return Validated(
        values.reset_index(drop=True),
        tuple(unique),
        len(table),
        rejected=rejected,
        ignored=ignored,
        has_comments=profile.comment_column is not None,
        rejected_lines=frozenset(rejected_lines),
    )
