"""Issues are values, never exceptions: where a person finds the problem, a stable code, a message.

``line`` is the line a person sees in the file (the header is line 1; a record whose quoted field
spans several lines counts from its first line; in a spreadsheet, the row number). ``None`` means
the whole file. Codes are kebab-case and stable: scripts and tests rely on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from indicators.issue_codes import IssueCode, issue_title

__all__ = [
    "Issue",
    "IssueCode",
    "Severity",
    "file_issue",
    "issue_sort_key",
    "issue_title",
    "issues_where",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    line: int | None
    column: str | None
    code: str
    value: str
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
        }


def file_issue(code: IssueCode, message: str, value: str = "") -> Issue:
    """A problem of the file as a whole (no line, no column): it is always an error."""
    return Issue(None, None, code, value, message)


def issue_sort_key(issue: Issue) -> tuple[int, str, str]:
    return (issue.line or 0, issue.column or "", issue.code)


def issues_where(
    mask: npt.NDArray[np.bool_],
    lines: npt.NDArray[np.int64],
    column: str | None,
    code: IssueCode,
    values: npt.NDArray[np.object_],
    message: Callable[[str], str],
    severity: Severity = "error",
) -> list[Issue]:
    """One issue per row of ``mask``; ``message`` is computed once per distinct value."""
    if not mask.any():
        return []
    messages: dict[str, str] = {}
    found: list[Issue] = []
    for line, raw in zip(lines[mask].tolist(), values[mask].tolist(), strict=True):
        text = "" if raw is None else str(raw)
        if text not in messages:
            messages[text] = message(text)
        found.append(Issue(int(line), column, code, text, messages[text], severity))
    return found
