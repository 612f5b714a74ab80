"""Frozen reports: self-contained HTML (and PDF when Chromium is installed)."""

from dashboard.reports.evaluation_report import (
    RegionMap,
    ReportMetadata,
    evaluation_report_html,
    read_metadata,
    region_maps,
    report_metadata,
)
from dashboard.reports.pdf import PdfUnavailable, html_to_pdf, pdf_available

__all__ = [
    "PdfUnavailable",
    "RegionMap",
    "ReportMetadata",
    "evaluation_report_html",
    "html_to_pdf",
    "pdf_available",
    "read_metadata",
    "region_maps",
    "report_metadata",
]
