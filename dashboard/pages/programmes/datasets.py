"""The tables behind the programme page: its indicators, progress towards its targets, results
chain and trends. Each chart and its download call the same function with the same
parameters, so the file holds exactly what is drawn (see ``dashboard.datasets``)."""

from __future__ import annotations

import math

import pandas as pd

from dashboard import readers
from dashboard.datasets import TYPOLOGY_NAMES, target_frame
from dashboard.programmes import (
    MEMBER_LEVELS,
    member_group,
    member_levels,
    ok_values,
    programme,
    programme_spans,
)
from dashboard.routes.exports import register_dataset
from indicators.catalogue import Indicator, Target
from indicators.compute import (
    PROGRESS_STATUS_LABELS,
    expected_progress,
    progress,
    progress_status,
)
from indicators.periods import parse_period
from indicators.territories.levels import of_the

CHAIN_LEVELS = ("input", "output", "outcome", "impact")


def programme_indicators(code: str) -> list[Indicator]:
    """The programme's indicators along the results chain (means first), then in file order."""
    indicators = readers.catalogue().indicators_for_programme(code)
    return sorted(indicators, key=lambda i: CHAIN_LEVELS.index(i.chain_level.value))


PROGRESS_COLUMNS = [
    "indicateur",
    "libelle",
    "niveau_chaine",
    "unite",
    "portee",
    "groupe",
    "periode_reference",
    "valeur_reference",
    "periode",
    "valeur",
    "cible",
    "periode_cible",
    "cumulative",
    "progression",
    "progression_attendue",
    "statut",
    "statut_libelle",
    "renseignes",
    "attendus",
]


def scope_label(scope: str) -> str:
    if scope == "all":
        return "ensemble des membres"
    return f"membres, {TYPOLOGY_NAMES[scope]}" if scope in TYPOLOGY_NAMES else scope


def progress_dataset(code: str) -> pd.DataFrame:
    """One row per target of the programme's indicators that its members can be held to: a
    target for every territory (over all members) or for one type (over the members of that
    type). Progress is measured from the baseline to the latest value."""
    rows = []
    for indicator in programme_indicators(code):
        for target in indicator.targets:
            if target.scope == "all":
                group = member_group(code)
            elif target.scope in TYPOLOGY_NAMES:
                group = member_group(code, target.scope)
            else:
                continue  # a single territory's target says nothing about the programme
            values = ok_values(indicator.code, group)
            if values.empty:
                continue
            rows.append(_progress_row(indicator, target, group, values))
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


def _progress_row(
    indicator: Indicator, target: Target, group: str, values: pd.DataFrame
) -> dict[str, object]:
    last = values.iloc[-1]
    baseline_period = str(indicator.baseline.period) if indicator.baseline else None
    known = indicator.baseline.value_for(target.scope) if indicator.baseline else None
    at_baseline = values[values["period"] == baseline_period]
    if known is not None and baseline_period:
        base_period, base_value = baseline_period, float(known)
    elif not at_baseline.empty:
        base_period, base_value = baseline_period, float(at_baseline.iloc[0]["value"])
    else:  # no value at the baseline period: the first one stands in, and the file says which
        base_period, base_value = str(values.iloc[0]["period"]), float(values.iloc[0]["value"])
    current = float(last["value"])
    if target.cumulative:  # the target counts what was done since the baseline
        after = values[values["period"].map(parse_period) > parse_period(base_period)]
        current, base_value = float(after["value"].sum()), 0.0
    try:
        pct = progress(base_value, target.value, current, indicator.direction.value)
    except ValueError:  # the baseline is already past the target
        pct = 100.0
    expected = status = None
    if parse_period(str(target.period)) > parse_period(base_period):
        expected = expected_progress(base_period, target.period, last["period"])
        if pct is not None:
            status = progress_status(pct, base_period, target.period, last["period"])
    return {
        "indicateur": indicator.code,
        "libelle": indicator.label,
        "niveau_chaine": indicator.chain_level.label,
        "unite": indicator.unit,
        "portee": scope_label(target.scope),
        "groupe": group,
        "periode_reference": base_period,
        "valeur_reference": base_value,
        "periode": last["period"],
        "valeur": current,
        "cible": target.value,
        "periode_cible": str(target.period),
        "cumulative": "oui" if target.cumulative else "non",
        "progression": pct,
        "progression_attendue": expected,
        "statut": status,
        "statut_libelle": PROGRESS_STATUS_LABELS.get(status, "") if status else "",
        "renseignes": int(last["reported"]),
        "attendus": int(last["expected"]),
    }


CHAIN_COLUMNS = [
    "niveau_chaine",
    "niveau_libelle",
    "indicateur",
    "libelle",
    "unite",
    "dernier_kilometre",
    "periode",
    "valeur",
    "renseignes",
    "attendus",
    "remarque",
]


