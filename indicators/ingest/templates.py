"""What a partner sends, ready to fill (issue #14): a long-format file pre-filled with the
partner's indicators × the territories expected from it × the periods now due.

The file is the canonical long layout (the columns of ``/schemas/valeurs.json``) with an empty
``valeur`` column, so that it loads unchanged — every value then reads as missing — and a partner
only types numbers. The XLSX template carries a second sheet describing the indicators; the
ingest reads the first one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import openpyxl
from openpyxl.styles import Font

from indicators.catalogue import Catalogue, Indicator, Kind
from indicators.periods import Period, period_containing
from indicators.territories import Referential

TemplateFormat = Literal["csv", "xlsx"]
TEMPLATE_COLUMNS: Final = (
    "indicateur",
    "territoire",
    "periode",
    "type_valeur",
    "valeur",
    "statut",
    "commentaire",
)
HELP_COLUMNS: Final = ("indicateur", "libellé", "unité", "périodicité", "niveaux", "définition")
# The territories a template expects by default: the communes would make it a million rows.
DEFAULT_LEVELS: Final = ("DEP", "REG", "FR")


@dataclass(frozen=True)
class TemplateRow:
    indicator: str
    territory: str
    period: str


def due_periods(indicator: Indicator, today: date, count: int = 1) -> list[Period]:
    """The ``count`` periods of the indicator's periodicity now due: the first is the last one
    that ended before its publication lag ran out (a quarterly indicator published two months
    after the quarter: on 15 March, 2024-T4 is due)."""
    lag = indicator.publication_lag_months
    month_index = today.year * 12 + today.month - 1 - lag
    shifted = date(month_index // 12, month_index % 12 + 1, 1)
    first = period_containing(shifted, indicator.periodicity.period_kind).shift(-1)
    return [first.shift(step) for step in range(count)]


def partner_due_periods(
    catalogue: Catalogue, partner: str, today: date, count: int = 1
) -> list[Period]:
    """Every period the partner's template asks for, in order (one per periodicity and step)."""
    due = {
        period
        for indicator in catalogue.indicators.values()
        if indicator.partner == partner and indicator.kind is Kind.BASE
        for period in due_periods(indicator, today, count)
    }
    return sorted(due)


def expected_territories(
    referential: Referential, levels: Iterable[str] = DEFAULT_LEVELS
) -> list[str]:
    """The typed codes of the referential's territories at ``levels``, sorted."""
    wanted = set(levels)
    return sorted(t.code for t in referential.territories.values() if t.level in wanted)


def template_filename(partner: str, today: date, fmt: TemplateFormat) -> str:
    """``modele-a-remplir-ANCT-2026-12-07.csv``: the partner and the day it was made."""
    return f"modele-a-remplir-{partner}-{today.isoformat()}.{fmt}"


def template_rows(
    catalogue: Catalogue,
    partner: str,
    territories: Sequence[str],
    today: date,
    periods: int = 1,
) -> list[TemplateRow]:
    """One row per base indicator of ``partner`` × territory (typed code) at one of the
    indicator's levels × period due, in catalogue, then territory, then period order."""
    rows: list[TemplateRow] = []
    for indicator in catalogue.indicators.values():
        if indicator.partner != partner or indicator.kind is not Kind.BASE:
            continue
        levels = {level.value for level in indicator.levels}
        due = due_periods(indicator, today, periods)
        for territory in territories:
            if territory.partition(":")[0] not in levels:
                continue
            rows += [TemplateRow(indicator.code, territory, str(period)) for period in due]
    return rows


def partner_template(
    catalogue: Catalogue,
    partner: str,
    territories: Sequence[str],
    today: date,
    fmt: TemplateFormat = "csv",
    periods: int = 1,
) -> bytes:
    """The template file: CSV (UTF-8 with BOM, ``;``: what a French spreadsheet opens) or XLSX."""
    if partner not in catalogue.partners:
        raise KeyError(f"partenaire inconnu : {partner}")
    rows = template_rows(catalogue, partner, territories, today, periods)
    cells = [[r.indicator, r.territory, r.period, "valeur", "", "", ""] for r in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(TEMPLATE_COLUMNS)
        writer.writerows(cells)
        return buffer.getvalue().encode("utf-8-sig")
    return _workbook(catalogue, partner, cells)


def _workbook(catalogue: Catalogue, partner: str, cells: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "valeurs"
    sheet.append(list(TEMPLATE_COLUMNS))
    for row in cells:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    # codes stay text: a spreadsheet would turn 01 into 1 and 2025 into a number
    for column in ("A", "B", "C"):
        for cell in sheet[column]:
            cell.number_format = "@"
    help_sheet = workbook.create_sheet("indicateurs")
    help_sheet.append(list(HELP_COLUMNS))
    for indicator in catalogue.indicators.values():
        if indicator.partner == partner and indicator.kind is Kind.BASE:
            help_sheet.append(
                [
                    indicator.code,
                    indicator.label,
                    indicator.unit,
                    indicator.periodicity.label,
                    ", ".join(level.label for level in indicator.levels),
                    indicator.description,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
