"""The frozen report of a measure's evaluation: one self-contained HTML file.

Everything is inside the file — styles, the Plotly library, the charts' data, a static SVG map,
the values the estimates used (as a CSV attachment) — so it opens offline years later and prints
to PDF. It states the data version, the design version, the method and the fingerprints of its
inputs and figures; a machine-readable block (``<script id="report-metadata">``) carries them
for ``suivi evaluation verify``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

import jinja2
import pandas as pd
from plotly.offline import get_plotlyjs

from dashboard.evaluation_texts import (
    estimate_texts,
    grouped_warnings,
    interval_text,
    number_text,
)
from dashboard.figures.event_study import event_study_figure
from dashboard.reports.static_map import communes_of, communes_svg
from indicators.evaluation import OVERALL, MeasureEvaluation
from indicators.evaluation.designs import ORIGIN_LABELS
from indicators.evaluation.fingerprint import (
    evaluation_inputs,
    frame_fingerprint,
    results_fingerprint,
)
from indicators.evaluation.matching import FEATURE_LABELS
from indicators.evaluation.reading import SCOPE_LABELS
from indicators.spreadsheet_cells import safe_frame
from indicators.territories import Referential

METADATA_ID: Final = "report-metadata"
ROLE_FILLS: Final = {"test": "#5e3c99", "comparison": "#f1a340"}
ROLE_LABELS: Final = {"test": "territoire test", "comparison": "territoire témoin"}
MAX_LISTED_UNITS: Final = 400  # beyond, the list is in the attached CSV only

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("dashboard.reports", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class ReportMetadata:
    """What identifies a frozen report; also embedded in it as JSON."""

    measure: str
    design_id: int | None
    design_version: int | None
    data_version: int
    seed: int
    confidence: float
    inputs_sha256: str
    results_sha256: str
    generated_at: str

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True)


def report_metadata(evaluation: MeasureEvaluation, generated_at: datetime) -> ReportMetadata:
    return ReportMetadata(
        measure=evaluation.measure.code,
        design_id=evaluation.design.id,
        design_version=evaluation.design.version,
        data_version=evaluation.data_version,
        seed=evaluation.options.seed,
        confidence=evaluation.options.confidence,
        inputs_sha256=frame_fingerprint(evaluation_inputs(evaluation)),
        results_sha256=results_fingerprint(evaluation),
        generated_at=generated_at.isoformat(timespec="seconds"),
    )


def read_metadata(html: str) -> dict[str, Any]:
    """The metadata block of a report; ``ValueError`` (French) when the file is not one."""
    start_tag = f'<script type="application/json" id="{METADATA_ID}">'
    start = html.find(start_tag)
    end = html.find("</script>", start)
    if start < 0 or end < 0:
        raise ValueError("ce fichier n'est pas un rapport d'évaluation figé (métadonnées absentes)")
    found: dict[str, Any] = json.loads(html[start + len(start_tag) : end])
    return found


def evaluation_report_html(
    evaluation: MeasureEvaluation,
    referential: Referential,
    reference_dir: Path,
    generated_at: datetime,
) -> str:
    metadata = report_metadata(evaluation, generated_at)
    inputs = evaluation_inputs(evaluation)
    return _templates.get_template("evaluation_report.html").render(
        meta=metadata,
        metadata_json=metadata.as_json().replace("</", "<\\/"),
        metadata_id=METADATA_ID,
        measure=evaluation.measure,
        generated=generated_at.strftime("%d/%m/%Y à %H:%M"),
        design=_design_facts(evaluation),
        chain=evaluation.chain.steps,
        estimates=_estimate_rows(evaluation.estimates),
        studies=_event_studies(evaluation),
        maps=_maps(evaluation, referential, reference_dir),
        counts=_counts(evaluation.territories),
        units=_unit_rows(evaluation.territories),
        units_total=len(evaluation.territories),
        max_listed=MAX_LISTED_UNITS,
        balance=_balance_rows(evaluation),
        warnings=grouped_warnings(evaluation.warnings, _labels(evaluation)),
        method=evaluation.method,
        inputs_rows=len(inputs),
        inputs_href=_csv_data_uri(inputs),
        territories_href=_csv_data_uri(evaluation.territories),
        estimates_href=_csv_data_uri(evaluation.estimates),
        plotly_js=_plotly_js(),
    )


# --- pieces -------------------------------------------------------------------------------------


def _labels(evaluation: MeasureEvaluation) -> dict[str, str]:
    return {item.indicator.code: item.indicator.label for item in evaluation.indicators}


def _design_facts(evaluation: MeasureEvaluation) -> dict[str, Any]:
    design = evaluation.design
    created = design.created_at.strftime("%d/%m/%Y à %H:%M") if design.created_at else None
    return {
        "version": design.version,
        "created": created,
        "author": design.author or "—",
        "comment": design.comment or "",
        "data_version": design.data_version,
        "pins": list(design.pins),
        "exclusions": list(design.exclusions),
        "neighbours": design.method.get("neighbours"),
        "levels": ", ".join(design.levels),
        "shortfall": [
            f"{count} ({level}, {SCOPE_LABELS.get(type_, type_)})"
            for level, gaps in sorted(design.diagnostics.get("shortfall", {}).items())
            for type_, count in sorted(gaps.items())
        ],
        "dropped": design.diagnostics.get("dropped_tests", []),
    }


def _estimate_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "label": f"{row.label} ({row.unit})",
            "chain": str(row.chain_level),
            "scope": str(row.scope_label),
            **estimate_texts(row),
            "verdict": str(row.verdict_label),
            "reading": str(row.reading),
        }
        for row in frame.itertuples(index=False)
    ]


def _event_studies(evaluation: MeasureEvaluation) -> list[dict[str, Any]]:
    """One chart per indicator (all territories), headline first; each with its table."""
    studies = []
    frame = evaluation.event_study
    for number, item in enumerate(evaluation.indicators):
        part = frame[(frame["indicator"] == item.indicator.code) & (frame["scope"] == OVERALL)]
        part = part.sort_values("event_time")
        if part.dropna(subset=["estimate"]).empty:
            continue
        figure = event_study_figure(part, item.indicator.unit)
        figure["layout"]["height"] = 320
        studies.append(
            {
                "id": f"etude-{number}",
                "label": item.indicator.label,
                "unit": item.indicator.unit,
                "figure_json": json.dumps(figure, ensure_ascii=False).replace("</", "<\\/"),
                "rows": [
                    {
                        "time": int(row.event_time),
                        "estimate": number_text(row.estimate, signed=True),
                        "interval": interval_text(row.ci_low, row.ci_high),
                    }
                    for row in part.itertuples(index=False)
                ],
            }
        )
    return studies


def _maps(
    evaluation: MeasureEvaluation, referential: Referential, reference_dir: Path
) -> list[dict[str, str]]:
    return [
        {"name": drawing.title, "svg": drawing.svg}
        for drawing in region_maps(evaluation.territories, referential, reference_dir)
    ]


@dataclass(frozen=True)
class RegionMap:
    """One région's drawing: its départements' communes, the plan's filled by role."""

    region: str  # the région's name
    title: str  # "Corse (départements 2A, 2B)"
    svg: str


