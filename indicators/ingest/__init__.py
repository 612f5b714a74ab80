"""Upload indicator files: read -> map (profiles) -> validate (issues) -> compare -> commit.

The web page and ``suivi load`` use the same API, in two steps::

    upload = UploadedFile.from_path(path, max_bytes)          # or UploadedFile(name, data)
    analysis = analyse(upload, catalogue=..., referential=..., session=...,
                       profile=None, partner_code="ANCT",
                       options=LoadOptions(accept_partial=False, replace_scope=False),
                       progress=callback)                     # the dry run: writes nothing
    analysis.counts, analysis.issues, analysis.changes_table()  # what would happen
    with session.begin():                                      # the commit: all or nothing
        outcome = commit_analysis(session, analysis, catalogue=..., raw_dir=settings.raw_files_dir,
                                  username="…", partner_code="ANCT", progress=callback)

Around them: :func:`preview_upload` (columns and first rows, for the profile editor),
:func:`save_profile` / :func:`list_profiles` / :func:`get_profile` / :func:`delete_profile`
(profiles, whose JSON document is described in :mod:`.profile`), :func:`rollback_load`,
:func:`store_raw_file` / :func:`read_raw_file` (files kept by sha256, before or at the load),
:func:`list_loads` / :func:`load_issues` / :func:`load_effects` (history),
:func:`load_payload` (the JSON contract), :func:`corrections_csv` ("lignes à corriger").

Reading (:mod:`.reading`): CSV in UTF-8 (with or without BOM) or Windows-1252, separated by
``;`` ``,`` tab or ``|``, CRLF, quoted fields holding line breaks; XLSX (a chosen sheet), guarded
against zip bombs and absurd dimensions; a size limit (``SUIVI_MAX_UPLOAD_MB``).

Layouts: the canonical long one, the wide one (:mod:`.layouts`), anything else through a profile.
A value has a type: ``valeur``, ``reference`` (baseline) or ``cible`` (target), loaded alike.

Issues (:mod:`.issues`) are values with the line a person sees (header = line 1), the column,
a stable code, the cell value and a French message:

=========================== ======== =========================================================
code                        severity meaning
=========================== ======== =========================================================
``file-too-large``          error    over the size limit
``empty-file``              error    nothing to read
``unreadable-file``         error    not a CSV or XLSX file this reader understands
``unsupported-format``      error    ``.xls`` or a zip that is no workbook
``xlsx-too-large``          error    zip bomb (inflates beyond 10 x the upload limit), too
                                     many rows, columns or cells
``too-many-columns``        error    a CSV header of more than 1,000 columns
``line-too-long``           error    a CSV line of more than 100,000 characters
``unknown-sheet``           error    the sheet asked for is not in the workbook
``missing-header``          error    no column names on the header line
``unknown-layout``          error    no layout recognised and no profile for this header
``missing-column``          error    a column the profile reads is not in the file
``no-values``               error    every row is empty or ignored
``partial-replace-refused`` error    replacing the scope with rejected lines would withdraw
                                     values by mistake
``unknown-indicator``       error    not in the catalogue (with a suggestion), or a value the
                                     profile does not map
``derived-indicator``       error    a computed indicator: its inputs are loaded, not it
``empty-territory``         error    no territory code
``unknown-territory``       error    no current territory (with a suggestion)
``ambiguous-territory``     error    several readings (``84``: département or région)
``dummy-row``               error    filler code (``99999``)
``outside-referential``     error    Saint-Martin, Polynésie… (no referential territory)
``wrong-level``             error    a code of another level than the profile's
``level-not-allowed``       error    the indicator is not published at that level
``invalid-period``          error    unreadable period
``wrong-periodicity``       error    a period of another kind than the indicator's (a baseline
                                     or target may be coarser, never finer)
``invalid-value``           error    not a number (and not a missing/secret token)
``invalid-value-type``      error    type not among valeur, reference, cible
``invalid-status``          error    status word not recognised
``out-of-range``            error    outside the indicator's valid range
``duplicate-key``           error    same indicator, territory, period and type twice
``other-partner-indicator`` error    a déposant's file holds another partner's indicator
``other-partner-profile``   error    a déposant's load read by another partner's profile
``mapped-arrondissement``   warning  arrondissement counted in its commune
``mapped-old-code``         warning  absorbed commune counted in today's commune
``mapped-corsican-code``    warning  pre-1976 Corsican code
``value-ignored``           warning  a number next to a status that says there is none
``level-inferred``          warning  (whole file) the territory column's codes all fit one
                                     level only: its ambiguous codes are read at that level
=========================== ======== =========================================================

Policy: a file with any error is refused, unless the person asks to load only the valid lines
(``accept_partial``). ``replace_scope`` withdraws (status ``withdrawn``, previous value kept in
the history) the stored values of the file's indicator × territory × period (× value type)
scope that the file no longer holds. The same file twice changes nothing and says so.
"""

from indicators.ingest.analysis import Analysis, FileInfo, LoadOptions, analyse
from indicators.ingest.commit import LoadOutcome, commit_analysis
from indicators.ingest.corrections import corrections_csv
from indicators.ingest.history import (
    LoadSummary,
    get_load,
    list_loads,
    load_effects,
    load_issues,
    loaded_files,
)
from indicators.ingest.issues import Issue, IssueCode, issue_title
from indicators.ingest.preview import Preview, preview_upload
from indicators.ingest.profile import (
    COMBINE_POLICIES,
    Combine,
    Profile,
    ProfileError,
    parse_profile,
)
from indicators.ingest.profile_store import (
    ProfileNotAllowed,
    ProfileNotFound,
    StoredProfile,
    delete_profile,
    find_profile_for_header,
    get_profile,
    header_signature,
    list_profiles,
    save_profile,
)
from indicators.ingest.progress import ProgressCallback, ProgressEvent
from indicators.ingest.raw_store import (
    RawFileNotStored,
    prune_raw_files,
    read_raw_file,
    store_raw_file,
)
from indicators.ingest.reading import MEGABYTE, check_upload
from indicators.ingest.reports import load_payload, summary_lines
from indicators.ingest.rollback import RollbackOutcome, RollbackRefused, rollback_load
from indicators.ingest.source import SourceError, UploadedFile, safe_filename

__all__ = [
    "COMBINE_POLICIES",
    "MEGABYTE",
    "Analysis",
    "Combine",
    "FileInfo",
    "Issue",
    "IssueCode",
    "LoadOptions",
    "LoadOutcome",
    "LoadSummary",
    "Preview",
    "Profile",
    "ProfileError",
    "ProfileNotAllowed",
    "ProfileNotFound",
    "ProgressCallback",
    "ProgressEvent",
    "RawFileNotStored",
    "RollbackOutcome",
    "RollbackRefused",
    "SourceError",
    "StoredProfile",
    "UploadedFile",
    "analyse",
    "check_upload",
    "commit_analysis",
    "corrections_csv",
    "delete_profile",
    "find_profile_for_header",
    "get_load",
    "get_profile",
    "header_signature",
    "issue_title",
    "list_loads",
    "list_profiles",
    "load_effects",
    "load_issues",
    "load_payload",
    "loaded_files",
    "parse_profile",
    "preview_upload",
    "prune_raw_files",
    "read_raw_file",
    "rollback_load",
    "safe_filename",
    "save_profile",
    "store_raw_file",
    "summary_lines",
]
