"""One French sentence per chart: what it shows, for people who skim and for screen readers."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from dashboard.formatting import format_int, format_period, format_value
from indicators.territories.levels import FEMININE_LEVELS, LEVEL_WORDS, MAP_LEVELS, plurals

LEVEL_PLURALS = plurals(MAP_LEVELS)


def since(period: str) -> str:
    """``2022`` -> ``2022``; ``2024-S2`` -> ``le 2e semestre 2024`` (after "depuis")."""
    text = format_period(period)
    return text if len(period) == 4 or "-" not in period or period[5:6].isdigit() else f"le {text}"


def map_summary(
    table: pd.DataFrame,
    label: str,
    unit: str,
    period: str,
    level: str,
    left_out: npt.ArrayLike | None = None,
) -> str:
    """``left_out``: rows (a mask over ``table``) counted as reported but kept out of the range
    and the median — the values outside the indicator's expected range, which the note after
    this sentence names (issue #16)."""
    plural = LEVEL_PLURALS.get(level, "territoires")
    total = len(table)
    ok = (table["statut"] == "ok").to_numpy()
    reported = table[ok]
    head = f"{label}, {format_period(period)}"
    if reported.empty:
        shown = "affichées" if level in FEMININE_LEVELS else "affichés"
        return f"{head} : aucune valeur pour les {format_int(total)} {plural} {shown}."
    kept = table[ok & ~np.asarray(left_out, dtype=bool)] if left_out is not None else reported
    many = len(reported) > 1
    noun = plural if many or level not in LEVEL_WORDS else LEVEL_WORDS[level].noun
    count = (
        f"{format_int(len(reported))} {noun} "
        f"renseigné{'e' if level in FEMININE_LEVELS else ''}{'s' if many else ''} "
        f"sur {format_int(total)}"
    )
    if kept.empty:
        sentence = f"{head} : {count}"
    else:
        low = kept.loc[kept["valeur"].idxmin()]
        high = kept.loc[kept["valeur"].idxmax()]
        sentence = (
            f"{head} : de {format_value(low['valeur'], unit)} ({low['nom']}) "
            f"à {format_value(high['valeur'], unit)} ({high['nom']}), "
            f"médiane {format_value(float(kept['valeur'].median()), unit)} ; {count}"
        )
    secret = int((table["statut"] == "secret").sum())
    if secret:
        sentence += f", {format_int(secret)} sous secret statistique"
    return sentence + "."


def series_summary(frame: pd.DataFrame, label: str, unit: str, territory_name: str) -> str:
    """``frame``: ``period``, ``value``, ``status`` of one territory, oldest first."""
    reported = frame[frame["status"] == "ok"]
    if reported.empty:
        return f"{territory_name} — {label} : aucune valeur transmise."
    first, last = reported.iloc[0], reported.iloc[-1]
    if len(reported) == 1:
        return (
            f"{territory_name} — {label} : {format_value(last['value'], unit)} "
            f"({format_period(last['period'])})."
        )
    change = last["value"] - first["value"]
    trend = "en hausse" if change > 0 else "en baisse" if change < 0 else "stable"
    return (
        f"{territory_name} — {label} : {format_value(last['value'], unit)} "
        f"({format_period(last['period'])}), {trend} depuis {since(first['period'])} "
        f"({format_value(first['value'], unit)})."
    )


# How an aggregate is made from its parts, as the start of "… des 11 régions sur 18".
AGGREGATE_WORDS = {
    "sum": "somme",
    "ratio": "rapport des sommes",
    "weighted_mean": "moyenne pondérée",
    "min": "minimum",
    "max": "maximum",
}


def total_coverage(
    territory_name: str, aggregation: str, reported: int, expected: int, level: str
) -> str:
    """What an aggregated value rests on (issue #16), e.g. « Total France : somme des 11 régions
    sur 18 qui ont transmis une valeur »; ``""`` for a value that is not an aggregate."""
    words = AGGREGATE_WORDS.get(aggregation)
    if words is None or expected <= 1 or level not in LEVEL_WORDS:
        return ""
    plural = LEVEL_WORDS[level].plural
    head = f"{'Total' if aggregation == 'sum' else 'Valeur'} {territory_name} : {words} des "
    if reported >= expected:
        everyone = "toutes" if LEVEL_WORDS[level].feminine else "tous"
        return f"{head}{format_int(expected)} {plural}, qui ont {everyone} transmis une valeur"
    return (
        f"{head}{format_int(reported)} {plural} sur {format_int(expected)} "
        "qui ont transmis une valeur"
    )


def series_alt_text(label: str, periods: list[str], values: list[float], unit: str) -> str:
    """The text alternative of a mini-chart (issue #16), e.g. « Évolution de l'indicateur
    « Conseillers numériques en poste » : de 12 en 2019 à 15 en 2024 »."""
    points = [(p, float(v)) for p, v in zip(periods, values, strict=True) if pd.notna(v) and v == v]
    head = f"Évolution de l'indicateur « {label} »"
    if not points:
        return f"{head} : aucune valeur"
    (first_period, first), (last_period, last) = points[0], points[-1]
    if len(points) == 1:
        return f"{head} : {format_value(last, unit)} en {format_period(last_period)}, seule valeur"
    return (
        f"{head} : de {format_value(first, unit)} en {format_period(first_period)} "
        f"à {format_value(last, unit)} en {format_period(last_period)}"
    )
