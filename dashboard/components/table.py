"""A plain HTML data table: column headers, one row per item, numbers right-aligned."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from dash import html


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    numeric: Collection[int] = (),
    caption: str | None = None,
    class_name: str = "table",
) -> html.Table:
    """``numeric``: the columns (by position) whose cells are numbers; ``caption`` names the
    table for screen readers (and, with ``class_name="table import-table"``, shows above it)."""
    head = [html.Caption(caption)] if caption is not None else []
    return html.Table(
        [
            *head,
            html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(cell, className="number" if i in numeric else None)
                            for i, cell in enumerate(row)
                        ]
                    )
                    for row in rows
                ]
            ),
        ],
        className=class_name,
    )
