"""Links whose visible text is short ("CSV", "Évaluation") but whose accessible name says what
they lead to (issue #16): a screen reader listing the links of a page hears "CSV : carte des
départements", not nine identical "CSV"."""

from __future__ import annotations

from typing import Any

from dash import html


def hidden_text(text: str) -> html.Span:
    """Text read by screen readers only (the ``visually-hidden`` class of assets/style.css)."""
    return html.Span(text, className="visually-hidden")


def named(visible: str, context: str) -> list[Any]:
    """Children of a link: ``visible`` on screen, followed by `` : context`` for screen readers
    (the visible words come first, so voice users can still say them)."""
    return [visible, hidden_text(f" : {context}")]


def download_links(prefix: str, context: str) -> list[Any]:
    """The ``{prefix}-csv`` and ``{prefix}-xlsx`` links of a data twin, named after ``context``."""
    return [
        html.A(named("CSV", context), id=f"{prefix}-csv", href="#", className="download"),
        " · ",
        html.A(named("XLSX", context), id=f"{prefix}-xlsx", href="#", className="download"),
    ]
