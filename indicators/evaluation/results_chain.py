"""A measure's results chain: inputs -> outputs -> outcomes -> impacts, with a status each.

Inputs and outputs are the measure's own means and products: their status is the progress of
the test territories (their aggregate) towards the indicator's target, when it has one. Outcomes
and impacts are what the measure should change: their status is the verdict of the
difference-in-differences estimate. Without a target, an input or output falls back on its
estimate, else on "tracked"; every item carries the codes of its warnings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import pandas as pd

from indicators.catalogue import ChainLevel, Indicator, Target
from indicators.compute import PROGRESS_STATUS_LABELS, progress, progress_status
from indicators.evaluation.estimation import ScopeEstimate
from indicators.evaluation.reading import decimals_for, format_reading_number, reading
from indicators.evaluation.verdict import Verdict, verdict
from indicators.evaluation.warnings import EvaluationWarning

CHAIN_ORDER: Final = (ChainLevel.INPUT, ChainLevel.OUTPUT, ChainLevel.OUTCOME, ChainLevel.IMPACT)
TRACKED: Final = "tracked"
NO_DATA: Final = "no_data"
STATUS_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{str(code): label for code, label in PROGRESS_STATUS_LABELS.items()},
        **{str(item): item.label for item in Verdict},
        TRACKED: "suivi, sans cible",
        NO_DATA: "aucune donnée",
    }
)


@dataclass(frozen=True)
class TargetProgress:
    """The test territories' latest value against the indicator's target."""

    period: str
    value: float
    baseline_period: str
    baseline_value: float
    target: float
    target_period: str
    progress: float | None  # percent of the way from the baseline to the target
    status: str | None  # achieved | on_track | late


@dataclass(frozen=True)
class ChainItem:
    indicator: str
    label: str
    status: str
    status_label: str
    detail: str  # a French sentence
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChainStep:
    level: ChainLevel
    label: str  # moyens, réalisations, résultats, impacts
    items: tuple[ChainItem, ...]


@dataclass(frozen=True)
class ResultsChain:
    measure: str
    steps: tuple[ChainStep, ...]

    def frame(self) -> pd.DataFrame:
        """One row per indicator: ``chain_level``, ``chain_label``, ``indicator``, ``label``,
        ``status``, ``status_label``, ``detail``, ``warnings`` (codes, comma-separated)."""
        return pd.DataFrame(
            [
                {
                    "chain_level": str(step.level),
                    "chain_label": step.label,
                    "indicator": item.indicator,
                    "label": item.label,
                    "status": item.status,
                    "status_label": item.status_label,
                    "detail": item.detail,
                    "warnings": ", ".join(item.warnings),
                }
                for step in self.steps
                for item in step.items
            ],
            columns=[
                "chain_level",
                "chain_label",
                "indicator",
                "label",
                "status",
                "status_label",
                "detail",
                "warnings",
            ],
        )


def target_for(indicator: Indicator) -> Target | None:
    """The target for every territory, else the first one."""
    for target in indicator.targets:
        if target.scope == "all":
            return target
    return indicator.targets[0] if indicator.targets else None


def target_progress(indicator: Indicator, values: pd.DataFrame) -> TargetProgress | None:
    """Progress of a group's series (``period``, ``value``, ``status``) towards the target."""
    target = target_for(indicator)
    usable = values[values["status"] == "ok"].sort_values("period")
    if target is None or usable.empty:
        return None
    baseline_period = str(indicator.baseline.period) if indicator.baseline else None
    base = usable[usable["period"] == baseline_period] if baseline_period else usable.iloc[:0]
    base_row = base.iloc[0] if not base.empty else usable.iloc[0]
    last = usable.iloc[-1]
    try:
        percent = progress(
            float(base_row["value"]), target.value, float(last["value"]), indicator.direction.value
        )
    except ValueError:  # the observed baseline is already past the target
        percent = 100.0
    status = None
    if percent is not None and str(target.period) > str(base_row["period"]):
        status = progress_status(percent, base_row["period"], target.period, last["period"])
    return TargetProgress(
        period=str(last["period"]),
        value=float(last["value"]),
        baseline_period=str(base_row["period"]),
        baseline_value=float(base_row["value"]),
        target=target.value,
        target_period=str(target.period),
        progress=percent,
        status=status,
    )


def results_chain(
    measure: str,
    indicators: Sequence[Indicator],
    estimates: Mapping[str, ScopeEstimate],
    progress_by_indicator: Mapping[str, TargetProgress | None],
    warnings: Sequence[EvaluationWarning],
    has_data: Mapping[str, bool],
) -> ResultsChain:
    """The chain of ``indicators``; ``estimates`` holds each one's overall estimate."""
    steps = []
    for level in CHAIN_ORDER:
        items = tuple(
            _item(
                indicator,
                estimates.get(indicator.code),
                progress_by_indicator.get(indicator.code),
                tuple(dict.fromkeys(w.code for w in warnings if w.indicator == indicator.code)),
                has_data.get(indicator.code, False),
            )
            for indicator in indicators
            if indicator.chain_level is level
        )
        if items:
            steps.append(ChainStep(level, level.label, items))
    return ResultsChain(measure, tuple(steps))


def _item(
    indicator: Indicator,
    estimate: ScopeEstimate | None,
    target: TargetProgress | None,
    warning_codes: tuple[str, ...],
    has_data: bool,
) -> ChainItem:
    means = indicator.chain_level in (ChainLevel.INPUT, ChainLevel.OUTPUT)
    if means and target is not None and target.status is not None:
        return ChainItem(
            indicator.code,
            indicator.label,
            target.status,
            STATUS_LABELS[target.status],
            _progress_sentence(indicator, target),
            warning_codes,
        )
    if estimate is not None and (estimate.estimable or not means):
        found = verdict(estimate, indicator.direction)
        return ChainItem(
            indicator.code,
            indicator.label,
            str(found),
            found.label,
            reading(estimate, indicator),
            warning_codes,
        )
    if not means:  # an effect was expected and could not be estimated at all
        return ChainItem(
            indicator.code,
            indicator.label,
            str(Verdict.NOT_ESTIMABLE),
            Verdict.NOT_ESTIMABLE.label,
            "Effet non estimable : voir les avertissements de l'indicateur.",
            warning_codes,
        )
    status = TRACKED if has_data else NO_DATA
    detail = (
        "Indicateur suivi sans cible ni estimation d'effet."
        if has_data
        else "Aucune valeur disponible pour les territoires test."
    )
    return ChainItem(
        indicator.code, indicator.label, status, STATUS_LABELS[status], detail, warning_codes
    )


def _progress_sentence(indicator: Indicator, target: TargetProgress) -> str:
    decimals = decimals_for(target.value, target.target)
    value = format_reading_number(target.value, decimals)
    goal = format_reading_number(target.target, decimals)
    share = format_reading_number(target.progress, 0) if target.progress is not None else "?"
    status = STATUS_LABELS[target.status] if target.status else ""
    return (
        f"Territoires test : {value} {indicator.unit} en {target.period}, pour une cible de "
        f"{goal} {indicator.unit} en {target.target_period} — {share} % du chemin parcouru "
        f"depuis {target.baseline_period} ({status})."
    )
