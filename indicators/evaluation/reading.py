"""The plain-French reading of an estimate, for the page, the report and screen readers.

"Dans les territoires test de moins de 20 000 habitants, +3,2 points de plus que dans les
territoires témoins (IC 95 % : +1,1 à +5,3)." then whether the effect goes the desired way and
whether its interval excludes zero. Numbers are written the French way: decimal comma, narrow
no-break space between thousands, an explicit sign (the minus sign is U+2212). A negative gap
reads "4,1 minutes de moins que …": the sign is carried by the words, and stays explicit in the
interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from indicators.catalogue import Direction, Indicator
from indicators.evaluation.estimation import OVERALL, ScopeEstimate
from indicators.evaluation.verdict import excludes_zero, goes_desired_way, zero_width
from indicators.territories import TYPOLOGY_LABELS, TYPOLOGY_WORDS

MINUS: Final = "\u2212"
THIN_SPACE: Final = "\u202f"

# One vocabulary for territory types (issue #16): the typology's own forms
# (``indicators.territories.typology``), short in tables, in words in sentences.
SCOPE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {OVERALL: "ensemble", **{str(kind): label for kind, label in TYPOLOGY_LABELS.items()}}
)
SCOPE_PHRASES: Final[Mapping[str, str]] = MappingProxyType(
    {OVERALL: "Dans l'ensemble des territoires test"}
    | {str(kind): f"Dans les territoires test {words}" for kind, words in TYPOLOGY_WORDS.items()}
)

# unit of the catalogue -> (singular, plural) words after a number; a gap in % is in points
_UNIT_WORDS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "%": ("point", "points"),
        "‰": ("point pour mille", "points pour mille"),
        "nombre": ("unité", "unités"),
        "minutes": ("minute", "minutes"),
        "jours": ("jour", "jours"),
        "score": ("point de score", "points de score"),
        "pour 1 000 hab.": ("pour 1 000 habitants", "pour 1 000 habitants"),
        "pour 10 000 hab.": ("pour 10 000 habitants", "pour 10 000 habitants"),
        "pour 100 000 hab.": ("pour 100 000 habitants", "pour 100 000 habitants"),
    }
)


def decimals_for(*values: float) -> int:
    """Enough decimals to tell the numbers of an estimate apart, not more."""
    magnitude = max((abs(value) for value in values if math.isfinite(value)), default=0.0)
    if magnitude >= 100:
        return 0
    return 1 if magnitude >= 1 else 2


def format_reading_number(value: float, decimals: int = 1, *, signed: bool = False) -> str:
    """``1234.5`` -> ``1 234,5`` (narrow no-break space); ``signed``: ``+3,2``, ``−1,1``."""
    text = f"{abs(value):,.{decimals}f}".replace(",", THIN_SPACE).replace(".", ",")
    if round(abs(value), decimals) == 0:
        return text  # no sign on zero, not even "−0,0"
    if value < 0:
        return MINUS + text
    return "+" + text if signed else text


def unit_word(unit: str, value: float) -> str:
    """The unit after a number: French plural from 2 on (``1,5 point``, ``2 points``)."""
    singular, plural = _UNIT_WORDS.get(unit, (unit, unit))
    return plural if abs(value) >= 2 else singular


def scope_phrase(scope: str) -> str:
    return SCOPE_PHRASES.get(scope, f"Dans les territoires test « {scope} »")


def effect_sentence(estimate: ScopeEstimate, indicator: Indicator, confidence: float = 0.95) -> str:
    """The first sentence: the gap with the comparison territories and its interval."""
    if estimate.estimate is None or estimate.ci_low is None or estimate.ci_high is None:
        reason = estimate.reason or "données insuffisantes"
        return f"{scope_phrase(estimate.scope)}, l'effet n'est pas estimable : {reason}."
    value, low, high = estimate.estimate, estimate.ci_low, estimate.ci_high
    decimals = decimals_for(value, low, high)
    level = format_reading_number(100 * confidence, 0)
    interval = (
        f"(IC {level} % : {format_reading_number(low, decimals, signed=True)} "
        f"à {format_reading_number(high, decimals, signed=True)})"
    )
    words = unit_word(indicator.unit, value)
    if round(value, decimals) == 0:
        zero = format_reading_number(0.0, decimals)
        gap = f"aucun écart ({zero} {words}) avec les territoires témoins"
    elif value > 0:
        shown = format_reading_number(value, decimals, signed=True)
        gap = f"{shown} {words} de plus que dans les territoires témoins"
    else:
        shown = format_reading_number(-value, decimals)
        gap = f"{shown} {words} de moins que dans les territoires témoins"
    return f"{scope_phrase(estimate.scope)}, {gap} {interval}."


def direction_sentence(
    estimate: ScopeEstimate, direction: Direction, confidence: float = 0.95
) -> str:
    """The second sentence: the desired direction and the significance."""
    if estimate.estimate is None:
        return ""
    threshold = format_reading_number(100 * (1 - confidence), 0)
    if zero_width(estimate):
        return (
            "Intervalle de largeur nulle : trop peu de données pour mesurer l'incertitude ; "
            "l'écart n'est pas tenu pour statistiquement significatif."
        )
    significant = excludes_zero(estimate)
    interval = (
        "l'intervalle de confiance exclut zéro"
        if significant
        else "l'intervalle de confiance contient zéro"
    )
    conclusion = (
        f"l'écart est statistiquement significatif au seuil de {threshold} %"
        if significant
        else f"l'écart n'est pas statistiquement significatif au seuil de {threshold} %"
    )
    desired = goes_desired_way(estimate.estimate, direction)
    if desired is None:
        return (
            f"Aucun sens d'évolution n'est souhaité pour cet indicateur ; "
            f"{interval} : {conclusion}."
        )
    way = direction.label
    if desired:
        link = " et" if significant else ", mais"
        return f"L'écart va dans le sens souhaité ({way}){link} {interval} : {conclusion}."
    return (
        f"L'écart va dans le sens contraire de celui souhaité ({way}) ; {interval} : {conclusion}."
    )


def reading(estimate: ScopeEstimate, indicator: Indicator, confidence: float = 0.95) -> str:
    """Both sentences, ready to show."""
    second = direction_sentence(estimate, indicator.direction, confidence)
    first = effect_sentence(estimate, indicator, confidence)
    return f"{first} {second}".strip()
