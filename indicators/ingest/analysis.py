"""The dry run: read, map, check and compare an upload, and report — without writing anything.

:func:`analyse` returns an :class:`Analysis`: the counts and the table of what would be created,
changed (old -> new), left unchanged, withdrawn and rejected, every issue, and whether the file
would be loaded under the options asked for. :func:`~indicators.ingest.commit.commit_analysis`
then writes it. Bad data never raises: an unreadable file is one file-level issue.

Which profile reads the file: the one given; else the profile saved for exactly this header;
else the canonical long or wide layout recognised by its column names; else the file is refused
with an ``unknown-layout`` issue listing its columns (the web page then offers to build a
profile from them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue
from indicators.ingest.diff import Changes, compare
from indicators.ingest.issues import Issue, file_issue
from indicators.ingest.keys import empty_values
from indicators.ingest.layouts import Layout, detect_layout
from indicators.ingest.partner_scope import other_partner_profile, scope_to_partner
from indicators.ingest.profile import Combine, Profile
from indicators.ingest.profile_store import StoredProfile, find_profile_for_header
from indicators.ingest.progress import ProgressCallback, report
from indicators.ingest.reading import MEGABYTE, read_source
from indicators.ingest.source import SourceError, SourceTable, UploadedFile
from indicators.ingest.validate import Validated, validate_table
from indicators.issue_codes import IssueCode
from indicators.store.models import Load
from indicators.territories import Referential

DEFAULT_MAX_BYTES: Final = 50 * MEGABYTE
Verdict = Literal["valid", "refused"]


@dataclass(frozen=True)
class LoadOptions:
    """What the person asked for: load the valid lines only (default: refuse the file if any
    line is wrong), withdraw the values of the file's scope it no longer holds, which sheet;
    ``combine`` overrides the profile's policy for several rows of one key."""

    accept_partial: bool = False
    replace_scope: bool = False
    sheet: str | int | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    combine: Combine | None = None


@dataclass(frozen=True)
class FileInfo:
    """How the file was read, for the report and the load's record."""

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "columns": list(self.columns),
        }


@dataclass(frozen=True)
class Analysis:
    upload: UploadedFile
    options: LoadOptions
    validated: Validated
    changes: Changes | None = None
    file: FileInfo = field(default_factory=FileInfo)
    layout: Layout | None = None
    profile: Profile | None = None
    profile_id: int | None = None
    profile_matched: bool = False  # found by the file's header, not named by the person
    extra_issues: tuple[Issue, ...] = ()
    previous_load: int | None = None  # an earlier load of exactly the same bytes

    @property
    def issues(self) -> tuple[Issue, ...]:
        return (*self.extra_issues, *self.validated.issues)

    @property
    def errors(self) -> int:
        return sum(issue.is_error for issue in self.issues)

    @property
    def warnings(self) -> int:
        return sum(not issue.is_error for issue in self.issues)

    @property
    def readable(self) -> bool:
        """False when the file as a whole failed (no line can be loaded from it)."""
        return not any(issue.line is None and issue.is_error for issue in self.issues)

    @property
    def verdict(self) -> Verdict:
        """Would the file be loaded under the options asked for?"""
        if not self.readable:
            return "refused"
        if self.errors and not self.options.accept_partial:
            return "refused"
        if self.changes is not None and self.changes.rows.empty:
            return "refused"
        if self.changes is None and self.validated.values.empty:
            return "refused"
        return "valid"

    def count(self, action: str) -> int:
        return self.changes.count(action) if self.changes is not None else 0  # type: ignore[arg-type]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.validated.rows_read,
            "created": self.count("created"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "withdrawn": self.count("withdrawn"),
            "rejected": self.validated.rejected,
            "ignored": self.validated.ignored,
            "warnings": self.warnings,
        }

    @property
    def writes(self) -> int:
        return self.count("created") + self.count("updated") + self.count("withdrawn")

    def changes_table(self, actions: tuple[str, ...] | None = None) -> pd.DataFrame:
        """What would happen to each value, for the dry-run table: key, action, old -> new."""
        if self.changes is None:
            return pd.DataFrame(columns=CHANGE_COLUMNS)
        rows = self.changes.rows
        if actions is not None:
            rows = rows[rows["action"].isin(actions)]
        return rows[CHANGE_COLUMNS].reset_index(drop=True)

    def details(self) -> dict[str, Any]:
        """What the load's record keeps about how the file was read and what was asked."""
        return {
            **self.file.as_dict(),
            "layout": self.layout,
            "profile": self.profile.name if self.profile else None,
            "profile_matched": self.profile_matched,
            "accept_partial": self.options.accept_partial,
            "replace_scope": self.options.replace_scope,
            "ignored": self.validated.ignored,
            "previous_load": self.previous_load,
            # every issue is counted here, though only the first ones are stored (issue #12)
            "issue_counts": dict(sorted(Counter(i.code for i in self.issues).items())),
        }


CHANGE_COLUMNS: Final = [
    "line",
    "indicator",
    "territory",
    "period",
    "value_type",
    "action",
    "old_value",
    "old_status",
    "value",
    "status",
    "comment",
    "old_load_id",
]


