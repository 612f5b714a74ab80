"""One entry point for the page and the report: ``evaluate_measure``.

It takes the measure's latest saved design (or proposes one, unsaved), builds the panel of every
indicator of the design, estimates, warns, reads the results chain, and returns plain dataclasses
and DataFrames. The same data version and design give the same result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from indicators.catalogue import Catalogue, ChainLevel, Indicator, Measure
from indicators.evaluation.designs import ORIGIN_LABELS, Design, load_design
from indicators.evaluation.estimation import (
    EVENT_STUDY_COLUMNS,
    OVERALL,
    EstimationOptions,
    PanelEstimates,
    ScopeEstimate,
    estimate_panel,
)
from indicators.evaluation.panel import Panel
from indicators.evaluation.proposal import propose_design
from indicators.evaluation.reading import SCOPE_LABELS, reading
from indicators.evaluation.results_chain import (
    ResultsChain,
    TargetProgress,
    results_chain,
    target_progress,
)
from indicators.evaluation.screening import drop_out_of_range, outliers
from indicators.evaluation.sources import display_names, read_panel, territory_details
from indicators.evaluation.statement import method_statement
from indicators.evaluation.units import evaluation_level
from indicators.evaluation.verdict import verdict
from indicators.evaluation.warnings import (
    EvaluationWarning,
    cadence_warnings,
    design_warnings,
    estimate_warnings,
    level_warning,
    panel_warnings,
)
from indicators.precompute import series
from indicators.store import current_data_version

ESTIMATE_COLUMNS: Final = (
    "indicator",
    "label",
    "chain_level",
    "unit",
    "direction",
    "level",
    "scope",
    "scope_label",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "n_test",
    "n_comparison",
    "n_periods",
    "n_pre",
    "n_post",
    "pretrend_p",
    "verdict",
    "verdict_label",
    "reading",
)
EVENT_STUDY_TABLE_COLUMNS: Final = ("indicator", "scope", "event_months", *EVENT_STUDY_COLUMNS)
WARNING_COLUMNS: Final = ("indicator", "scope", "code", "severity", "message")
TERRITORY_TABLE_COLUMNS: Final = (
    "territory",
    "name",
    "level",
    "role",
    "type",
    "type_label",
    "start",
    "origin",
    "origin_label",
    "matched_to",
    "distance",
)


@dataclass(frozen=True)
class IndicatorEvaluation:
    """One indicator: ``level`` is None when it is published too coarsely to be evaluated."""

    indicator: Indicator
    level: str | None
    panel: Panel | None
    estimates: PanelEstimates | None
    warnings: tuple[EvaluationWarning, ...]
    progress: TargetProgress | None

    @property
    def overall(self) -> ScopeEstimate | None:
        return self.estimates.overall if self.estimates else None


@dataclass(frozen=True)
class MeasureEvaluation:
    """Everything the page and the report show. Tables: ``estimates``
    (:data:`ESTIMATE_COLUMNS`, one row per indicator and scope), ``event_study``
    (:data:`EVENT_STUDY_TABLE_COLUMNS`), ``warnings`` (:data:`WARNING_COLUMNS`), ``territories``
    (:data:`TERRITORY_TABLE_COLUMNS`, for the map)."""

    measure: Measure
    design: Design
    data_version: int
    options: EstimationOptions
    method: str
    indicators: tuple[IndicatorEvaluation, ...]
    chain: ResultsChain
    estimates: pd.DataFrame
    event_study: pd.DataFrame
    warnings: pd.DataFrame
    territories: pd.DataFrame

    def indicator(self, code: str) -> IndicatorEvaluation:
        for item in self.indicators:
            if item.indicator.code == code:
                return item
        raise KeyError(code)

    @property
    def headline(self) -> IndicatorEvaluation:
        return self.indicator(self.measure.headline_indicator)

    def chain_for(self, scope: str | None) -> ResultsChain:
        """The results chain of one territory type (``None`` or :data:`OVERALL`: every type).

        Each outcome reads that type's own estimate: a type the measure does not target, or
        without estimate, is "non estimable", never a significant effect. Inputs' and outputs'
        progress towards targets stays the test territories' as a whole."""
        if scope is None or scope == OVERALL:
            return self.chain
        warnings = [
            EvaluationWarning(
                str(row.code),
                str(row.message),
                _text(row.indicator),
                _text(row.scope),
                str(row.severity),
            )
            for row in self.warnings.itertuples(index=False)
            if _text(row.scope) in (None, scope)
        ]
        return results_chain(
            self.measure.code,
            [item.indicator for item in self.indicators],
            {
                item.indicator.code: item.estimates.by_type[scope]
                for item in self.indicators
                if item.estimates is not None and scope in item.estimates.by_type
            },
            {item.indicator.code: item.progress for item in self.indicators},
            warnings,
            {item.indicator.code: _has_data(item) for item in self.indicators},
        )


