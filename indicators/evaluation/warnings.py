"""Honest warnings about an evaluation, as values: a stable code, a French message, a scope.

What they say: too few test or comparison units for a reliable interval, an unbalanced panel
(many missing values), pre-period trends that diverge (the parallel-trends assumption is then
doubtful) or cannot be tested, an indicator whose cadence and publication lag cannot show any
change within the two-year window, and small numbers (values hidden by statistical secrecy,
tiny counts).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np

from indicators.catalogue import Indicator
from indicators.evaluation.designs import Design
from indicators.evaluation.estimation import OVERALL, PanelEstimates, ScopeEstimate
from indicators.evaluation.matching import FEATURE_LABELS
from indicators.evaluation.panel import Panel, first_treated_period
from indicators.evaluation.reading import SCOPE_LABELS, format_reading_number
from indicators.evaluation.screening import OUT_OF_RANGE, outliers
from indicators.evaluation.verdict import zero_width
from indicators.french import agree, plural
from indicators.periods import Period, PeriodKind, parse_period
from indicators.territories.levels import LEVEL_WORDS

NOT_ESTIMABLE: Final = "not-estimable"
LEVEL_TOO_COARSE: Final = "level-too-coarse"
TOO_FEW_TEST_UNITS: Final = "too-few-test-units"
TOO_FEW_COMPARISON_UNITS: Final = "too-few-comparison-units"
UNBALANCED_PANEL: Final = "unbalanced-panel"
DIVERGING_PRETRENDS: Final = "diverging-pretrends"
PRETRENDS_UNTESTABLE: Final = "pretrends-untestable"
CADENCE_TOO_SLOW: Final = "cadence-too-slow"
FEW_POST_PERIODS: Final = "few-post-periods"
SECRET_VALUES: Final = "secret-values"
SMALL_NUMBERS: Final = "small-numbers"
OUT_OF_RANGE_VALUES: Final = "out-of-range-values"
POSSIBLE_OUTLIERS: Final = "possible-outliers"
POOR_BALANCE: Final = "poor-balance"
COMPARISON_SHORTFALL: Final = "comparison-shortfall"
ZERO_WIDTH_INTERVAL: Final = "zero-width-interval"

MIN_UNITS: Final = 10
MAX_MISSING_SHARE: Final = 0.10
PRETREND_ALPHA: Final = 0.05
SMALL_COUNT: Final = 10.0
MAX_STANDARDISED_DIFFERENCE: Final = 0.25  # the usual threshold of a good balance
WINDOW_MONTHS: Final = 24

_MONTHS: Final = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@dataclass(frozen=True)
class EvaluationWarning:
    """``severity``: ``warning`` (read the figure with care) or ``info`` (context)."""

    code: str
    message: str
    indicator: str | None = None
    scope: str | None = None
    severity: str = "warning"


@dataclass(frozen=True)
class Cadence:
    """What an indicator can show within the window that follows a start date."""

    start: date
    window_end: date
    first_period: Period  # the first period fully after the start
    first_publication: date  # when that period's value is expected
    periods_in_window: int  # periods from the first one published by the window's end


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, the last day of the month when it has fewer days."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def publication_date(period: Period, lag_months: int) -> date:
    """A period is published ``lag_months`` after the day that follows it."""
    return add_months(period.shift(1).start, lag_months)


def cadence(
    kind: PeriodKind, lag_months: int, start: date, window_months: int = WINDOW_MONTHS
) -> Cadence:
    window_end = add_months(start, window_months)
    first = first_treated_period(start, kind)
    count, period = 0, first
    while publication_date(period, lag_months) <= window_end:
        count, period = count + 1, period.shift(1)
    return Cadence(start, window_end, first, publication_date(first, lag_months), count)


def french_date(day: date) -> str:
    """``1er juillet 2025``, ``15 mars 2026``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS[day.month - 1]} {day.year}"


def french_month(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.year}"


def cadence_warnings(
    indicator: Indicator, start: date, window_months: int = WINDOW_MONTHS
) -> list[EvaluationWarning]:
    kind = indicator.periodicity.period_kind
    found = cadence(kind, indicator.publication_lag_months, start, window_months)
    rhythm = (
        f"Indicateur de périodicité {indicator.periodicity.label} publié environ "
        f"{indicator.publication_lag_months} mois après la fin de chaque période"
    )
    if found.periods_in_window == 0:
        message = (
            f"{rhythm} : la première valeur qui suit le lancement ({french_date(start)}), "
            f"celle {_of_period(found.first_period)}, ne paraîtra qu'en "
            f"{french_month(found.first_publication)}, après la fin de la fenêtre "
            f"d'évaluation de deux ans ({french_month(found.window_end)}). "
            "Aucun effet ne peut être observé dans la fenêtre."
        )
        return [EvaluationWarning(CADENCE_TOO_SLOW, message, indicator.code)]
    if found.periods_in_window == 1:
        message = (
            f"{rhythm} : une seule période qui suit le lancement ({found.first_period.label}) "
            f"paraîtra avant la fin de la fenêtre d'évaluation ({french_month(found.window_end)}) "
            "— l'évolution de l'effet dans le temps ne pourra pas être suivie."
        )
        return [EvaluationWarning(FEW_POST_PERIODS, message, indicator.code, severity="info")]
    return []


