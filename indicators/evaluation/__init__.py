"""Evaluation of the action plan's measures: designs, staggered difference-in-differences,
event studies, honest warnings, plain-French readings and the results chain.

Entry points: :func:`evaluate_measure` (everything the page and the report show),
:func:`propose_design` / :func:`adjust_design` (automatic comparison territories, evaluator's
pins and exclusions), :func:`save_design` / :func:`load_design` / :func:`list_designs` (the
versioned registry). Methods are stated in the docstrings of ``estimation`` and ``matching``.
"""

from indicators.evaluation.designs import (
    Design,
    DesignUnit,
    list_designs,
    load_design,
    load_design_by_id,
    save_design,
)
from indicators.evaluation.estimation import (
    OVERALL,
    EstimationOptions,
    PanelEstimates,
    ScopeEstimate,
    estimate_panel,
)
from indicators.evaluation.evaluate import (
    ESTIMATE_COLUMNS,
    EVENT_STUDY_TABLE_COLUMNS,
    TERRITORY_TABLE_COLUMNS,
    WARNING_COLUMNS,
    IndicatorEvaluation,
    MeasureEvaluation,
    evaluate_measure,
)
from indicators.evaluation.panel import Panel, make_panel
from indicators.evaluation.proposal import adjust_design, propose_design
from indicators.evaluation.reading import format_reading_number, reading
from indicators.evaluation.results_chain import ChainItem, ChainStep, ResultsChain
from indicators.evaluation.verdict import Verdict
from indicators.evaluation.warnings import EvaluationWarning

__all__ = [
    "ESTIMATE_COLUMNS",
    "EVENT_STUDY_TABLE_COLUMNS",
    "OVERALL",
    "TERRITORY_TABLE_COLUMNS",
    "WARNING_COLUMNS",
    "ChainItem",
    "ChainStep",
    "Design",
    "DesignUnit",
    "EstimationOptions",
    "EvaluationWarning",
    "IndicatorEvaluation",
    "MeasureEvaluation",
    "Panel",
    "PanelEstimates",
    "ResultsChain",
    "ScopeEstimate",
    "Verdict",
    "adjust_design",
    "estimate_panel",
    "evaluate_measure",
    "format_reading_number",
    "list_designs",
    "load_design",
    "load_design_by_id",
    "make_panel",
    "propose_design",
    "reading",
    "save_design",
]