def evaluate_measure(
    session: Session,
    catalogue: Catalogue,
    measure_code: str,
    design: Design | None = None,
    seed: int = 0,
    *,
    options: EstimationOptions | None = None,
) -> MeasureEvaluation:
    """Evaluate a measure with ``design`` (default: its latest saved design, else a proposal).

    ``seed`` only drives the simulated critical value of the event study's simultaneous band;
    every other figure is analytic. Raises ``ValueError`` (French) for an unknown measure."""
    if measure_code not in catalogue.measures:
        raise ValueError(f"mesure inconnue : {measure_code}")
    measure = catalogue.measures[measure_code]
    options = options or EstimationOptions(seed=seed)
    if design is not None and design.measure != measure_code:
        raise ValueError(f"le plan fourni est celui de {design.measure}, pas de {measure_code}")
    design = design or load_design(session, measure_code)
    design = design or propose_design(session, catalogue, measure_code)
    member_level = str(design.method.get("member_level", "COM"))
    details = territory_details(session, [unit.territory for unit in design.units])
    populations = details.set_index("territory")["population"]

    evaluations = []
    for code in design.indicators:
        indicator = catalogue.indicators.get(code)
        if indicator is None:
            continue
        evaluations.append(
            _evaluate_indicator(
                session, measure, indicator, design, member_level, populations, options
            )
        )
    all_warnings = design_warnings(design) + [w for item in evaluations for w in item.warnings]
    chain = results_chain(
        measure.code,
        [item.indicator for item in evaluations],
        {item.indicator.code: item.overall for item in evaluations if item.overall},
        {item.indicator.code: item.progress for item in evaluations},
        all_warnings,
        {item.indicator.code: _has_data(item) for item in evaluations},
    )
    return MeasureEvaluation(
        measure=measure,
        design=design,
        data_version=current_data_version(session),
        options=options,
        method=method_statement(
            design, options, {code: item.label for code, item in catalogue.indicators.items()}
        ),
        indicators=tuple(evaluations),
        chain=chain,
        estimates=_estimate_table(evaluations, options),
        event_study=_event_study_table(evaluations),
        warnings=pd.DataFrame(
            [(w.indicator, w.scope, w.code, w.severity, w.message) for w in all_warnings],
            columns=list(WARNING_COLUMNS),
        ),
        territories=_territory_table(design, details),
    )


def _evaluate_indicator(
    session: Session,
    measure: Measure,
    indicator: Indicator,
    design: Design,
    member_level: str,
    populations: pd.Series,
    options: EstimationOptions,
) -> IndicatorEvaluation:
    found = cadence_warnings(indicator, measure.start_date, options.window_months)
    progress = None
    if indicator.chain_level in (ChainLevel.INPUT, ChainLevel.OUTPUT):
        progress = target_progress(indicator, series(session, indicator.code, _group(measure)))
    level = evaluation_level([str(item) for item in indicator.levels], member_level)
    if level is None:
        return IndicatorEvaluation(
            indicator, None, None, None, (level_warning(indicator), *found), progress
        )
    units = design.units_frame(level)
    units = units.assign(population=units["territory"].map(populations))
    kind = indicator.periodicity.period_kind
    panel = drop_out_of_range(
        read_panel(session, indicator.code, kind, level, units), indicator.valid_range
    )
    estimates = estimate_panel(panel, options)
    suspects = outliers(panel)["territory"].unique()
    names = display_names(session, [str(code) for code in suspects]) if len(suspects) else {}
    found += panel_warnings(indicator, panel, names) + estimate_warnings(indicator, estimates)
    return IndicatorEvaluation(indicator, level, panel, estimates, tuple(found), progress)


def _text(value: object) -> str | None:
    """A table cell that holds text or nothing (None or NaN)."""
    return value if isinstance(value, str) else None


def _group(measure: Measure) -> str:
    return f"GRP:{measure.test_set}"


def _has_data(item: IndicatorEvaluation) -> bool:
    if item.progress is not None:
        return True
    if item.panel is None:
        return False
    return bool((~np.isnan(item.panel.values[item.panel.is_test])).any())


def _estimate_table(
    evaluations: list[IndicatorEvaluation], options: EstimationOptions
) -> pd.DataFrame:
    rows = []
    for item in evaluations:
        indicator = item.indicator
        scopes = item.estimates.scopes() if item.estimates else []
        for scope in scopes:
            found = verdict(scope, indicator.direction)
            rows.append(
                {
                    "indicator": indicator.code,
                    "label": indicator.label,
                    "chain_level": str(indicator.chain_level),
                    "unit": indicator.unit,
                    "direction": str(indicator.direction),
                    "level": item.level,
                    "scope": scope.scope,
                    "scope_label": SCOPE_LABELS.get(scope.scope, scope.scope),
                    "estimate": scope.estimate,
                    "std_error": scope.std_error,
                    "ci_low": scope.ci_low,
                    "ci_high": scope.ci_high,
                    "p_value": scope.p_value,
                    "n_test": scope.n_test,
                    "n_comparison": scope.n_comparison,
                    "n_periods": scope.n_periods,
                    "n_pre": scope.n_pre,
                    "n_post": scope.n_post,
                    "pretrend_p": scope.pretrend_p,
                    "verdict": str(found),
                    "verdict_label": found.label,
                    "reading": reading(scope, indicator, options.confidence),
                }
            )
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))


def _event_study_table(evaluations: list[IndicatorEvaluation]) -> pd.DataFrame:
    frames = []
    for item in evaluations:
        if item.estimates is None:
            continue
        months = item.indicator.periodicity.period_kind.months
        for scope in item.estimates.scopes():
            if scope.event_study.empty:
                continue
            frames.append(
                scope.event_study.assign(
                    indicator=item.indicator.code,
                    scope=scope.scope,
                    event_months=scope.event_study["event_time"] * months,
                )
            )
    if not frames:
        return pd.DataFrame(columns=list(EVENT_STUDY_TABLE_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(EVENT_STUDY_TABLE_COLUMNS)]


def _territory_table(design: Design, details: pd.DataFrame) -> pd.DataFrame:
    frame = design.units_frame()
    frame = frame.assign(
        name=frame["territory"].map(details.set_index("territory")["name"]),
        type_label=frame["type"].map(SCOPE_LABELS),
        origin_label=frame["origin"].map(ORIGIN_LABELS),
    )
    # test units first ("test" > "comparison")
    frame = frame.sort_values(
        ["level", "role", "type", "territory"], ascending=[True, False, True, True]
    )
    return frame[list(TERRITORY_TABLE_COLUMNS)].reset_index(drop=True)