def level_warning(indicator: Indicator) -> EvaluationWarning:
    levels = ", ".join(level.label for level in indicator.levels)
    message = (
        f"Indicateur publié seulement aux niveaux {levels} : trop agrégé pour comparer des "
        "territoires test et témoins (presque tous contiennent un territoire test)."
    )
    return EvaluationWarning(LEVEL_TOO_COARSE, message, indicator.code)


def estimate_warnings(indicator: Indicator, estimates: PanelEstimates) -> list[EvaluationWarning]:
    found: list[EvaluationWarning] = []
    for scope in estimates.scopes():
        found += _scope_warnings(indicator.code, scope)
    return found


def _scope_warnings(code: str, estimate: ScopeEstimate) -> list[EvaluationWarning]:
    scope = estimate.scope
    where = "" if scope == OVERALL else f" ({SCOPE_LABELS.get(scope, scope)})"
    if not estimate.estimable:
        reason = estimate.reason or "données insuffisantes"
        return [
            EvaluationWarning(NOT_ESTIMABLE, f"Effet non estimable{where} : {reason}.", code, scope)
        ]
    found = []
    if zero_width(estimate):
        found.append(
            EvaluationWarning(
                ZERO_WIDTH_INTERVAL,
                f"Intervalle de confiance de largeur nulle{where} : trop peu de données pour "
                "mesurer l'incertitude ; l'écart n'est pas tenu pour significatif.",
                code,
                scope,
            )
        )
    if estimate.n_test < MIN_UNITS:
        found.append(
            EvaluationWarning(
                TOO_FEW_TEST_UNITS,
                f"Trop peu de territoires test{where} : {estimate.n_test} (moins de {MIN_UNITS}). "
                "L'intervalle de confiance est fragile.",
                code,
                scope,
            )
        )
    if estimate.n_comparison < MIN_UNITS:
        found.append(
            EvaluationWarning(
                TOO_FEW_COMPARISON_UNITS,
                f"Trop peu de territoires témoins{where} : {estimate.n_comparison} "
                f"(moins de {MIN_UNITS}). L'intervalle de confiance est fragile.",
                code,
                scope,
            )
        )
    if estimate.pretrend_p is None:
        found.append(
            EvaluationWarning(
                PRETRENDS_UNTESTABLE,
                f"Tendances avant la mesure non testables{where} : il faut observer au moins "
                "une année complète avant l'année de référence (et deux territoires de chaque "
                "côté). L'hypothèse de tendances parallèles ne peut pas être vérifiée.",
                code,
                scope,
                "info",
            )
        )
    elif estimate.pretrend_p < PRETREND_ALPHA:
        p_value = (
            "p < 0,001"
            if estimate.pretrend_p < 0.001
            else f"p = {format_reading_number(estimate.pretrend_p, 3)}"
        )
        found.append(
            EvaluationWarning(
                DIVERGING_PRETRENDS,
                f"Tendances divergentes avant la mesure{where} (test joint, {p_value}) : "
                "territoires test et témoins n'évoluaient déjà pas de la même façon ; "
                "l'estimation peut être biaisée.",
                code,
                scope,
            )
        )
    return found


