"""The rows of ``suivi catalogue list``: one per indicator, as CSV or JSON.

The CLI only picks the format and prints; the columns and their order are decided here.
"""

from __future__ import annotations

import csv
import io
import json

from indicators.catalogue.model import Catalogue

LIST_COLUMNS = (
    "code",
    "label",
    "unit",
    "periodicity",
    "levels",
    "measures",
    "programmes",
    "partner",
)
LIST_FORMATS = ("csv", "json")
# Inside one CSV cell, list items are joined with this (commas already separate the cells).
CSV_LIST_SEPARATOR = "|"

Row = dict[str, str | list[str]]


def catalogue_rows(catalogue: Catalogue) -> list[Row]:
    """One row per indicator in catalogue order; list columns stay lists."""
    return [
        {
            "code": indicator.code,
            "label": indicator.label,
            "unit": indicator.unit,
            "periodicity": indicator.periodicity.value,
            "levels": [level.value for level in indicator.levels],
            "measures": list(indicator.measures),
            "programmes": list(indicator.programmes),
            "partner": indicator.partner,
        }
        for indicator in catalogue.indicators.values()
    ]


def render_catalogue_list(catalogue: Catalogue, output_format: str) -> str:
    """The rows as ``csv`` (lists joined with ``|``) or ``json`` (an array of objects)."""
    rows = catalogue_rows(catalogue)
    if output_format == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=LIST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: CSV_LIST_SEPARATOR.join(v) if isinstance(v, list) else v
                    for k, v in row.items()
                }
            )
        return buffer.getvalue()
    raise ValueError(f"format inconnu « {output_format} » : attendu csv ou json")