def region_maps(
    units: pd.DataFrame, referential: Referential, reference_dir: Path
) -> list[RegionMap]:
    """One map per région holding a test or comparison commune of ``units`` (rows of
    ``MeasureEvaluation.territories``), its départements together: the report and the page
    draw the same small multiples."""
    units = units[units["level"] == "COM"]
    roles = dict(zip(units["territory"], units["role"], strict=True))
    fills = {code: ROLE_FILLS[role] for code, role in roles.items()}
    labels = {code: ROLE_LABELS[role] for code, role in roles.items()}
    by_region: dict[str, set[str]] = {}
    for code in fills:
        place = referential.territory(code)
        if place.region and place.departement:
            by_region.setdefault(place.region, set()).add(place.departement)
    maps = []
    for region, departements in sorted(by_region.items()):
        name = referential.territory(f"REG:{region}").name
        communes = tuple(
            commune
            for departement in sorted(departements)
            for commune in communes_of(reference_dir, departement)
        )
        svg = communes_svg(communes, fills, labels, f"Communes test et témoins — {name}")
        if svg:
            shown = ", ".join(sorted(departements))
            word = "départements" if len(departements) > 1 else "département"
            maps.append(RegionMap(name, f"{name} ({word} {shown})", svg))
    return maps


def _counts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    table = frame.groupby(["level", "type_label", "role"], dropna=False).size()
    table = table.unstack("role", fill_value=0)
    return [
        {
            "level": str(level),
            "type": str(type_label) if isinstance(type_label, str) else "—",
            "test": int(row.get("test", 0)),
            "comparison": int(row.get("comparison", 0)),
        }
        for (level, type_label), row in table.iterrows()
    ]


def _unit_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {
            "territory": f"{row.name} ({row.territory})"
            if isinstance(row.name, str)
            else row.territory,
            "role": ROLE_LABELS.get(row.role, row.role),
            "type": row.type_label if isinstance(row.type_label, str) else "—",
            "start": "" if row.start is None or pd.isna(row.start) else str(row.start),
            "origin": ORIGIN_LABELS.get(row.origin, str(row.origin)),
            "matched_to": row.matched_to if isinstance(row.matched_to, str) else "",
            "distance": number_text(row.distance, 2),
        }
        for row in frame.head(MAX_LISTED_UNITS).itertuples(index=False)
    ]


def _balance_rows(evaluation: MeasureEvaluation) -> list[dict[str, str]]:
    rows = []
    for level, records in sorted(evaluation.design.diagnostics.get("balance", {}).items()):
        for record in records:
            rows.append(
                {
                    "level": str(level),
                    "type": SCOPE_LABELS.get(str(record.get("type")), str(record.get("type"))),
                    "feature": FEATURE_LABELS.get(str(record.get("feature")), "?"),
                    "before": number_text(record.get("smd_before"), 2),
                    "after": number_text(record.get("smd_after"), 2),
                }
            )
    return rows


def _csv_data_uri(frame: pd.DataFrame) -> str:
    payload = safe_frame(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(payload).decode("ascii")


@cache
def _plotly_js() -> str:
    return get_plotlyjs()
