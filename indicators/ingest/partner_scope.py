"""A partner's uploader loads only the indicators its partner produces (issue #12).

Checked in the core, not only on the web page: :func:`~indicators.ingest.analysis.analyse`
given ``partner_scope`` rejects every value of another partner's indicator with the stable
code ``other-partner-indicator``, and refuses another partner's import profile
(``other-partner-profile``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from indicators.catalogue import Catalogue
from indicators.ingest.issues import Issue, file_issue, issue_sort_key, issues_where
from indicators.ingest.validate import Validated
from indicators.issue_codes import IssueCode


def other_partner_profile(profile_partner: str, scope: str) -> Issue:
    return file_issue(
        IssueCode.OTHER_PARTNER_PROFILE,
        f"Le profil d'import choisi appartient au partenaire {profile_partner} : "
        f"vous chargez pour {scope}, choisissez un profil de {scope} ou un profil partagé",
        profile_partner,
    )


def scope_to_partner(
    validated: Validated, catalogue: Catalogue, scope: str, indicator_column: str | None = None
) -> Validated:
    """``validated`` without the values of indicators another partner produces, each one
    reported on its line, in the indicator's column (a wide file: the value's column)."""
    values = validated.values
    if values.empty:
        return validated
    producers = {code: indicator.partner for code, indicator in catalogue.indicators.items()}
    codes = values["indicator"].to_numpy(dtype=object)
    foreign = np.array([producers.get(code, scope) != scope for code in codes], dtype=bool)
    if not foreign.any():
        return validated

    def message(code: str) -> str:
        return (
            f"L'indicateur {code} est produit par le partenaire {producers.get(code)} : "
            f"en tant que déposant de {scope}, vous ne chargez que les indicateurs de {scope}"
        )

    lines = values["line"].to_numpy(dtype=np.int64)
    columns = (
        np.full(len(values), indicator_column, dtype=object)
        if indicator_column
        else values["column"].astype(str).to_numpy(dtype=object)
    )
    found: list[Issue] = []
    for column in dict.fromkeys(columns[foreign].tolist()):
        mask = foreign & (columns == column)
        found += issues_where(
            mask, lines, column, IssueCode.OTHER_PARTNER_INDICATOR, codes, message
        )
    issues = tuple(sorted((*validated.issues, *found), key=issue_sort_key))
    return replace(
        validated,
        values=values[~foreign].reset_index(drop=True),
        issues=issues,
        rejected=validated.rejected + int(foreign.sum()),
        rejected_lines=validated.rejected_lines
        | frozenset(int(line) for line in values["line"].to_numpy()[foreign]),
    )