def panel_warnings(
    indicator: Indicator, panel: Panel, names: Mapping[str, str] | None = None
) -> list[EvaluationWarning]:
    """Missing and secret values, small counts: about the data, whatever the estimate.

    ``names``: how to call each territory in a sentence (see
    :func:`indicators.evaluation.sources.display_names`); a territory missing from it is named by
    its code."""
    names = names or {}
    found: list[EvaluationWarning] = []
    cells = panel.statuses.size
    if cells == 0:
        return found
    missing_share = float(np.count_nonzero(panel.statuses != "ok")) / cells
    if missing_share > MAX_MISSING_SHARE:
        share = format_reading_number(100 * missing_share, 0)
        found.append(
            EvaluationWarning(
                UNBALANCED_PANEL,
                f"Panel déséquilibré : {share} % des couples territoire × période n'ont pas de "
                "valeur exploitable. Les comparaisons portent sur des territoires différents "
                "d'une période à l'autre.",
                indicator.code,
            )
        )
    impossible = int(np.count_nonzero(panel.statuses == OUT_OF_RANGE))
    if impossible:
        found.append(
            EvaluationWarning(
                OUT_OF_RANGE_VALUES,
                f"{plural(impossible, 'valeur')} hors de l'intervalle valide de l'indicateur "
                f"({_range(indicator)}) {agree(impossible, 'écartée', 'écartées')} de "
                "l'estimation : erreurs de saisie probables.",
                indicator.code,
            )
        )
    suspects = outliers(panel)
    if not suspects.empty:
        shown = ", ".join(
            f"{names.get(territory, territory)} en {_period_words(period)} "
            f"({format_reading_number(float(value), 1)} pour une médiane "
            f"de {format_reading_number(float(median), 1)})"
            for territory, period, value, median in suspects.head(5)[
                ["territory", "period", "value", "median"]
            ].itertuples(index=False)
        )
        more = f" et {plural(len(suspects) - 5, 'autre')}" if len(suspects) > 5 else ""
        found.append(
            EvaluationWarning(
                POSSIBLE_OUTLIERS,
                f"Valeurs aberrantes possibles, gardées dans l'estimation : {shown}{more}. Si "
                "ce sont des erreurs, les faire corriger ou exclure ces territoires du plan.",
                indicator.code,
            )
        )
    secret = int(np.count_nonzero(panel.statuses == "secret"))
    if secret:
        share = format_reading_number(100 * secret / cells, 1)
        found.append(
            EvaluationWarning(
                SECRET_VALUES,
                f"Secret statistique : {secret} valeurs ({share} %) sont masquées (petits "
                "effectifs) et exclues de l'estimation ; les territoires les plus petits "
                "pèsent donc moins.",
                indicator.code,
            )
        )
    test_values = panel.values[panel.is_test]
    observed = test_values[~np.isnan(test_values)]
    if indicator.unit == "nombre" and observed.size and np.median(observed) < SMALL_COUNT:
        median = format_reading_number(float(np.median(observed)), 1)
        found.append(
            EvaluationWarning(
                SMALL_NUMBERS,
                f"Petits nombres : la valeur médiane d'un territoire test est {median}. Un écart "
                "d'une ou deux unités y pèse lourd ; lire l'effet avec prudence.",
                indicator.code,
            )
        )
    return found


def _of_period(period: Period) -> str:
    """``de 2026``, ``de juillet 2026``, ``du 3e trimestre 2026``."""
    if period.kind in (PeriodKind.YEAR, PeriodKind.MONTH):
        return f"de {period.label}"
    return f"du {period.label}"


def _period_words(period: str) -> str:
    """``2021-T2`` -> ``2e trimestre 2021``, as people say it."""
    try:
        return parse_period(period).label
    except ValueError:
        return period


def _range(indicator: Indicator) -> str:
    low, high = indicator.valid_range.min, indicator.valid_range.max
    if low is not None and high is not None:
        return f"de {format_reading_number(low, 0)} à {format_reading_number(high, 0)}"
    if low is not None:
        return f"au moins {format_reading_number(low, 0)}"
    return f"au plus {format_reading_number(high or 0, 0)}"


def design_warnings(design: Design) -> list[EvaluationWarning]:
    """Matching that left test and comparison territories unlike each other, or too few."""
    found = []
    for level, rows in sorted(design.diagnostics.get("balance", {}).items()):
        for row in rows:
            gap = row.get("smd_after")
            if gap is None or abs(gap) <= MAX_STANDARDISED_DIFFERENCE:
                continue
            where = SCOPE_LABELS.get(row["type"], row["type"])
            feature = FEATURE_LABELS.get(row["feature"], row["feature"])
            found.append(
                EvaluationWarning(
                    POOR_BALANCE,
                    f"Appariement imparfait ({where}, {_level_words(level)}) : territoires test et "
                    f"témoins diffèrent encore sur « {feature} » (écart standardisé "
                    f"{format_reading_number(gap, 2, signed=True)}, au-delà de "
                    f"{format_reading_number(MAX_STANDARDISED_DIFFERENCE, 2)}). Des témoins plus "
                    "proches manquent : épingler ou exclure des territoires peut aider.",
                    scope=str(row["type"]),
                )
            )
    for level, gaps in sorted(design.diagnostics.get("shortfall", {}).items()):
        for type_, missing in sorted(gaps.items()):
            where = SCOPE_LABELS.get(type_, type_)
            found.append(
                EvaluationWarning(
                    COMPARISON_SHORTFALL,
                    f"Témoins en nombre insuffisant ({where}, {_level_words(level)}) : il en "
                    f"manque {missing} pour atteindre {design.method.get('neighbours', '?')} par "
                    "territoire test — les candidats de ce type sont épuisés.",
                    scope=type_,
                    severity="info",
                )
            )
    return found


def _level_words(level: str) -> str:
    """``COM`` -> ``communes``: the level as a reader says it."""
    words = LEVEL_WORDS.get(level)
    return words.plural if words else f"niveau {level}"