def chain_dataset(code: str) -> pd.DataFrame:
    """The results chain: every indicator of the programme with its values over the members,
    oldest first (the cards draw the last value and the whole line). An indicator without any
    value over the members keeps one row that says why."""
    frames = []
    levels = member_levels(programme_spans(code))
    for indicator in programme_indicators(code):
        head = {
            "niveau_chaine": indicator.chain_level.value,
            "niveau_libelle": indicator.chain_level.label,
            "indicateur": indicator.code,
            "libelle": indicator.label,
            "unite": indicator.unit,
            "dernier_kilometre": "oui" if indicator.last_mile else "non",
        }
        values = ok_values(indicator.code, member_group(code))
        if values.empty:
            frames.append(pd.DataFrame([head | {"remarque": _why_no_value(indicator, levels)}]))
            continue
        frames.append(
            pd.DataFrame(
                {
                    **head,
                    "periode": values["period"],
                    "valeur": values["value"].astype(float),
                    "renseignes": values["reported"].astype(int),
                    "attendus": values["expected"].astype(int),
                    "remarque": _whose_values(indicator, levels),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=CHAIN_COLUMNS)
    return pd.concat(frames, ignore_index=True).reindex(columns=CHAIN_COLUMNS)


EPCI_OF_MEMBERS = "valeurs des intercommunalités des membres"


def _whose_values(indicator: Indicator, levels: list[str]) -> str:
    """Communes' sets reach their EPCIs (``indicators.precompute.groups``): say so when an
    indicator published by EPCI is read over communes."""
    published = {level.value for level in indicator.levels}
    return EPCI_OF_MEMBERS if levels and not published & set(levels) else ""


def _why_no_value(indicator: Indicator, levels: list[str]) -> str:
    """Why the members have no value: ``levels`` are the levels of the members."""
    if indicator.aggregation.value == "none":
        return "indicateur publié par territoire, sans total possible sur un ensemble"
    published = [level.value for level in indicator.levels]
    if levels and not set(published) & set(levels):
        finest = next(level for level in ("EPCI", "DEP", "REG", "FR") if level in published)
        members = " et ".join(MEMBER_LEVELS[level] for level in levels)
        return f"publié à partir du niveau {LEVEL_WORDS[finest]}, les membres sont des {members}"
    return "aucune valeur reçue pour les membres"


LEVEL_WORDS = of_the(("EPCI", "DEP", "REG", "FR"))


TREND_COLUMNS = ["serie", "code", "periode", "valeur", "statut", "nature"]


def programme_trend_dataset(code: str, indicator_code: str) -> pd.DataFrame:
    """One indicator over time: the members, the members of each type a target is set for
    (when they are not all the members), France for rates and means, and the targets."""
    indicator = readers.catalogue().indicators.get(indicator_code)
    if indicator is None or code not in indicator.programmes:
        raise KeyError(f"l'indicateur {indicator_code} ne sert pas le programme {code}")
    whole = _series_frame("Membres du programme", member_group(code), indicator_code)
    frames = [whole]
    targets: list[tuple[str, Target]] = []
    for target in indicator.targets:
        if target.scope == "all":
            targets.append(("Cible", target))
        elif target.scope in TYPOLOGY_NAMES:
            typed = _series_frame(
                f"Membres, {TYPOLOGY_NAMES[target.scope]}",
                member_group(code, target.scope),
                indicator_code,
            )
            if typed.empty:
                continue
            if not _same_values(typed, whole):
                frames.append(typed)
            targets.append((f"Cible, {TYPOLOGY_NAMES[target.scope]}", target))
    if indicator.aggregation.value != "sum":  # a count beside France's total says nothing
        frames.append(_series_frame("France entière", "FR", indicator_code))
    for label, target in targets:
        frames.append(target_frame(label, target))
    table = pd.concat([f for f in frames if not f.empty] or [whole], ignore_index=True)
    return table.reindex(columns=TREND_COLUMNS).reset_index(drop=True)


def _series_frame(label: str, group: str, indicator: str) -> pd.DataFrame:
    values = readers.values_over_time(indicator, group)
    return pd.DataFrame(
        {
            "serie": label,
            "code": group,
            "periode": values["period"],
            "valeur": values["value"].astype(float),
            "statut": values["status"],
            "nature": "valeur",
        }
    ).reindex(columns=TREND_COLUMNS)


def _same_values(one: pd.DataFrame, other: pd.DataFrame) -> bool:
    left = one.set_index("periode")["valeur"]
    right = other.set_index("periode")["valeur"]
    if set(left.index) != set(right.index):
        return False
    return all(
        (math.isnan(a) and math.isnan(b)) or math.isclose(a, b)
        for a, b in zip(left.sort_index(), right.sort_index(), strict=True)
    )


register_dataset(
    "programme-progression",
    lambda code: progress_dataset(programme(code).code),
    ("programme",),
    ("programme",),
)


register_dataset(
    "programme-chaine",
    lambda code: chain_dataset(programme(code).code),
    ("programme",),
    ("programme",),
)


register_dataset(
    "programme-evolution",
    lambda code, indicator: programme_trend_dataset(programme(code).code, indicator),
    ("programme", "indicateur"),
    ("programme", "indicateur"),
)