def read_upload(upload: UploadedFile, profile: Profile | None, options: LoadOptions) -> SourceTable:
    """The table of ``upload`` as the profile reads it (its sheet, its header line)."""
    sheet = (
        options.sheet if options.sheet not in (None, "") else (profile.sheet if profile else None)
    )
    return read_source(
        upload,
        max_bytes=options.max_bytes,
        sheet=sheet,
        header_line=profile.header_line if profile else 1,
    )


def analyse(
    upload: UploadedFile,
    *,
    catalogue: Catalogue,
    referential: Referential,
    session: Session | None = None,
    profile: Profile | StoredProfile | None = None,
    partner_code: str | None = None,
    options: LoadOptions | None = None,
    progress: ProgressCallback | None = None,
    partner_scope: str | None = None,
) -> Analysis:
    """Dry-run ``upload``. Without ``session``: no comparison with stored values, and no
    profile found by header (useful to check a file on its own).

    ``partner_scope``: the person loads for that partner only (a déposant): values of other
    partners' indicators are rejected, another partner's profile refused (issue #12)."""
    options = options or LoadOptions()
    stored = profile if isinstance(profile, StoredProfile) else None
    if partner_scope and stored is not None and stored.partner_code not in (None, partner_scope):
        refused = other_partner_profile(stored.partner_code, partner_scope)
        failed = Validated(empty_values(), (refused,), 0)
        return Analysis(upload, options, failed, profile=stored.profile)
    chosen = stored.profile if stored is not None else profile
    assert not isinstance(chosen, StoredProfile)
    report(progress, "read", 0, 1)
    try:
        table = read_upload(upload, chosen, options)
    except SourceError as error:
        failed = Validated(empty_values(), (file_issue(error.code, str(error)),), 0)
        return Analysis(upload, options, failed, profile=chosen)
    report(progress, "read", 1, 1)
    info = FileInfo(
        table.format, table.encoding, table.delimiter, table.sheet, table.sheets, table.columns
    )
    layout: Layout | None = "profile" if chosen else None
    extra: list[Issue] = []
    if chosen is None and session is not None:
        stored = find_profile_for_header(
            session, table.columns, partner_scope or partner_code, own_or_shared=bool(partner_scope)
        )
        if stored is not None:
            chosen, layout = stored.profile, "profile"
            if chosen.header_line != 1 or chosen.sheet:
                table = read_upload(upload, chosen, options)
    if chosen is None:
        detected = detect_layout(table.columns, catalogue)
        if detected is None:
            failed = Validated(empty_values(), (_unknown_layout(table),), len(table))
            return Analysis(upload, options, failed, file=info)
        chosen, layout = detected.profile, detected.layout
        extra += detected.issues
    if options.combine is not None:
        chosen = replace(chosen, combine=options.combine)

    def step(done: int, total: int) -> None:
        report(progress, "validate", done, total)

    validated = validate_table(table, chosen, catalogue, referential, step)
    if partner_scope:
        column = chosen.indicator.column if chosen.indicator is not None else None
        validated = scope_to_partner(validated, catalogue, partner_scope, column)
    analysis = Analysis(
        upload,
        options,
        validated,
        file=info,
        layout=layout,
        profile=chosen,
        profile_id=stored.id if stored else None,
        profile_matched=stored is not None and profile is None,
        extra_issues=tuple(extra),
    )
    analysis = _policy_issues(analysis)
    if session is None or not analysis.readable:
        return analysis
    report(progress, "compare", 0, 1)
    analysis = with_changes(session, analysis)
    report(progress, "compare", 1, 1)
    return analysis


def with_changes(session: Session, analysis: Analysis) -> Analysis:
    """The analysis compared with the values stored now (and the earlier load of this file)."""
    validated = analysis.validated
    changes = compare(
        session,
        validated.values,
        has_comments=validated.has_comments,
        replace_scope=analysis.options.replace_scope,
    )
    previous = session.scalar(
        select(Load.id)
        .where(Load.sha256 == analysis.upload.sha256, Load.status.in_(("committed", "unchanged")))
        .order_by(Load.id.desc())
        .limit(1)
    )
    return replace(analysis, changes=changes, previous_load=previous)


def _policy_issues(analysis: Analysis) -> Analysis:
    """File-level issues that follow from the options rather than from the data."""
    extra = list(analysis.extra_issues)
    if analysis.options.replace_scope and analysis.errors and analysis.options.accept_partial:
        # a rejected line's key is unknown: its stored value would be withdrawn by mistake
        extra.append(
            file_issue(
                IssueCode.PARTIAL_REPLACE_REFUSED,
                "Remplacer le périmètre demande un fichier sans erreur : une ligne rejetée "
                "ferait retirer à tort la valeur qu'elle devait remplacer ; corrigez les lignes "
                "signalées ou chargez sans remplacer le périmètre",
            )
        )
    if analysis.readable and analysis.validated.values.empty and not analysis.errors:
        extra.append(
            file_issue(
                IssueCode.NO_VALUES,
                "Aucune valeur à charger : toutes les lignes sont vides ou ignorées par le profil",
            )
        )
    return replace(analysis, extra_issues=tuple(extra))


def _unknown_layout(table: SourceTable) -> Issue:
    return file_issue(
        IssueCode.UNKNOWN_LAYOUT,
        "Colonnes non reconnues : ni format long (indicateur, territoire, periode, valeur), "
        "ni format large (territoire, periode et une colonne par code d'indicateur), ni profil "
        f"d'import enregistré pour cet en-tête ; colonnes lues : {', '.join(table.columns)}",
    )
