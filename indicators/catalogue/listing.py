"""The rows of ``suivi catalogue list``: one per indicator, as CSV or JSON.

CSV is a summary (one line per indicator, the columns below); JSON gives each indicator's whole
definition (issue #14: direction, results-chain level, last-mile flag, aggregation, formula,
targets… as stored in a dated version), with its labels in French and its definition hash, the
version key results name. The CLI only picks the format and prints.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from indicators.catalogue.model import Catalogue, Indicator
from indicators.catalogue.versioning import definition_hash, definition_to_dict

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


def indicator_definition(indicator: Indicator) -> dict[str, Any]:
    """The whole definition of one indicator, JSON-ready, with French labels and its hash."""
    definition = definition_to_dict(indicator)
    del definition["format"]
    definition["labels"] = {
        "direction": indicator.direction.label,
        "kind": indicator.kind.label,
        "aggregation": indicator.aggregation.label,
        "periodicity": indicator.periodicity.label,
        "chain_level": indicator.chain_level.label,
    }
    definition["version"] = definition_hash(indicator)
    return definition


def catalogue_definitions(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Every indicator's whole definition, in catalogue order."""
    return [indicator_definition(indicator) for indicator in catalogue.indicators.values()]


def render_catalogue_list(catalogue: Catalogue, output_format: str) -> str:
    """The summary rows as ``csv`` (lists joined with ``|``), or the whole definitions as
    ``json`` (an array of objects)."""
    if output_format == "json":
        definitions = catalogue_definitions(catalogue)
        return json.dumps(definitions, ensure_ascii=False, indent=2) + "\n"
    rows = catalogue_rows(catalogue)
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
