"""What the callbacks of ``chargements`` show: pure builders, tested without HTTP."""

from __future__ import annotations

from dash import html

from dashboard.auth import User, is_allowed
from dashboard.components.table import table
from dashboard.formatting import format_int
from dashboard.import_views import TABLE_CLASS
from indicators.ingest import issue_title

LOADS_SHOWN = 100


ISSUES_SHOWN = 200


def _load_id(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def may_read_issues(user: User, load_partner: str | None) -> bool:
    """A load's rejected lines hold its partner's raw values: shown to that partner's people
    and to administrators only (issue #12)."""
    if is_allowed(user, "admin"):
        return True
    return user.partner_code is not None and user.partner_code == load_partner


def issue_counts_table(counts: dict[str, int]) -> html.Div:
    """Every issue of the file, counted by code: only the first ones are kept one by one.
    The French title says what is wrong; the code stays beside it for scripts and support."""
    rows = [
        [issue_title(code), html.Code(code), format_int(int(count))]
        for code, count in sorted(counts.items())
    ]
    return html.Div(
        table(["Problème", "Code", "Anomalies"], rows, {2}, "Anomalies par problème", TABLE_CLASS)
    )
